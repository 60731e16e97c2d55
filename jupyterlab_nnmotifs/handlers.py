"""Server side of the Network Inspector: files that a network file names, read safely.

A TF.js ``model.json`` names its weight shards by relative paths. The browser cannot tell a regular file
from a symlink, a FIFO or a device, and the Jupyter contents API follows symlinks wherever they point, so
the Inspector reads those files here instead::

    GET {base_url}nnmotifs/referenced-file?model=runs/tfjs/model.json&path=group1-shard1of1.bin&max=1048576

``model`` is the server path of the network file (as the contents API names it), ``path`` the file it
names, relative to its folder, and ``max`` the most bytes the Inspector's memory budget leaves. The file is
sent (``application/octet-stream``, with its ``Content-Length``) only if

- ``path`` is relative and stays inside the model's folder as written (no absolute path, no ``..`` that
  leaves the folder, no hidden segment unless the server allows hidden files);
- its real path, symlinks resolved, is inside the real folder of the model file (a symlink that points out
  of the folder is refused, with the path it resolves to);
- it is a regular file: FIFOs, devices, sockets and directories are refused before they are opened (``stat``
  first, then the file is opened non-blocking without following links and the opened handle is checked
  again with ``fstat``);
- its size, known before anything is read, is at most ``max`` (and at most :data:`MAX_BYTES`).

Refusals are JSON errors (``{"message": ...}``) whose message names the file and what is wrong; the
Inspector shows them. The handler needs the same permission as reading a file through the contents API.
"""

from __future__ import annotations

import os
import stat
from typing import NamedTuple

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

#: Route of the handler, below the server's base URL.
ROUTE = "nnmotifs/referenced-file"

#: Largest file the handler sends, whatever the client asks (the readers' default memory budget, 2 GiB).
MAX_BYTES = 2 * 1024**3

#: Bytes read and sent at a time.
CHUNK_BYTES = 1024 * 1024


class RefusedFile(Exception):
    """A referenced file that may not be read: ``status`` is the HTTP status, the message says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class OpenedFile(NamedTuple):
    """A regular file opened for reading, with its size at opening."""

    fd: int
    size: int


def format_bytes(n: float) -> str:
    """A byte count as the TypeScript readers write it (``formatBytes`` in ``core/formats/budget.ts``)."""
    units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    value = float(n)
    u = 0
    while abs(value) >= 1024 and u < len(units) - 1:
        value /= 1024
        u += 1
    text = str(int(value)) if value.is_integer() else f"{value:.1f}"
    return f"{text} {units[u]}"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _segments(path: str, what: str) -> list[str]:
    """``path`` (``/``-separated, relative) as its segments, with ``.`` and ``..`` resolved lexically."""
    if path == "" or "\0" in path:
        raise RefusedFile(400, f'{what} "{path}" is not a valid path')
    if path.startswith(("/", "\\")) or (len(path) > 1 and path[1] == ":"):
        raise RefusedFile(400, f'{what} "{path}" is an absolute path; only paths relative to the folder are read')
    parts: list[str] = []
    for part in path.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                raise RefusedFile(403, f'{what} "{path}" points outside the folder')
            parts.pop()
        else:
            parts.append(part)
    if not parts:
        raise RefusedFile(400, f'{what} "{path}" names no file')
    return parts


def resolve_referenced_file(root_dir: str, model: str, path: str, allow_hidden: bool = False) -> str:
    """The real path of the file ``path`` that the network file ``model`` names, or :class:`RefusedFile`.

    ``model`` is a server path (relative to ``root_dir``), ``path`` is relative to the model's folder.
    The result is inside the real folder of the model file; it is not checked to be a regular file here
    (see :func:`open_regular_file`).
    """
    model_parts = _segments(model, "network file")
    shard = f'file "{path}" named by {model}'
    parts = _segments(path, f"file named by {model}")
    if not allow_hidden and any(p.startswith(".") for p in model_parts[:-1] + parts):
        raise RefusedFile(404, f"{shard} is hidden (the server does not serve hidden files)")
    root = os.path.abspath(root_dir)
    folder = os.path.join(root, *model_parts[:-1])
    try:
        real_folder = os.path.realpath(folder, strict=True)
        real = os.path.realpath(os.path.join(folder, *parts), strict=True)
    except FileNotFoundError:
        raise RefusedFile(404, f"{shard}: no such file or directory") from None
    except OSError as error:
        raise RefusedFile(404, f"{shard}: {error.strerror or error}") from None
    inside = real_folder if real_folder.endswith(os.sep) else real_folder + os.sep
    if not real.startswith(inside):
        raise RefusedFile(
            403,
            f"{shard} resolves to {real}, outside the folder of the model ({real_folder}); files reached "
            "through symlinks that point out of the folder are refused",
        )
    return real


def open_regular_file(real: str, shown: str, max_bytes: int) -> OpenedFile:
    """Opens ``real`` if it is a regular file of at most ``max_bytes``; the caller closes ``fd``.

    ``stat`` first, so a FIFO or device is never opened; then the file is opened non-blocking without
    following a symlink (one swapped in after the check is refused) and the handle is checked again.
    """

    def check(st: os.stat_result) -> None:
        if not stat.S_ISREG(st.st_mode):
            raise RefusedFile(
                415, f"{shown} is {_kind(st.st_mode)}, not a regular file: nnmotifs reads network files only"
            )
        if st.st_size > max_bytes:
            raise RefusedFile(
                413,
                f"{shown} is {format_bytes(st.st_size)}, more than the {format_bytes(max_bytes)} "
                "the memory budget allows",
            )

    try:
        check(os.stat(real))
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(real, flags)
    except FileNotFoundError:
        raise RefusedFile(404, f"{shown}: no such file or directory") from None
    except RefusedFile:
        raise
    except OSError as error:
        raise RefusedFile(403, f"{shown}: {error.strerror or error}") from None
    try:
        st = os.fstat(fd)
        check(st)
    except BaseException:
        os.close(fd)
        raise
    return OpenedFile(fd, st.st_size)


def open_referenced_file(
    root_dir: str, model: str, path: str, max_bytes: int, allow_hidden: bool = False
) -> OpenedFile:
    """The file ``path`` that the network file ``model`` names, opened if every check passes.

    :func:`resolve_referenced_file` then :func:`open_regular_file`, with ``max_bytes`` capped at
    :data:`MAX_BYTES`; raises :class:`RefusedFile` naming the file and what is wrong.
    """
    real = resolve_referenced_file(root_dir, model, path, allow_hidden)
    return open_regular_file(real, f'file "{path}" named by {model}', min(max_bytes, MAX_BYTES))


class ReferencedFileHandler(APIHandler):
    """``GET nnmotifs/referenced-file?model=…&path=…&max=…``: a file a network file names (see module)."""

    auth_resource = "contents"

    @web.authenticated
    @authorized
    async def get(self) -> None:
        try:
            model = self.get_query_argument("model")
            path = self.get_query_argument("path")
        except web.MissingArgumentError as error:
            raise web.HTTPError(400, f"the query lacks {error.arg_name}") from None
        max_text = self.get_query_argument("max", str(MAX_BYTES))
        if not max_text.isdigit():
            raise web.HTTPError(400, f'max must be a whole number of bytes, not "{max_text}"')
        max_bytes = int(max_text)
        root_dir = getattr(self.contents_manager, "root_dir", None)
        if not isinstance(root_dir, str):
            raise web.HTTPError(501, "the server's contents manager has no folder on disk to read from")
        allow_hidden = bool(getattr(self.contents_manager, "allow_hidden", False))
        shown = f'file "{path}" named by {model}'
        try:
            opened = open_referenced_file(root_dir, model, path, max_bytes, allow_hidden)
        except RefusedFile as refused:
            raise web.HTTPError(refused.status, str(refused)) from None
        try:
            self.set_header("Content-Type", "application/octet-stream")
            self.set_header("Content-Length", str(opened.size))
            self.set_header("Cache-Control", "no-store")
            left = opened.size
            while left > 0:
                chunk = os.read(opened.fd, min(CHUNK_BYTES, left))
                if not chunk:
                    # The file shrank while it was sent: the response ends short of its Content-Length,
                    # which the client sees as a failed read.
                    self.log.warning("nnmotifs: %s shrank while it was sent", shown)
                    break
                self.write(chunk)
                await self.flush()
                left -= len(chunk)
        finally:
            os.close(opened.fd)
        self.finish()


def setup_handlers(web_app) -> None:
    """Adds the Inspector's handler to the server's web application."""
    base_url = web_app.settings["base_url"]
    web_app.add_handlers(".*$", [(url_path_join(base_url, ROUTE), ReferencedFileHandler)])
