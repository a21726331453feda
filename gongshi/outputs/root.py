"""The pages at the site root, outside the editions: the edition chooser, the 404 page, the review page."""

from __future__ import annotations

from gongshi.incremental.plan import Plan
from gongshi.page import NOT_FOUND_CSP, SiteView, not_found_script, script_hash
from gongshi.review import group_findings

REVIEW_PAGE = "_review/index.html"  # never linked, indexed or listed in the sitemap


def make(site: SiteView, plan: Plan) -> None:
    """The chooser (`index.html`) and `404.html`, in the first edition's script; the review page when asked for."""
    root, editions = site.root, site.editions
    langs = tuple(ed.lang for ed in editions)
    plan.add("index.html", langs, lambda: root.page("", "choose.html", "index.html", editions=editions))
    script = not_found_script()
    csp = NOT_FOUND_CSP.format(hash=script_hash(script))
    plan.add(
        "404.html",
        (langs, script),
        lambda: root.page("", "404.html", "404.html", editions=editions, find_root=script, csp=csp),
    )
    config = site.root.ed.content.config
    if config.colour:  # the district's colour, as a stylesheet (no inline style under the CSP)
        css = f":root {{ --accent: {config.colour}; }}\n".encode()
        plan.add("static/site.css", ("site-css", config.colour), lambda: css)
    if config.emblem_data:
        suffix = config.emblem.rsplit(".", 1)[-1]
        plan.add(f"static/emblem.{suffix}", ("emblem", config.emblem_data), lambda: config.emblem_data)
    if site.findings is not None:
        findings = list(site.findings)
        plan.add(
            REVIEW_PAGE,
            ("review", site.findings),
            lambda: site.source.page(
                "", "review.html", REVIEW_PAGE, groups=group_findings(findings), count=len(findings)
            ),
        )
