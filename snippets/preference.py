"""DPO and its variants (IPO, KTO, SimPO, ORPO), GRPO's group-relative advantages, KL estimators
k1/k2/k3, and a rule-based (verifiable) reward, for docs/llm/preference-optimization.md."""

# --8<-- [start:optimal_policy]
import torch


def kl_regularised_objective(pi, reward, ref, beta):
    """E_{y ~ pi}[r(y)] - beta * KL(pi || ref) for one prompt with a finite set of responses."""
    return (pi * reward).sum() - beta * (pi * (pi / ref).log()).sum()


def optimal_policy(reward, ref, beta):
    """pi*(y) = ref(y) exp(r(y) / beta) / Z, the maximiser of the objective above (DPO Eq. 4)."""
    unnormalised = ref * torch.exp(reward / beta)
    return unnormalised / unnormalised.sum(), unnormalised.sum()


# --8<-- [end:optimal_policy]


# --8<-- [start:dpo_loss]
import torch
import torch.nn.functional as F


def dpo_loss(policy_chosen_logps, policy_rejected_logps, ref_chosen_logps, ref_rejected_logps, beta=0.1):
    """-log sigma(beta * [(log pi(y_w) - log ref(y_w)) - (log pi(y_l) - log ref(y_l))]), averaged.
    The log-probabilities are summed over the response tokens of each sequence."""
    chosen_reward = beta * (policy_chosen_logps - ref_chosen_logps)  # implicit rewards
    rejected_reward = beta * (policy_rejected_logps - ref_rejected_logps)
    return -F.logsigmoid(chosen_reward - rejected_reward).mean()


def sequence_logps(model, input_ids, attention_mask, completion_mask):
    """Sum of log pi(token) over the completion tokens (position t predicts token t + 1)."""
    logits = model(input_ids=input_ids, attention_mask=attention_mask).logits[:, :-1].float()
    token_logps = torch.log_softmax(logits, -1).gather(-1, input_ids[:, 1:, None]).squeeze(-1)
    return (token_logps * completion_mask[:, 1:]).sum(-1)


# --8<-- [end:dpo_loss]


# --8<-- [start:variants]
import torch
import torch.nn.functional as F


def ipo_loss(chosen_logratio, rejected_logratio, tau=0.1):
    """IPO (Azar et al., Eq. 17): (h - 1 / (2 tau))^2, h = difference of the two log-ratios to the reference."""
    return ((chosen_logratio - rejected_logratio) - 1 / (2 * tau)).pow(2).mean()


def kto_loss(logratio, desirable, kl_reference_point, beta=0.1, lambda_d=1.0, lambda_u=1.0):
    """KTO (Ethayarajh et al.): unpaired examples, each labelled desirable or not.
    v = lambda_D sigma(beta (r - z0)) if desirable, lambda_U sigma(beta (z0 - r)) otherwise;
    loss = lambda_y - v. z0 (a KL estimate) is a reference point, not back-propagated."""
    z0 = kl_reference_point.detach().clamp(min=0)
    value = torch.where(
        desirable, lambda_d * torch.sigmoid(beta * (logratio - z0)), lambda_u * torch.sigmoid(beta * (z0 - logratio))
    )
    lam = torch.where(desirable, torch.tensor(lambda_d), torch.tensor(lambda_u))
    return (lam - value).mean()


def simpo_loss(chosen_logps, rejected_logps, chosen_len, rejected_len, beta=2.0, gamma=1.0):
    """SimPO (Meng et al., Eq. 6): no reference model; the reward is the length-normalised log-likelihood
    times beta, with a target margin gamma."""
    margin = beta * chosen_logps / chosen_len - beta * rejected_logps / rejected_len - gamma
    return -F.logsigmoid(margin).mean()


def orpo_odds_ratio_term(chosen_avg_logp, rejected_avg_logp):
    """ORPO (Hong et al., Eq. 7): -log sigma(log odds(y_w) - log odds(y_l)), odds(y) = P / (1 - P),
    P the per-token average likelihood exp(mean log p). Added to the SFT loss with a weight lambda."""
    log_odds = lambda lp: lp - torch.log1p(-torch.exp(lp))
    return -F.logsigmoid(log_odds(chosen_avg_logp) - log_odds(rejected_avg_logp)).mean()


# --8<-- [end:variants]


# --8<-- [start:grpo]
import torch


def group_relative_advantages(rewards, group_size, eps=1e-4):
    """GRPO outcome supervision: every token of output i gets (r_i - mean(group)) / std(group)."""
    r = rewards.view(-1, group_size)
    mean = r.mean(1, keepdim=True)
    std = r.std(1, keepdim=True)  # unbiased, as trl's nanstd
    return ((r - mean) / (std + eps)).view(-1)


def per_token_weights(lengths, advantages, mode):
    """How much each token's log-prob gradient is scaled by the loss aggregation:
    'grpo' averages within each sequence, then over sequences (1 / |o_i| / G);
    'token' (DAPO-style) divides by the total number of tokens in the group."""
    lengths = torch.as_tensor(lengths, dtype=torch.float)
    if mode == "grpo":
        return advantages / lengths / len(lengths)
    if mode == "token":
        return advantages / lengths.sum()
    raise ValueError(mode)


# --8<-- [end:grpo]


# --8<-- [start:kl_estimators]
import numpy as np


def kl_estimators(log_ratio):
    """Per-sample estimators of KL(q || p) from x ~ q, with log_ratio = log p(x) - log q(x)
    (Schulman, 2020): k1 = -log r, k2 = (log r)^2 / 2, k3 = (r - 1) - log r."""
    r = np.exp(log_ratio)
    return {"k1": -log_ratio, "k2": 0.5 * log_ratio**2, "k3": (r - 1) - log_ratio}


# --8<-- [end:kl_estimators]


# --8<-- [start:verifiable_reward]
import re


def format_reward(completion):
    """1 if the completion is exactly <think>...</think> followed by <answer>...</answer>, else 0."""
    pattern = r"^<think>.+?</think>\s*<answer>.+?</answer>$"
    return 1.0 if re.match(pattern, completion.strip(), re.DOTALL) else 0.0


def accuracy_reward(completion, reference):
    """1 if the content of <answer> equals the reference answer after normalisation, else 0."""
    found = re.search(r"<answer>(.+?)</answer>", completion, re.DOTALL)
    if not found:
        return 0.0
    normalise = lambda s: s.strip().rstrip(".").replace(" ", "").lower()
    return 1.0 if normalise(found.group(1)) == normalise(reference) else 0.0


# --8<-- [end:verifiable_reward]


# --8<-- [start:tiny_setup]
from tokenizers import Tokenizer, models, pre_tokenizers, trainers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast, set_seed


def tiny_word_tokenizer(text):
    """Word-level tokenizer trained on `text`, with <unk>, <pad> and </s>."""
    tok = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.train_from_iterator([text], trainers.WordLevelTrainer(special_tokens=["<unk>", "<pad>", "</s>"]))
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="<unk>", pad_token="<pad>", eos_token="</s>")


def tiny_causal_lm(tokenizer, seed):
    set_seed(seed)  # seeds random, numpy and torch
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=4,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=None,
    )
    return LlamaForCausalLM(config)


# --8<-- [end:tiny_setup]
