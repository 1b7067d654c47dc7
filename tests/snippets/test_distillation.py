import torch

from distillation import accuracy, agreement, kd_loss, make_data, mlp, soft_grad_norm, train


def test_kd_loss_matches_hand_formula():
    torch.manual_seed(0)
    s, t = torch.randn(8, 6), torch.randn(8, 6)
    y = torch.randint(0, 6, (8,))
    T, alpha = 3.0, 0.6
    p = torch.softmax(t / T, -1)
    q = torch.softmax(s / T, -1)
    kl = (p * (p.log() - q.log())).sum(-1).mean()
    ce = -torch.log_softmax(s, -1)[torch.arange(8), y].mean()
    expected = alpha * T**2 * kl + (1 - alpha) * ce
    assert torch.allclose(kd_loss(s, t, y, T=T, alpha=alpha), expected, atol=1e-6)
    # KL part vanishes when the student equals the teacher
    assert torch.allclose(kd_loss(t, t, y, T=T, alpha=1.0), torch.tensor(0.0), atol=1e-6)


def test_soft_gradient_matches_closed_form():
    torch.manual_seed(1)
    z, v = torch.randn(16, 5), torch.randn(16, 5)
    for T in (1.0, 4.0, 10.0):
        closed = ((torch.softmax(z / T, -1) - torch.softmax(v / T, -1)) / T / 16).norm().item()
        assert abs(soft_grad_norm(z, v, T) - closed) < 1e-6


def test_soft_gradient_scales_as_one_over_T_squared():
    torch.manual_seed(2)
    z, v = torch.randn(32, 10), torch.randn(32, 10)
    g20, g40 = soft_grad_norm(z, v, 20.0), soft_grad_norm(z, v, 40.0)
    assert abs(g20 / g40 - 4.0) < 0.05  # doubling T divides the gradient by ~4
    # T^2 scaling restores a T-independent magnitude
    s5, s50 = soft_grad_norm(z, v, 5.0, True), soft_grad_norm(z, v, 50.0, True)
    assert abs(s5 / s50 - 1) < 0.02
    # high-temperature limit (Hinton et al. eq. 4): (z - v) / (N T^2) with zero-mean logits
    zc, vc = z - z.mean(-1, keepdim=True), v - v.mean(-1, keepdim=True)
    limit = ((zc - vc) / 10).norm().item() / 32
    assert abs(soft_grad_norm(z, v, 100.0, True) / limit - 1) < 1e-3


def test_toy_distillation_student_agrees_with_teacher():
    torch.manual_seed(0)
    x, y = make_data(4000)
    x_test, y_test = make_data(2000, seed=1)
    teacher = train(mlp(10, 64, 4, depth=2), x, y)
    student = train(mlp(10, 16, 4, depth=1), x, y, teacher=teacher)
    assert accuracy(teacher, x_test, y_test) > 0.75
    assert agreement(student, teacher, x_test) > 0.85
    # a random student (no training) agrees far less
    assert agreement(mlp(10, 16, 4, depth=1), teacher, x_test) < 0.6
