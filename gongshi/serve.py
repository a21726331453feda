"""`gongshi serve`: build, serve on 127.0.0.1 with livereload, rebuild on every change.

The preview is a small WSGI application over the output folder, so that a failed rebuild can
keep the last good site on disk and still show its errors in the browser, on every page, until
the next good build (Zola's habit). The pages' Content-Security-Policy is widened in the served
copy only, to let livereload's script and socket through; the files on disk keep the strict one.
"""

from __future__ import annotations

import base64
import hashlib
import html
import mimetypes
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from gongshi.errors import ContentError, UsageError, format_gcc
from gongshi.site import Options, build_site

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class Preview:
    """The state of a preview: the output folder and the errors of the last rebuild, if it failed."""

    def __init__(self, options: Options, liveport: int) -> None:
        self.options = options
        self.liveport = liveport
        self.error: str | None = None

    def rebuild(self) -> bool:
        """Build once; on failure keep the last good site and remember the errors for the browser."""
        try:
            result = build_site(self.options)
        except ContentError as exc:
            self.error = "\n\n".join(format_gcc(d) for d in exc.diagnostics)
        except UsageError as exc:
            self.error = f"gongshi: error: {exc}"
        else:
            self.error = None
            print(result.summary(), file=sys.stderr)
            return True
        print(self.error, file=sys.stderr)
        return False

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = unquote(environ.get("PATH_INFO", "/"))
        root = self.options.out.resolve()
        target = (root / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(root) or not target.is_file():
            target, status = root / "404.html", "404 Not Found"
        else:
            status = "200 OK"
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if self.error is not None and kind == "text/html":
            return self._respond(start_response, "500 Internal Server Error", "text/html", self.error_page())
        if not target.is_file():
            return self._respond(start_response, status, "text/plain", b"not found")
        data = target.read_bytes()
        if kind == "text/html":
            data = self.widen_csp(data)
        return self._respond(start_response, status, kind, data)

    def widen_csp(self, page: bytes) -> bytes:
        """Let livereload's inline loader (by its hash), its script and its socket through."""
        hosts = [f"127.0.0.1:{self.liveport}", f"localhost:{self.liveport}"]
        scripts = " ".join([f"&#39;sha256-{livereload_snippet_hash(self.liveport)}&#39;",
                            *(f"http://{host}" for host in hosts)])
        sockets = " ".join(f"ws://{host}" for host in hosts)
        return page.replace(b"script-src &#39;self&#39;", f"script-src &#39;self&#39; {scripts}".encode()).replace(
            b"connect-src &#39;self&#39;", f"connect-src &#39;self&#39; {sockets}".encode())

    def error_page(self) -> bytes:
        return ("<!DOCTYPE html><html lang=\"zh-Hans\"><head><meta charset=\"utf-8\"><title>构建失败</title></head>"
                "<body><h1>构建失败：请修改以下问题，保存后页面会自动刷新</h1><pre>" + html.escape(self.error or "")
                + "</pre><p>上一次成功构建的网站仍保留在输出文件夹中。</p></body></html>").encode("utf-8")

    @staticmethod
    def _respond(start_response: StartResponse, status: str, kind: str, data: bytes) -> list[bytes]:
        charset = "; charset=utf-8" if kind.startswith("text/") or kind.endswith(("json", "xml", "javascript")) else ""
        start_response(status, [("Content-Type", kind + charset), ("Content-Length", str(len(data))),
                                ("Cache-Control", "no-store")])
        return [data]


def livereload_snippet_hash(liveport: int) -> str:
    """The CSP hash of the inline script livereload 2.7 puts before `</head>` of every page.

    A page's CSP allows no inline script, so the preview allows this one by its hash.
    tests/browser/test_serve.py checks in a real browser that the page reloads after an edit.
    """
    snippet = (f'(function(){{var s=document.createElement("script");var port={liveport};'
               's.src="//"+window.location.hostname+":"+port+ "/livereload.js?port=" + port;'
               'document.head.appendChild(s);})();')
    return base64.b64encode(hashlib.sha256(snippet.encode()).digest()).decode()


def notify_watcher(folders: list[Path]) -> Any:
    """A livereload watcher told of changes by the operating system (watchfiles: inotify on Linux).

    livereload's own watcher looks at every file's time every 0.8 s: up to 0.8 s before a save is
    noticed, and a walk over thousands of files each time.
    """
    import watchfiles
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    class NotifyWatcher(Watcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.changed: set[str] = set()
            self.lock = threading.Lock()

        def start(self, callback: Callable[[], None]) -> bool:
            loop = IOLoop.current()

            def run() -> None:
                for changes in watchfiles.watch(*folders, step=20, debounce=400, raise_interrupt=False):
                    with self.lock:
                        self.changed.update(path for _change, path in changes)
                    loop.add_callback(callback)

            threading.Thread(target=run, name="gongshi-watch", daemon=True).start()
            return True  # no polling

        def examine(self) -> tuple[str | None, None]:
            with self.lock:
                changed, self.changed = sorted(self.changed), set()
            self.filepath = changed[0] if changed else None
            if changed:  # one rebuild per batch of changes, however many folders are watched
                for func in dict.fromkeys(task["func"] for task in self._tasks.values()):
                    func()
            return self.filepath, None

    return NotifyWatcher()


def serve(options: Options, port: int) -> int:
    from livereload import Server
    from livereload.handlers import LiveReloadHandler

    # livereload ignores a change within 3 s of its last reload; with fast rebuilds, a second
    # save would then leave the page stale.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0

    liveport = port + 1
    preview = Preview(options, liveport)
    preview.rebuild()
    folders = [folder for folder in (options.content, options.template_dir) if folder.is_dir()]
    server = Server(app=preview, watcher=notify_watcher(folders))
    for folder in folders:
        server.watch(str(folder), preview.rebuild)
    print(f"serving {options.out} at http://127.0.0.1:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    server.serve(port=port, liveport=liveport, host="127.0.0.1", open_url_delay=None)
    return 0
