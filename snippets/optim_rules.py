"""Update rules of common optimizers in NumPy, following torch.optim's conventions."""

# --8<-- [start:sgd_family]
import numpy as np


def sgd_momentum(p, g, state, lr, momentum=0.9, nesterov=False):
    """torch.optim.SGD with momentum (dampening = 0)."""
    buf = state.get("buf")
    buf = g.copy() if buf is None else momentum * buf + g
    state["buf"] = buf
    step = g + momentum * buf if nesterov else buf
    return p - lr * step


def adagrad(p, g, state, lr, eps=1e-10):
    state["sum"] = state.get("sum", 0.0) + g**2  # only grows => step size only shrinks
    return p - lr * g / (np.sqrt(state["sum"]) + eps)


def rmsprop(p, g, state, lr, alpha=0.99, eps=1e-8):
    state["sq"] = alpha * state.get("sq", 0.0) + (1 - alpha) * g**2  # moving average
    return p - lr * g / (np.sqrt(state["sq"]) + eps)


# --8<-- [end:sgd_family]


# --8<-- [start:adam]
def adam(p, g, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, decoupled=False, bias_correction=True):
    """Adam (decoupled=False, weight decay as L2 added to the gradient) or AdamW (decoupled=True)."""
    b1, b2 = betas
    t = state["t"] = state.get("t", 0) + 1
    if weight_decay and decoupled:
        p = p * (1 - lr * weight_decay)  # AdamW: shrink the weights directly
    elif weight_decay:
        g = g + weight_decay * p  # Adam + L2: goes through m and v
    m = state["m"] = b1 * state.get("m", 0.0) + (1 - b1) * g
    v = state["v"] = b2 * state.get("v", 0.0) + (1 - b2) * g**2
    if bias_correction:
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
    else:  # e.g. BERT's AdamWeightDecayOptimizer
        m_hat, v_hat = m, v
    return p - lr * m_hat / (np.sqrt(v_hat) + eps)


# --8<-- [end:adam]
