"""`gongshi serve`: build, serve on 127.0.0.1 with livereload, rebuild on every change.

A failed rebuild keeps the last good site on disk and shows the errors in the browser instead
of the page, until the next successful build (Zola's habit).
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

from gongshi.errors import ContentError, format_gcc
from gongshi.site import Options, build_site

ERROR_PAGE = "_build-error.html"


def rebuild(options: Options) -> bool:
    """One rebuild; on content errors, write an error page beside the last good site."""
    error_page = options.out / ERROR_PAGE
    try:
        result = build_site(options)
    except ContentError as exc:
        text = "\n\n".join(format_gcc(d) for d in exc.diagnostics)
        print(text, file=sys.stderr)
        options.out.mkdir(parents=True, exist_ok=True)
        error_page.write_text(
            "<!DOCTYPE html><html lang=\"zh-Hans\"><meta charset=\"utf-8\"><title>构建失败</title>"
            "<h1>构建失败：请修改以下问题</h1><pre>" + html.escape(text) + "</pre></html>",
            encoding="utf-8",
        )
        return False
    print(result.summary(), file=sys.stderr)
    return True


def serve(options: Options, port: int) -> int:
    from livereload import Server

    rebuild(options)
    server = Server()
    for folder in (options.content, options.template_dir):
        if folder.is_dir():
            server.watch(str(folder / "**" / "*"), lambda: rebuild(options))
    print(f"serving {options.out} at http://127.0.0.1:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    server.serve(root=str(Path(options.out)), host="127.0.0.1", port=port, open_url_delay=None)
    return 0
