import copy
import warnings

import pytest
import torch

from quantization import (
    GiB,
    Int8Linear,
    awq_search,
    fake_quant,
    gptq,
    group_quant,
    int8_vectorwise_matmul,
    kv_cache_bytes,
    llm_int8_matmul,
    max_params,
    mmap_vs_eager,
    quantize_model,
    quantize_per_channel_int8,
    rtn,
    smoothquant_scales,
    state_dict_bytes,
    w8a8_matmul,
    weight_bytes,
)


def test_weight_bytes_and_kv_cache():
    assert weight_bytes(7e9, "fp16/bf16") == 14e9
    assert weight_bytes(7e9, "int4") == 3.5e9
    # facts.md: 80 layers, d_head 128, fp16, 64 KV heads -> 2.5 MiB per token; GQA-8 -> 320 KiB
    assert kv_cache_bytes(80, 64, 128, seq_len=1) == 2.5 * 1024**2
    assert kv_cache_bytes(80, 8, 128, seq_len=1) == 320 * 1024
    assert max_params(3 * GiB, "fp32", 0) == 3 * GiB / 4


def test_per_channel_matches_torch_fake_quantize():
    torch.manual_seed(0)
    w = torch.randn(64, 128) * torch.rand(64, 1) * 3
    q, scale = quantize_per_channel_int8(w)
    assert q.dtype == torch.int8 and q.abs().max() <= 127
    ref = torch.fake_quantize_per_channel_affine(
        w, scale, torch.zeros(64, dtype=torch.int32), axis=0, quant_min=-127, quant_max=127
    )
    assert torch.allclose(q.float() * scale[:, None], ref, atol=1e-6)
    # rounding error bound: at most half a quantisation step per element
    err = (q.float() * scale[:, None] - w).abs()
    assert (err <= scale[:, None] / 2 + 1e-6).all()
    # the largest |w| of each row maps exactly to +-127
    assert (q.abs().amax(1) == 127).all()


def _mlp():
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Linear(512, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10)
    )


def test_int8_model_is_about_4x_smaller_and_close():
    model = _mlp()
    qmodel = quantize_model(copy.deepcopy(model))
    assert sum(isinstance(m, Int8Linear) for m in qmodel.modules()) == 3
    ratio = state_dict_bytes(model) / state_dict_bytes(qmodel)
    assert 3.5 < ratio < 4.0  # biases and scales stay fp32, so slightly under 4
    x = torch.randn(64, 512)
    ref, out = model(x), qmodel(x)
    rel = ((out - ref).norm() / ref.norm()).item()
    assert rel < 0.02


def test_agrees_with_torch_dynamic_quantization_if_available():
    quantize_dynamic = pytest.importorskip("torch.ao.quantization").quantize_dynamic
    model = _mlp()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dq = quantize_dynamic(copy.deepcopy(model), {torch.nn.Linear}, dtype=torch.qint8)
        x = torch.randn(64, 512)
        ref, out_dq = model(x), dq(x)
    out_ours = quantize_model(copy.deepcopy(model))(x)
    # both are int8 weight quantisations of the same model: both close to fp32
    assert ((out_dq - ref).norm() / ref.norm()).item() < 0.05
    assert ((out_ours - ref).norm() / ref.norm()).item() < 0.05


def test_mmap_load_defers_reading(tmp_path):
    d = mmap_vs_eager(str(tmp_path / "w.pt"), n_mib=64)
    assert d["mmap load"] < 8  # almost nothing resident right after loading
    assert d["eager load"] > 48  # eager load copies the whole tensor
    assert d["mmap after touching"] > 48


def test_fake_quant_symmetric_channel_is_the_int8_quantizer():
    torch.manual_seed(0)
    w = torch.randn(32, 64) * torch.rand(32, 1)
    q, scale = quantize_per_channel_int8(w)
    assert torch.allclose(fake_quant(w, 8, True, "channel"), q.float() * scale[:, None], atol=1e-6)


def test_fake_quant_asymmetric_matches_torch_fake_quantize():
    torch.manual_seed(1)
    w = torch.randn(16, 32) + 0.7  # shifted: asymmetric ranges
    lo, hi = w.min().clamp(max=0), w.max().clamp(min=0)
    scale = (hi - lo) / 255
    zero = int(torch.round(-lo / scale))
    ref = torch.fake_quantize_per_tensor_affine(w, scale.item(), zero, 0, 255)
    assert torch.allclose(fake_quant(w, 8, False, "tensor"), ref, atol=1e-5)
    lo, hi = w.amin(1).clamp(max=0), w.amax(1).clamp(min=0)
    scale = (hi - lo) / 15
    zero = torch.round(-lo / scale).int()
    ref = torch.fake_quantize_per_channel_affine(w, scale, zero, 0, 0, 15)
    assert torch.allclose(fake_quant(w, 4, False, "channel"), ref, atol=1e-5)


def test_group_quant_isolates_an_outlier_column():
    torch.manual_seed(2)
    w = torch.randn(64, 256)
    w[:, 5] *= 50  # one input column with huge weights
    err = {g: (fake_quant(w, 4, True, g, 64) - w).norm() for g in ["tensor", "channel", "group"]}
    assert err["group"] < err["channel"] <= err["tensor"]
    # per-channel does not help much here: every row contains the outlier column
    assert err["channel"] > 0.5 * err["tensor"]


def test_int8_vectorwise_is_exact_integer_arithmetic():
    torch.manual_seed(3)
    x, w = torch.randn(8, 32, dtype=torch.float64), torch.randn(32, 16, dtype=torch.float64)
    sx = x.abs().amax(1, keepdim=True) / 127
    sw = w.abs().amax(0, keepdim=True) / 127
    xi = torch.round(x / sx).to(torch.int32)
    wi = torch.round(w / sw).to(torch.int32)
    ref = (xi @ wi).double() * sx * sw  # int32 accumulation as on int8 tensor cores
    assert torch.allclose(int8_vectorwise_matmul(x, w), ref)


def test_llm_int8_decomposition():
    torch.manual_seed(4)
    x, w = torch.randn(64, 128, dtype=torch.float64), torch.randn(128, 32, dtype=torch.float64) / 11
    out, n_outliers = llm_int8_matmul(x, w, threshold=100.0)  # no outliers: plain int8
    assert n_outliers == 0 and torch.allclose(out, int8_vectorwise_matmul(x, w))
    x[:, [3, 77]] *= 25  # two outlier feature dimensions
    exact = x @ w
    plain = (int8_vectorwise_matmul(x, w) - exact).norm() / exact.norm()
    mixed, n_outliers = llm_int8_matmul(x, w, threshold=6.0)
    assert n_outliers == 2
    assert (mixed - exact).norm() / exact.norm() < plain / 5


def test_smoothquant_is_exact_and_helps_w8a8():
    torch.manual_seed(5)
    x = torch.randn(256, 64, dtype=torch.float64)
    x[:, :3] *= 40  # outlier channels in the activations
    w = torch.randn(64, 32, dtype=torch.float64) / 8
    s = smoothquant_scales(x, w, 0.5)
    assert torch.allclose(x @ w, (x / s) @ (s[:, None] * w))
    assert (x / s).abs().max() < x.abs().max() / 4
    exact = x @ w
    before = (w8a8_matmul(x, w) - exact).norm()
    after = (w8a8_matmul(x / s, s[:, None] * w) - exact).norm()
    assert after < before / 2


def _obq_reference(w, x, bits, percdamp=0.01):
    """Independent sequential OBQ-style update with an explicit inverse, updated by
    Gaussian elimination of the quantized coordinate (Frantar et al. 2023, eq. (2)-(3))."""
    from quantization import minmax_params, quantize_column

    w = w.clone().double()
    h = 2 * x.double().T @ x.double() / x.shape[0]
    h += percdamp * h.diag().mean() * torch.eye(h.shape[0], dtype=h.dtype)
    hinv = torch.linalg.inv(h)
    scale, zero, maxq = minmax_params(w, bits)
    q = torch.zeros_like(w)
    for i in range(w.shape[1]):
        q[:, i] = quantize_column(w[:, i], scale, zero, maxq)
        err = (w[:, i] - q[:, i]) / hinv[i, i]
        w -= err[:, None] * hinv[i][None, :]  # delta = -err * H^-1[:, i]
        hinv = hinv - hinv[:, i : i + 1] @ hinv[i : i + 1, :] / hinv[i, i]  # remove coordinate i
    return q


def test_gptq_equals_sequential_obq_update_and_beats_rtn():
    torch.manual_seed(6)
    n, d_in, d_out = 512, 48, 24
    x = torch.randn(n, d_in) @ torch.randn(d_in, d_in) / 7  # correlated inputs
    w = torch.randn(d_out, d_in)
    q = gptq(w, x, bits=3)
    assert torch.allclose(q, _obq_reference(w, x, bits=3), atol=1e-8)
    y = x.double() @ w.double().T
    assert (x.double() @ q.T - y).norm() < 0.8 * (x.double() @ rtn(w.double(), 3).T - y).norm()


def test_gptq_with_uncorrelated_inputs_is_round_to_nearest():
    torch.manual_seed(7)
    x = torch.linalg.qr(torch.randn(64, 16))[0] * 8  # orthogonal columns: H is a multiple of I
    w = torch.randn(8, 16)
    assert torch.allclose(gptq(w, x, bits=3), rtn(w.double(), 3), atol=1e-10)


def test_awq_ratio_zero_is_plain_group_quantization_and_search_helps():
    torch.manual_seed(8)
    x = torch.randn(256, 256)
    x[:, :4] *= 30  # salient input channels
    w = torch.randn(64, 256) / 16
    (best_ratio, best_err), results = awq_search(w, x)
    plain = ((x @ group_quant(w).T - x @ w.T) ** 2).mean().item()
    assert abs(results[0][1] - plain) < 1e-9 * max(plain, 1)
    assert best_ratio > 0 and best_err < plain


def test_group_quant_matches_llm_awq_pseudo_quantize():
    """llm-awq awq/quantize/quantizer.py pseudo_quantize_tensor (zero_point=True), rewritten here:
    range = the group's own min/max, zero = clamp(-round(min / scale), 0, 2^b - 1)."""
    torch.manual_seed(9)
    w = torch.randn(64, 512) * torch.rand(64, 1)
    g = w.reshape(-1, 128)
    max_val, min_val = g.amax(1, keepdim=True), g.amin(1, keepdim=True)
    scales = (max_val - min_val).clamp(min=1e-5) / 15
    zeros = (-torch.round(min_val / scales)).clamp(0, 15)
    ref = ((torch.clamp(torch.round(g / scales) + zeros, 0, 15) - zeros) * scales).reshape(w.shape)
    assert torch.allclose(group_quant(w), ref, atol=1e-6)
