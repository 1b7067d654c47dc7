"""Knowledge distillation (Hinton et al., 2015): loss, the T^2 factor, a minimal training loop.

Used by docs/plm/distillation.md.
"""

# --8<-- [start:imports]
import torch
import torch.nn as nn
import torch.nn.functional as F

# --8<-- [end:imports]

# --8<-- [start:kd_loss]


def kd_loss(student_logits, teacher_logits, labels, T=4.0, alpha=0.7):
    """alpha * T^2 * KL(p_T^teacher || p_T^student) + (1 - alpha) * CE(student, labels)."""
    log_p_student = F.log_softmax(student_logits / T, dim=-1)
    p_teacher = F.softmax(teacher_logits / T, dim=-1)
    # F.kl_div(input=log q, target=p) computes KL(p || q); "batchmean" = sum / batch size
    soft = F.kl_div(log_p_student, p_teacher, reduction="batchmean")
    hard = F.cross_entropy(student_logits, labels)
    return alpha * T**2 * soft + (1 - alpha) * hard


# --8<-- [end:kd_loss]


# --8<-- [start:grad_scale]


def soft_grad_norm(student_logits, teacher_logits, T, scale_by_T2=False):
    """Norm of d(soft loss)/d(student logits) at temperature T."""
    z = student_logits.clone().requires_grad_(True)
    soft = F.kl_div(F.log_softmax(z / T, -1), F.softmax(teacher_logits / T, -1), reduction="batchmean")
    if scale_by_T2:
        soft = soft * T**2
    soft.backward()
    return z.grad.norm().item()


# --8<-- [end:grad_scale]


# --8<-- [start:toy_kd]


def make_data(n, d=10, n_classes=4, seed=0):
    """Synthetic classification task: labels from a fixed random nonlinear function."""
    g = torch.Generator().manual_seed(seed)
    W1 = 0.5 * torch.randn(d, 32, generator=torch.Generator().manual_seed(123))
    W2 = torch.randn(32, n_classes, generator=torch.Generator().manual_seed(456))
    x = torch.randn(n, d, generator=g)
    y = (torch.tanh(x @ W1) @ W2).argmax(-1)
    return x, y


def mlp(d_in, hidden, n_out, depth):
    layers, width = [], d_in
    for _ in range(depth):
        layers += [nn.Linear(width, hidden), nn.ReLU()]
        width = hidden
    return nn.Sequential(*layers, nn.Linear(width, n_out))


def train(model, x, y=None, teacher=None, T=4.0, alpha=0.7, steps=250, lr=3e-3, bs=128):
    """Plain CE training if teacher is None, otherwise distillation with kd_loss."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(0)
    n_threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: thread synchronisation costs more than it saves
    for _ in range(steps):
        idx = torch.randint(0, len(x), (bs,), generator=g)
        logits = model(x[idx])
        if teacher is None:
            loss = F.cross_entropy(logits, y[idx])
        else:
            with torch.no_grad():
                t_logits = teacher(x[idx])  # teacher is frozen
            loss = kd_loss(logits, t_logits, y[idx], T=T, alpha=alpha)
        opt.zero_grad()
        loss.backward()
        opt.step()
    torch.set_num_threads(n_threads)
    return model


@torch.no_grad()
def agreement(a, b, x):
    """Fraction of inputs on which two models predict the same class."""
    return (a(x).argmax(-1) == b(x).argmax(-1)).float().mean().item()


@torch.no_grad()
def accuracy(model, x, y):
    return (model(x).argmax(-1) == y).float().mean().item()


# --8<-- [end:toy_kd]
