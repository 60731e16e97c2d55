"""The server extension's handler (``jupyterlab_nnmotifs/handlers.py``) in a real Jupyter server.

``GET nnmotifs/referenced-file`` serves the files a network file names (TF.js weight shards) only if they
are regular files inside the real folder of the network file, within the size the client allows: symlinks
out of the folder, FIFOs, devices, ``..`` and absolute paths are refused with a message that says why.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the handler of this checkout, not a copy installed elsewhere

pytest.importorskip("pytest_jupyter")
from pytest_jupyter.jupyter_server import *  # noqa: E402,F401,F403 (fixtures: jp_fetch, jp_serverapp, …)
from tornado.httpclient import HTTPClientError  # noqa: E402

from jupyterlab_nnmotifs.handlers import (  # noqa: E402
    MAX_BYTES,
    RefusedFile,
    format_bytes,
    open_regular_file,
    resolve_referenced_file,
)

SHARD = bytes(range(256)) * 40  # 10 KiB


@pytest.fixture
def jp_server_config():
    """The server of these tests loads the nnmotifs server extension (as its jupyter-config file does)."""
    return {"ServerApp": {"jpserver_extensions": {"jupyterlab_nnmotifs": True}}}


@pytest.fixture
def model_folder(jp_root_dir: Path, tmp_path: Path) -> Path:
    """``m/model.json`` with a genuine shard ``m/w.bin``, and a secret outside the server root."""
    folder = jp_root_dir / "m"
    folder.mkdir()
    (folder / "model.json").write_text("{}")
    (folder / "w.bin").write_bytes(SHARD)
    (folder / "sub").mkdir()
    (folder / "sub" / "x.bin").write_bytes(b"inside")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.bin").write_bytes(b"TOP SECRET")
    return folder


@pytest.fixture
def fetch(jp_fetch, jp_asyncio_loop):
    """``fetch(model, path, max=None)`` → ``(status, body bytes, message or None)`` without raising."""

    def run(model: str, path: str, max_bytes: int | None = None):
        params = {"model": model, "path": path}
        if max_bytes is not None:
            params["max"] = str(max_bytes)
        started = time.monotonic()
        try:
            response = jp_asyncio_loop.run_until_complete(
                jp_fetch("nnmotifs", "referenced-file", params=params, request_timeout=10)
            )
        except HTTPClientError as error:
            assert time.monotonic() - started < 5, "a refusal must come at once"
            body = error.response.body if error.response is not None else b""
            return error.code, body, json.loads(body)["message"]
        return response.code, response.body, None

    return run


def test_serves_a_shard_inside_the_folder(fetch, model_folder):
    status, body, _ = fetch("m/model.json", "w.bin")
    assert status == 200
    assert body == SHARD
    # Paths as a model.json writes them: `./`, sub-folders, `..` that stays inside.
    assert fetch("m/model.json", "./sub/x.bin")[1] == b"inside"
    assert fetch("m/model.json", "sub/../w.bin")[1] == SHARD


def test_a_symlink_inside_the_folder_is_followed(fetch, model_folder):
    os.symlink(model_folder / "w.bin", model_folder / "alias.bin")
    assert fetch("m/model.json", "alias.bin")[1] == SHARD


def test_refuses_a_symlink_that_points_out_of_the_folder(fetch, model_folder, tmp_path, jp_root_dir):
    secret = tmp_path / "outside" / "secret.bin"
    os.symlink(secret, model_folder / "w2.bin")
    status, body, message = fetch("m/model.json", "w2.bin")
    assert status == 403
    assert b"TOP SECRET" not in body
    assert f'file "w2.bin" named by m/model.json resolves to {secret.resolve()}, outside the folder' in message
    # Out of the model's folder but inside the server root: refused too (a sibling model's shard).
    (jp_root_dir / "other.bin").write_bytes(b"other")
    os.symlink(jp_root_dir / "other.bin", model_folder / "w3.bin")
    assert fetch("m/model.json", "w3.bin")[0] == 403
    # A symlinked sub-folder that points out is the same.
    os.symlink(tmp_path / "outside", model_folder / "linked")
    status, _, message = fetch("m/model.json", "linked/secret.bin")
    assert status == 403 and "outside the folder of the model" in message


def test_refuses_dev_zero(fetch, model_folder):
    os.symlink("/dev/zero", model_folder / "zero.bin")
    status, _, message = fetch("m/model.json", "zero.bin")
    assert status == 403
    assert "resolves to /dev/zero, outside the folder of the model" in message
    # A device reached without leaving the folder is refused for what it is (opened, never read).
    with pytest.raises(RefusedFile, match="is a character device, not a regular file") as refused:
        open_regular_file("/dev/zero", "zero.bin", MAX_BYTES)
    assert refused.value.status == 415


def test_refuses_a_device_inside_the_folder(fetch, model_folder):
    try:
        os.mknod(model_folder / "null.bin", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError) as error:
        pytest.skip(f"cannot make a device node here ({error})")
    status, _, message = fetch("m/model.json", "null.bin")
    assert status == 415
    assert "is a character device, not a regular file" in message


def test_refuses_a_fifo_without_hanging(fetch, model_folder):
    os.mkfifo(model_folder / "pipe.bin")
    status, _, message = fetch("m/model.json", "pipe.bin")  # no writer: opening it would block
    assert status == 415
    assert 'file "pipe.bin" named by m/model.json is a FIFO (named pipe), not a regular file' in message


def test_refuses_directories_and_missing_files(fetch, model_folder):
    status, _, message = fetch("m/model.json", "sub")
    assert (status, "is a directory, not a regular file" in message) == (415, True)
    status, _, message = fetch("m/model.json", "missing.bin")
    assert (status, "no such file or directory" in message) == (404, True)


@pytest.mark.parametrize(
    "path, status, reason",
    [
        ("../outside/secret.bin", 403, "points outside the folder"),
        ("sub/../../other.bin", 403, "points outside the folder"),
        ("..", 403, "points outside the folder"),
        ("/etc/passwd", 400, "is an absolute path"),
        ("\\etc\\passwd", 400, "is an absolute path"),
        ("C:/Windows/win.ini", 400, "is an absolute path"),
        ("", 400, "is not a valid path"),
        ("./", 400, "names no file"),
        (".hidden.bin", 404, "is hidden"),
    ],
)
def test_refuses_traversal_and_absolute_paths(fetch, model_folder, jp_root_dir, path, status, reason):
    (jp_root_dir / "other.bin").write_bytes(b"other")
    got, body, message = fetch("m/model.json", path)
    assert got == status, message
    assert reason in message
    assert body.startswith(b"{")  # a JSON error, never file content


def test_refuses_a_model_path_that_leaves_the_server_root(fetch, model_folder):
    status, _, message = fetch("../m/model.json", "w.bin")
    assert status == 403 and "points outside the folder" in message
    status, _, message = fetch("/m/model.json", "w.bin")
    assert status == 400 and "is an absolute path" in message


def test_size_limit_is_known_before_reading(fetch, model_folder):
    status, body, message = fetch("m/model.json", "w.bin", max_bytes=len(SHARD) - 1)
    assert status == 413
    assert f"is {format_bytes(len(SHARD))}, more than the {format_bytes(len(SHARD) - 1)}" in message
    assert fetch("m/model.json", "w.bin", max_bytes=len(SHARD))[1] == SHARD
    # A sparse 3 GiB file is refused from its size alone, whatever the client allows.
    with open(model_folder / "big.bin", "wb") as big:
        big.truncate(3 * 1024**3)
    status, _, message = fetch("m/model.json", "big.bin", max_bytes=4 * 1024**3)
    assert status == 413 and "is 3 GiB, more than the 2 GiB" in message


def test_bad_queries(fetch, jp_fetch, jp_asyncio_loop, model_folder):
    status, _, message = fetch("m/model.json", "w.bin", max_bytes=None)
    assert status == 200
    with pytest.raises(HTTPClientError) as error:
        jp_asyncio_loop.run_until_complete(
            jp_fetch("nnmotifs", "referenced-file", params={"model": "m/model.json", "path": "w.bin", "max": "-1"})
        )
    assert error.value.code == 400
    assert "max must be a whole number of bytes" in json.loads(error.value.response.body)["message"]
    with pytest.raises(HTTPClientError) as error:
        jp_asyncio_loop.run_until_complete(jp_fetch("nnmotifs", "referenced-file", params={"model": "m/model.json"}))
    assert error.value.code == 400
    assert "the query lacks path" in json.loads(error.value.response.body)["message"]


def test_requires_authentication(jp_fetch, jp_asyncio_loop, model_folder):
    params = {"model": "m/model.json", "path": "w.bin"}
    with pytest.raises(HTTPClientError) as error:
        # No token: the request is anonymous (jp_fetch adds the server's token unless told otherwise).
        jp_asyncio_loop.run_until_complete(
            jp_fetch("nnmotifs", "referenced-file", params=params, headers={"Authorization": ""})
        )
    assert error.value.code == 403
    assert SHARD not in (error.value.response.body or b"")


def test_resolve_keeps_the_model_folder_as_written(tmp_path):
    """The model's folder is resolved too: a model opened through a symlinked folder reads its real siblings."""
    real = tmp_path / "real"
    real.mkdir()
    (real / "w.bin").write_bytes(b"w")
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(real, root / "link")
    assert resolve_referenced_file(str(root), "link/model.json", "w.bin") == str((real / "w.bin").resolve())


def test_the_wheel_config_enables_the_extension():
    """``pip install`` enables the server extension: pyproject ships the jupyter-config file as shared data."""
    config = json.loads((ROOT / "jupyter-config" / "server-config" / "jupyterlab_nnmotifs.json").read_text())
    assert config == {"ServerApp": {"jpserver_extensions": {"jupyterlab_nnmotifs": True}}}
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"jupyter-config/server-config" = "etc/jupyter/jupyter_server_config.d"' in pyproject
