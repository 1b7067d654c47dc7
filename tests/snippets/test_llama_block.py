import pytest
import torch
from transformers import LlamaConfig, LlamaForCausalLM

import llama_block as B


def hf_model(n_kv_heads, seed=0):
    torch.manual_seed(seed)
    cfg = LlamaConfig(
        vocab_size=50,
        hidden_size=32,
        intermediate_size=88,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=n_kv_heads,
        rms_norm_eps=1e-5,  # LLaMA's value (and TinyLlama's); LlamaConfig defaults to 1e-6
        tie_word_embeddings=False,
        attn_implementation="eager",
    )
    model = LlamaForCausalLM(cfg).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:
                p.add_(0.2 * torch.randn_like(p))
    return model


@pytest.mark.parametrize("n_kv_heads", [4, 2, 1])
def test_tiny_llama_matches_transformers(n_kv_heads):
    hf = hf_model(n_kv_heads)
    mine = B.TinyLlama(50, 32, 2, 4, n_kv_heads, 88).eval()
    B.load_from_hf(mine, hf)
    ids = torch.randint(0, 50, (3, 9))
    with torch.no_grad():
        assert torch.allclose(hf(ids).logits, mine(ids), atol=1e-5)


def test_rope_preserves_norm_and_is_relative():
    torch.manual_seed(0)
    q, k = torch.randn(1, 1, 1, 16), torch.randn(1, 1, 1, 16)
    seq = 12
    qs, ks = B.rope(q.expand(1, 1, seq, 16)), B.rope(k.expand(1, 1, seq, 16))
    assert torch.allclose(qs.norm(dim=-1), q.norm(dim=-1).expand(1, 1, seq), atol=1e-5)
    # <q_m, k_n> depends only on m - n
    s = (qs[0, 0] @ ks[0, 0].T).numpy()
    for off in range(-3, 4):
        diag = [s[m, m - off] for m in range(seq) if 0 <= m - off < seq]
        assert max(diag) - min(diag) < 1e-4


def test_swiglu_matches_gelu_ffn_parameters():
    for d in (96, 384, 768, 3072):
        assert B.n_params(B.SwiGLUFFN(d, 8 * d // 3)) == B.n_params(B.GELUFFN(d, 4 * d)) == 8 * d * d


def test_llama_ffn_dim_rule():
    assert B.llama_ffn_dim(4096) == 11008
    assert B.llama_ffn_dim(5120) == 13824
    for dim in (512, 1000, 4096, 6656, 8192):
        h = B.llama_ffn_dim(dim)
        assert h % 256 == 0 and 0 <= h - int(8 * dim / 3) < 256


@pytest.mark.parametrize(
    "cfg",
    [
        dict(vocab=32000, d=4096, n_layers=32, n_heads=32, n_kv_heads=32, d_ff=11008),
        dict(vocab=128000, d=4096, n_layers=32, n_heads=32, n_kv_heads=8, d_ff=14336),
        dict(vocab=1000, d=256, n_layers=3, n_heads=8, n_kv_heads=2, d_ff=700),
    ],
)
@pytest.mark.parametrize("tied", [False, True])
def test_breakdown_matches_transformers_on_meta(cfg, tied):
    config = LlamaConfig(
        vocab_size=cfg["vocab"],
        hidden_size=cfg["d"],
        intermediate_size=cfg["d_ff"],
        num_hidden_layers=cfg["n_layers"],
        num_attention_heads=cfg["n_heads"],
        num_key_value_heads=cfg["n_kv_heads"],
        tie_word_embeddings=tied,
    )
    with torch.device("meta"):
        model = LlamaForCausalLM(config)
    parts, total = B.llama_param_breakdown(**cfg, tied=tied)
    assert B.hf_breakdown(model) == parts
    assert sum(p.numel() for p in model.parameters()) == total


def test_llama2_7b_total():
    _, total = B.llama_param_breakdown(32000, 4096, 32, 32, 32, 11008)
    assert total == 6_738_415_616


def test_causal_prefix_is_unchanged_by_suffix():
    torch.manual_seed(1)
    blk = B.DecoderBlock(32, 4, 2, 88).eval()
    x = torch.randn(1, 8, 32)
    with torch.no_grad():
        assert torch.allclose(blk(x)[:, :5], blk(x[:, :5]), atol=1e-6)
        blk.causal = False
        assert not torch.allclose(blk(x)[:, :5], blk(x[:, :5]), atol=1e-3)
