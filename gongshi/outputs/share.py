"""Share images: one SVG card per initiative (title, status, progress), for Open Graph links."""

from __future__ import annotations

import functools
import textwrap
from xml.sax.saxutils import escape, quoteattr

from gongshi.edition import Edition
from gongshi.incremental.plan import Plan
from gongshi.model import Initiative
from gongshi.page import View
from gongshi.vocabulary import STATUS_COLOURS, STATUS_LABELS


def share_card(ed: Edition, item: Initiative) -> bytes:
    """A 1200×630 card; text is wrapped by character count, as Chinese has no spaces."""
    title_lines = textwrap.wrap(ed.t(item.title), 16)[:3] or [""]
    status = ed.ui(STATUS_LABELS[item.status])
    progress = item.progress if item.progress is not None else (100 if item.status == "completed" else None)
    font = (
        "PingFang SC, Noto Sans CJK SC, Microsoft YaHei, sans-serif"
        if ed.lang == "zh-Hans"
        else "PingFang TC, Noto Sans CJK TC, Microsoft JhengHei, sans-serif"
    )
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630" '
        f'role="img" aria-label={quoteattr(ed.t(item.title))}>',
        '<rect width="1200" height="630" fill="#fff"/><rect width="1200" height="16" fill="#a8071a"/>',
        f'<g font-family={quoteattr(font)} fill="#1a1a1a">',
        f'<text x="80" y="110" font-size="34" fill="#555">{escape(ed.t(ed.content.config.title))}</text>',
    ]
    for index, line in enumerate(title_lines):
        parts.append(f'<text x="80" y="{210 + index * 80}" font-size="64" font-weight="bold">{escape(line)}</text>')
    parts.append(f'<rect x="80" y="470" width="200" height="60" rx="10" fill="{STATUS_COLOURS[item.status]}"/>')
    parts.append(f'<text x="180" y="512" font-size="34" fill="#fff" text-anchor="middle">{escape(status)}</text>')
    if progress is not None:
        parts += [
            '<rect x="320" y="485" width="600" height="30" rx="15" fill="#e8e8e8"/>',
            f'<rect x="320" y="485" width="{round(6 * min(progress, 100), 1):g}" height="30" rx="15" fill="#0b57a4"/>',
            f'<text x="950" y="512" font-size="34">{progress}%</text>',
        ]
    parts.append("</g></svg>")
    return ("\n".join(parts) + "\n").encode("utf-8")


def make(view: View, plan: Plan) -> None:
    """A share card per initiative."""
    ed = view.ed
    for item in ed.content.initiatives:
        plan.add(f"{ed.dir}/initiatives/{item.id}/share.svg", ("share", item), functools.partial(share_card, ed, item))
