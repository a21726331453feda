"""The monthly progress table (月度进展表): export a sheet for departments, import their answers.

Every month the office sends each responsible department a table with a row per initiative, the
departments fill in their rows, and the office collates them. `export.py` writes that table
(.xlsx, or CSV for WPS and Excel) from the records; `read.py` reads a filled copy back, finding
columns by their header names; `apply.py` checks every row against the records and writes the new
figures into the YAML files, keeping everything else of them as it was.

The columns are defined once, here, for all three.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # in Simplified; a Traditional site's sheet carries it converted
    help: str  # the explanation on the sheet's second page
    width: int  # in Excel's character units (a Han character takes about two)
    fill: bool = False  # a column the department fills in


COLUMNS = (
    Column("id", "编号", "记录的编号（即文件名），用来对应网站上的记录。请勿修改，也不要删除这一列。", 26),
    Column("title", "项目名称", "实事名称，只供对照，改动无效。", 28),
    Column("task", "目标任务", "目标任务或指标名称，只供对照。一项实事有几个指标的，每个指标占一行。", 40),
    Column("department", "责任单位", "牵头单位，只供对照。", 22),
    Column("plan", "计划", "计划完成的数量和单位，只供对照。", 14),
    Column("last", "上次报告", "网站上最近一次报告的日期、状态、进度和完成数，只供对照。", 34),
    Column("actual", "本期完成", "截至本期累计完成的数量（只填数字，单位同“计划”列）。没有变化可以不填。", 12, True),
    Column("progress", "进度（%）", "截至本期的总体进度，0 到 100 之间的数字，不带百分号也可以。", 11, True),
    Column("status", "状态", "从下拉列表中选择：未启动、推进中、滞后、已完成、已取消。", 10, True),
    Column("note", "情况说明", "本期进展的简要说明，会原样公开在网站上。", 40, True),
    Column("reason", "原因", "状态为“滞后”时必填：进度落后的原因。", 30, True),
    Column("remedy", "措施", "状态为“滞后”时必填：采取的补救措施。", 30, True),
)
FILLED = tuple(c.key for c in COLUMNS if c.fill)
SHEET_TITLE = "月度进展"
HELP_TITLE = "填写说明"
# A row of an initiative with several targets: `id#2` is its second target.
TARGET_MARK = "#"
