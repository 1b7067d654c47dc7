"""Number formats and dynamic loss scaling against torch.finfo and torch.amp.GradScaler."""

import torch

import mixed_precision as MP


def test_format_rows_match_ieee_and_fp8_definitions():
    rows = {r["dtype"]: r for r in map(MP.format_row, [torch.float32, torch.float16, torch.bfloat16])}
    assert [(r["exponent"], r["mantissa"]) for r in rows.values()] == [(8, 23), (5, 10), (8, 7)]
    assert rows["float16"]["max"] == 65504.0
    assert rows["float16"]["min_subnormal"] == 2.0**-24
    # the largest finite values, from the bit layout (independent of torch.finfo)
    assert torch.tensor([0x7BFF], dtype=torch.int16).view(torch.float16).item() == 65504.0
    assert MP.format_row(torch.float8_e4m3fn)["max"] == 448.0
    assert MP.format_row(torch.float8_e5m2)["max"] == 57344.0


def test_dynamic_scaler_matches_gradscaler():
    torch_run = MP.run_scaler(use_torch=True, steps=15, bad_steps=(0, 5, 6, 12), growth_interval=2)
    our_run = MP.run_scaler(use_torch=False, steps=15, bad_steps=(0, 5, 6, 12), growth_interval=2)
    assert torch_run[0] == our_run[0]
    assert torch_run[1] == our_run[1] == [0, 5, 6, 12]
    for a, b in zip(torch_run[2], our_run[2], strict=True):
        torch.testing.assert_close(a, b)


def test_scaler_rule_by_hand():
    # growth after growth_interval clean steps, halving on overflow
    scales, skipped, _ = MP.run_scaler(use_torch=False, steps=5, bad_steps=(2,), init_scale=8.0, growth_interval=2)
    assert scales == [8.0, 16.0, 8.0, 8.0, 16.0] and skipped == [2]
