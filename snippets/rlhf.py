"""RLHF with PPO, for docs/llm/rlhf.md: memory of the four models, the Bradley-Terry reward loss,
PPO's clipped surrogate, the per-token KL-shaped reward, GAE, and the over-optimisation curves
of Gao et al. (2023)."""

# --8<-- [start:memory]
TRAINED_BYTES = 16  # bf16 weight 2 + bf16 grad 2 + fp32 master 4 + Adam m 4 + Adam v 4
FROZEN_BYTES = 2  # bf16 weights only (inference)


def ppo_memory(n_policy, n_value, n_reference, n_reward):
    """Bytes for the weights and optimiser states of the four PPO models (no activations, no KV cache)."""
    return {
        "policy (trained)": TRAINED_BYTES * n_policy,
        "value / critic (trained)": TRAINED_BYTES * n_value,
        "reference (frozen)": FROZEN_BYTES * n_reference,
        "reward model (frozen)": FROZEN_BYTES * n_reward,
    }


# --8<-- [end:memory]


# --8<-- [start:bradley_terry]
import itertools

import torch
import torch.nn.functional as F


def bradley_terry_loss(r_chosen, r_rejected):
    """-log sigma(r_c - r_r), averaged over pairs (InstructGPT Eq. 1, one pair at a time)."""
    return -F.logsigmoid(r_chosen - r_rejected).mean()


def ranking_to_pairs(ranking):
    """A labeller's ranking of K responses (best first) gives C(K, 2) (chosen, rejected) pairs."""
    return list(itertools.combinations(ranking, 2))


def fit_bradley_terry(n_items, pairs, steps=500, lr=0.1):
    """Maximum likelihood scores for n_items from (winner, loser) pairs (gradient descent)."""
    scores = torch.zeros(n_items, requires_grad=True)
    winners = torch.tensor([w for w, _ in pairs])
    losers = torch.tensor([lo for _, lo in pairs])
    opt = torch.optim.Adam([scores], lr=lr)
    for _ in range(steps):
        loss = bradley_terry_loss(scores[winners], scores[losers])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return scores.detach()


# --8<-- [end:bradley_terry]


# --8<-- [start:ppo_clip]
import torch


def ppo_clip_loss(logp_new, logp_old, advantages, eps=0.2):
    """Per-token PPO loss: -min(rho * A, clip(rho, 1 - eps, 1 + eps) * A), rho = pi_new / pi_old."""
    ratio = torch.exp(logp_new - logp_old)
    unclipped = ratio * advantages
    clipped = torch.clamp(ratio, 1 - eps, 1 + eps) * advantages
    return -torch.min(unclipped, clipped)


# --8<-- [end:ppo_clip]


# --8<-- [start:kl_reward]
import torch


def kl_shaped_rewards(rm_score, logp_policy, logp_ref, beta):
    """InstructGPT-style per-token reward for one sampled response: -beta * (log pi - log pi_ref)
    at every token, plus the reward model's score at the last token."""
    rewards = -beta * (logp_policy - logp_ref)
    rewards[-1] += rm_score
    return rewards


# --8<-- [end:kl_reward]


# --8<-- [start:gae]
import torch


def gae(rewards, values, gamma=1.0, lam=0.95):
    """Generalised advantage estimation by the backward recursion
    A_t = delta_t + gamma * lam * A_{t+1}, delta_t = r_t + gamma * V_{t+1} - V_t (V after the end = 0)."""
    T = len(rewards)
    advantages = torch.zeros(T)
    next_value, running = 0.0, 0.0
    for t in reversed(range(T)):
        delta = rewards[t] + gamma * next_value - values[t]
        running = delta + gamma * lam * running
        advantages[t] = running
        next_value = values[t]
    return advantages, advantages + values  # advantages and the value targets (returns)


def gae_direct(rewards, values, gamma=1.0, lam=0.95):
    """The definition (Schulman et al. 2016, Eq. 16): A_t = sum_l (gamma * lam)^l delta_{t+l}."""
    T = len(rewards)
    v_next = torch.cat([values[1:], torch.zeros(1)])
    delta = rewards + gamma * v_next - values
    return torch.tensor([sum((gamma * lam) ** k * delta[t + k] for k in range(T - t)) for t in range(T)])


def n_step_advantage(rewards, values, t, n, gamma=1.0):
    """A_t^(n) = r_t + ... + gamma^(n-1) r_{t+n-1} + gamma^n V_{t+n} - V_t (V after the end = 0)."""
    T = len(rewards)
    ret = sum(gamma**k * rewards[t + k] for k in range(min(n, T - t)))
    if t + n < T:
        ret = ret + gamma**n * values[t + n]
    return ret - values[t]


# --8<-- [end:gae]


# --8<-- [start:overoptimization]
import math


def gold_reward_bon(d, alpha, beta):
    """Gao et al. (2023): gold reward of best-of-n as a function of d = sqrt(KL(pi || pi_init))."""
    return d * (alpha - beta * d)


def gold_reward_rl(d, alpha, beta):
    """Gao et al. (2023): the same for RL (PPO)."""
    return d * (alpha - beta * math.log(d))


def bon_kl(n):
    """KL(best-of-n || base) = log n - (n - 1) / n, for a continuous reward distribution."""
    return math.log(n) - (n - 1) / n


# --8<-- [end:overoptimization]
