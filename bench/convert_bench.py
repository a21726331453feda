"""Conversion throughput: gongshi's Converter against bare OpenCC.

Builds a deterministic corpus of Simplified-Chinese government-report prose (about 2 million
characters by default) from a fixed vocabulary in this file and a seeded random generator, so no
file outside gongshi and no network is read, and every run converts the same text. Then times,
with `time.perf_counter`, the median of K runs of:

  1  bare OpenCC s2tw, whole corpus in one call
  2  bare OpenCC s2tw, one call per paragraph (the unit the build converts)
  3  gongshi Converter zh-Hans→zh-Hant per paragraph, empty site glossary
  4  the same with a 200-entry site glossary
  5  Markdown: render(parse(md)) per paragraph, identity text function vs the converter,
     and `tools.convert_markdown_line` (the `gongshi convert` CLI path) per line
  6  reverse: gongshi zh-Hant→zh-Hans per paragraph vs bare OpenCC tw2s per paragraph

Converter memoises whole strings, so every gongshi run gets a fresh Converter (built outside the
timed region) and paragraphs are generated distinct: no run is served from a memo.

    .venv/bin/python bench/convert_bench.py [--chars N] [--repeat K] [--json PATH] [--profile]

See bench/README.md for the measured numbers.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import inspect
import io
import json
import os
import platform
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import opencc

from gongshi import markdown
from gongshi.convert import Converter
from gongshi.tools import convert_markdown_line

SEED = 20240612

# ---------------------------------------------------------------------------------------------
# Vocabulary: phrases of district "民生实事" progress reports. Chosen to exercise what gongshi adds
# over OpenCC: surnames 余/范/钟/于/姜/谷/周/胡 before titles and after role words, 里 as "inside"
# and in 公里/里程碑/邻里, one-to-many characters (发/后/干/制/面/台/只/系), override markers.
# ---------------------------------------------------------------------------------------------

TIMES = [
    "今年以来",
    "2024年",
    "截至6月底",
    "上半年",
    "近年来",
    "下一步",
    "第三季度",
    "去年底",
    "目前",
    "今后三年",
    "一季度",
    "截至目前",
    "“十四五”以来",
    "年内",
    "春节前后",
    "汛期前",
    "9月1日起",
    "国庆前后",
]
DISTRICTS = [
    "渭滨区",
    "金台区",
    "陈仓区",
    "凤翔区",
    "高新区",
    "经二路街道",
    "马营镇",
    "八鱼镇",
    "石鼓镇",
    "神农镇",
    "桥南街道",
    "姜谭路街道",
    "蟠龙新区",
    "千阳县",
    "麟游县",
    "太白县",
    "眉县",
    "扶风县",
    "岐山县",
    "陇县",
    "凤县",
    "宝鸡市",
    "东风路街道",
    "十里铺街道",
    "虢镇街道",
    "钓渭镇",
]
OVERRIDE_PLACES = ["-{清姜}-街道", "-{动力谷}-园区", "-{清姜}-河沿线", "-{清姜}-路"]
DEPTS = [
    "教育局",
    "交通运输局",
    "住房和城乡建设局",
    "民政局",
    "卫生健康局",
    "人力资源和社会保障局",
    "市场监督管理局",
    "生态环境分局",
    "城市管理执法局",
    "文化和旅游局",
    "发展和改革委员会",
    "财政局",
    "农业农村局",
    "水利局",
    "自然资源局",
    "退役军人事务局",
    "医疗保障局",
    "应急管理局",
    "数据局",
    "残疾人联合会",
    "妇女联合会",
    "总工会",
    "团委",
    "供电公司",
    "燃气公司",
    "公交集团",
    "水务集团",
]
VERBS = [
    "持续推进",
    "全面完成",
    "加快实施",
    "统筹做好",
    "扎实开展",
    "着力推动",
    "稳步推进",
    "启动实施",
    "深入开展",
    "组织实施",
    "牵头落实",
    "协调推进",
    "提前完成",
    "高标准推进",
    "常态化开展",
    "全力推进",
    "优化提升",
    "建立健全",
    "逐步扩大",
    "集中整治",
    "系统谋划",
    "精准发放",
    "规范发布",
    "综合干预",
]
OBJECTS = [
    "民生实事",
    "课后服务",
    "城乡公交一体化",
    "老旧小区改造",
    "适老化改造",
    "学前教育普惠扩容",
    "家庭医生签约服务",
    "背街小巷提升",
    "公共厕所改造",
    "农村饮水安全巩固提升",
    "社区养老服务站建设",
    "普惠托育服务",
    "就业技能培训",
    "口袋公园建设",
    "雨污分流改造",
    "新能源汽车充电桩布设",
    "既有住宅加装电梯",
    "义务教育学校食堂改造",
    "夜间照明工程",
    "农贸市场标准化改造",
    "便民服务中心建设",
    "困难群众救助",
    "残疾儿童康复救助",
    "农村公路养护",
    "燃气管道老化更新",
    "城市内涝治理",
    "中小学校舍维修",
    "社区食堂建设",
    "高龄津贴发放",
    "公共法律服务",
    "全民健身设施补短板",
    "农村人居环境整治",
    "背街小巷路面修复",
    "智慧停车泊位建设",
    "校园周边交通秩序整治",
    "婴幼儿照护服务",
    "城市书房建设",
    "二次供水设施改造",
    "供热管网改造",
    "健康体检",
    "餐饮油烟治理",
    "饮用水源地保护",
]
RESULTS = [
    "群众满意度明显提升",
    "惠及居民{n}户",
    "累计完成投资{x}亿元",
    "完成年度目标的{p}%",
    "新增学位{n}个",
    "开通线路{k}条",
    "改造面积{x}万平方米",
    "服务群众{n}人次",
    "新建改造管网{k}公里",
    "受益学生{n}名",
    "覆盖{k}个社区",
    "新增停车泊位{n}个",
    "发放补贴{x}万元",
    "惠及{n}名老年人",
    "整治点位{k}处",
    "提前{k}个月完成任务",
    "较去年同期增长{p}%",
    "办结率达到{p}%",
    "新增就业岗位{n}个",
    "建成站点{k}个",
]
PROGRESS = [
    "已全部完工",
    "进入收尾阶段",
    "正在加紧施工",
    "已完成招标",
    "完成主体工程",
    "已投入使用",
    "按计划推进",
    "进度滞后",
    "已通过验收",
    "正在办理前期手续",
    "已开工建设",
    "完成进度的一半以上",
]
# Words whose Simplified character has several Traditional forms.
FA = [
    "发展",
    "发布",
    "发放",
    "开发",
    "头发",
    "理发",
    "发扬",
    "出发",
    "发现",
    "发挥",
    "发票",
    "突发",
    "印发",
    "下发",
    "发热门诊",
    "发酵",
]
HOU = [
    "之后",
    "课后",
    "后续",
    "后勤",
    "前后",
    "落后",
    "后期",
    "随后",
    "此后",
    "最后",
    "后台",
    "售后",
    "后备",
    "饭后",
    "会后",
]
GAN = [
    "干部",
    "干净",
    "骨干",
    "干预",
    "干事创业",
    "主干道",
    "干线",
    "树干",
    "干旱",
    "干燥",
    "能干",
    "实干",
    "若干",
    "干支流",
    "晒干",
]
LI = [
    "公里",
    "里程碑",
    "邻里",
    "社区里",
    "小区里",
    "村里",
    "家里",
    "心里",
    "学校里",
    "这里",
    "那里",
    "里面",
    "里程",
    "乡里",
    "故里",
    "校园里",
    "院子里",
    "店里",
    "车里",
]
OTHER = [
    "范围",
    "示范",
    "规范",
    "防范",
    "其余",
    "剩余",
    "业余",
    "分钟",
    "周末",
    "每周",
    "周边",
    "谷物",
    "复制",
    "研制",
    "制度",
    "制为",
    "方面",
    "面条",
    "台风",
    "平台",
    "只有",
    "一只",
    "关系",
    "系统",
    "征程",
    "新征程",
    "冲刺",
    "冲洗",
    "松树",
    "松弛",
    "体制",
    "管制",
    "蒙受",
    "涂料",
    "游客",
    "胡同",
    "里程碑式",
    "表面",
    "钟表",
    "姜汤",
    "郁闷",
    "于是",
    "对于",
    "由于",
    "高于",
    "多余",
    "余额",
]
SURNAMES = ["余", "范", "钟", "于", "姜", "谷", "周", "胡", "郁", "王", "李", "张", "刘", "陈", "杨", "赵"]
GIVEN = [
    "华",
    "晓明",
    "建国",
    "丽",
    "敏",
    "晓燕",
    "志强",
    "秀英",
    "海峰",
    "文",
    "涛",
    "桂兰",
    "红",
    "立新",
    "雪",
    "凯",
    "婷",
    "国庆",
]
TITLES = [
    "主任",
    "书记",
    "局长",
    "科长",
    "处长",
    "区长",
    "镇长",
    "村长",
    "校长",
    "院长",
    "所长",
    "站长",
    "队长",
    "老师",
    "医生",
    "经理",
    "同志",
    "师傅",
    "阿姨",
    "大爷",
]
ROLES = [
    "居民",
    "村民",
    "市民",
    "志愿者",
    "网格员",
    "业主",
    "教师",
    "记者",
    "作家",
    "党员",
    "负责人",
    "专家",
    "代表",
    "职工",
    "校长",
    "医生",
]
SPEECH = ["说", "介绍", "表示", "告诉记者", "指出", "认为", "坦言"]
QUOTES = [
    "这件事办到了大家心坎上",
    "以前孩子放学没人接，现在有了课后服务，我们心里踏实多了",
    "公交开进了村里，去城里只要二十分钟",
    "小区里的路面平了，灯也亮了",
    "电梯装好后，老人上下楼方便多了",
    "我们把群众的需求摆在第一位",
    "接下来还要把后续管护做好",
    "干部们天天在现场，邻里都看在眼里",
    "这里的变化大家有目共睹",
    "发票和补贴都按时发放到位",
    "要让每一分钱都花在刀刃上",
    "头发白了的老人也学会了用App预约",
    "食堂干净卫生，饭菜价格实惠",
]
LATIN = [
    "12345热线",
    "5G基站",
    "App",
    "PM2.5",
    "WiFi",
    "AED设备",
    "GDP",
    "CT室",
    "LED路灯",
    "ETC",
    "QR码",
    "AI助手",
    "VR体验馆",
    "PPP项目",
    "EPC总承包",
    "BIM技术",
    "B超",
    "3D打印",
    "USB充电口",
]
OVERRIDES = [
    "-{zh-hans:里;zh-hant:裏}-",
    "-{范}-",
    "-{余}-",
    "-{zh-hans:干;zh-hant:幹}-",
    "-{GB/T 50180}-",
    "-{zh-hans:后;zh-hant:后}-",
]
LINKS = [
    "https://www.baoji.gov.cn/zwgk/tzgg/{n}.html",
    "https://jyj.example.gov.cn/art/2024/{n}.html",
    "../updates/{n}/",
    "/initiatives/{n}/",
]
LINK_TEXT = ["详见通知", "政策原文", "办事指南", "项目清单", "查看进度", "公示名单"]


def _fill(rng: random.Random, template: str) -> str:
    return template.format(
        n=rng.randint(12, 98000), x=f"{rng.uniform(0.2, 95):.1f}", p=rng.randint(8, 100), k=rng.randint(2, 60)
    )


def _place(rng: random.Random) -> str:
    return rng.choice(OVERRIDE_PLACES) if rng.random() < 0.04 else rng.choice(DISTRICTS)


def _word(rng: random.Random) -> str:
    return rng.choice(rng.choice((FA, HOU, GAN, LI, OTHER)))


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _sentence(rng: random.Random) -> str:
    c = rng.choice

    def result() -> str:
        return _fill(rng, c(RESULTS))

    kind = rng.randrange(10)
    if kind == 0:
        s = f"{c(TIMES)}，{_place(rng)}{c(DEPTS)}{c(VERBS)}{c(OBJECTS)}，{result()}"
    elif kind == 1:
        s = f"据{c(SURNAMES)}{c(TITLES)}介绍，{c(OBJECTS)}{c(PROGRESS)}，{result()}"
    elif kind == 2:
        return f"{c(ROLES)}{_name(rng)}{c(SPEECH)}：“{c(QUOTES)}。”"
    elif kind == 3:
        s = f"{_place(rng)}在{_word(rng)}{_word(rng)}方面{c(VERBS)}{c(OBJECTS)}，{c(PROGRESS)}"
    elif kind == 4:
        s = f"{c(TIMES)}，{c(DEPTS)}会同{c(DEPTS)}{c(VERBS)}{c(LATIN)}{c(OBJECTS)}，{result()}、{result()}"
    elif kind == 5:
        s = f"{c(SURNAMES)}{c(TITLES)}带领{_word(rng)}{_word(rng)}检查组深入{_place(rng)}，{c(VERBS)}{_word(rng)}工作"
    elif kind == 6:
        s = f"{c(OBJECTS)}{c(PROGRESS)}，{_word(rng)}{_word(rng)}{_word(rng)}，{result()}"
    elif kind == 7:
        s = f"{c(LI)}的{c(OBJECTS)}{c(OVERRIDES)}{c(PROGRESS)}，{c(GAN)}{c(FA)}{c(HOU)}"
    elif kind == 8:
        date = f"{rng.randint(2019, 2025)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日，{c(DEPTS)}"
        title = f"{c(FA)}《关于{c(VERBS)}{c(OBJECTS)}的通知》"
        number = f"（{c(DISTRICTS)[:2]}发〔{rng.randint(2019, 2025)}〕{rng.randint(1, 99)}号）"
        s = date + title + number
    else:
        s = f"{c(VERBS)}{c(OBJECTS)}，{c(VERBS)}{c(OBJECTS)}，{c(VERBS)}{c(OBJECTS)}"
    return s + rng.choice("。。。。；")


@dataclass
class Corpus:
    paragraphs: list[str]  # Simplified, plain text
    markdown: list[str]  # the same paragraphs with Markdown markup around some of their words
    hant: list[str] = field(default_factory=list)  # Traditional (bare s2tw of `paragraphs`)

    @property
    def chars(self) -> int:
        return sum(map(len, self.paragraphs))


def _as_markdown(rng: random.Random, sentences: list[str]) -> str:
    """One paragraph as an update body writes it: some bold, links, code, lists, headings."""
    out = []
    for s in sentences:
        r = rng.random()
        if r < 0.12 and "-{" not in s:  # never cut an override marker in two
            cut = rng.randrange(2, max(3, len(s) - 1))
            s = f"**{s[:cut]}**{s[cut:]}"
        elif r < 0.20:
            s = f"{s}[{rng.choice(LINK_TEXT)}]({_fill(rng, rng.choice(LINKS))})"
        elif r < 0.23:
            s = f"{s}（编号 `{rng.choice(LATIN)}-{rng.randint(100, 999)}`）"
        out.append(s)
    r = rng.random()
    if r < 0.15:
        return "\n".join(f"- {s}" for s in out)
    if r < 0.20:
        return f"## {out[0].rstrip('。；')}\n\n" + "".join(out[1:])
    return "".join(out)


def build_corpus(chars: int, seed: int = SEED) -> Corpus:
    rng = random.Random(seed)
    paragraphs: list[str] = []
    md: list[str] = []
    total = 0
    seen: set[str] = set()
    while total < chars:
        sentences = [_sentence(rng) for _ in range(rng.randint(3, 9))]
        text = "".join(sentences)
        if text in seen:  # vanishingly rare; kept out so no run is served from the memo
            continue
        seen.add(text)
        paragraphs.append(text)
        md.append(_as_markdown(rng, sentences))
        total += len(text)
    return Corpus(paragraphs, md)


def build_glossary(size: int, seed: int = SEED) -> list[tuple[str, str]]:
    """`size` site glossary pairs: corpus words with their bare-OpenCC Traditional form."""
    cc = opencc.OpenCC("s2tw.json")
    words: list[str] = []
    for group in (DISTRICTS, DEPTS, OBJECTS, FA, HOU, GAN, LI, OTHER, VERBS, PROGRESS):
        words += [w for w in group if len(w) >= 2 and w not in words]
    words += [s + t for s in SURNAMES for t in TITLES]  # 余主任 …, as a site would pin names
    rng = random.Random(seed)
    rng.shuffle(words)
    return [(w, cc.convert(w)) for w in words[:size]]


# ---------------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------------


@dataclass
class Result:
    key: str
    label: str
    chars: int
    times: list[float]
    cpu_times: list[float]
    baseline: str | None = None
    ratio: float | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def rate(self) -> float:
        return self.chars / self.median


def time_once(setup: Callable[[], Any], body: Callable[[Any], object]) -> tuple[float, float]:
    """Wall-clock (perf_counter) and CPU (process_time) seconds of `body(setup())`.

    Setup (e.g. a fresh Converter) is not timed. The CPU time is kept as a cross-check: on a
    machine shared with other work the wall time grows with the load, the CPU time much less.
    """
    state = setup()
    gc.collect()
    cpu = time.process_time()
    start = time.perf_counter()
    body(state)
    return time.perf_counter() - start, time.process_time() - cpu


@dataclass
class Case:
    key: str
    label: str
    chars: int
    setup: Callable[[], Any]
    body: Callable[[Any], object]
    baseline: str | None = None


def _parse_fn() -> Callable[[str], markdown.Parsed]:
    """markdown.parse, whichever signature it has (an allow_html flag may be added)."""
    parse: Any = markdown.parse
    params = list(inspect.signature(parse).parameters.values())
    if len(params) >= 2 and params[1].default is inspect.Parameter.empty:
        return lambda text: parse(text, False)
    return parse  # type: ignore[no-any-return]


def run(corpus: Corpus, glossary: Sequence[tuple[str, str]], repeat: int, log: Callable[[str], None]) -> list[Result]:
    s2tw = opencc.OpenCC("s2tw.json")
    tw2s = opencc.OpenCC("tw2s.json")
    paras, md_paras, hant = corpus.paragraphs, corpus.markdown, corpus.hant
    whole = "\n".join(paras)
    n_chars = corpus.chars
    n_md = sum(map(len, md_paras))
    n_hant = sum(map(len, hant))
    md_lines = [line for text in md_paras for line in text.split("\n")]
    parse = _parse_fn()
    glossary = tuple(glossary)
    cases: list[Case] = []

    def add(
        key: str,
        label: str,
        chars: int,
        setup: Callable[[], Any],
        body: Callable[[Any], object],
        baseline: str | None = None,
    ) -> None:
        cases.append(Case(key, label, chars, setup, body, baseline))

    def each(fn: Callable[[str], object], texts: list[str]) -> Callable[[Any], None]:
        def body(_: Any) -> None:
            for t in texts:
                fn(t)

        return body

    def gongshi_each(texts: list[str], source: str, target: str) -> Callable[[Converter], None]:
        def body(conv: Converter) -> None:
            convert = conv.convert
            for t in texts:
                convert(t, source, target)  # type: ignore[arg-type]

        return body

    none = lambda: None  # noqa: E731
    fresh = lambda: Converter((), "s2tw")  # noqa: E731
    fresh_g = lambda: Converter(glossary, "s2tw")  # noqa: E731

    add("1", "bare OpenCC s2tw, whole corpus, one call", len(whole), none, lambda _: s2tw.convert(whole))
    add("2", "bare OpenCC s2tw, per paragraph", n_chars, none, each(s2tw.convert, paras), baseline="1")
    add(
        "3",
        "gongshi s→t per paragraph, empty glossary",
        n_chars,
        fresh,
        gongshi_each(paras, "zh-Hans", "zh-Hant"),
        baseline="2",
    )
    add(
        "4",
        f"gongshi s→t per paragraph, {len(glossary)}-entry glossary",
        n_chars,
        fresh_g,
        gongshi_each(paras, "zh-Hans", "zh-Hant"),
        baseline="2",
    )
    add(
        "5a",
        "Markdown parse+render, identity text_fn",
        n_md,
        none,
        each(lambda t: markdown.render(parse(t), str), md_paras),
    )

    def md_conv(conv: Converter) -> None:
        fn = lambda s: conv.convert(s, "zh-Hans", "zh-Hant")  # noqa: E731
        for t in md_paras:
            markdown.render(parse(t), fn)

    add("5b", "Markdown parse+render, gongshi s→t text_fn", n_md, fresh, md_conv, baseline="5a")
    add(
        "5c",
        "CLI convert_markdown_line s→t, per line",
        n_md,
        fresh,
        lambda conv: [convert_markdown_line(conv, line, "zh-Hans", "zh-Hant") for line in md_lines],
        baseline="2",
    )
    add("6a", "bare OpenCC tw2s, per paragraph", n_hant, none, each(tw2s.convert, hant))
    add(
        "6b",
        "gongshi t→s per paragraph, empty glossary",
        n_hant,
        fresh,
        gongshi_each(hant, "zh-Hant", "zh-Hans"),
        baseline="6a",
    )

    # Round-robin: run k of every case, then run k+1 …, so a burst of load from elsewhere on the
    # machine lands on all cases alike instead of on one, and the ratios stay meaningful.
    times: dict[str, list[tuple[float, float]]] = {c.key: [] for c in cases}
    for k in range(repeat):
        log(f"  run {k + 1}/{repeat}: " + " ".join(c.key for c in cases))
        for c in cases:
            times[c.key].append(time_once(c.setup, c.body))
    results = [
        Result(c.key, c.label, c.chars, [w for w, _ in times[c.key]], [u for _, u in times[c.key]], c.baseline)
        for c in cases
    ]
    by_key = {r.key: r for r in results}
    for r in results:
        if r.baseline:
            r.ratio = r.rate / by_key[r.baseline].rate
    return results


def profile(corpus: Corpus, glossary: Sequence[tuple[str, str]], top: int) -> str:
    """cProfile of one gongshi s→t run (glossary) and one t→s run, sorted by own time."""
    out = io.StringIO()
    for title, conv, texts, source, target in (
        ("gongshi s→t per paragraph, glossary", Converter(tuple(glossary)), corpus.paragraphs, "zh-Hans", "zh-Hant"),
        ("gongshi t→s per paragraph", Converter(), corpus.hant, "zh-Hant", "zh-Hans"),
    ):
        prof = cProfile.Profile()
        prof.enable()
        for t in texts:
            conv.convert(t, source, target)  # type: ignore[arg-type]
        prof.disable()
        out.write(f"\n### cProfile: {title}\n")
        pstats.Stats(prof, stream=out).strip_dirs().sort_stats("tottime").print_stats(top)
    return out.getvalue()


def segment_mix(corpus: Corpus, glossary: Sequence[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """How the converter cuts the corpus: segments and characters per kind (outside timing)."""
    conv = Converter(tuple(glossary))
    mix: dict[str, dict[str, int]] = {}
    for text in corpus.paragraphs:
        for seg in conv.segments(text, "zh-Hans", "zh-Hant"):
            entry = mix.setdefault(seg.kind, {"segments": 0, "chars": 0})
            entry["segments"] += 1
            entry["chars"] += len(seg.written)
    return mix


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def table(results: list[Result]) -> str:
    rows = [("case", "what", "chars", "median s", "min s", "cpu s", "chars/s", "ratio", "vs")]
    for r in results:
        rows.append(
            (
                r.key,
                r.label,
                f"{r.chars:,}",
                f"{r.median:.3f}",
                f"{min(r.times):.3f}",
                f"{statistics.median(r.cpu_times):.3f}",
                f"{r.rate / 1e6:.2f} M",
                f"{r.ratio:.2f}×" if r.ratio is not None else "—",
                r.baseline or "—",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    right = {2, 3, 4, 5, 6, 7}
    lines = []
    for n, row in enumerate(rows):
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("| " + " | ".join(cells) + " |")
        if n == 0:
            lines.append(
                "| " + " | ".join(("-" * (w - 1) + ":") if i in right else "-" * w for i, w in enumerate(widths)) + " |"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, default=2_000_000, help="corpus size in characters (default 2,000,000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per case; the median is reported (default 5)")
    parser.add_argument("--glossary", type=int, default=200, help="site glossary entries for case 4 (default 200)")
    parser.add_argument("--seed", type=int, default=SEED, help="corpus seed (default %(default)s)")
    parser.add_argument("--json", metavar="PATH", type=Path, help="also write the numbers as JSON to PATH")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="after timing, cProfile one gongshi run each way and print the top functions",
    )
    args = parser.parse_args(argv)
    if args.chars < 1000 or args.repeat < 1:
        parser.error("--chars must be at least 1000 and --repeat at least 1")

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    started = time.perf_counter()
    load_before = load_average()
    log(f"building corpus: {args.chars:,} characters, seed {args.seed}")
    corpus = build_corpus(args.chars, args.seed)
    s2tw = opencc.OpenCC("s2tw.json")
    corpus.hant = [s2tw.convert(p) for p in corpus.paragraphs]
    glossary = build_glossary(args.glossary, args.seed)
    Converter(tuple(glossary))  # load the OpenCC tables and conversion.yaml once, outside timing
    mix = segment_mix(corpus, glossary)
    log(f"{len(corpus.paragraphs):,} paragraphs, {corpus.chars:,} characters; timing median of {args.repeat}")

    results = run(corpus, glossary, args.repeat, log)
    elapsed = time.perf_counter() - started

    meta = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "opencc": getattr(opencc, "__version__", "?"),
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpus": os.cpu_count(),
        "chars": corpus.chars,
        "paragraphs": len(corpus.paragraphs),
        "markdown_chars": sum(map(len, corpus.markdown)),
        "hant_chars": sum(map(len, corpus.hant)),
        "glossary_entries": len(glossary),
        "repeat": args.repeat,
        "seed": args.seed,
        "segment_mix_s2t_with_glossary": mix,
        "wall_seconds": round(elapsed, 1),
        "load_average_before_after": [load_before, load_average()],
    }
    print(
        f"gongshi conversion throughput — {meta['date']}, Python {meta['python']}, OpenCC {meta['opencc']}, "
        f"{meta['cpus']} CPU(s) {meta['cpu']}; 1-min load average {load_before} before, "
        f"{meta['load_average_before_after'][1]} after"
    )
    print(
        f"corpus: {meta['chars']:,} chars in {meta['paragraphs']:,} paragraphs (Markdown {meta['markdown_chars']:,}, "
        f"Traditional {meta['hant_chars']:,}); median of {args.repeat} (cases interleaved); chars/s in millions "
        "from the median wall time; cpu s = median process CPU time\n"
    )
    print(table(results))
    conv_in_md = next(r for r in results if r.key == "5b").median - next(r for r in results if r.key == "5a").median
    bare = next(r for r in results if r.key == "2")
    print(
        f"\nconversion inside Markdown rendering (5b − 5a): {conv_in_md:.3f} s "
        f"= {meta['markdown_chars'] / conv_in_md / 1e6:.2f} M chars/s; "
        f"bare OpenCC per paragraph on the plain corpus: {bare.median:.3f} s"
    )
    print(
        "segments (s→t, glossary): "
        + ", ".join(f"{k} {v['segments']:,} segs / {v['chars']:,} chars" for k, v in sorted(mix.items()))
    )
    print(f"wall time {elapsed:.1f} s")

    if args.json:
        doc = {
            "meta": meta,
            "results": [
                {
                    "case": r.key,
                    "label": r.label,
                    "chars": r.chars,
                    "times_s": [round(t, 6) for t in r.times],
                    "cpu_times_s": [round(t, 6) for t in r.cpu_times],
                    "median_s": round(r.median, 6),
                    "chars_per_s": round(r.rate),
                    "baseline": r.baseline,
                    "ratio": None if r.ratio is None else round(r.ratio, 4),
                }
                for r in results
            ],
            "conversion_in_markdown_s": round(conv_in_md, 6),
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "utf-8")
        log(f"wrote {args.json}")

    if args.profile:
        print(profile(corpus, glossary, 18))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
