import numpy as np
import torch
from scipy import integrate, stats

import init_variance as iv


def test_constant_init_keeps_hidden_units_identical():
    const = iv.train_mlp(lambda m: (torch.nn.init.constant_(m.weight, 0.3), torch.nn.init.zeros_(m.bias)))
    assert iv.distinct_hidden_units(const) == 1
    rand = iv.train_mlp(lambda m: m.reset_parameters())
    assert iv.distinct_hidden_units(rand) == 16


def test_zero_init_first_layer_never_moves():
    zero = iv.train_mlp(lambda m: (torch.nn.init.zeros_(m.weight), torch.nn.init.zeros_(m.bias)))
    assert zero[0].weight.abs().max().item() == 0.0
    assert zero[2].weight.abs().max().item() == 0.0


def test_formulas_match_torch_init():
    n_in, n_out = 768, 3072
    w = torch.empty(n_out, n_in)
    torch.nn.init.xavier_uniform_(w)
    assert w.abs().max().item() <= iv.xavier_uniform_bound(n_in, n_out)
    assert abs(w.std().item() / iv.xavier_std(n_in, n_out) - 1) < 0.01
    torch.nn.init.kaiming_normal_(w, nonlinearity="relu")
    assert abs(w.std().item() / iv.he_std(n_in) - 1) < 0.01
    assert abs(iv.xavier_std(768, 3072) - 0.02282) < 5e-6
    assert abs(iv.xavier_uniform_bound(768, 3072) - 0.03953) < 5e-6


def test_relu_second_moment_is_half_variance():
    # exact integral, independent of the simulation on the page
    for sigma in (0.5, 1.0, 3.0):
        val, _ = integrate.quad(lambda z, s=sigma: z * z * stats.norm.pdf(z, scale=s), 0, np.inf)
        assert abs(val - sigma**2 / 2) < 1e-8


def test_variance_propagation():
    he = iv.activation_stds("he", "relu")
    xav = iv.activation_stds("xavier", "relu")
    small = iv.activation_stds("small", "tanh")
    assert 0.5 < he[-1] / he[0] < 2
    assert xav[-1] / xav[0] < 1e-3
    assert abs(xav[10] / xav[0] - 2**-5) < 0.02
    assert small[-1] < 1e-10


def test_tanh_gain_stops_the_decay():
    plain = iv.activation_stds("xavier", "tanh")
    gained = iv.activation_stds("xavier", "tanh", gain=torch.nn.init.calculate_gain("tanh"))
    assert plain[-1] / plain[9] < 0.7  # std keeps shrinking with plain Xavier
    assert gained[-1] / gained[9] > 0.95  # with gain 5/3 it settles at a fixed point
