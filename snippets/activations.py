"""Activation functions, their derivatives, and the numbers interviewers ask about."""

# --8<-- [start:functions]
import math

import numpy as np
from scipy import optimize
from scipy.special import erf


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def d_sigmoid(x):
    s = sigmoid(x)
    return s * (1.0 - s)


def d_tanh(x):
    return 1.0 - np.tanh(x) ** 2


def relu(x):
    return np.maximum(0.0, x)


def d_relu(x):
    return (x > 0).astype(float)  # PyTorch also uses 0 as the gradient at x = 0


def swish(x, beta=1.0):  # beta = 1: SiLU
    return x * sigmoid(beta * x)


def d_swish(x):  # beta = 1
    s = sigmoid(x)
    return s + x * s * (1.0 - s)


def gelu(x):  # exact: x * Phi(x)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def d_gelu(x):  # Phi(x) + x * phi(x)
    phi = np.exp(-0.5 * x**2) / math.sqrt(2.0 * math.pi)
    return 0.5 * (1.0 + erf(x / math.sqrt(2.0))) + x * phi


def gelu_tanh(x):  # tanh approximation: GPT-1/GPT-2 code, BERT's modeling.py since Feb 2019
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


# --8<-- [end:functions]


# --8<-- [start:softmax]
def softmax_naive(x):
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def softmax(x):
    z = x - x.max(axis=-1, keepdims=True)  # softmax(x + c) = softmax(x), so this is exact
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_jacobian(x):
    s = softmax(x)
    return np.diag(s) - np.outer(s, s)  # J[i, j] = d s_i / d x_j


# --8<-- [end:softmax]


# --8<-- [start:extrema]
def swish_minimum():
    """Root of Swish'(x) = 0 and the minimum value of Swish (beta = 1)."""
    x_star = optimize.brentq(d_swish, -5.0, 0.0, xtol=1e-14)
    return x_star, float(swish(x_star))


def gelu_minimum():
    res = optimize.minimize_scalar(gelu, bounds=(-3.0, 0.0), method="bounded", options={"xatol": 1e-12})
    return float(res.x), float(res.fun)


# --8<-- [end:extrema]
