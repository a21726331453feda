"""The preview is for this computer only: what `serve` answers, and to whom.

It listens on the loopback, but that is not enough: a page of any site open in the browser can
make its own name point at 127.0.0.1 (DNS rebinding) and read the preview, or open livereload's
socket. So the preview and livereload answer only requests whose Host names them on this computer
(`addressed_here`), the socket only pages of the preview (`guard_livereload`), and the preview only
well-formed paths (`site_path`: 400 otherwise, never a traceback).
"""

from __future__ import annotations

HOST = "127.0.0.1"  # where the preview listens, and livereload on the next port
LOOPBACK = (HOST, "localhost", "[::1]")  # the names a browser on this machine reaches it by
MAX_PATH = 1024  # characters of a request's path: the site's own are far shorter


def site_path(path_info: str) -> str | None:
    """The path inside the output folder that a request asks for, or None when it is malformed: not
    UTF-8, longer than `MAX_PATH`, or with a control character (NUL).

    The server decoded the %-escapes once, and WSGI hands the bytes over as Latin-1 (PEP 3333); a
    `%` left is a percent sign. `..` is left to the check that the file is inside the folder.
    """
    try:
        path = path_info.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None
    if len(path) > MAX_PATH or any(ord(c) < 32 or ord(c) == 127 for c in path):
        return None
    return path.lstrip("/")


def addressed_here(host: str | None, port: int) -> bool:
    """Whether a request's Host header names this server: a `LOOPBACK` name with its `port`.

    A request without one (HTTP/1.0 tools) does not come from a browser, so it is no rebinding."""
    if host is None:
        return True
    names = {f"{name}:{port}" for name in LOOPBACK} | (set(LOOPBACK) if port == 80 else set())
    return host.lower() in names


def guard_livereload(port: int, liveport: int) -> None:
    """livereload's scripts and socket (on `liveport`) answer only requests addressed to them
    (`addressed_here`), and the socket only pages of the preview (their Origin, the preview's on
    `port`): livereload accepts any, so another site open in the browser could watch the saves.

    livereload builds its Tornado handlers itself, from its own classes, and configures them by class
    attributes (`DEFAULT_RELOAD_TIME`, `watcher`); these two methods are set the same way.
    """
    from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
    from tornado.web import HTTPError, RequestHandler

    origins = {f"http://{name}:{port}" for name in LOOPBACK}

    def check_origin(handler: RequestHandler, origin: str) -> bool:
        return origin.lower() in origins

    def prepare(handler: RequestHandler) -> None:
        if not addressed_here(handler.request.headers.get("Host"), liveport):
            raise HTTPError(400)

    LiveReloadHandler.check_origin = check_origin
    for handler in (LiveReloadHandler, ForceReloadHandler, LiveReloadJSHandler):
        handler.prepare = prepare
