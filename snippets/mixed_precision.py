"""Floating-point formats and dynamic loss scaling, for docs/llm/mixed-precision.md."""

import math

import torch


# --8<-- [start:formats]
import math
import torch


def format_row(dtype):
    """Bits of a floating-point dtype and its range / precision, all from torch.finfo."""
    fi = torch.finfo(dtype)
    mantissa = round(-math.log2(fi.eps))  # explicit fraction bits: eps = 2^-m
    exponent = fi.bits - 1 - mantissa  # the rest, after one sign bit
    return {
        "dtype": str(dtype).replace("torch.", ""),
        "bits": fi.bits,
        "exponent": exponent,
        "mantissa": mantissa,
        "max": fi.max,
        "min_normal": fi.smallest_normal,
        "min_subnormal": fi.smallest_normal * fi.eps,  # 2^(e_min - m)
        "eps": fi.eps,  # gap between 1 and the next number
        "decimal_digits": (mantissa + 1) * math.log10(2),
    }


# --8<-- [end:formats]


# --8<-- [start:loss_scaler]
import torch


class DynamicLossScaler:
    """Dynamic loss scaling, the rule torch.amp.GradScaler uses: multiply the loss by `scale`;
    if any gradient is inf/NaN, skip the step and halve the scale; after `growth_interval` clean
    steps in a row, double it. (Loss scaling and skipping overflowing steps: Micikevicius et al.
    2018, Sec. 3.2; the halve/double schedule and its defaults: torch/amp/grad_scaler.py.)"""

    def __init__(self, init_scale=2.0**16, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
        self.scale = init_scale
        self.growth_factor, self.backoff_factor = growth_factor, backoff_factor
        self.growth_interval, self.clean_steps = growth_interval, 0

    def step(self, params, optimizer):
        """Unscale the gradients in place, then step unless one is not finite. Returns True if stepped."""
        grads = [p.grad for p in params if p.grad is not None]
        finite = all(torch.isfinite(g).all() for g in grads)
        if finite:
            for g in grads:
                g.div_(self.scale)
            optimizer.step()
            self.clean_steps += 1
            if self.clean_steps == self.growth_interval:
                self.scale *= self.growth_factor
                self.clean_steps = 0
        else:
            self.scale *= self.backoff_factor
            self.clean_steps = 0
        return finite


# --8<-- [end:loss_scaler]


# --8<-- [start:scaler_run]
import torch


def run_scaler(use_torch, steps=12, bad_steps=(3, 4, 9), init_scale=2.0**4, growth_interval=3):
    """Train a tiny model for a few steps; at `bad_steps` the loss is made infinite (an overflow).
    Returns the scale after every step and the steps whose update was skipped."""
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(8, 4), torch.randn(8, 1)
    if use_torch:
        scaler = torch.amp.GradScaler("cpu", init_scale=init_scale, growth_interval=growth_interval)
    else:
        scaler = DynamicLossScaler(init_scale=init_scale, growth_interval=growth_interval)
    scales, skipped = [], []
    for t in range(steps):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        if t in bad_steps:
            loss = loss * float("inf")
        before = [p.detach().clone() for p in model.parameters()]
        if use_torch:
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()
            scales.append(scaler.get_scale())
        else:
            (loss * scaler.scale).backward()
            scaler.step(list(model.parameters()), opt)
            scales.append(scaler.scale)
        if all(torch.equal(a, b) for a, b in zip(before, model.parameters())):
            skipped.append(t)
    return scales, skipped, [p.detach() for p in model.parameters()]


# --8<-- [end:scaler_run]
