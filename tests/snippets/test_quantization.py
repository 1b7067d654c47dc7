import copy
import warnings

import pytest
import torch

from quantization import (
    GiB,
    Int8Linear,
    kv_cache_bytes,
    max_params,
    mmap_vs_eager,
    quantize_model,
    quantize_per_channel_int8,
    state_dict_bytes,
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
