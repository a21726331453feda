"""Security properties: hostile text in records and updates never becomes active content.

Staff write the content, but a title pasted from a web page, a compromised account or a careless
copy must not put a script on a government site. These tests feed hostile strings (HTML, event
handlers, `javascript:` URLs in every disguise, template syntax, conversion override markers)
through the Markdown renderer and through whole-site builds, and check the HTML with Python's own
HTML parser: no script, frame, SVG or style element that the templates did not put there, no `on*`
attribute, and every `href`/`src` a safe URL. They also check that file names cannot make a build
write outside its output folder, and run the loader fuzzer (bench/fuzz_loader.py) briefly.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, ROOT
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from strategies import hans_text, mixed_text

from gongshi import markdown
from gongshi.convert import Converter
from gongshi.errors import ContentError
from gongshi.load import load_content
from gongshi.markdown import is_safe_url
from gongshi.pipeline import Options, build_site, render_files

BASIC = FIXTURES / "basic" / "content"
INITIATIVE = "initiatives/rural-bus.yaml"
UPDATE = "updates/2019-07-bus.md"

# --- hostile input -------------------------------------------------------------------------------

FRAGMENTS = (
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](java\nscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&colon;alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x](<javascript:alert(1)>)",
    '[x](javascript:alert(1) "t")',
    "[x](//evil.example/)",
    "[x](\\\\evil.example/)",
    "[r]\n\n[r]: javascript:alert(1)\n",
    "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "![x](javascript:alert(1))",
    '![x](x.png "a\\" onerror=\\"alert(1)")',
    "![x](https://evil.example/pixel.png)",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<data:text/html,x>",
    "<https://example.org/ok>",
    "<mailto:a@example.org>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```\n",
    "<!-- <script>alert(1)</script> -->",
    "<details open ontoggle=alert(1)>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "-{<script>alert(1)</script>}-",
    "-{zh-hans:<b onclick=alert(1)>;zh-hant:<i>}-",
)
MARKUP = (
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "!",
    "`",
    "``",
    "*",
    "_",
    "&",
    "#",
    ";",
    ":",
    "\n",
    "\n\n",
    "    ",
    "- ",
    "> ",
    "|",
    "\\",
    '"',
    "'",
    " ",
    "\t",
    "&#106;",
    "&#x6A;",
    "&colon;",
    "&Tab;",
    "&NewLine;",
    "%0a",
    "javascript",
    "vbscript",
    "data",
    ":alert(1)",
    "-{",
    "}-",
    "zh-hant:",
    "zh-hans:",
    "发",
    "里",
)
TEMPLATE = (
    "{{ 7*7 }}",
    "{% if true %}x{% endif %}",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "${7*7}",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' x='",
    "</title><script>alert(1)</script>",
    "</textarea>",
    "]]>",
    "<![CDATA[",
    "&amp;",
    "\u2028",
    "\x00",
    "\x85",
)


def hostile_text(min_size: int = 0, max_parts: int = 8) -> st.SearchStrategy[str]:
    """Arbitrary text mixed with HTML, Markdown, URL, template and override fragments."""
    part = st.one_of(
        st.sampled_from(FRAGMENTS),
        st.sampled_from(MARKUP),
        st.sampled_from(TEMPLATE),
        st.text(st.characters(codec="utf-8"), max_size=6),
        hans_text(max_size=4),
        mixed_text(max_size=4),
    )
    return st.lists(part, min_size=min_size, max_size=max_parts).map("".join).filter(lambda s: len(s) >= min_size)


@st.composite
def dangerous_scheme(draw: st.DrawFn, entities: bool = True) -> str:
    """`javascript:`, `vbscript:` or `data:` in disguise: mixed case, control characters, entities."""
    word = draw(st.sampled_from(["javascript", "vbscript", "data"]))
    noise = ["", "", "", "\t", "\n", "\r", "\x00", "\x01", "\x7f", " "] + (
        ["&#9;", "&#x09;", "&Tab;", "&NewLine;"] if entities else []
    )
    out = draw(st.sampled_from(["", "", " ", "\x01", "\t", "\x00"] + (["&#32;"] if entities else [])))
    for ch in word:
        letter = ch.upper() if draw(st.booleans()) else ch
        if entities and draw(st.integers(0, 9)) == 0:
            letter = draw(st.sampled_from([f"&#{ord(letter)};", f"&#x{ord(letter):x};", f"&#X{ord(letter):X};"]))
        out += letter + draw(st.sampled_from(noise))
    out += draw(st.sampled_from([":", ":", ":", "&#58;", "&colon;", "&#x3a;"] if entities else [":"]))
    return out + draw(
        st.sampled_from(
            [
                "alert(1)",
                "alert(document.cookie)",
                "text/html;base64,PHNjcmlwdD4=",
                "image/svg+xml,<svg onload=alert(1)>",
                "msgbox(1)",
                "//%0aalert(1)",
            ]
        )
    )


@st.composite
def dangerous_markdown(draw: st.DrawFn) -> str:
    """A link, image, autolink or reference definition around a disguised dangerous URL."""
    url = draw(dangerous_scheme())
    text = draw(st.sampled_from(["x", "点击", ""]))
    form = draw(
        st.sampled_from(
            [
                "[{t}]({u})",
                "![{t}]({u})",
                "[{t}](<{u}>)",
                "<{u}>",
                "[{t}][r]\n\n[r]: {u}\n",
                '[{t}]({u} "title")',
                '<a href="{u}">{t}</a>',
                '<img src="{u}">',
            ]
        )
    )
    return form.format(t=text, u=url)


def hostile_markdown() -> st.SearchStrategy[str]:
    pieces = st.lists(st.one_of(hostile_text(max_parts=4), dangerous_markdown()), min_size=1, max_size=5)
    return pieces.map("".join)


# --- the checks ----------------------------------------------------------------------------------

URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "poster",
        "background",
        "cite",
        "data",
        "xlink:href",
        "srcset",
        "ping",
        "longdesc",
        "codebase",
        "manifest",
        "icon",
    }
)
# What markdown-it (CommonMark, tables, strikethrough) and gongshi's render rules produce.
MARKDOWN_TAGS = frozenset(
    {
        "p",
        "a",
        "img",
        "code",
        "pre",
        "em",
        "strong",
        "s",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "blockquote",
        "hr",
        "br",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "div",
    }
)
ACTIVE_TAGS = frozenset(
    {
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "style",
        "svg",
        "math",
        "base",
        "form",
        "link",
        "meta",
        "foreignobject",
        "animate",
        "set",
        "template",
        "portal",
        "noscript",
        "xmp",
        "plaintext",
        "listing",
        "noembed",
        "noframes",
        "textarea",
    }
)
RAW_MARKERS = ("<script", "<iframe", "<svg", "<style")
_C0_OR_SPACE = "".join(map(chr, range(0x21)))


class _Audit(HTMLParser):
    """Every start tag with its attributes, and any text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_text.append(data)


def audit(html: str) -> _Audit:
    parser = _Audit()
    parser.feed(html)
    parser.close()
    return parser


def url_problem(value: str) -> str | None:
    """Why a URL attribute value is unsafe, or None.

    Browsers drop leading and trailing C0 controls and spaces and every tab and newline before
    reading the scheme, and treat `\\` like `/` in web URLs: the value is cleaned the same way.
    An empty value (`[x]()`) points at the page itself and is harmless.
    """
    if value == "":
        return None
    if not is_safe_url(value):
        return "refused by is_safe_url"
    cleaned = re.sub(r"[\t\n\r]", "", value).strip(_C0_OR_SPACE).lower()
    if cleaned.startswith(("javascript:", "vbscript:", "data:")):
        return "dangerous scheme"
    if cleaned.replace("\\", "/").startswith("//"):
        return "protocol-relative URL to another host"
    return None


def attribute_problems(found: _Audit) -> list[str]:
    problems = []
    for tag, attrs in found.tags:
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"<{tag}> has event handler attribute {name}={value!r}")
            if name in URL_ATTRIBUTES and (why := url_problem(value or "")):
                problems.append(f"<{tag} {name}={value!r}>: {why}")
    return problems


def markdown_problems(html: str, allowed_tags: frozenset[str] | None = MARKDOWN_TAGS) -> list[str]:
    """What is wrong with a rendered body; `allowed_tags` None only forbids the active tags."""
    lower = html.lower()
    problems = [f"raw {marker!r} in the HTML" for marker in RAW_MARKERS if marker in lower]
    found = audit(html)
    problems += attribute_problems(found)
    for tag, _attrs in found.tags:
        if tag in ACTIVE_TAGS or (allowed_tags is not None and tag not in allowed_tags):
            problems.append(f"unexpected element <{tag}>")
    return problems


_OWN_SCRIPT = re.compile(r"^(?:\.\./)*static/[\w.-]+\.js(?:\?v=[0-9a-f]+)?$")
# Elements of the kinds forbidden in content that the templates themselves use, by their class.
TEMPLATE_ELEMENTS = {"svg": {"chart", "stacked"}, "form": {"search-form", "js-filter", "site-search"}}
# The one inline script a template carries: 404.html's, which finds the site root (allowed by its hash).
FIND_ROOT = (ROOT / "templates" / "static" / "find-root.js").read_text("utf-8")


def page_problems(html: str) -> list[str]:
    """The checks of `markdown_problems`, for a whole page: the templates' own elements are allowed.

    The templates load their scripts from static/ (no inline code), draw charts as
    `<svg class="chart">` and have a search and a filter form; anything else of those kinds, and
    any raw marker the parser did not see as one of those elements, came from the content.
    """
    found = audit(html)
    problems = attribute_problems(found)
    counts = {"script": 0, **{tag: 0 for tag in TEMPLATE_ELEMENTS}}
    for tag, attrs in found.tags:
        values = dict(attrs)
        if tag == "script":
            counts["script"] += 1
            own = _OWN_SCRIPT.match(values.get("src") or "") and not set(values) - {"src", "defer", "type"}
            if values and not own:  # an inline script's text is checked below: only 404.html's may be inline
                problems.append(f"script not from the templates: {attrs}")
        elif tag in TEMPLATE_ELEMENTS:
            counts[tag] += 1
            if values.get("class") not in TEMPLATE_ELEMENTS[tag]:
                problems.append(f"<{tag}> not from the templates: {attrs}")
        elif tag == "base":  # 404.html's, from base_url (its URL is checked with the others)
            counts["base"] = counts.get("base", 0) + 1
        elif tag == "meta":
            equiv = (values.get("http-equiv") or "content-security-policy").lower()
            if equiv == "refresh":  # a moved group page's redirect: to a relative address in the site only
                target = (values.get("content") or "").partition("url=")[2]
                why = "no url" if not target else "not a relative address" if ":" in target else url_problem(target)
                if why:
                    problems.append(f"<meta http-equiv=refresh> to {target!r}: {why}")
            elif equiv != "content-security-policy":
                problems.append(f"unexpected <meta http-equiv>: {attrs}")
        elif tag in ACTIVE_TAGS - {"link", "noscript"}:  # <link>: stylesheets, icon, feeds (URLs checked)
            problems.append(f"unexpected element <{tag}>")
    problems += [f"inline script: {text[:80]!r}" for text in found.script_text if text != FIND_ROOT]
    lower = html.lower()
    for tag, seen in counts.items():
        if lower.count("<" + tag) != seen:
            problems.append(f"{lower.count('<' + tag)} raw '<{tag}' but {seen} <{tag}> elements")
    problems += [
        f"raw {marker!r} in the page" for marker in ("<iframe", "<style", "<object", "<embed") if marker in lower
    ]
    return problems


def site_problems(files: dict[str, bytes]) -> dict[str, list[str]]:
    out = {}
    for path, data in files.items():
        if path.endswith(".html"):
            problems = page_problems(data.decode("utf-8"))
            if problems:
                out[path] = problems
    return out


# --- helpers -------------------------------------------------------------------------------------

_HANT = Converter()
TEXT_FNS: dict[str, Callable[[str], str]] = {
    "identity": lambda s: s,
    "to-hant": lambda s: _HANT.convert(s, "zh-Hans", "zh-Hant"),
}


def dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


@contextmanager
def site_copy() -> Iterator[Path]:
    """A fresh copy of the basic fixture's content folder (no templates/ beside it: built-in ones)."""
    with tempfile.TemporaryDirectory(prefix="gongshi-security-") as tmp:
        content = Path(tmp, "content")
        shutil.copytree(BASIC, content)
        yield content


def write_initiative(content: Path, **changes: Any) -> str:
    """rural-bus.yaml with some fields replaced; `targets`, `milestones`, `sources` change item 0."""
    record = yaml.safe_load((BASIC / INITIATIVE).read_text("utf-8"))
    for key, value in changes.items():
        if "." in key:
            outer, inner = key.split(".")
            record[outer][0][inner] = value
        else:
            record[key] = value
    text = dump(record)
    (content / INITIATIVE).write_text(text, encoding="utf-8")
    return text


def write_update(content: Path, body: str, **front: Any) -> str:
    matter = {
        "title": "第一条城乡公交线路开通",
        "date": "2019-07-01",
        "initiatives": ["rural-bus"],
        "source": {"title": "测试日报报道", "url": "https://example.org/news/1"},
    }
    matter.update(front)
    text = "---\n" + dump(matter) + "---\n" + body
    (content / UPDATE).write_bytes(text.encode("utf-8"))
    return text


def line_of(text: str, key: str, first_line: int = 1) -> int:
    """1-based line of the only line whose first word is `key:`."""
    hits = [i for i, line in enumerate(text.split("\n"), first_line) if line.lstrip(" -").startswith(f"{key}:")]
    assert len(hits) == 1, (key, text)
    return hits[0]


def options(content: Path, **kw: Any) -> Options:
    """Build options for tests: no git history (the copies are not repositories) and, unless asked,
    no Pagefind index (its files are not pages; the path tests keep it)."""
    return Options(content=content, history=False, **{"search": False, **kw})


def build(content: Path, **kw: Any) -> dict[str, bytes] | None:
    """The site's files, or None when the content is refused (ContentError, the only allowed error)."""
    try:
        return render_files(options(content, **kw)).files
    except ContentError:
        return None


def load_bench(name: str) -> ModuleType:
    path = ROOT / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# --- a. Markdown ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fragment", FRAGMENTS)
@pytest.mark.parametrize("text_fn", sorted(TEXT_FNS))
def test_markdown_fragment_is_inert(fragment: str, text_fn: str) -> None:
    """Each known attack fragment, alone in a body, renders as inert text or a safe link."""
    html = markdown.render(markdown.parse(fragment), TEXT_FNS[text_fn])
    assert markdown_problems(html) == [], html


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=hostile_markdown())
def test_markdown_never_renders_active_content(body: str) -> None:
    """Update bodies cannot add script/iframe/svg/style elements, on* attributes or unsafe URLs."""
    parsed = markdown.parse(body)
    for name, text_fn in TEXT_FNS.items():
        html = markdown.render(parsed, text_fn)
        assert markdown_problems(html) == [], (name, html)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=hostile_markdown())
@example(body='<a href="//evil.example/">x</a>')
@example(body='<img src="\\\\evil.example\\pixel.png">')
def test_markdown_with_allow_html_never_renders_active_content(body: str) -> None:
    """With allow_html, sanitised raw HTML still has no active elements, on* attributes or unsafe URLs."""
    parsed = markdown.parse(body, allow_html=True)
    for name, text_fn in TEXT_FNS.items():
        html = markdown.render(parsed, text_fn)
        assert markdown_problems(html, allowed_tags=None) == [], (name, html)


# --- b. Whole sites from hostile records ---------------------------------------------------------

INITIATIVE_FIELDS = ("title", "summary", "department", "targets.name", "milestones.title", "sources.title")


@st.composite
def hostile_site(draw: st.DrawFn) -> dict[str, str]:
    values = {key: draw(hostile_text(min_size=1, max_parts=5)) for key in INITIATIVE_FIELDS}
    values["update.title"] = draw(hostile_text(min_size=1, max_parts=5))
    values["update.summary"] = draw(hostile_text(min_size=1, max_parts=5))
    values["update.body"] = draw(hostile_markdown())
    return values


@pytest.fixture(scope="module")
def baseline_files() -> dict[str, bytes]:
    return render_files(options(BASIC)).files


def test_page_checks_accept_the_plain_fixture(baseline_files: dict[str, bytes]) -> None:
    """The whole-site checks pass on the unmodified fixture (so a failure below means the content did it)."""
    assert site_problems(baseline_files) == {}
    assert any(path.endswith("share.svg") for path in baseline_files)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=hostile_site())
@example(
    values={
        **{key: FRAGMENTS[0] for key in INITIATIVE_FIELDS},
        "update.title": '"><svg onload=alert(1)>',
        "update.summary": "{{ 7*7 }}",
        "update.body": "[x](javascript:alert(1)) <iframe>",
    }
)
def test_hostile_record_fields_build_inert_pages(values: dict[str, str]) -> None:
    """Hostile titles, summaries, names and bodies either fail as ContentError or give inert HTML pages."""
    with site_copy() as content:
        write_initiative(content, **{key: values[key] for key in INITIATIVE_FIELDS})
        write_update(content, values["update.body"], title=values["update.title"], summary=values["update.summary"])
        files = build(content)
        if files is not None:
            assert site_problems(files) == {}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    url=dangerous_scheme(entities=False)
    | st.sampled_from(
        [
            "//evil.example/x",
            "\\\\evil.example\\x",
            "/\\evil.example",
            "https:evil.example",
            "http:\\\\evil.example",
            "http://x\njavascript:alert(1)",
            " javascript:alert(1)",
            "javascript://%0aalert(1)",
        ]
    )
)
def test_dangerous_source_urls_are_refused_at_their_line(url: str) -> None:
    """sources[].url and an update's source.url accept only web and mail addresses, reported at the url line."""
    with site_copy() as content:
        record = write_initiative(content, **{"sources.url": url})
        update = write_update(content, "正文。", source={"title": "报道", "url": url})
        with pytest.raises(ContentError) as caught:
            render_files(options(content))
    expected = {(INITIATIVE, line_of(record, "url")), (UPDATE, line_of(update, "url"))}
    found = {
        (path, d.line)
        for d in caught.value.diagnostics
        for path in (INITIATIVE, UPDATE)
        if d.is_error and d.path.endswith(path) and "url" in d.message
    }
    assert expected <= found, [f"{d.path}:{d.line}: {d.message}" for d in caught.value.diagnostics]


SVG_FORBIDDEN = frozenset({"script", "foreignobject", "animate", "set", "iframe", "handler", "use"})


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile_text(min_size=1, max_parts=5))
@example(title='" onload="alert(document.domain)')
def test_share_cards_stay_inert(title: str) -> None:
    """The SVG share card of an initiative with a hostile title has no handler, script or unsafe link."""
    with site_copy() as content:
        write_initiative(content, title=title)
        files = build(content)
    if files is None:
        return
    for path, data in files.items():
        if path.endswith(".svg") and not path.startswith("static/"):
            found = audit(data.decode("utf-8"))
            problems = attribute_problems(found)
            problems += [f"<{tag}>" for tag, _ in found.tags if tag in SVG_FORBIDDEN]
            assert problems == [], (path, problems)


def test_sitemap_escapes_base_url() -> None:
    """base_url from site.yaml cannot add elements to sitemap.xml."""
    with site_copy() as content:
        site = content / "site.yaml"
        hostile = "https://example.org/<xhtml:script>alert(1)</xhtml:script>/"
        site.write_text(site.read_text("utf-8").replace("https://example.org/gongshi/", hostile), "utf-8")
        files = build(content)
    assert files is not None, "the schema accepts this base_url"
    found = audit(files["sitemap.xml"].decode("utf-8"))
    assert [tag for tag, _ in found.tags if "script" in tag] == []


# --- c. Template syntax --------------------------------------------------------------------------

TEMPLATE_TITLE = "{{ 7*7 }} {{ site.title }} {% if true %}IF{% endif %} {# c #} ${7*7}"


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h1: list[str] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h1":
            self._in = True
            self.h1.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.h1[-1] += data


def h1_text(html: bytes) -> list[str]:
    parser = _Headings()
    parser.feed(html.decode("utf-8"))
    return [" ".join(text.split()) for text in parser.h1]


def test_template_syntax_in_titles_is_shown_literally() -> None:
    """A title containing {{ 7*7 }} is printed as written, never evaluated (no 49, no site title)."""
    with site_copy() as content:
        write_initiative(content, title=TEMPLATE_TITLE)
        write_update(content, "正文 {{ 7*7 }}", title=TEMPLATE_TITLE, summary="{{ 7*7 }}")
        files = render_files(options(content)).files
    for edition in ("zh-hans", "zh-hant"):
        for page in ("initiatives/rural-bus/index.html", "updates/2019-07-bus/index.html"):
            assert h1_text(files[f"{edition}/{page}"]) == [TEMPLATE_TITLE], page
        update = files[f"{edition}/updates/2019-07-bus/index.html"].decode("utf-8")
        assert "正文 {{ 7*7 }}" in update and "正文 49" not in update


# --- d. Output paths -----------------------------------------------------------------------------

VALID_RECORD = "title: 测试\nstatus: planned\n"
VALID_UPDATE = "---\ntitle: 测试\ndate: 2020-01-01\n---\n正文。\n"


def path_problems(path: str) -> list[str]:
    """Why an output path could leave (or confuse) the output folder."""
    problems = []
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path):
        problems.append("not relative")
    if any(part in ("..", ".") for part in pure.parts) or any(part in ("..", ".") for part in path.split("\\")):
        problems.append("has a '.' or '..' component")
    if "//" in path or "\x00" in path or path.endswith("/"):
        problems.append("empty component or NUL")
    return problems


def hostile_file(content: Path, folder: str, name: str) -> None:
    data = VALID_RECORD if folder == "initiatives" else VALID_UPDATE
    (content / folder / name).write_text(data, encoding="utf-8")


HOSTILE_NAMES = [
    ("initiatives", "..yaml"),
    ("initiatives", "...yaml"),
    ("initiatives", "a..b.yaml"),
    ("initiatives", ". .yaml"),
    ("initiatives", "a b.yaml"),
    ("initiatives", "中文.yaml"),
    ("initiatives", "-a.yaml"),
    ("initiatives", "A.yaml"),
    ("initiatives", "a\\..\\..\\b.yaml"),
    ("initiatives", "%2e%2e%2fx.yaml"),
    ("initiatives", "~.yaml"),
    ("initiatives", "a.b.yaml"),
    ("initiatives", "x.yml"),
    ("initiatives", "ａ.yaml"),
    ("initiatives", "a\u200b.yaml"),
    ("updates", "..md"),
    ("updates", "...md"),
    ("updates", "a..b.md"),
    ("updates", "a b.md"),
    ("updates", "中文.md"),
    ("updates", "..zh-hant.md"),
    ("updates", "x..zh-hant.md"),
    ("updates", "a\\..\\b.md"),
    ("updates", "a.md.md"),
    ("updates", "2019-07-bus.zh-hant.zh-hans.md"),
    ("updates", "%2e%2e.md"),
    ("updates", ".. .md"),
]


@pytest.mark.parametrize(("folder", "name"), HOSTILE_NAMES, ids=[repr(n) for _, n in HOSTILE_NAMES])
def test_hostile_file_names_never_write_outside(folder: str, name: str) -> None:
    """Odd file names are refused or ignored, and a build never writes outside its output folder."""
    with tempfile.TemporaryDirectory(prefix="gongshi-paths-") as tmp:
        content = Path(tmp, "content")
        shutil.copytree(BASIC, content)
        hostile_file(content, folder, name)
        try:
            result = build_site(options(content, out=Path(tmp, "out", "site"), search=True))
        except ContentError:
            return
        for path in result.files:
            assert path_problems(path) == [], path
        written = {p.relative_to(tmp).as_posix() for p in Path(tmp).rglob("*") if p.is_file()}
        # .cache/: the build cache; out/.site.gongshi-lock: the output folder's lock
        ours = ("content/", "out/site/", ".cache/", "out/.site.gongshi-lock")
        outside = {p for p in written if not p.startswith(ours)}
        assert outside == set()


_NAME_CHARS = ". -_az09\\%~中\u3000\t"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    folder=st.sampled_from(["initiatives", "updates"]),
    stem=st.text(st.sampled_from(_NAME_CHARS), min_size=1, max_size=8),
    suffix=st.sampled_from([".yaml", ".yml", ".md", ".zh-hant.md", ".zh-hans.md", ".YAML", ""]),
)
def test_generated_file_names_give_relative_output_paths(folder: str, stem: str, suffix: str) -> None:
    """Whatever a content file is called, every output path stays relative, without '..' components."""
    name = stem + suffix
    if name in (".", "..") or len(name.encode()) > 200:
        return
    with site_copy() as content:
        hostile_file(content, folder, name)
        files = build(content)
    for path in files or {}:
        assert path_problems(path) == [], path


@pytest.mark.parametrize("folder", ["initiatives", "updates"])
def test_file_names_with_a_trailing_newline_are_refused(folder: str) -> None:
    """Output path components are plain ASCII words: a newline in a file name never reaches a path."""
    with site_copy() as content:
        hostile_file(content, folder, "abc\n" + (".yaml" if folder == "initiatives" else ".md"))
        files = build(content)
    bad = [path for path in (files or {}) if not all(re.fullmatch(r"[A-Za-z0-9._-]+", p) for p in path.split("/"))]
    assert bad == []


def test_front_matter_cannot_choose_output_paths() -> None:
    """Keys that other generators use to place pages (slug, permalink, ...) are refused, not obeyed."""
    for key in ("slug", "permalink", "path", "url", "output", "id"):
        with site_copy() as content:
            write_update(content, "正文。", **{key: "../../../escaped"})
            with pytest.raises(ContentError) as caught:
                render_files(options(content))
        assert any(key in d.message and d.is_error for d in caught.value.diagnostics), key


# --- the loader fuzzer ---------------------------------------------------------------------------

# Each of these once escaped load_content as an exception (found by bench/fuzz_loader.py).
ODD_YAML = {
    # a tag on text PyYAML's constructors cannot read: ValueError, IndexError, KeyError
    "int-tag-on-text": "title: !!int abc\nstatus: planned\n",
    "float-tag-on-empty": "title: !!float ''\nstatus: planned\n",
    "bool-tag-on-text": "title: !!bool maybe\nstatus: planned\n",
    "int-tag-on-key": "title: x\nstatus: planned\n!!int abc: 1\n",
    "int-tag-on-the-document": "!!int",
    # plain scalars that YAML 1.1 resolves as numbers but that have no digits
    "hex-without-digits": "title: 0x_\nstatus: planned\n",
    "binary-without-digits": "title: 0b_\nstatus: planned\n",
    # integers Python refuses to turn into text (over 4300 digits), directly or in a schema message
    "long-decimal": "title: x\nstatus: planned\nprogress: " + "9" * 5000 + "\n",
    "long-hex-in-a-message": "title: x\nstatus: planned\nprogress: 0x" + "f" * 4000 + "\n",
    "long-octal-title": "title: 0" + "7" * 5000 + "\nstatus: planned\n",
    # nesting deeper than Python's recursion limit, in a file of a few kilobytes
    "deep-flow-nesting": "title: x\nstatus: planned\ntargets: " + "[" * 600 + "]" * 600 + "\n",
    "deep-mapping-nesting": "title: x\nstatus: planned\ntargets: " + "{a: " * 600 + "1" + "}" * 600 + "\n",
    "deep-block-nesting": "title: x\nstatus: planned\ntargets:\n" + "".join("  " * i + "-\n" for i in range(1, 600)),
}


@pytest.mark.parametrize("name", sorted(ODD_YAML))
def test_loader_reports_odd_yaml_as_diagnostics(name: str) -> None:
    """Tagged, digit-less, huge or deeply nested YAML comes back as a diagnostic, never as an exception."""
    with site_copy() as content:
        (content / INITIATIVE).write_text(ODD_YAML[name], encoding="utf-8")
        try:
            loaded = load_content(content)
        except Exception as exc:
            raise AssertionError(f"load_content raised {exc!r}") from exc
    assert any(d.is_error for d in loaded.diagnostics)


@pytest.fixture(scope="module")
def fuzzer() -> ModuleType:
    return load_bench("fuzz_loader")


@pytest.fixture(scope="module")
def fuzz_stats(fuzzer: ModuleType) -> Any:
    return fuzzer.run_fuzz(300, seed=7)


def test_loader_fuzzer_runs(fuzz_stats: Any) -> None:
    """bench/fuzz_loader.py generates 300 inputs, some accepted and some rejected, and accounts for each."""
    assert fuzz_stats.tried == 300
    assert fuzz_stats.accepted + fuzz_stats.with_diagnostics + fuzz_stats.crashes == 300
    assert fuzz_stats.accepted > 0 and fuzz_stats.with_diagnostics > 0


def test_loader_never_raises_on_fuzzed_input(fuzzer: ModuleType, fuzz_stats: Any) -> None:
    """No fuzzed input makes load_content or validate_content raise."""
    assert fuzz_stats.crashes == 0, "\n\n".join(fuzzer.describe(c) for c in fuzz_stats.distinct.values())
