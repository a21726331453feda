"""Atom feeds: the newest updates of an edition, and one feed per initiative (its updates and its log).

The site's feed holds the newest `FEED_ENTRIES` updates with their full text: enough for any
reader that polls it, and it stays small on a site with thousands of updates.

Entry ids are stable `urn:uuid` values derived from the entry's path, so they do not change when
the site moves to another address; links are absolute when `base_url` is set.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from gongshi.edition import Edition
from gongshi.incremental.plan import Plan
from gongshi.model import Date, Initiative, Update
from gongshi.page import View
from gongshi.vocabulary import STATUS_LABELS

FEED_ENTRIES = 50


@dataclass(frozen=True)
class Entry:
    path: str  # page the entry links to, from the site root (with a #fragment for log entries)
    title: str
    date: Date
    html: str


def _stamp(date: Date, zone: ZoneInfo) -> str:
    """Atom wants a full timestamp: a month, quarter or year is stamped with its first day, the day
    it is sorted by (entry text never shows a date, so no invented day is ever read)."""
    return dt.datetime.combine(date.first(), dt.time(0, 0), zone).isoformat()


def _link(ed: Edition, path: str, feed_path: str) -> str:
    """Absolute with base_url; otherwise relative to the feed, which Atom resolves against it."""
    if ed.absolute(path):
        return ed.absolute(path)
    depth = feed_path.count("/")
    return "../" * depth + path


def atom(ed: Edition, feed_path: str, title: str, page_path: str, entries: Iterable[Entry]) -> bytes:
    """One Atom document; `feed_path` and `page_path` are paths from the site root."""
    zone = ZoneInfo(ed.content.config.timezone)
    items = sorted(entries, key=lambda e: (e.date, e.path), reverse=True)
    # Atom requires a time: with no entry, the report date (or, for content without any date, the epoch)
    updated = _stamp(items[0].date if items else ed.as_of_shown or Date(1970, 1, 1), zone)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{ed.lang}">',
        f"  <title>{escape(title)}</title>",
        f"  <id>urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'gongshi:' + feed_path)}</id>",
        f"  <updated>{updated}</updated>",
        f"  <author><name>{escape(ed.t(ed.content.config.publisher or ed.content.config.title))}</name></author>",
        f'  <link rel="alternate" type="text/html" href={quoteattr(_link(ed, page_path, feed_path))}/>',
    ]
    if ed.absolute(feed_path):
        lines.append(f'  <link rel="self" href={quoteattr(ed.absolute(feed_path))}/>')
    for entry in items:
        lines += [
            "  <entry>",
            f"    <title>{escape(entry.title)}</title>",
            f"    <id>urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'gongshi:' + entry.path)}</id>",
            f"    <updated>{_stamp(entry.date, zone)}</updated>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(_link(ed, entry.path, feed_path))}/>',
            f'    <content type="html">{escape(entry.html)}</content>',
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def update_entry(ed: Edition, update: Update) -> Entry:
    return Entry(f"{ed.dir}/updates/{update.slug}/index.html", ed.t(update.title), update.date, ed.body(update))


def initiative_entries(ed: Edition, item: Initiative) -> list[Entry]:
    """The initiative's updates and its log, newest first."""
    page = f"{ed.dir}/initiatives/{item.id}/index.html"
    entries = [update_entry(ed, u) for u in ed.updates_of(item)]
    for index, log in enumerate(item.log):
        parts = [ed.ui(STATUS_LABELS[log.status])] if log.status else []
        if log.progress is not None:
            parts.append(f"{ed.ui('进度')} {log.progress}%")
        note = escape(ed.t(log.note)) if log.note else ""
        title = f"{ed.t(item.title)}：{'，'.join(parts) or ed.ui('进展记录')}"
        entries.append(Entry(f"{page}#log-{index + 1}", title, log.date, f"<p>{note}</p>" if note else ""))
    return entries


def make(view: View, plan: Plan) -> None:
    """Every feed of one edition: the newest updates of the site, and one feed per initiative."""
    ed = view.ed
    site_title = ed.t(ed.content.config.title)
    latest = ed.content.updates[-FEED_ENTRIES:]
    plan.add(
        f"{ed.dir}/feed.xml",
        ("feed", latest),
        lambda: atom(
            ed,
            f"{ed.dir}/feed.xml",
            f"{site_title} · {ed.ui('进展动态')}",
            f"{ed.dir}/updates/index.html",
            (update_entry(ed, u) for u in latest),
        ),
    )

    def initiative_feed(item: Initiative, path: str) -> bytes:
        return atom(
            ed,
            path,
            f"{ed.t(item.title)} · {site_title}",
            f"{ed.dir}/initiatives/{item.id}/index.html",
            initiative_entries(ed, item),
        )

    for item in ed.content.initiatives:
        path = f"{ed.dir}/initiatives/{item.id}/feed.xml"
        plan.add(path, ("feed", item), functools.partial(initiative_feed, item, path))
