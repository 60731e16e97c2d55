"""Simulates the Binder build: a fresh virtual environment gets binder/requirements.txt, binder/postBuild
runs in a clone of HEAD, and JupyterLab in that environment must then list the extension (enabled, OK) and
the tslab kernel. Warm caches keep it to a few minutes: pip's and npm's caches, the tensorflow-cpu wheel and
built tfjs-node binding in this checkout's .cache (NNMOTIFS_CACHE_DIR), and this checkout's builds where
their inputs equal HEAD's. Deselect with -m "not binder"."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.binder


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float) -> str:
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    output = proc.stdout + proc.stderr
    print(f"$ {' '.join(cmd)}  ({time.monotonic() - started:.0f} s)\n{output[-4000:]}")
    assert proc.returncode == 0, f"{' '.join(cmd)} failed with exit code {proc.returncode}:\n{output[-8000:]}"
    return output


def reuse_build_outputs(source: Path, clone: Path) -> None:
    """Copies this checkout's TypeScript and labextension builds with their stamps. The stamps hold hashes of
    the build inputs, so the set-up in the clone reuses them only where HEAD has the same inputs (always in
    CI's fresh clone) and rebuilds otherwise: the slow labextension build is not paid twice."""
    for output in ("lib", "lib-lab", "jupyterlab_nnmotifs/labextension"):
        if (source / output).is_dir():
            shutil.copytree(source / output, clone / output, symlinks=True)
    for stamp in ("build-lib", "build-labextension"):
        if (source / ".cache" / "stamps" / stamp).is_file():
            (clone / ".cache" / "stamps").mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / ".cache" / "stamps" / stamp, clone / ".cache" / "stamps" / stamp)


def test_binder_build_installs_extension_and_kernel(tmp_path: Path, repo_root: Path, clean_env: dict[str, str]):
    venv, clone = tmp_path / "env", tmp_path / "repo"
    env = dict(clean_env)
    cache = repo_root / ".cache"
    if cache.is_dir():
        env["NNMOTIFS_CACHE_DIR"] = str(cache)

    run([sys.executable, "-m", "venv", str(venv)], tmp_path, env, 120)
    python = venv / "bin" / "python"
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    env["VIRTUAL_ENV"] = str(venv)
    run(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-r", "binder/requirements.txt"],
        repo_root,
        env,
        600,
    )
    # Binder builds a commit: clone HEAD (committed files only, no node_modules).
    run(["git", "clone", "--quiet", "--depth", "1", f"file://{repo_root}", str(clone)], tmp_path, env, 120)
    reuse_build_outputs(repo_root, clone)

    output = run(["bash", "binder/postBuild"], clone, env, 1200)
    assert "[setup] ready" in output

    listing = run([str(python), "-m", "jupyter", "labextension", "list"], clone, env, 120)
    lines = [line for line in listing.splitlines() if line.strip().startswith("nnmotifs ")]
    assert lines, f"nnmotifs is not listed:\n{listing}"
    assert "enabled" in lines[0] and "OK" in lines[0], lines[0]
    assert (venv / "share" / "jupyter" / "labextensions" / "nnmotifs" / "package.json").is_file()

    specs = json.loads(run([str(python), "-m", "jupyter", "kernelspec", "list", "--json"], clone, env, 120))
    tslab = specs["kernelspecs"].get("tslab")
    assert tslab, f"tslab is not registered: {sorted(specs['kernelspecs'])}"
    assert Path(tslab["resource_dir"]).resolve().is_relative_to(venv.resolve()), tslab["resource_dir"]
    argv = tslab["spec"]["argv"]
    assert Path(argv[1]).is_relative_to(clone), argv
    assert Path(argv[1]).exists(), argv

    # The helpers resolve from the notebooks' folder as `nnmotifs` (node_modules/nnmotifs -> ..).
    assert (clone / "node_modules" / "nnmotifs").resolve() == clone.resolve()
