"""Megatron-style tensor parallelism of a Transformer layer, really run in 2 gloo processes on CPU.

Each rank holds a column shard of W_qkv (its attention heads) and of W_1, and a row shard of W_o
and W_2. Checked against the unsharded layer: outputs, input gradients and weight gradients;
the all-reduces are counted in the forward and the backward pass. For docs/llm/parallelism.md.
"""

# --8<-- [start:layer]
import math

import torch
import torch.nn.functional as F

H, HEADS, SEQ, BATCH = 16, 4, 6, 2  # hidden size, attention heads, tokens, sequences


def full_weights(seed=0):
    """Unsharded weights of one layer (x @ W convention), identical on every rank."""
    g = torch.Generator().manual_seed(seed)
    r = lambda *s: torch.randn(*s, generator=g, dtype=torch.float64) / math.sqrt(s[0])
    return {"qkv": r(H, 3 * H), "o": r(H, H), "o_b": r(1, H)[0], "w1": r(H, 4 * H), "b1": r(1, 4 * H)[0],
            "w2": r(4 * H, H), "b2": r(1, H)[0]}  # fmt: skip


def attention(x, w_qkv, w_o, n_heads):
    """Multi-head self-attention on n_heads heads; w_qkv columns are [q | k | v] for these heads."""
    b, s, _ = x.shape
    q, k, v = (x @ w_qkv).chunk(3, dim=-1)
    split = lambda t: t.view(b, s, n_heads, -1).transpose(1, 2)
    ctx = F.scaled_dot_product_attention(split(q), split(k), split(v), is_causal=True)
    return ctx.transpose(1, 2).reshape(b, s, -1) @ w_o


def layer_reference(x, w):
    """The unsharded layer: x + Attn(x), then + MLP (no LayerNorm, to keep the check short)."""
    x = x + attention(x, w["qkv"], w["o"], HEADS) + w["o_b"]
    return x + F.gelu(x @ w["w1"] + w["b1"]) @ w["w2"] + w["b2"]


# --8<-- [end:layer]


# --8<-- [start:shard]
import torch


def shard(w, rank, world):
    """Megatron split: column-parallel W_qkv (whole heads) and W_1; row-parallel W_o and W_2.
    Biases of column-parallel layers are split; biases of row-parallel layers are added once,
    after the all-reduce."""
    hh = H // world  # hidden columns (= heads * head_dim) owned by this rank
    q, k, v = w["qkv"].chunk(3, dim=1)
    cols = slice(rank * hh, (rank + 1) * hh)
    ff = slice(rank * 4 * H // world, (rank + 1) * 4 * H // world)
    return {
        "qkv": torch.cat([q[:, cols], k[:, cols], v[:, cols]], dim=1),  # this rank's heads
        "o": w["o"][cols, :],  # the matching rows of W_o
        "o_b": w["o_b"],
        "w1": w["w1"][:, ff],
        "b1": w["b1"][ff],
        "w2": w["w2"][ff, :],
        "b2": w["b2"],
    }


# --8<-- [end:shard]


# --8<-- [start:worker]
import os

import torch
import torch.distributed as dist
import torch.nn.functional as F

CALLS = {"forward": 0, "backward": 0}


class CopyToTP(torch.autograd.Function):
    """Megatron's f: identity in the forward pass, all-reduce of the gradient in the backward."""

    @staticmethod
    def forward(ctx, x):
        return x

    @staticmethod
    def backward(ctx, grad):
        grad = grad.clone()
        dist.all_reduce(grad)
        CALLS["backward"] += 1
        return grad


class ReduceFromTP(torch.autograd.Function):
    """Megatron's g: all-reduce in the forward pass, identity in the backward."""

    @staticmethod
    def forward(ctx, x):
        x = x.clone()
        dist.all_reduce(x)
        CALLS["forward"] += 1
        return x

    @staticmethod
    def backward(ctx, grad):
        return grad


def layer_tp(x, w, world):
    """The same layer on one rank: 2 all-reduces forward (g), 2 backward (f)."""
    a = ReduceFromTP.apply(attention(CopyToTP.apply(x), w["qkv"], w["o"], HEADS // world))
    x = x + a + w["o_b"]
    m = ReduceFromTP.apply(F.gelu(CopyToTP.apply(x) @ w["w1"] + w["b1"]) @ w["w2"])
    return x + m + w["b2"]


def worker(rank, world, workdir):
    os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"file://{workdir}/store", rank=rank, world_size=world)
    w = {k: t.requires_grad_() for k, t in shard(full_weights(), rank, world).items()}
    x = torch.randn(BATCH, SEQ, H, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    x.requires_grad_()  # the same input on every rank (tensor parallelism replicates activations)
    out = layer_tp(x, w, world)
    forward_calls = CALLS["forward"]
    out.pow(2).sum().backward()
    torch.save(
        {"out": out.detach(), "x_grad": x.grad, "grads": {k: t.grad for k, t in w.items()},
         "all_reduce_forward": forward_calls, "all_reduce_backward": CALLS["backward"], "pid": os.getpid()},
        os.path.join(workdir, f"rank{rank}.pt"),
    )  # fmt: skip
    dist.destroy_process_group()


# --8<-- [end:worker]


# --8<-- [start:launch]
import os
import tempfile

import torch
import torch.multiprocessing as mp


def run_tp(world=2):
    with tempfile.TemporaryDirectory() as workdir:
        mp.start_processes(worker, args=(world, workdir), nprocs=world, join=True, start_method="fork")
        return [torch.load(os.path.join(workdir, f"rank{r}.pt")) for r in range(world)]


def reference():
    """One process, unsharded weights: output and gradients."""
    w = {k: t.requires_grad_() for k, t in full_weights().items()}
    x = torch.randn(BATCH, SEQ, H, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    x.requires_grad_()
    out = layer_reference(x, w)
    out.pow(2).sum().backward()
    return {"out": out.detach(), "x_grad": x.grad, "grads": {k: t.grad for k, t in w.items()}}


# --8<-- [end:launch]
