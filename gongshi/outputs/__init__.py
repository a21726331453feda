"""Everything a build publishes, as a list of outputs with one signature each: `make(view, plan) -> None`.

An output returns nothing: it adds its files to `plan` (`incremental.plan.Plan`), each with the
values it is made from, and the plan makes only the files whose inputs changed since the last
build (the others are reused). `EDITION_OUTPUTS` run once per edition, in that edition's
render worker, with its `page.View` (the edition's texts through the converter, the templates);
`SITE_OUTPUTS` run once, after every edition, with `page.SiteView` (all editions and the paths
of their files). The search index is not made here: Pagefind reads the rendered pages in the
pipeline's index stage (`search`).

To add an output: a module here with its `make`, and one line below.
"""

from __future__ import annotations

from collections.abc import Callable

from gongshi.incremental.plan import Plan
from gongshi.outputs import data, feeds, pages, query, root, share, sitemap
from gongshi.page import SiteView, View

EDITION_OUTPUTS: tuple[Callable[[View, Plan], None], ...] = (
    pages.make,  # home, lists, initiative and update pages, index pages
    feeds.make,  # Atom feeds: the site's newest updates, one per initiative
    data.make,  # open data: initiatives.json and initiatives.csv
    share.make,  # share cards (SVG) per initiative
    query.make,  # the search page's table for queries written in the other script
)
SITE_OUTPUTS: tuple[Callable[[SiteView, Plan], None], ...] = (
    root.make,  # the edition chooser, 404.html, the review page
    sitemap.make,  # sitemap.xml and robots.txt
)
