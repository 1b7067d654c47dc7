"""Normalization layers written with plain NumPy, to be checked against torch.nn."""

# --8<-- [start:normalize]
import numpy as np


def normalize(x, axes, eps=1e-5):
    """(x - mean) / sqrt(var + eps) with mean and (biased) var over `axes`."""
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)  # biased: divide by the count, not count - 1
    return (x - mean) / np.sqrt(var + eps)


def affine(x_hat, gamma, beta, channel_axis=1):
    """y = gamma * x_hat + beta, one (gamma, beta) pair per channel."""
    shape = [1] * x_hat.ndim
    shape[channel_axis] = -1
    return gamma.reshape(shape) * x_hat + beta.reshape(shape)


# --8<-- [end:normalize]


# --8<-- [start:image_norms]
# x has shape (N, C, H, W)
def batch_norm_train(x, gamma, beta, eps=1e-5):
    return affine(normalize(x, axes=(0, 2, 3), eps=eps), gamma, beta)  # per channel


def layer_norm_chw(x, gamma, beta, eps=1e-5):
    # LayerNorm over (C, H, W): gamma/beta have shape (C, H, W), one per element
    return gamma * normalize(x, axes=(1, 2, 3), eps=eps) + beta  # per sample


def instance_norm(x, gamma, beta, eps=1e-5):
    return affine(normalize(x, axes=(2, 3), eps=eps), gamma, beta)  # per sample, per channel


def group_norm(x, num_groups, gamma, beta, eps=1e-5):
    n, c, h, w = x.shape
    xg = x.reshape(n, num_groups, c // num_groups, h, w)
    x_hat = normalize(xg, axes=(2, 3, 4), eps=eps).reshape(n, c, h, w)  # per sample, per group
    return affine(x_hat, gamma, beta)


# --8<-- [end:image_norms]


# --8<-- [start:bn_running]
class BatchNorm2dNumpy:
    """BatchNorm2d with running statistics, following torch.nn.BatchNorm2d's conventions."""

    def __init__(self, num_channels, momentum=0.1, eps=1e-5):
        self.gamma, self.beta = np.ones(num_channels), np.zeros(num_channels)
        self.running_mean, self.running_var = np.zeros(num_channels), np.ones(num_channels)
        self.momentum, self.eps, self.training = momentum, eps, True

    def __call__(self, x):
        if self.training:
            mean = x.mean(axis=(0, 2, 3))
            var = x.var(axis=(0, 2, 3))  # biased var normalises the batch
            m = x.size // x.shape[1]  # elements per channel: N*H*W
            unbiased = var * m / (m - 1)  # unbiased var goes into running_var
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
            self.running_var = (1 - self.momentum) * self.running_var + self.momentum * unbiased
        else:
            mean, var = self.running_mean, self.running_var  # fixed statistics at inference
        x_hat = (x - mean[None, :, None, None]) / np.sqrt(var[None, :, None, None] + self.eps)
        return affine(x_hat, self.gamma, self.beta)


# --8<-- [end:bn_running]


# --8<-- [start:nlp_norms]
# x has shape (N, L, D): batch, sequence length, hidden size
def layer_norm_nlp(x, gamma, beta, eps=1e-5):
    return gamma * normalize(x, axes=-1, eps=eps) + beta  # each token on its own, over D


def batch_norm_nlp(x, gamma, beta, mask, eps=1e-5):
    """BN for (N, L, D): statistics per feature d over all real (non-padding) tokens."""
    tokens = x[mask]  # (num_real_tokens, D)
    mean, var = tokens.mean(axis=0), tokens.var(axis=0)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


def rms_norm(x, gamma, eps=1e-6):
    """RMSNorm (Zhang & Sennrich, 2019): no mean subtraction, no beta."""
    rms = np.sqrt((x**2).mean(axis=-1, keepdims=True) + eps)
    return gamma * x / rms


# --8<-- [end:nlp_norms]


# --8<-- [start:switchable_norm]
def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def switchable_norm(x, gamma, beta, logits_mean, logits_var, eps=1e-5):
    """Switchable Normalization (Luo et al., 2019), training mode, x of shape (N, C, H, W).

    Mean and variance are convex combinations of the IN, LN and BN statistics;
    the combination weights are softmax(logits), learned by backprop.
    """
    mu_in, var_in = x.mean(axis=(2, 3), keepdims=True), x.var(axis=(2, 3), keepdims=True)
    # LN and BN statistics computed from the IN ones (as in the paper), shapes broadcast to x
    mu_ln = mu_in.mean(axis=1, keepdims=True)
    var_ln = (var_in + mu_in**2).mean(axis=1, keepdims=True) - mu_ln**2
    mu_bn = mu_in.mean(axis=0, keepdims=True)
    var_bn = (var_in + mu_in**2).mean(axis=0, keepdims=True) - mu_bn**2
    wm, wv = softmax(logits_mean), softmax(logits_var)
    mean = wm[0] * mu_in + wm[1] * mu_ln + wm[2] * mu_bn
    var = wv[0] * var_in + wv[1] * var_ln + wv[2] * var_bn
    return affine((x - mean) / np.sqrt(var + eps), gamma, beta)


# --8<-- [end:switchable_norm]
