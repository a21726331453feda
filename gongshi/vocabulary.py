"""The words gongshi's pages, checks and outputs share, each defined once.

Statuses and schedule marks (codes, the Chinese names readers see, their definitions, their
colours), and what counts as a Han character. The JSON Schemas and the stylesheet cannot import
Python: `tests/test_vocabulary.py` holds them to this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One status or schedule mark: its code in content files, its name and definition on pages."""

    code: str
    label: str  # written in Simplified; the Traditional edition converts it
    definition: str
    colour: str = ""  # on share cards and badges; the stylesheet defines the same value as `--<code>`
    open: bool = False  # a status of work still to do (deadlines, staleness and schedules apply)


STATUS_TERMS = (
    Term("planned", "未启动", "已列入计划，尚未启动实施。", "#5a5a5a", open=True),
    Term("in_progress", "推进中", "已启动，正在按计划推进。", "#0b57a4", open=True),
    Term("delayed", "滞后", "进度落后于计划，须写明原因和补救措施。", "#a35200", open=True),
    Term("completed", "已完成", "目标已经实现，并有报道或文件为证。", "#1d6b33"),
    Term("cancelled", "已取消", "经决定不再实施，须写明原因。", "#6b6b6b"),
)
SCHEDULE_TERMS = (
    Term("ahead", "超序时", "实际进度超过按时间推算的应完成进度。"),
    Term("on_track", "按序时", "实际进度与应完成进度基本一致。"),
    Term("behind", "慢序时", "实际进度落后于按时间推算的应完成进度。"),
    Term("overdue", "逾期", "已过完成期限，但尚未报告完成。", "#a8071a"),
)

# The final state of an initiative once its year's list is closed (完成 / 未完成 / 结转).
OUTCOME_LABELS = {"completed": "完成", "unfinished": "未完成", "carried": "结转", "cancelled": "已取消"}

STATUSES = tuple(t.code for t in STATUS_TERMS)
OPEN_STATUSES = tuple(t.code for t in STATUS_TERMS if t.open)
STATUS_LABELS = {t.code: t.label for t in STATUS_TERMS}
STATUS_DEFINITIONS = {t.code: t.definition for t in STATUS_TERMS}
STATUS_COLOURS = {t.code: t.colour for t in STATUS_TERMS}
SCHEDULE_MARKS = tuple(t.code for t in SCHEDULE_TERMS)
SCHEDULE_LABELS = {t.code: t.label for t in SCHEDULE_TERMS}
SCHEDULE_DEFINITIONS = {t.code: t.definition for t in SCHEDULE_TERMS}
# Staff write a status as they read it on the site, in either script.
STATUS_BY_NAME = {
    **{t.label: t.code for t in STATUS_TERMS},
    "未啟動": "planned",
    "推進中": "in_progress",
    "滯後": "delayed",
}

# The placeholder texts of the `gongshi new` templates (gongshi/data/new/): left in a published
# record, they are an error.
PLACEHOLDERS = ("在这里写实事名称", "在这里写标题", "在这里写正文")

# Han characters: the URO, Extension A, the compatibility ideographs and Extensions B-H.
HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN = re.compile(f"[{HAN_RANGES}]")

# The groupings of initiatives that get index pages: URL folder, Initiative attribute, heading.
GROUP_FIELDS = (
    ("departments", "units", "责任单位"),  # lead departments, partners and targets' units
    ("categories", "category", "类别"),
    ("regions", "regions", "地区"),
)
