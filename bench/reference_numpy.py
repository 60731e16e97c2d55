"""NumPy reference of the motif census and the authors' random-pruning null, written for the benchmark.

Same definitions as src/core/census.ts (chain convention 'paths', bias node as an extra source row, ghost
and dead nodes removed first), computed the way a NumPy pipeline does it: with matrix products. The null
is the authors' recipe (place W - (n + m) ones uniformly, then one extra 1 per row, then per column, at a
random zero entry; bias edges shuffled over the live targets).

Usage: python reference_numpy.py NETWORK.json NULLS SEED [--igraph]
NETWORK.json: {"layers": [{"nIn", "nOut", "weights": "file.f64", "bias": "file.f64" | null}]}, raw float64.
Prints one JSON object: counts, census_seconds, null_seconds (for NULLS nulls), z, igraph_seconds.
"""

import json
import os
import sys
import time

import numpy as np

NAMES = ["edges", "soDiverging", "soConverging", "soChain", "toDiverging", "toConverging", "toChain", "biFan", "biParallel"]


def load(path):
    spec = json.load(open(path))
    base = os.path.dirname(path)
    layers = []
    for layer in spec["layers"]:
        w = np.fromfile(os.path.join(base, layer["weights"]), dtype=np.float64).reshape(layer["nIn"], layer["nOut"])
        b = None if layer["bias"] is None else np.fromfile(os.path.join(base, layer["bias"]), dtype=np.float64)
        layers.append((w, b))
    return layers


def live_adjacency(layers):
    """0/1 weight and bias adjacencies after ghost (forward) and dead (backward) removal."""
    A = [(w != 0).astype(np.float64) for w, _ in layers]
    B = [None if b is None else (b != 0).astype(np.float64) for _, b in layers]
    L = len(A)
    for k in range(1, L):  # ghosts: hidden neurons without input lose their outputs
        fed = A[k - 1].sum(axis=0) > 0
        if B[k - 1] is not None:
            fed |= B[k - 1] > 0
        A[k][~fed, :] = 0
    for k in range(L - 1, 0, -1):  # dead: hidden neurons without output lose their inputs
        used = A[k].sum(axis=1) > 0
        A[k - 1][:, ~used] = 0
        if B[k - 1] is not None:
            B[k - 1][~used] = 0
    return A, B


def with_bias_rows(A, B):
    return [a if b is None else np.vstack([a, b[None, :]]) for a, b in zip(A, B)]


def c2(x):
    return x * (x - 1) / 2


def c3(x):
    return x * (x - 1) * (x - 2) / 6


def census(M, n_real):
    """M[l]: (rows incl. bias row) x nOut 0/1 matrices; n_real[l]: real source rows of layer l."""
    out = dict.fromkeys(NAMES, 0.0)
    L = len(M)
    for l in range(L):
        a = M[l]
        rows = a.sum(axis=1)
        cols = a.sum(axis=0)
        out["edges"] += a.sum()
        out["soDiverging"] += c2(rows).sum()
        out["toDiverging"] += c3(rows).sum()
        out["soConverging"] += c2(cols).sum()
        out["toConverging"] += c3(cols).sum()
        g = a @ a.T
        out["biFan"] += (c2(g).sum() - c2(np.diag(g)).sum()) / 2
    for l in range(L - 1):
        p = M[l] @ M[l + 1][: n_real[l + 1]]
        out["soChain"] += p.sum()
        out["biParallel"] += c2(p).sum()
    for l in range(L - 2):
        out["toChain"] += (M[l] @ M[l + 1][: n_real[l + 1]] @ M[l + 2][: n_real[l + 2]]).sum()
    return out


def random_pruning(A, B, rng):
    """The authors' null on the live nodes of every layer; bias edges shuffled over the live targets."""
    M = []
    for a, b in zip(A, B):
        live_r = np.flatnonzero(a.sum(axis=1) > 0)
        live_c = np.flatnonzero(a.sum(axis=0) > 0)
        n, m = len(live_r), len(live_c)
        W = int(a.sum())
        r = np.zeros((n, m))
        k = W - n - m
        if k > 0:
            r.flat[rng.choice(n * m, k, replace=False)] = 1
        for i in range(n):
            z = np.flatnonzero(r[i] == 0)
            r[i, rng.choice(z)] = 1
        for j in range(m):
            z = np.flatnonzero(r[:, j] == 0)
            r[rng.choice(z), j] = 1
        full = np.zeros_like(a)
        full[np.ix_(live_r, live_c)] = r
        if b is not None:
            targets = np.flatnonzero((a.sum(axis=0) > 0) | (b > 0))
            nb = np.zeros_like(b)
            nb[rng.choice(targets, int(b.sum()), replace=False)] = 1
            full = np.vstack([full, nb[None, :]])
        M.append(full)
    return M


def main():
    path, nulls, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    layers = load(path)
    t, c = time.perf_counter(), time.process_time()
    A, B = live_adjacency(layers)
    M = with_bias_rows(A, B)
    n_real = [w.shape[0] for w, _ in layers]
    counts = census(M, n_real)
    census_seconds = time.perf_counter() - t
    # CPU seconds too: one thread (one BLAS thread), so they do not grow with the machine's load as wall time does
    result = {"counts": counts, "census_seconds": census_seconds, "census_cpu_seconds": time.process_time() - c}
    if nulls > 0:
        rng = np.random.default_rng(seed)
        t, c = time.perf_counter(), time.process_time()
        samples = np.array([[census(random_pruning(A, B, rng), n_real)[k] for k in NAMES] for _ in range(nulls)])
        real = np.array([counts[k] for k in NAMES])
        sd = samples.std(axis=0, ddof=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(sd > 0, (real - samples.mean(axis=0)) / sd, np.nan)
        result["null_seconds"] = time.perf_counter() - t
        result["null_cpu_seconds"] = time.process_time() - c
        result["nulls"] = nulls
        result["z"] = {k: (None if np.isnan(v) else float(v)) for k, v in zip(NAMES, z)}
    if "--igraph" in sys.argv:
        import igraph as ig

        offsets = np.cumsum([0] + [m.shape[0] for m in M])  # node ids: layer l rows (incl. bias) at offsets[l]
        edges = []
        for l, m in enumerate(M):
            i, j = np.nonzero(m)
            edges += list(zip((offsets[l] + i).tolist(), (offsets[l + 1] + j).tolist()))
        last = M[-1].shape[1]
        g = ig.Graph(n=int(offsets[-1] + last), edges=edges, directed=True)
        t = time.perf_counter()
        g.motifs_randesu(size=4)
        result["igraph_seconds"] = time.perf_counter() - t
        result["igraph_edges"] = g.ecount()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
