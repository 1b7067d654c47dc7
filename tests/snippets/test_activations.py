import math

import numpy as np
import torch
from scipy.special import lambertw

import activations as act

xs = np.linspace(-8, 8, 4001)


def _torch_grad(fn, x):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    fn(t).sum().backward()
    return t.grad.numpy()


def test_functions_match_torch():
    t = torch.from_numpy(xs)
    np.testing.assert_allclose(act.sigmoid(xs), torch.sigmoid(t).numpy(), atol=1e-12)
    np.testing.assert_allclose(act.swish(xs), torch.nn.functional.silu(t).numpy(), atol=1e-12)
    np.testing.assert_allclose(act.gelu(xs), torch.nn.functional.gelu(t).numpy(), atol=1e-12)
    np.testing.assert_allclose(act.gelu_tanh(xs), torch.nn.functional.gelu(t, approximate="tanh").numpy(), atol=1e-12)


def test_derivatives_match_autograd():
    for _f, df, tf in [
        (act.sigmoid, act.d_sigmoid, torch.sigmoid),
        (np.tanh, act.d_tanh, torch.tanh),
        (act.swish, act.d_swish, torch.nn.functional.silu),
        (act.gelu, act.d_gelu, torch.nn.functional.gelu),
        (act.relu, act.d_relu, torch.relu),
    ]:
        np.testing.assert_allclose(df(xs), _torch_grad(tf, xs), atol=1e-10)


def test_sigmoid_tanh_identities():
    assert act.d_sigmoid(xs).max() <= 0.25 + 1e-15
    assert math.isclose(act.d_sigmoid(np.array(0.0)), 0.25)
    np.testing.assert_allclose(np.tanh(xs), 2 * act.sigmoid(2 * xs) - 1, atol=1e-12)
    np.testing.assert_allclose(np.tanh(xs), (1 - np.exp(-2 * xs)) / (1 + np.exp(-2 * xs)), atol=1e-12)


def test_softmax_properties():
    rng = np.random.default_rng(0)
    x = rng.normal(size=7)
    J = act.softmax_jacobian(x)
    # independent check: finite differences
    eps = 1e-6
    J_fd = np.stack([(act.softmax(x + eps * e) - act.softmax(x - eps * e)) / (2 * eps) for e in np.eye(7)], axis=1)
    np.testing.assert_allclose(J, J_fd, atol=1e-8)
    np.testing.assert_allclose(J.sum(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(act.softmax(x + 123.0), act.softmax(x), atol=1e-12)
    big = np.array([1000.0, 999.0, 0.0])
    with np.errstate(over="ignore", invalid="ignore"):
        assert np.isnan(act.softmax_naive(big)).any()
    np.testing.assert_allclose(act.softmax(big), torch.softmax(torch.from_numpy(big), 0).numpy())


def test_swish_and_gelu_extrema():
    x_star, v = act.swish_minimum()
    # closed form: Swish'(x) = 0 <=> 1 + x(1 - sigmoid(x)) = 0 <=> x = -1 - W(1/e), minimum value -W(1/e)
    w = lambertw(1 / np.e).real
    assert abs(x_star - (-1 - w)) < 1e-10 and abs(v + w) < 1e-10
    grid = np.linspace(-10, 10, 200001)
    assert abs(act.swish(grid).min() - v) < 1e-8  # independent grid search
    assert (act.d_swish(grid[grid < x_star - 1e-6]) < 0).all()
    assert (act.d_swish(grid[grid > x_star + 1e-6]) > 0).all()
    xg, vg = act.gelu_minimum()
    assert abs(xg + 0.7518) < 1e-3 and abs(vg + 0.16997) < 1e-5
    assert abs(act.gelu(grid).min() - vg) < 1e-8
    assert abs(act.gelu(np.array(1.0)) - 0.841345) < 1e-6
