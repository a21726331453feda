"""Markdown rendering: safe by default, sanitised when a site allows HTML, text converted only."""

from __future__ import annotations

from gongshi import markdown
from gongshi.convert import Converter

HANT = Converter()


def _render(text: str, allow_html: bool = False) -> str:
    return markdown.render(markdown.parse(text, allow_html), lambda s: HANT.convert(s, "zh-Hans", "zh-Hant"))


def test_raw_html_is_text_by_default() -> None:
    """Without allow_html, tags written in an update are shown as text, never as markup."""
    html = _render('<script>alert(1)</script><b onclick="x">发</b>')
    assert "<script" not in html and "<b" not in html
    assert "&lt;script&gt;" in html


def test_dangerous_links_do_not_become_links() -> None:
    """javascript:, vbscript:, data: and protocol-relative URLs stay text."""
    for url in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:x", "data:text/html,x", "//evil.example/"):
        assert "<a " not in _render(f"[点击]({url})"), url


def test_external_links_get_rel_and_internal_do_not() -> None:
    """Links to other hosts carry rel="noopener noreferrer"; relative links stay plain."""
    html = _render("[网站](https://example.org/) 和 [本站](../x/index.html)")
    assert '<a href="https://example.org/" rel="noopener noreferrer">網站</a>' in html
    assert '<a href="../x/index.html">本站</a>' in html


def test_text_converted_but_code_and_urls_not() -> None:
    """Text and image descriptions convert; code spans and link targets stay as written."""
    html = _render("发展 `发展` [链接](https://example.org/发) ![图片 发](a.png)")
    assert "發展 <code>发展</code>" in html
    assert 'href="https://example.org/%E5%8F%91"' in html
    assert 'alt="圖片 發"' in html


def test_external_images_become_links() -> None:
    """A picture from another host would be a third-party request: it is linked instead."""
    html = _render("![照片](https://cdn.example.org/a.jpg)")
    assert "<img" not in html
    assert '<a href="https://cdn.example.org/a.jpg" rel="noopener noreferrer">照片</a>' in html


def test_allowed_html_is_sanitised_by_allow_list() -> None:
    """With allow_html, listed tags survive; scripts, handlers and javascript: URLs do not."""
    html = _render(
        '<span lang="zh-Hant" onclick="x">文</span><script>alert(1)</script>'
        '<a href="javascript:y">b</a><iframe src="https://x"></iframe>',
        allow_html=True,
    )
    assert '<span lang="zh-Hant">文</span>' in html
    assert "script" not in html and "onclick" not in html and "javascript" not in html and "iframe" not in html
