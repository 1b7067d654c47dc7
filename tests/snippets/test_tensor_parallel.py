"""Two-process Megatron tensor parallelism on CPU equals the unsharded layer."""

import os

import torch
import torch.nn.functional as F

import tensor_parallel as TP


def test_reference_attention_matches_torch_multihead():
    # the unsharded attention used as the reference agrees with nn.MultiheadAttention
    w = TP.full_weights()
    x = torch.randn(TP.BATCH, TP.SEQ, TP.H, dtype=torch.float64)
    mha = torch.nn.MultiheadAttention(TP.H, TP.HEADS, bias=False, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        mha.in_proj_weight.copy_(w["qkv"].T)
        mha.out_proj.weight.copy_(w["o"].T)
    mask = torch.ones(TP.SEQ, TP.SEQ, dtype=torch.bool).triu(1)
    ref, _ = mha(x, x, x, attn_mask=mask, need_weights=False)
    torch.testing.assert_close(TP.attention(x, w["qkv"], w["o"], TP.HEADS), ref)


def test_shards_partition_the_weights():
    w = TP.full_weights()
    s0, s1 = TP.shard(w, 0, 2), TP.shard(w, 1, 2)
    torch.testing.assert_close(torch.cat([s0["w1"], s1["w1"]], 1), w["w1"])
    torch.testing.assert_close(torch.cat([s0["w2"], s1["w2"]], 0), w["w2"])
    torch.testing.assert_close(torch.cat([s0["o"], s1["o"]], 0), w["o"])
    x = torch.randn(3, TP.H, dtype=torch.float64)
    mlp = lambda s: F.gelu(x @ s["w1"] + s["b1"]) @ s["w2"]
    torch.testing.assert_close(mlp(s0) + mlp(s1), F.gelu(x @ w["w1"] + w["b1"]) @ w["w2"])


def test_two_gloo_processes_match_unsharded_layer():
    results, ref = TP.run_tp(2), TP.reference()
    # two separate worker processes, neither of them this one
    assert len({r["pid"] for r in results}) == 2 and os.getpid() not in {r["pid"] for r in results}
    for rank, r in enumerate(results):
        torch.testing.assert_close(r["out"], ref["out"])
        torch.testing.assert_close(r["x_grad"], ref["x_grad"])
        for k, g in TP.shard(ref["grads"], rank, 2).items():
            torch.testing.assert_close(r["grads"][k], g)
        assert (r["all_reduce_forward"], r["all_reduce_backward"]) == (2, 2)
