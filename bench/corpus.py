"""A synthetic gongshi content folder, and the same data as a two-language Hugo site.

Deterministic: the same N (and seed) always gives byte-identical files. Everything comes from the
fixed domain vocabulary below and a seeded `random.Random`; no network, nothing outside this
file but OpenCC (which converts the Hugo site's Traditional pages and the updates written in
Traditional).

    DIR/content/               gongshi: site.yaml, glossary.yaml, initiatives/*.yaml, updates/*.md
    DIR/hugo/                  Hugo: hugo.toml, layouts/, content/zh-hans/…, content/zh-hant/…
    DIR/corpus.json            what was generated (counts, characters, seed): also the reuse marker

gongshi gets N initiative records (the real schema: title, status, progress consistent with the
status, department/category/region from small pools, year, start, due, summary, targets,
milestones, log, sources; delayed and cancelled ones with reason/remedy) and N Markdown updates
of 300-1,500 Chinese characters each, with `##` headings, a list and a table, each naming 1-3
initiatives; about 20 % of the updates are written in Traditional (`lang: zh-Hant`). Hugo gets one
page per initiative and per update in each language, the Traditional ones converted with OpenCC
s2tw here, at generation time, so both generators build about the same number of pages.

    .venv/bin/python bench/corpus.py DIR --n 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import opencc
import yaml

SEED = 20261123
VERSION = 1  # bump when the generator changes: a corpus folder with another version is regenerated
AS_OF = "2025-06-30"
HANT_SHARE = 0.2

# ---------------------------------------------------------------------------------------------
# Domain vocabulary
# ---------------------------------------------------------------------------------------------

REGIONS = [
    ("湖南省株洲市天元区", "天元区", ["嵩山路街道", "泰山路街道", "马家河街道", "群丰镇", "雷打石镇", "三门镇"]),
    ("陕西省宝鸡市渭滨区", "渭滨区", ["清姜街道", "经二路街道", "桥南街道", "神农镇", "高家镇", "八鱼镇"]),
    ("四川省成都市新都区", "新都区", ["桂湖街道", "大丰街道", "三河街道", "新繁街道", "清流镇", "军屯镇"]),
    ("江苏省南通市崇川区", "崇川区", ["和平桥街道", "任港街道", "狼山镇街道", "钟秀街道", "观音山街道", "永兴街道"]),
    ("山东省潍坊市奎文区", "奎文区", ["东关街道", "大虞街道", "梨园街道", "廿里堡街道", "潍州路街道", "北苑街道"]),
    (
        "广西壮族自治区柳州市鱼峰区",
        "鱼峰区",
        ["天马街道", "驾鹤街道", "箭盘山街道", "五里亭街道", "荣军街道", "白沙镇"],
    ),
]

# category → (responsible department, initiative objects, target names with units)
CATEGORIES: dict[str, tuple[str, list[str], list[tuple[str, str]]]] = {
    "教育": (
        "区教育局",
        [
            "课后服务全覆盖",
            "学前教育普惠扩容",
            "义务教育学校食堂改造",
            "中小学校舍维修",
            "特殊教育资源中心建设",
            "校园周边交通秩序整治",
            "城市书房建设",
        ],
        [("新增学位", "个"), ("覆盖学校", "所"), ("受益学生", "名"), ("改造食堂", "个")],
    ),
    "交通出行": (
        "区交通运输局",
        [
            "城乡公交一体化",
            "农村公路养护",
            "智慧停车泊位建设",
            "背街小巷路面修复",
            "公交站台改造",
            "新能源汽车充电桩布设",
        ],
        [("新开通公交线路", "条"), ("新建改造道路", "公里"), ("新增停车泊位", "个"), ("建成充电桩", "个")],
    ),
    "住房保障": (
        "区住房和城乡建设局",
        [
            "老旧小区改造",
            "既有住宅加装电梯",
            "二次供水设施改造",
            "燃气管道老化更新",
            "不动产权证书办理",
            "供热管网改造",
        ],
        [("改造小区", "个"), ("惠及居民", "户"), ("加装电梯", "部"), ("改造管网", "公里")],
    ),
    "医疗卫生": (
        "区卫生健康局",
        ["家庭医生签约服务", "社区卫生服务中心提质", "老年人健康体检", "发热门诊规范化建设", "院前急救网络完善"],
        [("签约居民", "人"), ("体检老年人", "人"), ("建成服务站", "个"), ("配置急救车辆", "辆")],
    ),
    "养老服务": (
        "区民政局",
        ["社区养老服务站建设", "居家适老化改造", "社区食堂建设", "高龄津贴发放", "普惠托育服务"],
        [("建成服务站", "个"), ("改造家庭", "户"), ("新增托位", "个"), ("发放津贴", "万元")],
    ),
    "就业创业": (
        "区人力资源和社会保障局",
        ["就业技能培训", "零工市场建设", "高校毕业生就业帮扶", "根治欠薪专项行动"],
        [("培训人数", "人次"), ("新增就业岗位", "个"), ("帮扶毕业生", "名"), ("追回工资", "万元")],
    ),
    "城市管理": (
        "区城市管理和综合执法局",
        [
            "公共厕所改造",
            "口袋公园建设",
            "夜间照明工程",
            "背街小巷提升",
            "农贸市场标准化改造",
            "城市内涝治理",
            "网格化社会治理",
        ],
        [("改造公厕", "座"), ("建成公园", "个"), ("新装路灯", "盏"), ("整治点位", "处")],
    ),
    "生态环境": (
        "区生态环境分局",
        ["雨污分流改造", "饮用水源地保护", "餐饮油烟治理", "黑臭水体整治"],
        [("改造管网", "公里"), ("整治商户", "家"), ("治理水体", "条"), ("监测点位", "个")],
    ),
    "农业农村": (
        "区农业农村局",
        ["农村饮水安全巩固提升", "农村人居环境整治", "高标准农田建设", "农村道路硬化"],
        [("受益人口", "人"), ("整治村庄", "个"), ("建成农田", "万亩"), ("硬化道路", "公里")],
    ),
}
TITLE_SUFFIXES = ["工程", "项目", "行动", "提升工程", "三年行动", "专项行动", "试点"]
PARTNERS = [
    "区财政局",
    "区发展和改革局",
    "区自然资源局",
    "各街道办事处",
    "区总工会",
    "团区委",
    "区妇联",
    "区融媒体中心",
]
PUBLISHERS = ["区人民政府网站", "区融媒体中心", "红网", "人民网地方频道", "新华网地方频道", "市日报", "区政务服务中心"]
SOURCE_KINDS = ["关于{t}进展情况的通报", "{t}工作推进会召开", "{r}{t}取得阶段性成效", "{t}实施方案", "{r}政府工作报告"]

STATUS_WEIGHTS = [("planned", 10), ("in_progress", 55), ("delayed", 10), ("completed", 20), ("cancelled", 5)]
STATUS_PHRASES = {
    "planned": ["正在办理前期手续", "已完成方案编制", "正在开展可行性研究"],
    "in_progress": ["正在加紧施工", "按计划有序推进", "已完成主体工程", "进入收尾阶段", "已完成招标"],
    "delayed": ["进度滞后于计划", "受雨季影响有所延后", "因征地问题暂时放缓"],
    "completed": ["已全部完工", "已通过竣工验收", "已投入使用"],
    "cancelled": ["经评估后已取消", "已并入其他项目统筹实施"],
}
REASONS = [
    "征地拆迁协调难度大，部分点位未能按期交付",
    "连续降雨导致施工窗口期缩短",
    "设计方案调整后需重新履行审批程序",
    "资金拨付晚于预期，部分标段开工推迟",
    "管线迁改涉及多个产权单位，协调时间较长",
    "群众意见分歧，需要进一步征求意见",
]
REMEDIES = [
    "区政府成立专班，每周调度一次",
    "增加施工班组，实行倒排工期",
    "与产权单位建立联席会议制度",
    "分标段推进，先易后难",
    "提前启动下一阶段招标",
    "逐户上门沟通，公开方案和补偿标准",
]
CANCEL_REASONS = [
    "经专家论证，原选址不具备建设条件",
    "上级政策调整，项目并入全市统一实施",
    "群众投票未达到改造所需比例",
]

VERBS = [
    "扎实推进",
    "加快建设",
    "持续完善",
    "统筹推进",
    "全面落实",
    "稳步实施",
    "着力破解",
    "不断优化",
    "认真梳理",
    "集中整治",
    "建立健全",
    "逐步扩大",
    "精准实施",
    "系统谋划",
    "大力推动",
]
GOALS = [
    "按期完成年度目标",
    "让群众看得见、摸得着、得实惠",
    "把好事办好、实事办实",
    "确保工程质量和安全",
    "切实提升群众的获得感",
    "形成可复制可推广的经验",
    "做到项目建成一个、群众受益一个",
]
PROBLEMS = [
    "群众反映强烈的出行难问题",
    "老旧设施安全隐患多的问题",
    "服务供给不足的问题",
    "资金筹措难的问题",
    "部门之间衔接不畅的问题",
    "后续管护跟不上的问题",
    "办事流程繁琐的问题",
]
MEASURES = [
    "建立了周调度、月通报制度",
    "实行挂图作战、销号管理",
    "组织专业力量逐点排查",
    "引入第三方机构全程监督",
    "开通12345热线专席受理群众诉求",
    "把群众满意度作为验收的重要标准",
    "邀请人大代表和政协委员现场督导",
]
CONNECTORS = ["与此同时", "据了解", "另外", "在推进过程中", "今年以来", "截至目前", "从实际效果看", "为此"]
ROLES = ["居民", "村民", "家长", "志愿者", "网格员", "业主代表", "社区党委书记", "项目负责人", "一线工人", "退休教师"]
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡"]
GIVEN = ["建国", "秀英", "海峰", "晓燕", "志强", "桂兰", "立新", "文华", "红梅", "国庆", "丽娟", "明"]
SPEECH = ["说", "介绍", "表示", "告诉记者", "感慨地说"]
QUOTES = [
    "这件事办到了大家心坎上",
    "以前孩子放学没人接，现在有了课后服务，我们心里踏实多了",
    "公交开进了村里，去城里只要二十分钟",
    "小区里的路面平了，灯也亮了",
    "电梯装好后，老人上下楼方便多了",
    "我们把群众的需求摆在第一位",
    "接下来还要把后续管护做好",
    "干部们天天在现场，大家都看在眼里",
    "这里的变化大家有目共睹",
    "补贴都按时发放到位了",
    "要让每一分钱都花在刀刃上",
    "饭菜干净卫生，价格也实惠",
]
HEAD_PROGRESS = ["主要进展", "工作进展", "推进情况", "阶段成效"]
HEAD_DATA = ["数据一览", "主要指标完成情况", "指标进度", "完成情况统计"]
HEAD_NEXT = ["下一步工作", "存在的问题和下一步打算", "后续安排", "下一步计划"]
HEAD_VOICE = ["群众反映", "现场走访", "基层声音"]
UPDATE_TITLES = [
    "{r}{t}进展情况通报",
    "{r}扎实推进{t}",
    "{t}取得阶段性成效",
    "{r}召开{t}推进会",
    "{t}：{p}",
    "记者走访{r}{t}现场",
]

_HAN = re.compile(r"[\u3400-\u9fff]")


def han_count(text: str) -> int:
    """Chinese characters (ideographs) in `text`."""
    return len(_HAN.findall(text))


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


@dataclass
class Initiative:
    id: str
    data: dict[str, Any]  # the YAML record, in the order written


@dataclass
class Update:
    slug: str
    hant: bool
    front: dict[str, Any]  # Simplified; converted when `hant`
    body: str  # Simplified Markdown
    initiatives: list[str] = field(default_factory=list)


def _date(rng: random.Random, year: int, month_lo: int = 1, month_hi: int = 12) -> str:
    return f"{year}-{rng.randint(month_lo, month_hi):02d}-{rng.randint(1, 28):02d}"


def _between(rng: random.Random, lo: str, hi: str) -> str:
    """A day between two dates (YYYY-MM-DD), both included; `lo` when `hi` is before it."""
    a, b = dt.date.fromisoformat(lo).toordinal(), dt.date.fromisoformat(hi).toordinal()
    return dt.date.fromordinal(rng.randint(a, max(a, b))).isoformat()


def _cn_date(iso: str) -> str:
    y, m, *_ = iso.split("-")
    return f"{y}年{int(m)}月"


def _person(rng: random.Random) -> str:
    return f"{rng.choice(ROLES)}{rng.choice(SURNAMES)}{rng.choice(GIVEN)}"


def make_initiative(rng: random.Random, i: int) -> Initiative:
    category = rng.choice(list(CATEGORIES))
    dept, objects, target_kinds = CATEGORIES[category]
    region, short, places = rng.choice(REGIONS)
    place = rng.choice(places)
    obj = rng.choice(objects)
    title = f"{place}{obj}{rng.choice(TITLE_SUFFIXES)}"
    status = rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS])[0]
    progress = {
        "planned": 0,
        "in_progress": rng.randint(5, 95),
        "delayed": rng.randint(5, 70),
        "completed": 100,
        "cancelled": rng.randint(0, 40),
    }[status]
    year = rng.randint(2023, 2025)
    start = _date(rng, year, 1, 6 if year == 2025 else 9)
    due_year = year + rng.choice([0, 0, 1])
    due = f"{due_year}-12-31" if rng.random() < 0.4 else _date(rng, due_year, 10 if due_year == year else 1, 12)
    if status == "planned":
        start, due = f"{max(year, 2025)}-09-01", f"{max(year, 2025) + 1}-06-30"
    data: dict[str, Any] = {"title": title, "status": status, "progress": progress, "department": dept}
    if rng.random() < 0.4:
        data["partners"] = rng.sample(PARTNERS, rng.randint(1, 2))
    data.update(category=category, region=region, year=year, start=start, due=due)
    data["summary"] = (
        f"{short}{place}{rng.choice(PROBLEMS)[:-3]}较为突出。{dept}{rng.choice(VERBS)}{obj}，"
        f"计划于{_cn_date(due)}前完成，{rng.choice(GOALS)}。"
    )
    if status == "delayed":
        data["reason"], data["remedy"] = rng.choice(REASONS), rng.choice(REMEDIES)
    elif status == "cancelled":
        data["reason"] = rng.choice(CANCEL_REASONS)
    if rng.random() < 0.5:
        data["budget"] = {"amount": round(rng.uniform(50, 5000), 1), "unit": "万元", "note": "区级财政资金"}
    targets = []
    for name, unit in rng.sample(target_kinds, rng.randint(1, 3)):
        goal = rng.randint(2, 400)
        entry: dict[str, Any] = {"name": name, "target": goal}
        if status != "planned":
            entry["actual"] = goal if status == "completed" else int(goal * progress / 100)
        entry["unit"] = unit
        targets.append(entry)
    data["targets"] = targets
    mid = _between(rng, start, due)
    data["milestones"] = [
        {"date": start[:7], "title": "完成方案编制和立项", "done": status != "planned"},
        {"date": mid, "title": f"{obj}主体工程开工", "done": progress >= 30},
        {"date": due, "title": f"{obj}全面完成并交付使用", "done": status == "completed"},
    ]
    source_title = rng.choice(SOURCE_KINDS).format(t=obj, r=short)
    if status == "planned":
        steps = [(AS_OF, "planned", 0)]
    else:
        count = rng.randint(1, 4)
        dates = [*sorted(_between(rng, start, AS_OF) for _ in range(count - 1)), max(start, AS_OF)]
        levels = [*sorted(rng.randint(0, progress) for _ in range(count - 1)), progress]
        steps = [
            (d, status if k == count - 1 else "in_progress", level)
            for k, (d, level) in enumerate(zip(dates, levels, strict=True))
        ]
    data["log"] = [
        {
            "date": d,
            "status": st,
            "progress": level,
            "note": f"{rng.choice(CONNECTORS)}，{title}{rng.choice(STATUS_PHRASES[st])}。",
            "source": source_title,
        }
        for d, st, level in steps
    ]
    data["sources"] = [
        {
            "title": source_title,
            "publisher": rng.choice(PUBLISHERS),
            "url": f"https://www.example.gov.cn/{short_slug(short)}/{year}/{i:05d}.html",
            "date": data["log"][-1]["date"],
        }
    ]
    return Initiative(initiative_id(i), data)


def initiative_id(i: int) -> str:
    return f"xm-{i:05d}"


def short_slug(short: str) -> str:
    return {
        "天元区": "tianyuan",
        "渭滨区": "weibin",
        "新都区": "xindu",
        "崇川区": "chongchuan",
        "奎文区": "kuiwen",
        "鱼峰区": "yufeng",
    }[short]


# ---------------------------------------------------------------------------------------------
# Update narratives
# ---------------------------------------------------------------------------------------------


def _sentence(rng: random.Random, items: list[Initiative], when: str) -> str:
    it = rng.choice(items).data
    obj_title, dept, p = it["title"], it["department"], it["progress"]
    n, x = rng.randint(20, 9000), round(rng.uniform(0.2, 60), 1)
    forms = [
        lambda: f"{dept}牵头推进{obj_title}，{rng.choice(VERBS)}各项工作，累计完成投资{x}亿元。",
        lambda: f"截至{_cn_date(when)}，{obj_title}{rng.choice(STATUS_PHRASES[it['status']])}，总体进度达到{p}%。",
        lambda: f"{_person(rng)}{rng.choice(SPEECH)}：“{rng.choice(QUOTES)}。”",
        lambda: f"下一步，{dept}将{rng.choice(VERBS)}后续工作，{rng.choice(GOALS)}。",
        lambda: f"{rng.choice(CONNECTORS)}，项目惠及周边居民{n}户，服务群众{n * 3}人次。",
        lambda: f"针对{rng.choice(PROBLEMS)}，{dept}{rng.choice(MEASURES)}。",
        lambda: f"{rng.choice(CONNECTORS)}，{it['region'][-3:]}{rng.choice(MEASURES)}，{rng.choice(GOALS)}。",
        lambda: f"在{rng.choice(REGIONS)[2][0]}，施工人员分段作业，当天完成{rng.randint(2, 30)}处点位整治。",
    ]
    return rng.choice(forms)()


def make_update(rng: random.Random, i: int, items: list[Initiative], hant: bool) -> Update:
    main = items[0].data
    region = main["region"]
    short = next(s for r, s, _ in REGIONS if r == region)
    obj = main["title"]
    when = _between(rng, min(main["start"], AS_OF), AS_OF)
    target_chars = rng.randint(360, 1500)
    title = rng.choice(UPDATE_TITLES).format(r=short, t=obj, p=rng.choice(STATUS_PHRASES[main["status"]]))
    # fixed blocks: the intro sentence, headings, the list and the table
    names = "、".join(f"“{it.data['title']}”" for it in items)
    intro = [f"{_cn_date(when)}，{short}通报了{names}的最新进展。"]
    bullets = [f"- {_sentence(rng, items, when)}" for _ in range(rng.randint(3, 5))]
    rows = ["| 项目 | 指标 | 目标 | 完成 | 单位 |", "| --- | --- | --- | --- | --- |"]
    for it in items:
        for t in it.data["targets"]:
            rows.append(f"| {it.data['title']} | {t['name']} | {t['target']} | {t.get('actual', 0)} | {t['unit']} |")
    heads = [rng.choice(HEAD_PROGRESS), rng.choice(HEAD_DATA), rng.choice(HEAD_NEXT)]
    voice = rng.random() < 0.5
    if voice:
        heads.append(rng.choice(HEAD_VOICE))
    paragraphs: list[list[str]] = [intro, [], [], []] if voice else [intro, [], []]

    def body() -> str:
        parts = [
            "".join(paragraphs[0]),
            f"## {heads[0]}",
            "".join(paragraphs[1]) or "工作有序推进。",
            "\n".join(bullets),
            f"## {heads[1]}",
            "\n".join(rows),
            f"## {heads[2]}",
            "".join(paragraphs[2]) or "持续推进。",
        ]
        if voice:
            parts += [f"## {heads[3]}", "".join(paragraphs[3]) or "群众普遍认可。"]
        return "\n\n".join(parts) + "\n"

    k = 0
    while True:
        sentence = _sentence(rng, items, when)
        if han_count(body()) + han_count(sentence) > target_chars:
            break
        paragraphs[k % len(paragraphs)].append(sentence)
        k += 1
    text = body()
    while han_count(text) > 1500:  # only when a large table alone overshoots
        rows.pop()
        text = body()
    front: dict[str, Any] = {
        "title": title,
        "date": when,
        "initiatives": [it.id for it in items],
        "summary": f"{short}{rng.choice(VERBS)}{obj}，{rng.choice(GOALS)}。",
        "source": {
            "title": title,
            "publisher": rng.choice(PUBLISHERS),
            "url": f"https://www.example.gov.cn/{short_slug(short)}/news/{i:05d}.html",
            "date": when,
        },
    }
    return Update(f"{when[:7]}-{items[0].id}-{i:05d}", hant, front, text, [it.id for it in items])


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def _convert_tree(value: Any, fn: Any) -> Any:
    if isinstance(value, str):
        return value if value.startswith(("http://", "https://")) else fn(value)
    if isinstance(value, list):
        return [_convert_tree(v, fn) for v in value]
    if isinstance(value, dict):
        return {k: _convert_tree(v, fn) for k, v in value.items()}
    return value


def initiative_markdown(data: dict[str, Any]) -> str:
    """The body of an initiative's Hugo page: the same fields gongshi shows, as Markdown."""
    lines = [
        data["summary"],
        "",
        f"- 状态：{data['status']}，进度：{data['progress']}%",
        f"- 责任单位：{data['department']}",
        f"- 类别：{data['category']}，地区：{data['region']}",
        f"- 起止时间：{data['start']} 至 {data['due']}",
    ]
    if "reason" in data:
        lines.append(f"- 原因：{data['reason']}")
    if "remedy" in data:
        lines.append(f"- 措施：{data['remedy']}")
    lines += ["", "## 目标", "", "| 指标 | 目标 | 完成 | 单位 |", "| --- | --- | --- | --- |"]
    lines += [f"| {t['name']} | {t['target']} | {t.get('actual', '')} | {t['unit']} |" for t in data["targets"]]
    lines += ["", "## 节点", ""] + [
        f"- {m['date']} {m['title']}{'（已完成）' if m['done'] else ''}" for m in data["milestones"]
    ]
    lines += ["", "## 进展记录", ""] + [f"- {e['date']}：{e['note']}" for e in data["log"]]
    lines += ["", "## 来源", ""] + [
        f"- [{s['title']}]({s['url']})，{s['publisher']}，{s['date']}" for s in data["sources"]
    ]
    return "\n".join(lines) + "\n"


HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "民生实事公示"
defaultContentLanguage = "zh-hans"
defaultContentLanguageInSubdir = true
disableKinds = ["taxonomy", "term"]

[languages.zh-hans]
languageCode = "zh-Hans"
languageName = "简体中文"
contentDir = "content/zh-hans"
weight = 1
title = "民生实事公示"

[languages.zh-hant]
languageCode = "zh-Hant"
languageName = "繁體中文"
contentDir = "content/zh-hant"
weight = 2
title = "民生實事公示"

[markup.goldmark.renderer]
unsafe = false
"""
HUGO_BASEOF = """\
<!DOCTYPE html>
<html lang="{{ .Site.Language.LanguageCode }}">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title></head>
<body>{{ block "main" . }}{{ end }}</body>
</html>
"""
HUGO_SINGLE = """\
{{ define "main" }}<main><h1>{{ .Title }}</h1>{{ .Content }}</main>{{ end }}
"""
HUGO_LIST = """\
{{ define "main" }}<main><h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main>{{ end }}
"""


def _hugo_page(front: dict[str, Any], body: str) -> str:
    return f"---\n{_yaml(front)}---\n{body}"


def generate(out: Path, n: int, seed: int = SEED) -> dict[str, Any]:
    """Write the gongshi content folder and the Hugo site for `n` initiatives and `n` updates."""
    rng = random.Random(f"{seed}:{n}")
    s2tw = opencc.OpenCC("s2tw.json").convert
    if out.exists():
        shutil.rmtree(out)
    content, hugo = out / "content", out / "hugo"
    for d in (
        content / "initiatives",
        content / "updates",
        hugo / "layouts",
        hugo / "content" / "zh-hans" / "initiatives",
        hugo / "content" / "zh-hans" / "updates",
        hugo / "content" / "zh-hant" / "initiatives",
        hugo / "content" / "zh-hant" / "updates",
    ):
        d.mkdir(parents=True)
    (content / "site.yaml").write_text(
        _yaml(
            {
                "title": "民生实事公示",
                "publisher": "gongshi 基准测试站点",
                "description": f"合成的基准测试语料：{n} 项民生实事、{n} 篇进展报道。",
                "source_lang": "zh-Hans",
                "editions": ["zh-Hans", "zh-Hant"],
                "conversion": "s2tw",
                "timezone": "Asia/Shanghai",
                "as_of": AS_OF,
                "contact": {"text": "如发现内容有误，欢迎来信指正。", "email": "corrections@example.org"},
            }
        ),
        encoding="utf-8",
    )
    (hugo / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in (("baseof.html", HUGO_BASEOF), ("single.html", HUGO_SINGLE), ("list.html", HUGO_LIST)):
        (hugo / "layouts" / name).write_text(text, encoding="utf-8")

    initiatives = [make_initiative(rng, i) for i in range(1, n + 1)]
    stats = {
        "n": n,
        "seed": seed,
        "version": VERSION,
        "initiatives": n,
        "updates": n,
        "updates_zh_hant": 0,
        "update_han_chars": [],
        "han_chars_gongshi": 0,
    }
    for it in initiatives:
        text = _yaml(it.data)
        (content / "initiatives" / f"{it.id}.yaml").write_text(text, encoding="utf-8")
        stats["han_chars_gongshi"] += han_count(text)
        body = initiative_markdown(it.data)
        for lang, fn in (("zh-hans", str), ("zh-hant", s2tw)):
            front = {
                "title": fn(it.data["title"]),
                "date": it.data["start"],
                "params": {"progress": it.data["progress"]},
            }
            page = _hugo_page(front, body if lang == "zh-hans" else s2tw(body))
            (hugo / "content" / lang / "initiatives" / f"{it.id}.md").write_text(page, encoding="utf-8")

    for i in range(1, n + 1):
        named = [initiatives[i - 1], *rng.sample(initiatives, rng.randint(0, 2))] if n > 3 else [initiatives[i - 1]]
        named = list({it.id: it for it in named}.values())
        update = make_update(rng, i, named, hant=rng.random() < HANT_SHARE)
        body_t = s2tw(update.body)
        front_t = _convert_tree(update.front, s2tw)
        if update.hant:
            stats["updates_zh_hant"] += 1
            text = f"---\n{_yaml({'lang': 'zh-Hant', **front_t})}---\n{body_t}"
        else:
            text = f"---\n{_yaml(update.front)}---\n{update.body}"
        (content / "updates" / f"{update.slug}.md").write_text(text, encoding="utf-8")
        stats["update_han_chars"].append(han_count(update.body))
        stats["han_chars_gongshi"] += han_count(text)
        for lang, front, body in (("zh-hans", update.front, update.body), ("zh-hant", front_t, body_t)):
            page = _hugo_page({"title": front["title"], "date": front["date"]}, body)
            (hugo / "content" / lang / "updates" / f"{update.slug}.md").write_text(page, encoding="utf-8")

    chars = stats.pop("update_han_chars")
    stats["update_han_chars_min"], stats["update_han_chars_max"] = min(chars), max(chars)
    stats["update_han_chars_mean"] = round(sum(chars) / len(chars))
    (out / "corpus.json").write_text(json.dumps(stats, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return stats


def ensure(out: Path, n: int, seed: int = SEED) -> tuple[dict[str, Any], bool]:
    """The corpus in `out`, generated unless a complete one of the same N, seed and version is there.
    Returns (stats, reused)."""
    marker = out / "corpus.json"
    if marker.is_file():
        stats: dict[str, Any] = json.loads(marker.read_text(encoding="utf-8"))
        if (stats.get("n"), stats.get("seed"), stats.get("version")) == (n, seed, VERSION):
            return stats, True
    return generate(out, n, seed), False


def set_progress(out: Path, ident: str, progress: int) -> None:
    """Change one initiative's progress, in the gongshi record and in both Hugo pages."""
    record = out / "content" / "initiatives" / f"{ident}.yaml"
    text = record.read_text(encoding="utf-8")
    text = re.sub(r"^progress: \d+$", f"progress: {progress}", text, count=1, flags=re.M)
    record.write_text(text, encoding="utf-8")
    for lang in ("zh-hans", "zh-hant"):
        page = out / "hugo" / "content" / lang / "initiatives" / f"{ident}.md"
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"^  progress: \d+$", f"  progress: {progress}", text, count=1, flags=re.M)
        text = re.sub(r"(進度|进度)：\d+%", lambda m: f"{m.group(1)}：{progress}%", text, count=1)
        page.write_text(text, encoding="utf-8")


EDIT_LINE = "\n\n本周现场核查，进度与上报一致。\n"  # appended to one update by `edit_update`


def edit_update(out: Path, edited: bool) -> str:
    """One edit to one update's text (the first update), in the gongshi source and both Hugo pages:
    a sentence appended when `edited`, taken away when not. Returns the update's slug."""
    source = sorted((out / "content" / "updates").glob("*.md"))[0]
    pages = [out / "hugo" / "content" / lang / "updates" / source.name for lang in ("zh-hans", "zh-hant")]
    for path in (source, *pages):
        text = path.read_text(encoding="utf-8").removesuffix(EDIT_LINE)
        path.write_text(text + EDIT_LINE if edited else text, encoding="utf-8")
    return source.stem


def editable_initiative(out: Path) -> tuple[str, int]:
    """The first in-progress initiative with progress below 99 (so progress+1 is still consistent),
    and its generated progress: that of its last log entry, which an interrupted edit left alone."""
    for record in sorted((out / "content" / "initiatives").glob("*.yaml")):
        text = record.read_text(encoding="utf-8")
        status = re.search(r"^status: (\w+)$", text, re.M)
        logged = re.findall(r"^  progress: (\d+)$", text, re.M)
        if status and logged and status.group(1) == "in_progress" and int(logged[-1]) < 99:
            return record.stem, int(logged[-1])
    raise RuntimeError("no in-progress initiative to edit")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to (re)create")
    parser.add_argument("--n", type=int, default=1000, help="initiatives and updates (default 1000)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    print(json.dumps(generate(args.out, args.n, args.seed), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
