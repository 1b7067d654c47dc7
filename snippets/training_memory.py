"""Training memory: model states (ZeRO paper), activations of a GPT layer counted tensor by
tensor (Korthikanti et al. 2022), activation checkpointing, gradient accumulation.
For docs/llm/training-memory.md."""

import math

import torch
import torch.nn.functional as F
from torch.autograd.graph import saved_tensors_hooks


# --8<-- [start:model_states]
def model_state_bytes(n_params, n_gpus=1, stage=0, k=12, param_bytes=2, grad_bytes=2):
    """Bytes per GPU for mixed-precision Adam (ZeRO paper, Sec. 3.1 and Figure 1):
    fp16 params (2) + fp16 grads (2) + K = 12 bytes of fp32 master params, momentum, variance.
    stage 0 = plain data parallel, 1 = shard optimizer states, 2 = + gradients, 3 = + parameters.
    Other precisions: fp32 Adam is param_bytes = grad_bytes = 4, k = 8 (no master copy)."""
    params, grads, optim = param_bytes * n_params, grad_bytes * n_params, k * n_params
    if stage >= 1:
        optim /= n_gpus
    if stage >= 2:
        grads /= n_gpus
    if stage >= 3:
        params /= n_gpus
    return params + grads + optim


def activation_bytes_per_layer(s, b, h, a):
    """Korthikanti et al. (2022), Eq. (1): 16-bit activations, 1-byte dropout masks,
    no recomputation, no parallelism."""
    return s * b * h * (34 + 5 * a * s / h)


# --8<-- [end:model_states]


# --8<-- [start:gpt_layer]
import math
import torch
import torch.nn.functional as F


class GPTLayer(torch.nn.Module):
    """A pre-LN GPT layer written so that autograd keeps exactly the tensors counted by
    Korthikanti et al. (2022): x is (s, b, h); dropout masks are 1-byte bools (native_dropout)."""

    def __init__(self, h, a, p=0.1, dtype=torch.bfloat16):
        super().__init__()
        self.a, self.p = a, p
        self.ln1, self.ln2 = torch.nn.LayerNorm(h, dtype=dtype), torch.nn.LayerNorm(h, dtype=dtype)
        self.qkv, self.proj = torch.nn.Linear(h, 3 * h, dtype=dtype), torch.nn.Linear(h, h, dtype=dtype)
        self.fc1, self.fc2 = torch.nn.Linear(h, 4 * h, dtype=dtype), torch.nn.Linear(4 * h, h, dtype=dtype)

    def dropout(self, x):
        return torch.native_dropout(x, self.p, self.training)[0]

    def forward(self, x):
        s, b, h = x.shape
        d = h // self.a
        qkv = self.qkv(self.ln1(x)).view(s, b, self.a, 3 * d).permute(1, 2, 0, 3)  # (b, a, s, 3d)
        q, k, v = qkv.split(d, dim=-1)
        probs = self.dropout(torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(d), dim=-1))
        ctx = (probs @ v).permute(2, 0, 1, 3).reshape(s, b, h)
        x = x + self.dropout(self.proj(ctx))
        return x + self.dropout(self.fc2(F.gelu(self.fc1(self.ln2(x)))))


# --8<-- [end:gpt_layer]


# --8<-- [start:saved_tracker]
import torch
from torch.autograd.graph import saved_tensors_hooks


class SavedTensorTracker:
    """Bytes that autograd keeps alive for backward, counted deterministically through
    saved_tensors_hooks: each storage once, parameters excluded. `peak` is the maximum
    over the whole forward + backward (a saved tensor is released when autograd drops it)."""

    def __init__(self, params=()):
        self.exclude = {p.untyped_storage().data_ptr() for p in params}
        self.live, self.total, self.peak = {}, 0, 0

    def _release(self, ptr):
        entry = self.live[ptr]
        entry[0] -= 1
        if entry[0] == 0:
            self.total -= entry[1]
            del self.live[ptr]

    def pack(self, t):
        ptr = t.untyped_storage().data_ptr()
        if ptr in self.exclude:
            return t
        if ptr in self.live:
            self.live[ptr][0] += 1
        else:
            self.live[ptr] = [1, t.untyped_storage().nbytes()]
            self.total += self.live[ptr][1]
            self.peak = max(self.peak, self.total)
        tracker = self

        class Handle:  # released -> counted down
            def __init__(self):
                self.tensor = t

            def __del__(self):
                tracker._release(ptr)

        return Handle()

    @staticmethod
    def unpack(obj):
        return obj if isinstance(obj, torch.Tensor) else obj.tensor

    def hooks(self):
        return saved_tensors_hooks(self.pack, self.unpack)


# --8<-- [end:saved_tracker]


# --8<-- [start:grad_accum]
import torch


def token_losses(model, batch):
    """Per-token cross-entropy of a toy next-token model; batch = (inputs, targets, mask)."""
    x, y, mask = batch
    logits = model(x)  # (b, t, vocab)
    losses = torch.nn.functional.cross_entropy(logits.flatten(0, 1), y.flatten(), reduction="none")
    return losses.view_as(y) * mask, mask


def accumulate(model, micro_batches, normalise):
    """Sum gradients over micro-batches. normalise = "per_micro_batch_mean" (the pitfall) or
    "global_token_mean" (the fix: divide every micro-batch's summed loss by the TOTAL token count)."""
    model.zero_grad()
    total_tokens = sum(mb[2].sum() for mb in micro_batches)
    for mb in micro_batches:
        losses, mask = token_losses(model, mb)
        if normalise == "per_micro_batch_mean":
            loss = losses.sum() / mask.sum() / len(micro_batches)
        else:
            loss = losses.sum() / total_tokens
        loss.backward()
    return [p.grad.clone() for p in model.parameters()]


# --8<-- [end:grad_accum]
