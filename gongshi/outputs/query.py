"""The search page's character table: `<edition>/search/chars.json`.

Readers paste queries from anywhere: 社区 into the Traditional edition, 社區 into the Simplified
one. The search script converts the query with this table (each character of the other script,
and the forms it can take in this edition's) before asking Pagefind, so both spellings find the
same pages. The table depends only on the conversion standard, so it is made once per edition.
"""

from __future__ import annotations

import json

from gongshi.incremental.plan import Plan
from gongshi.page import View


def make(view: View, plan: Plan) -> None:
    ed = view.ed
    path = f"{ed.dir}/search/chars.json"

    def table() -> dict[str, bytes]:
        found = ed.converter.query_table(ed.lang)
        return {path: json.dumps(found, ensure_ascii=False, separators=(",", ":")).encode("utf-8")}

    plan.add_many((path,), ("search-chars", ed.converter.standard, ed.lang), table)
