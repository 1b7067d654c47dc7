import math

import torch

import positional_encoding as P


def test_sinusoidal_formula_entries():
    pe = P.sinusoidal(50, 16)
    pos, i = 7, 3
    assert math.isclose(pe[pos, 2 * i].item(), math.sin(pos / 10000 ** (2 * i / 16)), rel_tol=1e-12)
    assert math.isclose(pe[pos, 2 * i + 1].item(), math.cos(pos / 10000 ** (2 * i / 16)), rel_tol=1e-12)


def test_shift_is_linear_and_dot_depends_on_offset():
    pe = P.sinusoidal(200, 32)
    for k in [1, 5, 17]:
        M = P.shift_matrix(k, 32)
        assert torch.allclose(pe[k:], pe[:-k] @ M.T, atol=1e-10)
        assert torch.allclose(M @ M.T, torch.eye(32, dtype=torch.float64), atol=1e-12)
        dots = (pe[:-k] * pe[k:]).sum(-1)
        assert torch.allclose(dots, dots[0].expand_as(dots), atol=1e-9)


def test_rope_relative_property():
    torch.manual_seed(0)
    q, k = torch.randn(64, dtype=torch.float64), torch.randn(64, dtype=torch.float64)

    def score(m, n):
        qm = P.rope(q.view(1, -1), torch.tensor([m]))[0]
        kn = P.rope(k.view(1, -1), torch.tensor([n]))[0]
        return (qm @ kn).item()

    assert math.isclose(score(10, 3), score(107, 100), rel_tol=1e-9)
    assert math.isclose(score(0, 0), (q @ k).item(), rel_tol=1e-12)
    assert not math.isclose(score(10, 3), score(10, 4), rel_tol=1e-3)
    # rotation keeps the norm
    x = torch.randn(5, 64, dtype=torch.float64)
    assert torch.allclose(P.rope(x, torch.arange(5)).norm(dim=-1), x.norm(dim=-1))


def test_rope_matches_complex_multiplication():
    torch.manual_seed(1)
    x = torch.randn(6, 8, dtype=torch.float64)
    pos = torch.arange(6)
    z = torch.view_as_complex(x.view(6, 4, 2).contiguous())
    theta = 10000 ** (-torch.arange(0, 8, 2, dtype=torch.float64) / 8)
    ref = torch.view_as_real(z * torch.exp(1j * pos.unsqueeze(1) * theta)).reshape(6, 8)
    assert torch.allclose(P.rope(x, pos), ref)


def test_alibi():
    s = P.alibi_slopes(8)
    assert torch.allclose(s, torch.tensor([1 / 2 ** (i + 1) for i in range(8)]))
    b = P.alibi_bias(5, 8)
    assert b.shape == (8, 5, 5)
    assert b[0, 4, 1].item() == -0.5 * 3


def test_nezha_relative():
    a = P.functional_relative(10, 16)
    assert torch.allclose(a[2, 5], a[6, 9])  # depends only on j - i
    assert math.isclose(a[2, 5, 0].item(), math.sin(3.0))


def test_context_extension():
    p = P.interpolated_positions(8192, 4096, 8192)
    assert p.max().item() < 4096
    d, s = 128, 4.0
    base2 = P.ntk_aware_base(10000.0, s, d)
    t0, t1 = P.rope_angles(d), P.rope_angles(d, base2)
    assert math.isclose((t0[-1] / t1[-1]).item(), s, rel_tol=1e-9)  # lowest frequency / s
    assert (t0[0] / t1[0]).item() == 1.0  # highest unchanged
