"""Positional encodings of docs/transformer/positional-encoding.md:
sinusoidal, RoPE, ALiBi, NEZHA-style functional relative encoding,
position interpolation and NTK-aware base scaling."""

import math

import torch

# --8<-- [start:sinusoidal]
import math
import torch


def sinusoidal(n_pos, d_model, base=10000.0):
    """PE[pos, 2i] = sin(pos / base^(2i/d)), PE[pos, 2i+1] = cos(pos / base^(2i/d))."""
    pos = torch.arange(n_pos, dtype=torch.float64).unsqueeze(1)  # (n_pos, 1)
    omega = base ** (-torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)  # (d/2,)
    pe = torch.zeros(n_pos, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(pos * omega)
    pe[:, 1::2] = torch.cos(pos * omega)
    return pe


def shift_matrix(k, d_model, base=10000.0):
    """Block-diagonal M_k with PE[pos + k] = M_k @ PE[pos] for every pos.
    Each 2x2 block rotates (sin, cos) of one frequency by the angle k * omega_i."""
    omega = base ** (-torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)
    M = torch.zeros(d_model, d_model, dtype=torch.float64)
    for i, w in enumerate(omega):
        c, s = math.cos(k * w), math.sin(k * w)
        # sin(a + b) = sin a cos b + cos a sin b ; cos(a + b) = cos a cos b - sin a sin b
        M[2 * i : 2 * i + 2, 2 * i : 2 * i + 2] = torch.tensor([[c, s], [-s, c]], dtype=torch.float64)
    return M


# --8<-- [end:sinusoidal]


# --8<-- [start:rope]
import torch


def rope(x, positions, base=10000.0):
    """Rotary position embedding (Su et al.): rotate each pair (x[2i], x[2i+1]) by the
    angle positions * theta_i with theta_i = base^(-2i/d).  x: (..., n, d), positions: (n,)."""
    d = x.size(-1)
    theta = base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)  # (d/2,)
    angle = positions.to(torch.float64).unsqueeze(-1) * theta  # (n, d/2)
    cos, sin = torch.cos(angle).to(x.dtype), torch.sin(angle).to(x.dtype)
    x1, x2 = x[..., 0::2], x[..., 1::2]
    out = torch.empty_like(x)
    out[..., 0::2] = x1 * cos - x2 * sin
    out[..., 1::2] = x1 * sin + x2 * cos
    return out


# --8<-- [end:rope]


# --8<-- [start:alibi]
import torch


def alibi_slopes(n_heads):
    """Geometric slopes 2^(-8/n), 2^(-16/n), ... (Press et al.; n_heads a power of 2)."""
    return torch.tensor([2.0 ** (-8.0 * (h + 1) / n_heads) for h in range(n_heads)])


def alibi_bias(n, n_heads):
    """Bias added to causal attention scores: -slope_h * (i - j) for key j <= query i."""
    i = torch.arange(n).unsqueeze(1)
    j = torch.arange(n).unsqueeze(0)
    distance = (i - j).clamp(min=0).float()  # future keys are masked anyway
    return -alibi_slopes(n_heads).view(-1, 1, 1) * distance + 0.0  # (n_heads, n, n); +0.0 drops -0.0


# --8<-- [end:alibi]


# --8<-- [start:nezha]
import torch


def functional_relative(n, d_z, base=10000.0):
    """NEZHA's functional relative position encoding a_ij (Wei et al. 2019):
    a_ij[2k] = sin((j - i) / base^(2k/d_z)), a_ij[2k+1] = cos((j - i) / base^(2k/d_z)).
    Returns (n, n, d_z); it is added to the keys (and values) inside attention."""
    rel = (torch.arange(n).view(1, n) - torch.arange(n).view(n, 1)).to(torch.float64)  # j - i
    omega = base ** (-torch.arange(0, d_z, 2, dtype=torch.float64) / d_z)
    a = torch.zeros(n, n, d_z, dtype=torch.float64)
    a[..., 0::2] = torch.sin(rel.unsqueeze(-1) * omega)
    a[..., 1::2] = torch.cos(rel.unsqueeze(-1) * omega)
    return a


# --8<-- [end:nezha]


# --8<-- [start:context_extension]
import torch


def interpolated_positions(n, train_len, target_len):
    """Position Interpolation (Chen et al. 2023): squeeze positions 0..target_len-1
    into the trained range by m -> m * train_len / target_len."""
    return torch.arange(n, dtype=torch.float64) * train_len / target_len


def ntk_aware_base(base, scale, d):
    """'NTK-aware' RoPE scaling: enlarge the base so the lowest frequency is
    interpolated by `scale` while the highest frequency is (almost) unchanged."""
    return base * scale ** (d / (d - 2))


def rope_angles(d, base=10000.0):
    """theta_i = base^(-2i/d) for i = 0 .. d/2 - 1."""
    return base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)


# --8<-- [end:context_extension]
