import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import rlhf as R


def test_ppo_memory_bytes_per_parameter():
    parts = R.ppo_memory(10, 20, 30, 40)
    assert list(parts.values()) == [160, 320, 60, 80]


def test_bradley_terry_is_binary_cross_entropy_on_the_difference():
    torch.manual_seed(0)
    rc, rr = torch.randn(16), torch.randn(16)
    bce = F.binary_cross_entropy_with_logits(rc - rr, torch.ones(16))
    assert torch.allclose(R.bradley_terry_loss(rc, rr), bce, atol=1e-6)
    assert torch.allclose(R.bradley_terry_loss(rc + 3.0, rr + 3.0), R.bradley_terry_loss(rc, rr))


def test_ranking_to_pairs_counts_and_orders():
    pairs = R.ranking_to_pairs(["a", "b", "c", "d"])
    assert len(pairs) == math.comb(4, 2) and ("a", "d") in pairs and ("d", "a") not in pairs


def test_fit_recovers_score_differences():
    true = torch.tensor([0.0, 1.0, 2.5])
    g = torch.Generator().manual_seed(1)
    pairs = []
    for _ in range(3000):
        i, j = torch.randperm(3, generator=g)[:2].tolist()
        pairs.append((i, j) if torch.rand(1, generator=g) < torch.sigmoid(true[i] - true[j]) else (j, i))
    fitted = R.fit_bradley_terry(3, pairs)
    assert (fitted - fitted[0] - true).abs().max() < 0.3


def test_ppo_clip_zero_gradient_only_when_clipped_in_the_advantage_direction():
    log_ratio = torch.log(torch.tensor([0.7, 1.3, 0.7, 1.3])).requires_grad_(True)
    adv = torch.tensor([-1.0, 1.0, 1.0, -1.0])
    R.ppo_clip_loss(log_ratio, torch.zeros(4), adv, eps=0.2).sum().backward()
    assert log_ratio.grad[0] == 0 and log_ratio.grad[1] == 0
    assert log_ratio.grad[2] != 0 and log_ratio.grad[3] != 0
    # inside the trust region the loss is the plain policy-gradient surrogate -rho * A
    inside = R.ppo_clip_loss(torch.tensor([0.05]), torch.zeros(1), torch.tensor([2.0]))
    assert torch.allclose(inside, -torch.exp(torch.tensor([0.05])) * 2.0)


def test_kl_shaped_rewards_sum_to_score_minus_beta_log_ratio():
    lp, lr = torch.tensor([-1.0, -2.0, -0.5]), torch.tensor([-1.5, -1.0, -0.7])
    r = R.kl_shaped_rewards(2.0, lp.clone(), lr, beta=0.2)
    assert torch.isclose(r.sum(), torch.tensor(2.0) - 0.2 * (lp - lr).sum())
    assert torch.allclose(r[:-1], -0.2 * (lp - lr)[:-1])


@pytest.mark.parametrize("gamma,lam", [(1.0, 0.95), (0.9, 0.5), (0.99, 1.0), (1.0, 0.0)])
def test_gae_recursion_equals_definition(gamma, lam):
    torch.manual_seed(2)
    rewards, values = torch.randn(7), torch.randn(7)
    adv, returns = R.gae(rewards, values, gamma, lam)
    assert torch.allclose(adv, R.gae_direct(rewards, values, gamma, lam), atol=1e-5)
    assert torch.allclose(returns, adv + values)


def test_gae_lambda_one_is_discounted_return_minus_value():
    rewards, values = torch.tensor([1.0, 0.0, 2.0]), torch.tensor([0.5, -0.5, 1.0])
    adv, _ = R.gae(rewards, values, gamma=0.9, lam=1.0)
    returns = torch.tensor([1.0 + 0.9 * 0.0 + 0.81 * 2.0, 0.0 + 0.9 * 2.0, 2.0])
    assert torch.allclose(adv, returns - values, atol=1e-6)
    assert torch.isclose(R.n_step_advantage(rewards, values, 0, 1, 0.9), torch.tensor(1.0 + 0.9 * -0.5 - 0.5))


def test_bon_kl_matches_monte_carlo_and_peaks():
    rng = np.random.default_rng(3)
    for n in (2, 8):
        u = rng.random((200_000, n)).max(1)
        assert abs(np.mean(np.log(n) + (n - 1) * np.log(u)) - R.bon_kl(n)) < 0.01
    assert R.bon_kl(1) == 0
    a, b = 2.0, 0.5
    grid = np.linspace(0.01, 30, 30000)
    assert abs(grid[np.argmax([R.gold_reward_bon(d, a, b) for d in grid])] - a / (2 * b)) < 0.01
    assert abs(grid[np.argmax([R.gold_reward_rl(d, a, b) for d in grid])] - math.exp(a / b - 1)) < 0.01
