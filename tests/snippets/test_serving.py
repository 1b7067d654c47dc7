import numpy as np
import pytest
import torch
from transformers import LlamaConfig, LlamaForCausalLM

import serving as S


def llama2_7b():
    with torch.device("meta"):
        model = LlamaForCausalLM(LlamaConfig())  # defaults are the Llama 2 7B shape
    n = sum(p.numel() for p in model.parameters())
    return S.Decoder(n, model.model.embed_tokens.weight.numel(), 32, 4096, 4096), n


def test_decoder_counts_against_hand_formula():
    m, n = llama2_7b()
    d, f, L, V = 4096, 11008, 32, 32000
    per_layer = 4 * d * d + 3 * d * f + 2 * d  # q,k,v,o + gate,up,down + two RMSNorm weights
    assert n == L * per_layer + 2 * V * d + d  # untied embedding and lm_head, final norm
    assert m.kv_bytes_per_token == 2 * 32 * 4096 * 2 == 512 * 1024


def test_decode_intensity_grows_with_batch_and_is_one_at_batch_one():
    m, _ = llama2_7b()
    f1, b1 = S.decode_step(m, 1, 0)
    assert abs(f1 / b1 - 1.0) < 1e-9  # 2 FLOPs per weight, 2 bytes per weight
    f64, b64 = S.decode_step(m, 64, 0)
    assert abs(f64 / b64 - 64.0) < 1e-9
    # long contexts add KV traffic that grows with the batch: intensity falls below the batch size
    fk, bk = S.decode_step(m, 64, 4096)
    assert fk / bk < 16
    ridge = S.A100_BF16_FLOPS / S.A100_HBM_BYTES_PER_S
    assert 150 < ridge < 156


def test_prefill_is_compute_bound():
    m, _ = llama2_7b()
    f, b = S.prefill(m, 2048)
    assert f / b > S.A100_BF16_FLOPS / S.A100_HBM_BYTES_PER_S
    assert S.roofline_time(f, b) == f / S.A100_BF16_FLOPS


def test_block_table_fork_and_copy_on_write():
    alloc = S.BlockAllocator(num_blocks=16, block_size=4)
    parent = S.Sequence(alloc)
    for t in range(10):  # blocks: [0..3] [4..7] [8, 9, _, _]
        parent.append(t)
    assert parent.tokens() == list(range(10)) and len(parent.block_table) == 3
    child = parent.fork()
    assert child.block_table == parent.block_table
    assert all(alloc.refcount[b] == 2 for b in parent.block_table)
    child.append(100)  # writes into the shared, partially filled last block -> copy
    assert alloc.copies == 1
    assert child.block_table[:2] == parent.block_table[:2] and child.block_table[2] != parent.block_table[2]
    assert parent.tokens() == list(range(10))  # the parent is untouched
    assert child.tokens() == list(range(10)) + [100]
    child.append(101)  # its own block now: no further copy
    assert alloc.copies == 1
    used_before = 16 - len(alloc.free)
    child.release()
    assert 16 - len(alloc.free) == used_before - 1  # only the private block is freed
    assert all(alloc.refcount[b] == 1 for b in parent.block_table)
    parent.release()
    assert len(alloc.free) == 16 and (alloc.storage == -1).all()


def test_fork_at_block_boundary_needs_no_copy():
    alloc = S.BlockAllocator(8, 4)
    seq = S.Sequence(alloc)
    for t in range(8):
        seq.append(t)
    child = seq.fork()
    child.append(8)  # starts a fresh block
    assert alloc.copies == 0


def test_paged_attention_equals_contiguous():
    torch.manual_seed(0)
    block, d, length = 4, 8, 13
    k_blocks, v_blocks = torch.randn(10, block, d), torch.randn(10, block, d)
    table = [7, 2, 9, 0]  # non-contiguous physical blocks
    q = torch.randn(d)
    out = S.paged_attention(q, k_blocks, v_blocks, table, length)
    k = torch.cat([k_blocks[b] for b in table])[:length]
    v = torch.cat([v_blocks[b] for b in table])[:length]
    ref = torch.nn.functional.scaled_dot_product_attention(q[None, None], k[None], v[None])[0, 0]
    assert torch.allclose(out, ref, atol=1e-6)


def test_kv_memory_paged_beats_contiguous():
    rng = np.random.default_rng(0)
    p, o = S.sample_requests(600, rng)
    contiguous, b_contig = S.simulate_kv_memory(p, o, 40 * 2048, reserve=lambda p_, o_: 2048)
    paged, b_paged = S.simulate_kv_memory(p, o, 40 * 2048, block_size=16)
    for shares in (contiguous, paged):
        assert abs(sum(shares.values()) - 1) < 1e-9
    assert b_contig == pytest.approx(40)  # one 2048-slot reservation each
    assert paged["internal"] < 0.05 and contiguous["used"] < 0.4 < 0.9 < paged["used"]
    assert b_paged > 3 * b_contig


@pytest.mark.parametrize("continuous", [False, True])
def test_batching_simulation_invariants(continuous):
    rng = np.random.default_rng(0)
    n = 300
    arrivals = np.cumsum(rng.exponential(0.5, n))
    lengths = rng.integers(1, 50, n)
    lat, end = S.simulate_batching(arrivals, lengths, 8, lambda b: 0.01, continuous)
    # a request can never finish faster than its own number of decode iterations
    assert (lat >= lengths * 0.01 - 1e-9).all()
    assert end >= arrivals.max()


def test_continuous_batching_lowers_latency():
    rng = np.random.default_rng(1)
    n = 400
    arrivals = np.cumsum(rng.exponential(0.2, n))
    lengths = rng.integers(1, 200, n)
    static, _ = S.simulate_batching(arrivals, lengths, 16, lambda b: 0.01, False)
    cont, _ = S.simulate_batching(arrivals, lengths, 16, lambda b: 0.01, True)
    assert cont.mean() < static.mean()


def test_prefill_chunk_consistent_with_full_prefill():
    m, _ = llama2_7b()
    full_flops, _ = S.prefill(m, 2048)
    # chunks of a prompt add up to (about) the one-shot prefill: only the diagonal term differs
    chunked = sum(S.prefill_chunk(m, 512, c)[0] for c in range(0, 2048, 512))
    assert abs(chunked / full_flops - 1) < 0.01
    # a prefix-cache hit removes the GEMM work of the cached tokens
    hit, _ = S.prefill_chunk(m, 100, 1948)
    assert hit < 0.1 * full_flops
