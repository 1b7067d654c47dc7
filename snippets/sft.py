"""Supervised fine-tuning on a tiny causal LM built from a config (no downloads), for docs/llm/sft.md:
the response-only loss (labels -100), chat templates, packing with a block-diagonal causal mask,
and a toy of catastrophic forgetting with replay."""

# --8<-- [start:tiny_lm]
from transformers import LlamaConfig, LlamaForCausalLM, set_seed


def tiny_llama(vocab_size=100, seed=0):
    """A 2-layer Llama (hidden 32, 4 heads, RoPE) with random weights: same code path as a real one."""
    set_seed(seed)  # seeds random, numpy and torch
    config = LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=4,
        max_position_embeddings=128,
        bos_token_id=None,
        eos_token_id=None,
        pad_token_id=None,
    )
    return LlamaForCausalLM(config).eval()


# --8<-- [end:tiny_lm]


# --8<-- [start:masked_loss]
import torch
import torch.nn.functional as F

IGNORE_INDEX = -100  # the default ignore_index of torch.nn.CrossEntropyLoss


def response_only_labels(input_ids, prompt_lengths, attention_mask=None):
    """Copy input_ids, then hide the prompt (and any padding) from the loss with -100."""
    labels = input_ids.clone()
    for row, n in enumerate(prompt_lengths):
        labels[row, :n] = IGNORE_INDEX
    if attention_mask is not None:
        labels[attention_mask == 0] = IGNORE_INDEX
    return labels


def per_token_nll(logits, labels):
    """Position t predicts token t+1: shift, then -log p(token). Returns (nll, mask) of shape (b, n-1)."""
    shift_logits, shift_labels = logits[:, :-1].float(), labels[:, 1:]
    mask = shift_labels != IGNORE_INDEX
    log_probs = F.log_softmax(shift_logits, dim=-1)
    nll = -log_probs.gather(-1, shift_labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    return nll * mask, mask


def sft_loss(logits, labels):
    """Mean over every response token in the batch (token-level mean)."""
    nll, mask = per_token_nll(logits, labels)
    return nll.sum() / mask.sum()


def sft_loss_per_sample_mean(logits, labels):
    """Alternative: mean within each sample first, then over samples."""
    nll, mask = per_token_nll(logits, labels)
    return (nll.sum(1) / mask.sum(1)).mean()


# --8<-- [end:masked_loss]


# --8<-- [start:chat_template]
from tokenizers import Tokenizer, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

# A ChatML-style template. {% generation %} ... {% endgeneration %} marks the assistant's tokens,
# which lets apply_chat_template(..., return_assistant_tokens_mask=True) return a loss mask.
CHATML_TEMPLATE = (
    "{% for m in messages %}"
    "{{ '<|im_start|>' + m['role'] + '\n' }}"
    "{% if m['role'] == 'assistant' %}"
    "{% generation %}{{ m['content'] + '<|im_end|>' }}{% endgeneration %}"
    "{% else %}{{ m['content'] + '<|im_end|>' }}{% endif %}"
    "{{ '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def tiny_chat_tokenizer(corpus):
    """A word-level tokenizer trained on `corpus` (a list of strings), with ChatML special tokens."""
    specials = ["<unk>", "<pad>", "<|im_start|>", "<|im_end|>"]
    tok = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.train_from_iterator(corpus + ["system user assistant"], trainers.WordLevelTrainer(special_tokens=specials))
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="<unk>", pad_token="<pad>", eos_token="<|im_end|>"
    )
    tokenizer.chat_template = CHATML_TEMPLATE
    return tokenizer


# --8<-- [end:chat_template]


# --8<-- [start:packing]
import torch


def pack(sequences):
    """Concatenate 1-D token tensors into one row; positions restart at 0 for each sample."""
    input_ids = torch.cat(sequences).unsqueeze(0)
    position_ids = torch.cat([torch.arange(len(s)) for s in sequences]).unsqueeze(0)
    segment_ids = torch.cat([torch.full((len(s),), i) for i, s in enumerate(sequences)])
    return input_ids, position_ids, segment_ids


def block_causal_mask(segment_ids):
    """(1, 1, n, n) boolean mask, True = may attend: causal AND same sample (block-diagonal)."""
    n = len(segment_ids)
    causal = torch.ones(n, n, dtype=torch.bool).tril()
    same_sample = segment_ids[:, None] == segment_ids[None, :]
    return (causal & same_sample)[None, None]


# --8<-- [end:packing]


# --8<-- [start:forgetting]
import copy

import torch
import torch.nn.functional as F


def two_tasks(d=20, n=2000, seed=0):
    """Task A and task B live in different input regions (mean +3 / -3 on the first axis) and follow
    different linear rules, so one small MLP can solve both at once."""
    g = torch.Generator().manual_seed(seed)
    rules = torch.randn(2, d, generator=g)

    def sample(task, size):
        shift = torch.zeros(d)
        shift[0] = 3.0 if task == 0 else -3.0
        z = torch.randn(size, d, generator=g)
        return z + shift, (z @ rules[task] > 0).float()

    return {name: (sample(t, n), sample(t, n // 4)) for t, name in enumerate("AB")}


def mlp(d=20, seed=0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(d, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1))


def train(model, x, y, steps=200, lr=1e-2, seed=0):
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        idx = torch.randint(0, len(x), (128,), generator=g)
        loss = F.binary_cross_entropy_with_logits(model(x[idx]).squeeze(-1), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


@torch.no_grad()
def accuracy(model, x, y):
    return ((model(x).squeeze(-1) > 0).float() == y).float().mean().item()


def forgetting_experiment(replay_fraction=0.1):
    """Train on A, then fine-tune on B alone or on B mixed with a little of A (replay)."""
    data = two_tasks()
    (xa, ya), test_a = data["A"]
    (xb, yb), test_b = data["B"]
    base = train(mlp(), xa, ya)
    only_b = train(copy.deepcopy(base), xb, yb)
    k = int(replay_fraction * len(xb))
    mixed = train(copy.deepcopy(base), torch.cat([xb, xa[:k]]), torch.cat([yb, ya[:k]]))
    return {
        name: (accuracy(m, *test_a), accuracy(m, *test_b))
        for name, m in [("after A", base), ("then B only", only_b), ("then B + replay", mixed)]
    }


# --8<-- [end:forgetting]
