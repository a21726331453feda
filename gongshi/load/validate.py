"""Validate stage: checks across files, after every file has been loaded.

Per-file checks happen while loading (`content`); here live the ones that need the whole site:
two sources that would write the same page, and glossary entries that change nothing.
"""

from __future__ import annotations

from gongshi import stats
from gongshi.convert import Converter
from gongshi.errors import Diagnostic, Severity
from gongshi.lint import lint_traditional
from gongshi.load import Loaded
from gongshi.model import Content
from gongshi.vocabulary import OPEN_STATUSES


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
                            path,
                            1,
                            1,
                            f"{kind} '{ident}' is also defined in {others}; both would write the same page",
                            "keep one file and delete the other",
                        )
                    )
    return diags


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
                    f"glossary entry '{entry.hans}' changes nothing: the conversion already gives '{entry.hant}'",
                    "delete the line, or keep it to pin the form",
                    severity=Severity.WARNING,
                )
            )
    return out


def stale_warnings(content: Content) -> list[Diagnostic]:
    """Open initiatives with no report for longer than `stale_after_days` before the report date,
    and initiatives behind schedule that do not say why."""
    as_of = stats.report_date(content)
    limit = content.config.stale_after_days
    out = []
    updates = stats.updates_by_initiative(content)
    for item in content.initiatives:
        if item.status not in OPEN_STATUSES:
            continue
        last = stats.last_reported(item, updates.get(item.id, ()))
        days = (as_of - last.last()).days if last else None
        if days is None or days > limit:
            when = f"last report {last.iso}, {days} days before {as_of.isoformat()}" if last else "never reported"
            out.append(
                Diagnostic(
                    item.origin.path,
                    1,
                    1,
                    f"initiative not updated for over {limit} days ({when})",
                    "add a 'log:' entry or an update with the current state",
                    severity=Severity.WARNING,
                )
            )
        plan = stats.schedule(item, as_of, content.config.schedule_tolerance)
        if plan.mark == "behind" and item.reason is None:
            out.append(
                Diagnostic(
                    item.origin.path,
                    1,
                    1,
                    f"initiative is behind schedule (progress {item.progress}%, expected "
                    f"{plan.expected}%) but gives no reason",
                    "add 'reason:' and 'remedy:', or status: delayed",
                    severity=Severity.WARNING,
                )
            )
    return out


def editorial_warnings(loaded: Loaded, content: Content, converter: Converter) -> list[Diagnostic]:
    """What `check` tells editors beyond errors: redundant glossary lines, Traditional-source lint,
    initiatives nobody has reported on for a long time."""
    out = glossary_warnings(content, converter) + stale_warnings(content)
    for source in loaded.traditional:
        out += lint_traditional(source, content.config.conversion)
    return out
