"""A real tslab kernel, driven with jupyter_client: nm.train shows a live figure that is updated in place
(display id), a kernel interrupt (SIGINT, as JupyterLab's stop button) stops training between batches, and
the next cells find the model usable and the history marked as interrupted."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import time
from pathlib import Path

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parents[1]
FIGURE_MIME = "application/vnd.nnmotifs.figure+json"
SOURCES = ["kernel/train", "kernel/progress", "kernel/init", "kernel/display", "figures/training"]


def _ensure_lib_built() -> None:
    """The kernel imports the compiled lib/; build it (TypeScript 5.9) when missing or older than src/."""
    stale = any(
        not (ROOT / "lib" / f"{name}.js").exists()
        or (ROOT / "lib" / f"{name}.js").stat().st_mtime < (ROOT / "src" / f"{name}.ts").stat().st_mtime
        for name in SOURCES
    )
    if stale:
        # tsc exits non-zero on type errors elsewhere in the tree but still emits lib/.
        subprocess.run(["node", "node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], cwd=ROOT, check=False)
    missing = [name for name in SOURCES if not (ROOT / "lib" / f"{name}.js").exists()]
    assert not missing, f"lib/ was not built for {missing}"


@pytest.fixture
def kernel():
    if "tslab" not in KernelSpecManager().find_kernel_specs():
        pytest.fail("the tslab kernel is not registered in this Python environment; run `npm run setup`")
    _ensure_lib_built()
    km = KernelManager(kernel_name="tslab")
    km.start_kernel(cwd=str(ROOT))
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    try:
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _collect(kc, msg_id: str, until, timeout: float) -> list[dict]:
    """IOPub messages of one request until `until(messages)` holds or the request goes idle."""
    messages: list[dict] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append(msg)
        if until(messages):
            return messages
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return messages
    raise AssertionError(f"timed out; got {[m['msg_type'] for m in messages]}")


def _run(kc, code: str, timeout: float = 120) -> tuple[str, list[dict]]:
    """Executes a cell; returns its stdout and all its IOPub messages (errors fail the test)."""
    msg_id = kc.execute(code)
    messages = _collect(kc, msg_id, lambda ms: False, timeout)
    errors = [m["content"] for m in messages if m["msg_type"] == "error"]
    stderr = "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")
    assert not errors, f"cell failed: {errors} {stderr}"
    stdout = "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")
    return stdout, messages


SETUP = """
import * as nm from "nnmotifs";
const { train, lastHistory, initialize } = nm;
const tf = nm.tf();
const model = initialize(nm.mlp([4, 32, 2], { activation: "tanh" }), "glorotNormal", { seed: 1 });
const x = tf.randomNormal([4096, 4], 0, 1, "float32", 1) as any;
const y = tf.randomNormal([4096, 2], 0, 1, "float32", 2) as any;
// (vm removes SIGINT listeners while a cell runs synchronously: count them after an await)
await new Promise(r => setTimeout(r, 10));
console.log("ready", process.listenerCount("SIGINT"));
"""


def test_live_figure_then_interrupt_stops_training_and_leaves_the_model_usable(kernel):
    km, kc = kernel
    out, _ = _run(kc, SETUP)
    tslab_listeners = int(out.split()[-1])

    msg_id = kc.execute(
        # (tslab does not rewrite shorthand properties `{ x }` that refer to earlier cells: spell them out)
        "const h = await train(model, { x: x, y: y, xVal: x.slice([0, 0], [256, 4]), yVal: y.slice([0, 0], [256, 2]) },"
        " { epochs: 100000, batchSize: 16, progress: true });"
    )
    # Wait for the figure and for two in-place updates of it (same display id), then interrupt.
    live = _collect(
        kc, msg_id, lambda ms: sum(m["msg_type"] == "update_display_data" for m in ms) >= 2, timeout=120
    )
    shown = [m for m in live if m["msg_type"] == "display_data"]
    assert len(shown) == 1, [m["msg_type"] for m in live]
    display_id = shown[0]["content"]["transient"]["display_id"]
    assert FIGURE_MIME in shown[0]["content"]["data"]
    updates = [m for m in live if m["msg_type"] == "update_display_data"]
    assert all(u["content"]["transient"]["display_id"] == display_id for u in updates)
    assert updates[-1]["content"]["data"][FIGURE_MIME]["meta"]["kind"] == "trainingCurves"

    km.interrupt_kernel()
    rest = _collect(kc, msg_id, lambda ms: False, timeout=60)  # the cell ends (tslab abandons it)
    assert any(m["msg_type"] == "status" and m["content"]["execution_state"] == "idle" for m in rest)

    # The loop stops at its next batch; the final figure says so, in place.
    time.sleep(0.5)
    out, messages = _run(
        kc,
        """
await new Promise(r => setTimeout(r, 300));
const last = lastHistory(model)!;
const before = last.batches;
await new Promise(r => setTimeout(r, 300));
const p = model.predict(tf.ones([3, 4])) as any;
console.log(JSON.stringify({
  interrupted: last.interrupted, epochs: last.epochs, batches: last.batches, still: last.batches === before,
  listeners: process.listenerCount("SIGINT"), shape: p.shape, finite: Array.from(p.dataSync() as Float32Array).every(Number.isFinite)
}));
""",
    )
    state = json.loads(out.strip().splitlines()[-1])
    assert state["interrupted"] is True
    assert state["epochs"] < 100000 and state["batches"] > 0
    assert state["still"] is True, "training went on after the interrupt"
    assert state["listeners"] == tslab_listeners, "train() left its SIGINT listener installed"
    assert state["shape"] == [3, 2] and state["finite"] is True

    # The model trains again in the next cell.
    out, _ = _run(kc, "const h2 = await train(model, { x: x, y: y }, { epochs: 1, batchSize: 256, progress: false });"
                      " console.log(JSON.stringify(h2));")
    again = json.loads(out.strip().splitlines()[-1])
    assert again["interrupted"] is False and again["epochs"] == 1 and again["loss"][0] > 0


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
