"""`sitemap.xml` with hreflang alternates, and `robots.txt`.

A sitemap needs absolute addresses, so it is written only when `base_url` is set; robots.txt is
always written and names the sitemap when there is one. The review page is never listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from gongshi.config import SiteConfig
from gongshi.incremental.plan import Plan
from gongshi.model import edition_dir
from gongshi.outputs.pages import MOVED
from gongshi.page import SiteView


def make(site: SiteView, plan: Plan) -> None:
    """`robots.txt`, and `sitemap.xml` when `base_url` is set, listing the pages made so far."""
    config = site.root.ed.content.config
    first = edition_dir(config.editions[0])
    pages = tuple(
        sorted(
            p.removeprefix(first + "/")
            for p in site.paths
            if p.startswith(first + "/")
            and p.endswith(".html")
            and not p.endswith("404.html")
            and not MOVED.fullmatch(p.removeprefix(first + "/"))
        )
    )
    names = ("sitemap.xml", "robots.txt") if config.base_url else ("robots.txt",)
    plan.add_many(names, ("sitemap", config, pages), lambda: sitemap(config, pages))


def sitemap(config: SiteConfig, pages: Sequence[str]) -> dict[str, bytes]:
    """`pages`: the pages of an edition (paths inside it), each listed in every edition with its alternates."""
    robots = ["User-agent: *", "Disallow: /_review/", "Allow: /"]
    if not config.base_url:
        return {"robots.txt": ("\n".join(robots) + "\n").encode("utf-8")}
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for page in pages:
        for lang in config.editions:
            lines.append(f"  <url><loc>{escape(config.base_url + edition_dir(lang) + '/' + page)}</loc>")
            for alt in config.editions:
                href = quoteattr(f"{config.base_url}{edition_dir(alt)}/{page}")
                lines.append(f'    <xhtml:link rel="alternate" hreflang="{alt}" href={href}/>')
            lines.append(f'    <xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(config.base_url)}/>')
            lines.append("  </url>")
    lines.append("</urlset>")
    robots.append(f"Sitemap: {config.base_url}sitemap.xml")
    return {
        "sitemap.xml": ("\n".join(lines) + "\n").encode("utf-8"),
        "robots.txt": ("\n".join(robots) + "\n").encode("utf-8"),
    }
