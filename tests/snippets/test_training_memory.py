"""Training memory: ZeRO formulas, the counted activations of a GPT layer, checkpointing, accumulation."""

import pytest
import torch
from torch.utils.checkpoint import checkpoint

import training_memory as TM


def test_model_states_match_zero_paper_figure_1():
    # ZeRO paper, Figure 1: Psi = 7.5B, N_d = 64 -> 120 / 31.4 / 16.6 / 1.9 GB
    got = [round(TM.model_state_bytes(7.5e9, 64, stage) / 1e9, 1) for stage in range(4)]
    assert got == [120.0, 31.4, 16.6, 1.9]


@pytest.mark.parametrize("s,b,h,a", [(8, 1, 16, 2), (24, 2, 40, 5)])
def test_counted_activations_equal_korthikanti_eq1(s, b, h, a):
    torch.manual_seed(0)
    layer = TM.GPTLayer(h, a)
    x = torch.randn(s, b, h, dtype=torch.bfloat16, requires_grad=True)
    tracker = TM.SavedTensorTracker(layer.parameters())
    with tracker.hooks():
        out = layer(x)
    # independent term-by-term sum of the paper's list, plus LayerNorm mean/rstd (2 x 2 x s*b x 2 bytes)
    sbh, as2b = s * b * h, a * s * s * b
    attention = 2 * sbh + 4 * sbh + 2 * as2b + as2b + 2 * as2b + 2 * sbh + 2 * sbh + sbh
    mlp = 2 * sbh + 8 * sbh + 8 * sbh + sbh
    norms = 4 * sbh
    assert tracker.total == attention + mlp + norms + 8 * s * b
    assert attention + mlp + norms == TM.activation_bytes_per_layer(s, b, h, a)
    out.float().sum().backward()
    assert tracker.total == 0  # every saved tensor is released by the backward pass
    assert tracker.peak == attention + mlp + norms + 8 * s * b


@pytest.mark.parametrize("reentrant", [True, False])
def test_checkpoint_gradients_identical(reentrant):
    torch.manual_seed(0)
    layers = [TM.GPTLayer(16, 2) for _ in range(3)]
    params = [p for layer in layers for p in layer.parameters()]

    def grads(ckpt):
        torch.manual_seed(1)
        x = torch.randn(8, 2, 16, dtype=torch.bfloat16, requires_grad=True)
        for p in params:
            p.grad = None
        out = x
        for layer in layers:
            out = checkpoint(layer, out, use_reentrant=reentrant) if ckpt else layer(out)
        out.float().sum().backward()
        return [p.grad.clone() for p in params] + [x.grad]

    for g1, g2 in zip(grads(False), grads(True), strict=True):
        assert torch.equal(g1, g2)


def test_token_mean_fix_equals_big_batch_and_pitfall_differs():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Embedding(7, 4), torch.nn.Linear(4, 7)).double()

    def mb(valid):
        x, y = torch.randint(7, (len(valid), 5)), torch.randint(7, (len(valid), 5))
        return x, y, (torch.arange(5) < torch.tensor(valid).unsqueeze(1)).double()

    batches = [mb([5, 1]), mb([2, 2]), mb([5, 5])]
    model.zero_grad()
    # independent reference: plain cross-entropy with ignore_index on the concatenated batch
    x = torch.cat([b[0] for b in batches])
    y = torch.cat([torch.where(b[2] > 0, b[1], torch.full_like(b[1], -100)) for b in batches])
    torch.nn.functional.cross_entropy(model(x).flatten(0, 1), y.flatten(), ignore_index=-100).backward()
    ref = [p.grad.clone() for p in model.parameters()]
    fixed = TM.accumulate(model, batches, "global_token_mean")
    wrong = TM.accumulate(model, batches, "per_micro_batch_mean")
    assert all(torch.allclose(a, b, atol=1e-12) for a, b in zip(fixed, ref, strict=True))
    assert not all(torch.allclose(a, b, atol=1e-6) for a, b in zip(wrong, ref, strict=True))
