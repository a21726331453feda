"""Validate stage: checks across files, after every file has been loaded.

Per-file checks happen while loading (`content`); here live the ones that need the whole site:
two sources that would write the same page, and glossary entries that change nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from gongshi import stats
from gongshi.convert import Converter
from gongshi.errors import Diagnostic, Severity
from gongshi.i18n import msg
from gongshi.lint import lint_traditional
from gongshi.load import Loaded
from gongshi.model import Content, Date, Initiative, Update
from gongshi.vocabulary import OPEN_STATUSES, PLACEHOLDERS


def validate_content(loaded: Loaded) -> list[Diagnostic]:
    """Problems that involve more than one file."""
    diags: list[Diagnostic] = []
    for kind, files in (("initiative", loaded.initiative_files), ("update", loaded.update_files)):
        for ident, paths in sorted(files.items()):
            if len(paths) > 1:
                for path in paths:
                    others = ", ".join(p for p in paths if p != path)
                    diags.append(
                        Diagnostic(
                            path, 1, 1, _defined_twice(kind, ident, others), msg("keep one file and delete the other")
                        )
                    )
    if loaded.content is not None:
        diags += carry_over_errors(loaded.content) + placeholder_errors(loaded.content)
    for draft in loaded.drafts:
        hint = msg("remove the line 'draft: true' when it is ready to publish")
        problem = msg("this update is a draft: it is not published")
        diags.append(Diagnostic(draft.origin.path, 1, 1, problem, hint, severity=Severity.WARNING))
    return diags


def _defined_twice(kind: str, ident: str, others: str) -> str:
    if kind == "initiative":
        return msg(
            "initiative '{id}' is also defined in {others}; both would write the same page", id=ident, others=others
        )
    return msg("update '{id}' is also defined in {others}; both would write the same page", id=ident, others=others)


def placeholder_errors(content: Content) -> list[Diagnostic]:
    """Text of the `gongshi new` templates left in a published record (`vocabulary.PLACEHOLDERS`)."""
    hint = msg("replace it with the real text; an update that is not ready can say 'draft: true'")
    out = []
    texts = [(i.origin.path, i.title.line, i.title.original) for i in content.initiatives]
    for update in content.updates:
        texts.append((update.origin.path, update.title.line, update.title.original))
        body = update.body
        texts += [(body.origin.path, body.line + n, line) for n, line in enumerate(body.markdown.split("\n"))]
    for path, line, text in texts:
        for placeholder in PLACEHOLDERS:
            if placeholder in text:
                message = msg("the template's placeholder '{placeholder}' is still here", placeholder=placeholder)
                out.append(Diagnostic(path, line, text.index(placeholder) + 1, message, hint))
    return out


def carry_over_errors(content: Content) -> list[Diagnostic]:
    """`carried_to` names an initiative of a later year's list; `part_of` an initiative that exists."""
    out = []
    by_id = {i.id: i for i in content.initiatives}
    for item in content.initiatives:
        if item.part_of is not None and (item.part_of == item.id or item.part_of not in by_id):
            hint = msg("part_of names the initiative this one is a sub-item of (its file name without .yaml)")
            problem = msg("part_of: no other initiative has the id '{id}'", id=item.part_of)
            out.append(Diagnostic(item.origin.path, 1, 1, problem, hint))
        if item.carried_to is None:
            continue
        later = by_id.get(item.carried_to)
        if later is None:
            problem = msg("carried_to: no initiative has the id '{id}'", id=item.carried_to)
        elif later.id == item.id or (later.list_year or 0) <= (item.list_year or 0):
            problem = msg("carried_to: '{id}' is not in a later year's list than this initiative", id=later.id)
        else:
            continue
        hint = msg("carried_to names the record of this item in the next year's list (its file name without .yaml)")
        out.append(Diagnostic(item.origin.path, 1, 1, problem, hint))
    return out


def glossary_warnings(content: Content, converter: Converter) -> list[Diagnostic]:
    """Site glossary entries that the engine and gongshi's defaults already get right."""
    plain = Converter((), converter.standard, converter.rules)
    out = []
    for entry in content.glossary:
        if (
            plain.convert(entry.hans, "zh-Hans", "zh-Hant") == entry.hant
            and plain.convert(entry.hant, "zh-Hant", "zh-Hans") == entry.hans
        ):
            out.append(
                Diagnostic(
                    entry.origin.path,
                    entry.origin.line,
                    1,
                    msg(
                        "glossary entry '{hans}' changes nothing: the conversion already gives '{hant}'",
                        hans=entry.hans,
                        hant=entry.hant,
                    ),
                    msg("delete the line, or keep it to pin the form"),
                    severity=Severity.WARNING,
                )
            )
    return out


def stale_warnings(content: Content) -> list[Diagnostic]:
    """Open initiatives with no report for longer than `stale_after_days` before the report date,
    and initiatives behind schedule that do not say why."""
    limit = content.config.stale_after_days
    out = []
    dates: dict[int | None, dt.date] = {}  # each year's report date
    closings: dict[int | None, Date | None] = {}  # each closed year's report date, as written
    updates = stats.updates_by_initiative(content)
    for item in content.initiatives:
        if item.status in OPEN_STATUSES and not item.carried_to and stats.is_closed(content, item):
            if item.list_year not in closings:
                closings[item.list_year] = stats.year_report_written(content, item.list_year)
            out += _final_state_warnings(item, updates.get(item.id, ()), closings[item.list_year])
        if item.status not in OPEN_STATUSES or stats.is_closed(content, item):
            continue  # a closed year's list is final: nothing more to remind anyone of
        if item.list_year not in dates:
            dates[item.list_year] = stats.year_report_date(content, item.list_year)
        as_of = dates[item.list_year]
        quiet = stats.silence(item, updates.get(item.id, ()), as_of)
        if quiet is not None and quiet.days > limit:
            when = {"limit": limit, "since": quiet.since.iso, "days": quiet.days, "as_of": as_of.isoformat()}
            problem = (
                msg(
                    "initiative not updated for over {limit} days (last report {since}, {days} days before {as_of})",
                    **when,
                )
                if quiet.reported
                else msg(
                    "initiative not updated for over {limit} days "
                    "(no report yet; started {since}, {days} days before {as_of})",
                    **when,
                )
            )
            hint = msg("add a 'log:' entry or an update with the current state")
            out.append(Diagnostic(item.origin.path, 1, 1, problem, hint, severity=Severity.WARNING))
        plan = stats.schedule(item, as_of, content.config.schedule_tolerance)
        if plan.mark == "behind" and item.reason is None:
            out.append(_behind_without_reason(item, plan))
    return out


def _final_state_warnings(item: Initiative, updates: Sequence[Update], closing: Date | None) -> list[Diagnostic]:
    """An unfinished item of a closed year whose last report is older than the year's report date
    (`closing`): its page would show old figures as the final state."""
    last = stats.last_reported(item, updates)
    if closing is None or (last is not None and last.last() >= closing.first()):
        return []
    message = (
        msg(
            "the {year} list is closed ({closing}) but its last report is {last}: its final state is not reported",
            year=item.list_year,
            closing=closing.iso,
            last=last.iso,
        )
        if last
        else msg(
            "the {year} list is closed ({closing}) but it has no report: its final state is not reported",
            year=item.list_year,
            closing=closing.iso,
        )
    )
    hint = msg("add a 'log:' entry with the final figures, or 'carried_to:' if it moved to the next year's list")
    return [Diagnostic(item.origin.path, 1, 1, message, hint, severity=Severity.WARNING)]


def _behind_without_reason(item: Initiative, plan: stats.Schedule) -> Diagnostic:
    progress = stats.effective_progress(item)
    problem = (
        msg(
            "initiative is behind schedule (no progress reported, expected {expected}%) but gives no reason",
            expected=plan.expected,
        )
        if progress is None
        else msg(
            "initiative is behind schedule (progress {progress}%, expected {expected}%) but gives no reason",
            progress=progress,
            expected=plan.expected,
        )
    )
    hint = msg("add 'reason:' and 'remedy:', or status: delayed")
    return Diagnostic(item.origin.path, 1, 1, problem, hint, severity=Severity.WARNING)


def _as_of_warnings(loaded: Loaded, content: Content) -> list[Diagnostic]:
    """`as_of` in site.yaml earlier than what the content itself reports: the pages would judge
    deadlines and schedules on a day before the news they show."""
    as_of, where = content.config.as_of, loaded.as_of_at
    reported = [u.date for u in content.updates] + [e.date for i in content.initiatives for e in i.log]
    if as_of is None or where is None or not reported or max(reported).first() <= as_of.last():
        return []
    newest = max(reported)
    message = msg(
        "as_of {as_of} is earlier than the newest report in the content ({newest})", as_of=as_of.iso, newest=newest.iso
    )
    hint = msg("set as_of: {newest} or later, or remove the line to use the newest report's date", newest=newest.iso)
    return [Diagnostic(where[0], where[1], where[2], message, hint, severity=Severity.WARNING)]


def editorial_warnings(loaded: Loaded, content: Content, converter: Converter) -> list[Diagnostic]:
    """What `check` tells editors beyond errors: redundant glossary lines, Traditional-source lint,
    initiatives nobody has reported on for a long time."""
    out = glossary_warnings(content, converter) + stale_warnings(content) + _as_of_warnings(loaded, content)
    for source in loaded.traditional:
        out += lint_traditional(source, content.config.conversion, content.config.usage)
    return out
