"""Two-process DDP on CPU: replicas agree and match a single-process full-batch step."""

import torch
from torch import nn

import ddp_check


def manual_sgd_step() -> list[torch.Tensor]:
    """Independent reference: gradients by hand-averaging two half-batch gradients."""
    x, y = ddp_check.make_dataset().tensors
    model = ddp_check.make_model(seed=0)
    grads = []
    for idx in (slice(0, None, 2), slice(1, None, 2)):  # DistributedSampler's interleaved shards
        model.zero_grad()
        nn.functional.mse_loss(model(x[idx]), y[idx]).backward()
        grads.append([p.grad.clone() for p in model.parameters()])
    return [p.detach() - ddp_check.LR * (g0 + g1) / 2 for p, g0, g1 in zip(model.parameters(), *grads, strict=False)]


def test_ddp_two_processes():
    r0, r1 = ddp_check.run_ddp(world_size=2)
    assert r0["indices"] == [0, 2, 4, 6] and r1["indices"] == [1, 3, 5, 7]
    # ranks start from different weights; DDP broadcasts rank 0's
    assert not all(torch.equal(a, b) for a, b in zip(r0["before"], r1["before"], strict=False))
    assert all(torch.equal(a, b) for a, b in zip(r0["after_wrap"], r0["before"], strict=False))
    assert all(torch.equal(a, b) for a, b in zip(r1["after_wrap"], r0["before"], strict=False))
    # identical replicas after the step
    assert all(torch.equal(a, b) for a, b in zip(r0["after_step"], r1["after_step"], strict=False))
    # equal to a full-batch step and to hand-averaged half-batch gradients
    for a, b, c in zip(r0["after_step"], ddp_check.single_process_step(), manual_sgd_step(), strict=False):
        torch.testing.assert_close(a, b, atol=1e-6, rtol=0)
        torch.testing.assert_close(a, c, atol=1e-6, rtol=0)
    # and the step actually moved the weights
    assert any(not torch.allclose(a, b) for a, b in zip(r0["after_step"], r0["before"], strict=False))


def test_ddp_buckets_rebuilt_in_gradient_ready_order():
    log = ddp_check.run_buckets(world_size=2)
    layer = 1024 * 1024 * 4  # bytes of one 1024 x 1024 fp32 weight
    head = 1024 * 4
    # default settings: one bucket for the first iteration
    assert log[0]["bucket_sizes"] == str(6 * layer + head)
    assert log[1]["num_buckets_reduced"] == 1
    # rebuilt once, in the order gradients became ready: the reverse of model.parameters()
    assert log[-1]["has_rebuilt_buckets"] == 1
    order = [int(i) for bucket in log[-1]["rebuilt_per_bucket_param_indices"].split(", ") for i in bucket.split()]
    assert order == list(range(6, -1, -1))
    # the first rebuilt bucket is capped at 1 MiB (closes right after passing it), the rest at 25 MiB
    sizes = [int(b) for b in log[-1]["rebuilt_bucket_sizes"].split(", ")]
    assert sizes == [head + layer, 5 * layer]
    assert all(s <= 25 * 2**20 for s in sizes)


def test_ddp_workers_exit_every_time():
    """Regression: with DDP freed after destroy_process_group, most fresh interpreters running these
    launches five times hung at exit (gloo's destructor joined threads waiting for the GIL).
    Each launch runs in a fresh process with a deadline, so a hang fails instead of blocking."""
    import os
    import subprocess
    import sys

    code = "import ddp_check as d\nfor _ in range(5):\n    d.run_ddp(2); d.run_buckets(2)"
    env = {**os.environ, "PYTHONPATH": os.path.dirname(ddp_check.__file__), "OMP_NUM_THREADS": "1"}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60, capture_output=True)
