"""FLOP counts of a decoder-only Transformer and the Chinchilla compute-optimal allocation,
for docs/llm/scaling.md.

Checked in tests/snippets/test_scaling.py: the FLOP formulas against PyTorch's FlopCounterMode
on a transformers Llama model, the closed-form compute-optimal N and D against a numerical
minimisation of the fitted loss.
"""


# --8<-- [start:flops]
def matmul_params(n_layers, d, n_heads, n_kv_heads, d_ff, vocab, gated=True):
    """Parameters that take part in a matrix multiplication for every token: attention
    projections, FFN, and the output layer (the input embedding is a lookup: 0 FLOPs)."""
    d_head = d // n_heads
    attn = 2 * d * n_heads * d_head + 2 * d * n_kv_heads * d_head
    ffn = (3 if gated else 2) * d * d_ff
    return n_layers * (attn + ffn) + d * vocab


def forward_flops(n_matmul, n_layers, seq_len, d_attn):
    """One forward pass over seq_len tokens: 2 FLOPs (multiply + add) per parameter per token,
    plus the attention scores Q K^T and the weighted sum A V: 2 * seq_len^2 * d_attn each,
    per layer (dense computation, masked entries included)."""
    return 2 * n_matmul * seq_len + 4 * n_layers * seq_len**2 * d_attn


def decode_flops(n_matmul, n_layers, context, d_attn):
    """One new token with a KV cache: the query attends to `context` keys (itself included)."""
    return 2 * n_matmul + 4 * n_layers * context * d_attn


def train_flops(n_params, n_tokens):
    """C = 6 N D: forward 2N per token, backward twice the forward (gradients with respect to
    activations and to weights)."""
    return 6 * n_params * n_tokens


# --8<-- [end:flops]


# --8<-- [start:chinchilla]
import math

# Hoffmann et al. (2022), Appendix D.2: fitted with Approach 3 (rounded, as printed in the paper)
HOFFMANN = dict(E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28)
# The same fit unrounded, from the paper's TeX source as used by Besiroglu et al. (2024)
# (epoch-research/analyzing-chinchilla, data_analysis.ipynb: `true_params`, stored as log A, log B, log E)
HOFFMANN_UNROUNDED = dict(
    E=math.exp(0.5267228), A=math.exp(6.0073404), B=math.exp(6.0179186), alpha=0.33917084, beta=0.2849083
)
# Besiroglu et al. (2024) refit of the same functional form to data extracted from the
# Chinchilla paper's Figure 4 (epoch-research/analyzing-chinchilla, data_analysis.ipynb)
EPOCH_REFIT = dict(E=1.81686, A=482.00572, B=2085.43420, alpha=0.34781, beta=0.36585)


def chinchilla_loss(N, D, E, A, B, alpha, beta):
    """L(N, D) = E + A / N^alpha + B / D^beta  (eq. (2))."""
    return E + A / N**alpha + B / D**beta


def compute_optimal(C, E, A, B, alpha, beta):
    """Minimise L(N, D) subject to 6 N D = C (eq. (4)):
    N_opt = G (C/6)^a, D_opt = G^-1 (C/6)^b, G = (alpha A / (beta B))^(1/(alpha+beta)),
    a = beta / (alpha + beta), b = alpha / (alpha + beta)."""
    G = (alpha * A / (beta * B)) ** (1 / (alpha + beta))
    a, b = beta / (alpha + beta), alpha / (alpha + beta)
    return G * (C / 6) ** a, (C / 6) ** b / G


# --8<-- [end:chinchilla]
