import types

import numpy as np
import torch
import torch.nn.functional as F

import preference as P


def test_optimal_policy_maximises_the_kl_regularised_objective():
    torch.manual_seed(0)
    ref = torch.softmax(torch.randn(5), 0)
    reward = torch.randn(5)
    pi, Z = P.optimal_policy(reward, ref, beta=0.7)
    best = P.kl_regularised_objective(pi, reward, ref, 0.7)
    assert torch.isclose(best, 0.7 * torch.log(Z), atol=1e-6)
    # gradient ascent on free logits converges to the same policy
    logits = torch.zeros(5, requires_grad=True)
    opt = torch.optim.Adam([logits], lr=0.05)
    for _ in range(2000):
        loss = -P.kl_regularised_objective(torch.softmax(logits, 0), reward, ref, 0.7)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert torch.allclose(torch.softmax(logits, 0), pi, atol=1e-3)


def test_dpo_loss_is_bce_on_the_implicit_reward_margin():
    torch.manual_seed(1)
    pw, pl, rw, rl = (torch.randn(7) for _ in range(4))
    margin = 0.2 * ((pw - rw) - (pl - rl))
    ref = F.binary_cross_entropy_with_logits(margin, torch.ones(7))
    assert torch.allclose(P.dpo_loss(pw, pl, rw, rl, beta=0.2), ref, atol=1e-6)
    # equal policy and reference: loss = log 2 whatever the data
    assert torch.isclose(P.dpo_loss(rw, rl, rw, rl), torch.tensor(np.log(2.0), dtype=torch.float32))


def test_sequence_logps_counts_only_completion_tokens():
    tok = P.tiny_word_tokenizer("a b c d")
    model = P.tiny_causal_lm(tok, seed=0)
    ids = torch.tensor([[3, 4, 5, 6]])
    mask = torch.ones_like(ids)
    comp = torch.tensor([[0, 0, 1, 1]])
    with torch.no_grad():
        lp = torch.log_softmax(model(input_ids=ids).logits[0], -1)
        expected = lp[1, 5] + lp[2, 6]
        assert torch.isclose(P.sequence_logps(model, ids, mask, comp)[0], expected, atol=1e-5)


def test_variants_against_trl_functions():
    from trl.experimental.cpo import CPOTrainer
    from trl.experimental.orpo import ORPOTrainer

    torch.manual_seed(2)
    sw, sl = -torch.rand(5) * 10 - 1, -torch.rand(5) * 10 - 1
    nw, nl = torch.randint(3, 12, (5,)).float(), torch.randint(3, 12, (5,)).float()
    device = types.SimpleNamespace(device="cpu")
    cpo = types.SimpleNamespace(
        alpha=0.0, beta=2.5, simpo_gamma=0.5, label_smoothing=0.0, loss_type="simpo", accelerator=device
    )
    assert torch.isclose(
        CPOTrainer.cpo_loss(cpo, sw / nw, sl / nl)[0].mean(), P.simpo_loss(sw, sl, nw, nl, beta=2.5, gamma=0.5)
    )
    orpo = types.SimpleNamespace(beta=1.0, accelerator=device)
    assert torch.isclose(
        -ORPOTrainer.odds_ratio_loss(orpo, sw / nw, sl / nl)[0].mean(), P.orpo_odds_ratio_term(sw / nw, sl / nl)
    )


def test_ipo_minimum_and_kto_bounds():
    assert P.ipo_loss(torch.tensor(5.0), torch.tensor(0.0), tau=0.1) == 0
    lr = torch.tensor([10.0, -10.0])
    good = P.kto_loss(lr, torch.tensor([True, False]), torch.tensor(0.0), beta=1.0)
    bad = P.kto_loss(-lr, torch.tensor([True, False]), torch.tensor(0.0), beta=1.0)
    assert good < 1e-3 and bad > 0.99


def test_group_advantages_match_trl_formula_and_vanish_for_uniform_groups():
    from trl.trainer.utils import nanstd

    r = torch.tensor([0.0, 1.0, 1.0, 0.5, 2.0, 2.0, 2.0, 2.0])
    adv = P.group_relative_advantages(r, 4)
    g = r.view(-1, 4)
    expected = (r - g.mean(1).repeat_interleave(4)) / (nanstd(g, dim=1).repeat_interleave(4) + 1e-4)
    assert torch.allclose(adv, expected, atol=1e-6)
    assert torch.all(adv[4:] == 0)


def test_per_token_weights():
    w = P.per_token_weights([10, 30], torch.tensor([1.0, 1.0]), "grpo")
    assert torch.allclose(w, torch.tensor([1 / 10 / 2, 1 / 30 / 2]))
    assert torch.allclose(P.per_token_weights([10, 30], torch.tensor([1.0, 1.0]), "token"), torch.full((2,), 1 / 40))


def test_kl_estimators_unbiased_and_k3_nonnegative():
    rng = np.random.default_rng(0)
    # discrete q and p: exact KL(q || p) by enumeration
    q, p = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.5, 0.3])
    exact = np.sum(q * np.log(q / p))
    x = rng.choice(3, size=400_000, p=q)
    est = P.kl_estimators(np.log(p[x]) - np.log(q[x]))
    for name in ("k1", "k3"):
        assert abs(est[name].mean() - exact) < 4 * est[name].std() / np.sqrt(len(x))
    assert est["k3"].min() >= 0 and est["k1"].min() < 0
    # exact expectations by enumeration (no sampling): k1 and k3 equal the KL
    lr = np.log(p) - np.log(q)
    assert np.isclose(np.sum(q * P.kl_estimators(lr)["k3"]), exact)


def test_verifiable_reward():
    assert P.format_reward("<think>x</think><answer>1</answer>") == 1
    assert P.format_reward("<answer>1</answer>") == 0
    assert P.accuracy_reward("<think>x</think><answer> 3/4 </answer>", "3/4") == 1
    assert P.accuracy_reward("no tags 3/4", "3/4") == 0
