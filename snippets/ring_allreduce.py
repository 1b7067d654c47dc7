"""Ring all-reduce simulated with NumPy: reduce-scatter, then all-gather."""

# --8<-- [start:ring]
import numpy as np


def ring_allreduce(grads: list[np.ndarray]) -> tuple[list[np.ndarray], list[int]]:
    """Sum `grads` (one array per rank) the way a ring all-reduce does.

    Returns the per-rank results and the number of elements each rank sent.
    """
    n = len(grads)
    chunks = [np.array_split(g.astype(np.float64), n) for g in grads]  # chunks[rank][c]
    sent = [0] * n
    # Phase 1, reduce-scatter: n-1 steps; in step s rank r sends chunk (r - s) % n
    # to its right neighbour, which adds it to its own copy of that chunk.
    for s in range(n - 1):
        msgs = [(r, (r - s) % n, chunks[r][(r - s) % n].copy()) for r in range(n)]
        for r, c, data in msgs:
            chunks[(r + 1) % n][c] += data
            sent[r] += data.size
    # Now rank r owns the fully reduced chunk (r + 1) % n.
    # Phase 2, all-gather: n-1 steps passing the finished chunks around the ring.
    for s in range(n - 1):
        msgs = [(r, (r + 1 - s) % n, chunks[r][(r + 1 - s) % n].copy()) for r in range(n)]
        for r, c, data in msgs:
            chunks[(r + 1) % n][c] = data
            sent[r] += data.size
    return [np.concatenate(ch) for ch in chunks], sent


# --8<-- [end:ring]
