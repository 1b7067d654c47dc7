import warnings

import pytest
import torch

from gpt_params import GPT_CONFIGS, approx_12_L_d2, gpt_param_count

transformers = pytest.importorskip("transformers")


def _numel_meta(model_cls, config):
    # build on the meta device: shapes only, no memory, no download
    with torch.device("meta"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = model_cls(config)
    return sum(p.numel() for p in model.parameters())


def _gpt2_config(c):
    return transformers.GPT2Config(
        vocab_size=c["vocab"], n_positions=c["n_ctx"], n_embd=c["d_model"], n_layer=c["n_layer"], n_head=c["n_head"]
    )


def test_gpt2_small_matches_transformers_on_cpu():
    c = GPT_CONFIGS["GPT-2 small"]
    model = transformers.GPT2Model(_gpt2_config(c))  # real (random) weights, no download
    n = sum(p.numel() for p in model.parameters())
    assert gpt_param_count(**c)["total"] == n
    assert 124e6 < n < 125e6  # the "124M" GPT-2 small


@pytest.mark.parametrize("name", ["GPT-2 medium", "GPT-2 large", "GPT-2 XL", "GPT-3 175B"])
def test_larger_configs_match_transformers_meta(name):
    c = GPT_CONFIGS[name]
    assert gpt_param_count(**c)["total"] == _numel_meta(transformers.GPT2Model, _gpt2_config(c))


def test_gpt1_matches_openai_gpt_model():
    c = GPT_CONFIGS["GPT-1"]
    cfg = transformers.OpenAIGPTConfig(
        vocab_size=c["vocab"], n_positions=c["n_ctx"], n_embd=c["d_model"], n_layer=c["n_layer"], n_head=c["n_head"]
    )
    assert gpt_param_count(**c)["total"] == _numel_meta(transformers.OpenAIGPTModel, cfg)


def test_gpt3_is_175b_within_1_percent():
    total = gpt_param_count(**GPT_CONFIGS["GPT-3 175B"])["total"]
    assert abs(total / 175e9 - 1) < 0.01
    # 12 L d^2 alone is already within 1% at this scale; embeddings are < 0.5%
    assert abs(approx_12_L_d2(**GPT_CONFIGS["GPT-3 175B"]) / total - 1) < 0.01


def test_gpt2_xl_is_the_1_5b_model():
    total = gpt_param_count(**GPT_CONFIGS["GPT-2 XL"])["total"]
    assert 1.5e9 < total < 1.6e9


def test_recount_matches_released_gpt2_names_and_gpt1_size():
    # openai/gpt-2 README: the paper's parameter counts were wrong; the released
    # checkpoints are named 124M, 355M, 774M, 1558M (DEVELOPERS.md, download_model.py)
    names = ["GPT-2 small", "GPT-2 medium", "GPT-2 large", "GPT-2 XL"]
    assert [round(gpt_param_count(**GPT_CONFIGS[n])["total"] / 1e6) for n in names] == [124, 355, 774, 1558]
    # the paper's "117M" for the smallest model is the size of the GPT-1 configuration
    assert round(gpt_param_count(**GPT_CONFIGS["GPT-1"])["total"] / 1e6) == 117
