"""`gongshi serve`: build, serve on 127.0.0.1 with livereload, rebuild on every change.

The preview is a small WSGI application over the output folder, so that a failed rebuild can
keep the last good site on disk and still show its errors in the browser, on every page, until
the next good build (Zola's habit). The pages' Content-Security-Policy is widened in the served
copy only, to let livereload's script and socket through; the files on disk keep the strict one.

The preview answers only requests addressed to it, well-formed (`loopback`); Tornado's debug mode
stays off, so no traceback ever reaches a response.
"""

from __future__ import annotations

import base64
import contextlib
import gc
import hashlib
import html
import mimetypes
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from gongshi.errors import HINT, SEVERITY_WORDS, ContentError, Diagnostic, UsageError, excerpt, format_gcc
from gongshi.history import History, read_history
from gongshi.i18n import ENGLISH, Messages, msg
from gongshi.loopback import HOST, addressed_here, guard_livereload, site_path
from gongshi.pipeline import Options, Result, build_site
from gongshi.preview import ContentFiles, build_edited, edited_files, prepare

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


GRACE = 0.5  # seconds between showing an edit's pages and starting the full build


class GiveWay(Exception):
    """Raised inside a full build that a newer change has made obsolete."""


class Preview:
    """The state of a preview: the output folder, the errors of the last build if it failed, and its builds.

    A save of a few records' files first writes those records' own pages (`preview.build_edited`,
    about 0.1 s at 1,000 initiatives) and reloads the browser; a full build then follows in a background
    thread and reloads again if it changed anything else (lists, feeds, search). One build runs
    at a time; a full build made obsolete by a newer save gives way at its next stage.
    """

    def __init__(self, options: Options, liveport: int, tr: Messages = ENGLISH) -> None:
        self.files = ContentFiles()
        self.tr = tr  # the staff's language: the terminal's lines and the error page
        self.options = replace(options, read=self.files.fresh)
        self.liveport = liveport
        self.port = liveport - 1  # the preview's own: livereload's is the next (`serve`)
        self.error: str | None = None
        self.problems: tuple[Diagnostic, ...] = ()  # the failed build's, for the error page
        self.lock = threading.Lock()  # one build at a time
        self.generation = 0  # counts changes: a full build started for an older one gives way
        self.pending = threading.Event()  # a full build is wanted
        self.history: History | None = None
        self.valid: frozenset[str] = frozenset()  # documents known to pass their schema check

    def rebuild(self) -> bool:
        """Build everything; on failure keep the last good site and remember the errors for the browser."""
        return self._run(lambda: build_site(self.options), "built") is not None

    def warm(self) -> None:
        """Read the content and compile the templates before the first save (`preview.prepare`)."""
        with self.lock, contextlib.suppress(UsageError):  # the build before said so
            prepare(self.options, self.valid)

    def changed(self, paths: list[Path]) -> None:
        """Files were saved: show the edited records' pages at once, then have `follow` build the rest."""
        self.generation += 1
        self.files.forget(paths)
        named = edited_files(self.options, paths)
        quick = replace(self.options, read=self.files.remembered)
        with self.lock:
            if named is None:  # not only a few records: build everything now
                self.rebuild()
            elif self._run(lambda: build_edited(quick, named, self._history(), self.valid), "showed") is not None:
                self.pending.set()

    def follow(self, notify: Callable[[], None]) -> None:
        """The full builds after `changed`, in a background thread; `notify` reloads the browsers."""
        self.warm()
        while True:
            self.pending.wait()
            self.pending.clear()
            time.sleep(GRACE)  # first let the browsers load the pages just shown
            if self.pending.is_set():
                continue
            try:
                result = self.full_build(self.generation)
            except GiveWay:
                continue
            gc.collect()  # now, while nothing waits (the thresholds are high, see `cli.GC_THRESHOLDS`)
            if result is not None and result.written:
                notify()

    def full_build(self, generation: int) -> Result | None:
        """Build everything for the change numbered `generation`; GiveWay when a newer one comes first."""
        told = self.options.progress

        def give_way(stage: str) -> None:
            if told is not None:
                told(stage)
            if generation != self.generation:
                raise GiveWay

        with self.lock:
            result = self._run(lambda: build_site(replace(self.options, progress=give_way)), "built")
            self.history = None  # read again: a commit may have come
        return result

    def _history(self) -> History:
        if self.history is None:
            self.history = read_history(self.options.content) if self.options.history else History(False)
        return self.history

    def _run(self, build: Callable[[], Result], verb: str) -> Result | None:
        """Run a build and print its summary (`verb` first), or remember its errors and return None."""
        try:
            result = build()
        except ContentError as exc:
            self.error = "\n\n".join(format_gcc(d, self.tr) for d in exc.diagnostics)
            self.problems = exc.diagnostics
        except UsageError as exc:
            problem = msg("gongshi: error: {problem}", problem=exc.args[0] if exc.args else "")
            self.error, self.problems = self.tr(problem), ()
        else:
            self.error, self.problems = None, ()
            self.valid = frozenset(result.valid) or self.valid
            print(self.tr(result.summary(verb)), file=sys.stderr)
            return result
        print(self.error, file=sys.stderr)
        return None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not addressed_here(environ.get("HTTP_HOST"), self.port):
            where = msg("the preview answers only at http://{host}:{port}/ on this computer", host=HOST, port=self.port)
            return self._refuse(start_response, where)
        path = site_path(environ.get("PATH_INFO", "/"))
        if path is None:
            return self._refuse(start_response, msg("this address is malformed: no page of the preview has it"))
        target, status = self.find(path)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if self.error is not None and kind == "text/html":
            return self._respond(start_response, "500 Internal Server Error", "text/html", self.error_page())
        try:
            data = target.read_bytes()
        except OSError:  # no 404.html yet, or unreadable
            return self._respond(start_response, "404 Not Found", "text/plain", b"not found")
        if kind == "text/html":
            data = self.widen_csp(data)
        # an asset linked with its version (`?v=`, see `render.asset`) never changes under that address:
        # a reload after a save fetches the page alone
        versioned = kind != "text/html" and environ.get("QUERY_STRING", "").startswith("v=")
        return self._respond(start_response, status, kind, data, "max-age=31536000, immutable" if versioned else "")

    def _refuse(self, start_response: StartResponse, problem: str) -> list[bytes]:
        """A short 400 page: the request is not addressed to the preview, or its path is malformed (`loopback`)."""
        return self._respond(start_response, "400 Bad Request", "text/plain", (self.tr(problem) + "\n").encode())

    def find(self, path: str) -> tuple[Path, str]:
        """The file a well-formed `path` names in the output folder and the status: its 404 page for
        any path outside the folder, missing, or that the file system refuses (too long a name)."""
        root = self.options.out.resolve()
        try:
            target = (root / path).resolve()
            if target.is_dir():
                target = target / "index.html"
            if target.is_relative_to(root) and target.is_file():
                return target, "200 OK"
        except (OSError, RuntimeError):  # a name too long, a loop of links
            pass
        return root / "404.html", "404 Not Found"

    def widen_csp(self, page: bytes) -> bytes:
        """Let livereload's inline loader (by its hash), its script and its socket through."""
        hosts = [f"127.0.0.1:{self.liveport}", f"localhost:{self.liveport}"]
        scripts = " ".join(
            [f"&#39;sha256-{livereload_snippet_hash(self.liveport)}&#39;", *(f"http://{host}" for host in hosts)]
        )
        sockets = " ".join(f"ws://{host}" for host in hosts)
        return page.replace(b"script-src &#39;self&#39;", f"script-src &#39;self&#39; {scripts}".encode()).replace(
            b"connect-src &#39;self&#39;", f"connect-src &#39;self&#39; {sockets}".encode()
        )

    def error_page(self) -> bytes:
        """The failed build's problems, styled like the site, each with its file and line as a link
        that opens it in the editor (VS Code's vscode:// links; the path is shown for any other)."""
        tr = self.tr
        items = "".join(_problem_item(d, tr) for d in self.problems)
        items = items or f"<li><pre>{html.escape(self.error or '')}</pre></li>"
        title = html.escape(tr(msg("The build failed")))
        lead = msg(
            "Change the content files as the problems below say; the page reloads when you save. "
            "The last good site stays in the output folder, untouched."
        )
        return (
            f'<!DOCTYPE html><html lang="{tr.language}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
            '<link rel="stylesheet" href="/static/style.css"></head><body><main class="wrap">'
            f'<h1>{title}</h1><p class="lead">{html.escape(tr(lead))}</p>'
            f'<ol class="problems">{items}</ol></main></body></html>'
        ).encode()

    @staticmethod
    def _respond(start_response: StartResponse, status: str, kind: str, data: bytes, cache: str = "") -> list[bytes]:
        charset = "; charset=utf-8" if kind.startswith("text/") or kind.endswith(("json", "xml", "javascript")) else ""
        start_response(
            status,
            [
                ("Content-Type", kind + charset),
                ("Content-Length", str(len(data))),
                ("Cache-Control", cache or "no-store"),
            ],
        )
        return [data]


def livereload_snippet_hash(liveport: int) -> str:
    """The CSP hash of the inline script livereload 2.7 puts before `</head>` of every page.

    A page's CSP allows no inline script, so the preview allows this one by its hash.
    tests/browser/test_serve.py checks in a real browser that the page reloads after an edit.
    """
    snippet = (
        f'(function(){{var s=document.createElement("script");var port={liveport};'
        's.src="//"+window.location.hostname+":"+port+ "/livereload.js?port=" + port;'
        "document.head.appendChild(s);})();"
    )
    return base64.b64encode(hashlib.sha256(snippet.encode()).digest()).decode()


def notify_watcher(folders: list[Path], on_change: Callable[[list[Path]], None]) -> Any:
    """A livereload watcher told of changes by the operating system (watchfiles: inotify on Linux),
    not by looking at every file's time every 0.8 s as livereload's own does. `on_change` gets each
    batch of changed files once, however many folders are watched, in the server's thread (`loop`);
    the browsers reload when it returns.
    """
    import watchfiles
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    class NotifyWatcher(Watcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.changed: set[str] = set()
            self.lock = threading.Lock()
            self.loop: IOLoop | None = None

        def start(self, callback: Callable[[], None]) -> bool:
            loop = self.loop = IOLoop.current()

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
            if changed:
                on_change([Path(path) for path in changed])
            return self.filepath, None

    return NotifyWatcher()


def serve(options: Options, port: int, tr: Messages = ENGLISH) -> int:
    from livereload import Server
    from livereload.handlers import LiveReloadHandler

    # livereload ignores a change within 3 s of its last reload; with fast rebuilds, a second
    # save would then leave the page stale.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0

    liveport = port + 1
    guard_livereload(port, liveport)
    preview = Preview(options, liveport, tr)
    preview.rebuild()
    folders = [folder for folder in (options.content, options.template_dir) if folder.is_dir()]
    watcher = notify_watcher(folders, preview.changed)
    server = Server(app=preview, watcher=watcher)
    for folder in folders:
        server.watch(str(folder))

    def notify() -> None:  # from the thread of the full builds: reload the browsers in the server's thread
        if watcher.loop is not None:
            watcher.loop.add_callback(LiveReloadHandler.reload_waiters)

    threading.Thread(target=preview.follow, args=(notify,), name="gongshi-build", daemon=True).start()
    print(
        tr(msg("serving {out} at http://127.0.0.1:{port}/ (Ctrl+C to stop)", out=options.out, port=port)),
        file=sys.stderr,
    )
    # debug=False: for an app, livereload's default turns on Tornado's tracebacks in responses (and code reloading)
    server.serve(port=port, liveport=liveport, host=HOST, open_url_delay=None, debug=False)
    return 0


def _problem_item(diag: Diagnostic, tr: Messages) -> str:
    """One problem of the error page: where (a link opening the file at the line), what, and the hint."""
    where = html.escape(diag.where)
    path = Path(diag.path).resolve()
    link = f'<a href="vscode://file/{html.escape(path.as_posix())}:{diag.line}:{diag.col}">{where}</a>'
    kind = html.escape(tr(SEVERITY_WORDS[diag.severity]))
    parts = [f"<p><strong>{kind}</strong> {link}</p>", f"<p>{html.escape(tr(diag.message))}</p>"]
    if diag.source_line:
        parts.append(f"<pre>{html.escape(excerpt(diag.source_line, diag.col)[0])}</pre>")
    if diag.hint:
        parts.append(f'<p class="note">{html.escape(tr(HINT))}: {html.escape(tr(diag.hint))}</p>')
    return "<li>" + "".join(parts) + "</li>"
