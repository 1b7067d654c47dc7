"""LLM serving arithmetic and simulations: roofline costs of prefill and decode, KV-cache allocation
(contiguous vs paged, block tables with copy-on-write), static vs continuous batching, chunked prefill.

Used by docs/llm/serving.md. tests/snippets/test_serving.py checks the cost model against hand counts,
paged attention through a block table against contiguous attention, the allocator's reference counts
and copy-on-write, and the batching simulations against invariants (every token produced exactly once).
"""

# --8<-- [start:roofline]
from dataclasses import dataclass

# NVIDIA A100 80GB SXM, datasheet: BF16 Tensor Core 312 TFLOPS dense, HBM2e 2,039 GB/s
A100_BF16_FLOPS = 312e12
A100_HBM_BYTES_PER_S = 2.039e12


@dataclass(frozen=True)
class Decoder:
    """Shape of a decoder-only model, enough for first-order serving arithmetic."""

    n_params: float  # all parameters
    n_embedding: float  # input-embedding parameters (looked up, not multiplied)
    n_layers: int
    d_model: int
    kv_dim: int  # n_kv_heads * d_head
    bytes_per_param: float = 2.0  # bf16 weights
    bytes_per_kv: float = 2.0  # bf16 KV cache

    @property
    def matmul_params(self):
        return self.n_params - self.n_embedding

    @property
    def kv_bytes_per_token(self):
        return 2 * self.n_layers * self.kv_dim * self.bytes_per_kv  # K and V, every layer


def decode_step(m: Decoder, batch, context):
    """FLOPs and HBM bytes of one decode step: every sequence adds one token attending to `context`.
    Weights are read once for the whole batch; each sequence reads its own KV cache."""
    flops = batch * (2 * m.matmul_params + 4 * m.n_layers * context * m.d_model)  # GEMMs + QK^T, AV
    bytes_moved = m.matmul_params * m.bytes_per_param + batch * context * m.kv_bytes_per_token
    return flops, bytes_moved


def prefill(m: Decoder, prompt_len):
    """FLOPs and HBM bytes of processing a prompt in one pass (causal attention: half the L x L scores)."""
    flops = 2 * m.matmul_params * prompt_len + 2 * m.n_layers * prompt_len**2 * m.d_model
    bytes_moved = m.matmul_params * m.bytes_per_param + prompt_len * m.kv_bytes_per_token  # + KV written
    return flops, bytes_moved


def prefill_chunk(m: Decoder, new_tokens, cached_tokens):
    """Prefill `new_tokens` prompt tokens whose first `cached_tokens` predecessors already have KV
    (a prefix-cache hit, or earlier chunks of a chunked prefill): GEMMs for the new tokens only,
    attention of each new token to everything before it."""
    attn = 4 * m.n_layers * m.d_model * new_tokens * (cached_tokens + (new_tokens + 1) / 2)
    flops = 2 * m.matmul_params * new_tokens + attn
    bytes_moved = (
        m.matmul_params * m.bytes_per_param + (cached_tokens + new_tokens) * m.kv_bytes_per_token
    )  # weights, KV of the prefix read, KV of the new tokens written
    return flops, bytes_moved


def roofline_time(flops, bytes_moved, peak=A100_BF16_FLOPS, bandwidth=A100_HBM_BYTES_PER_S):
    """Lower bound on time: the slower of compute and memory traffic (Williams et al. 2009)."""
    return max(flops / peak, bytes_moved / bandwidth)


# --8<-- [end:roofline]

# --8<-- [start:fragmentation]
from collections import deque

import numpy as np


def sample_requests(n, rng, max_len=2048):
    """A request mix (an assumption, not a measured trace): log-normal prompt and output lengths."""
    prompt = np.clip(rng.lognormal(5.0, 0.8, n).astype(int), 8, max_len // 2)
    output = np.clip(rng.lognormal(5.3, 0.9, n).astype(int), 4, max_len // 2)  # max_new_tokens = 1024
    return prompt, output


def simulate_kv_memory(prompt, output, capacity, reserve=None, block_size=None):
    """Serve a backlog of requests in order; each iteration every running request adds one token.
    Contiguous mode (`reserve` given): a request needs one contiguous range of `reserve(prompt, output)`
    token slots, found by first fit, freed when it finishes. Paged mode (`block_size` given): blocks of
    `block_size` slots are allocated on demand anywhere; if none is free, the most recently admitted
    request is preempted (its blocks freed, it is recomputed later), as vLLM does.
    Averaged over the iterations in which requests are waiting (the server is loaded), returns the
    shares of the capacity used by tokens, reserved for future tokens of running requests, never used
    (tail of a reservation or of a last block: internal fragmentation), free but unusable for the next
    request (contiguous: external fragmentation), or free (paged: fewer blocks than the next prompt
    needs); and the mean number of running requests over those iterations."""
    queue = deque(range(len(prompt)))
    holes = [(0, capacity)]  # contiguous mode: sorted free ranges (start, size)
    free_blocks = capacity // block_size if block_size else 0
    running = {}  # id -> [start, allocated slots, length, final length]
    acc = dict(used=0.0, reserved=0.0, internal=0.0, external=0.0, free=0.0)
    steps = batch_sum = 0
    while queue or running:
        while queue:  # admit in order while memory allows
            rid = queue[0]
            final = int(prompt[rid] + output[rid])
            if block_size:
                need = -(-int(prompt[rid] + 1) // block_size)  # prompt + the first new token
                if need > free_blocks:
                    break
                free_blocks -= need
                running[rid] = [None, need * block_size, int(prompt[rid]), final]
            else:
                size = reserve(int(prompt[rid]), int(output[rid]))
                slot = next((i for i, (_, s) in enumerate(holes) if s >= size), None)
                if slot is None:
                    break
                start, s = holes[slot]
                holes[slot] = (start + size, s - size)
                running[rid] = [start, size, int(prompt[rid]), final]
            queue.popleft()
        if queue:  # loaded: somebody is waiting for memory
            used = sum(r[2] for r in running.values())
            acc["used"] += used
            if block_size:
                acc["internal"] += sum(r[1] for r in running.values()) - used  # unfilled last blocks
                acc["free"] += free_blocks * block_size
            else:
                acc["reserved"] += sum(min(r[3], r[1]) - r[2] for r in running.values())
                acc["internal"] += sum(max(r[1] - r[3], 0) for r in running.values())
                acc["external"] += sum(s for _, s in holes)
            steps += 1
            batch_sum += len(running)
        for rid in list(running):  # one decode iteration
            if rid not in running:  # preempted earlier in this iteration
                continue
            r = running[rid]
            if block_size and r[2] + 1 > r[1]:  # the next token needs a new block
                while free_blocks == 0:
                    victim = list(running)[-1]  # most recently admitted
                    free_blocks += running.pop(victim)[1] // block_size
                    queue.appendleft(victim)
                    if victim == rid:
                        break
                if rid not in running:
                    continue
                free_blocks -= 1
                r[1] += block_size
            r[2] += 1
            if r[2] >= r[3]:
                del running[rid]
                if block_size:
                    free_blocks += r[1] // block_size
                else:
                    holes = _merge(holes + [(r[0], r[1])])
    shares = {k: v / (steps * capacity) for k, v in acc.items()}
    return shares, batch_sum / steps


def _merge(holes):
    """Sort free ranges and merge the adjacent ones."""
    holes = sorted(holes)
    merged = [holes[0]]
    for start, size in holes[1:]:
        if merged[-1][0] + merged[-1][1] == start:
            merged[-1] = (merged[-1][0], merged[-1][1] + size)
        else:
            merged.append((start, size))
    return merged


# --8<-- [end:fragmentation]

# --8<-- [start:block_table]
import numpy as np


class BlockAllocator:
    """Physical KV blocks with reference counts (vLLM-style). Storage holds one value per token slot."""

    def __init__(self, num_blocks, block_size):
        self.block_size = block_size
        self.storage = np.full((num_blocks, block_size), -1)
        self.refcount = np.zeros(num_blocks, dtype=int)
        self.free = list(range(num_blocks))[::-1]
        self.copies = 0  # copy-on-write events

    def allocate(self):
        b = self.free.pop()
        self.refcount[b] = 1
        return b

    def incref(self, b):
        self.refcount[b] += 1

    def decref(self, b):
        self.refcount[b] -= 1
        if self.refcount[b] == 0:
            self.storage[b] = -1
            self.free.append(b)


class Sequence:
    """A logical sequence: its block table maps logical block i to a physical block."""

    def __init__(self, alloc: BlockAllocator):
        self.alloc, self.block_table, self.length = alloc, [], 0

    def append(self, value):
        a, offset = self.alloc, self.length % self.alloc.block_size
        if offset == 0:
            self.block_table.append(a.allocate())
        elif a.refcount[self.block_table[-1]] > 1:  # shared block: copy before writing
            old, new = self.block_table[-1], a.allocate()
            a.storage[new] = a.storage[old]
            a.decref(old)
            self.block_table[-1] = new
            a.copies += 1
        a.storage[self.block_table[-1], offset] = value
        self.length += 1

    def fork(self):
        """A new sequence sharing every block (parallel sampling, beam candidates, shared prefixes)."""
        child = Sequence(self.alloc)
        child.block_table, child.length = list(self.block_table), self.length
        for b in self.block_table:
            self.alloc.incref(b)
        return child

    def tokens(self):
        """Gather through the block table: what the attention kernel sees as a contiguous sequence."""
        flat = self.alloc.storage[self.block_table].reshape(-1)
        return flat[: self.length].tolist()

    def release(self):
        for b in self.block_table:
            self.alloc.decref(b)
        self.block_table, self.length = [], 0


# --8<-- [end:block_table]

# --8<-- [start:paged_attention]


def paged_attention(q, k_blocks, v_blocks, block_table, length):
    """One query vector attends to a sequence whose K/V live in non-contiguous physical blocks."""
    k = k_blocks[block_table].reshape(-1, k_blocks.shape[-1])[:length]
    v = v_blocks[block_table].reshape(-1, v_blocks.shape[-1])[:length]
    scores = (k @ q) / q.shape[-1] ** 0.5
    return scores.softmax(-1) @ v


# --8<-- [end:paged_attention]

# --8<-- [start:batching]
import numpy as np


def simulate_batching(arrivals, lengths, max_batch, step_time, continuous):
    """Decode-only simulation (prefill cost ignored in both policies).
    static: a batch runs until its longest request finishes; results return at the end of the batch.
    continuous (iteration-level, Orca): after every iteration finished requests leave and waiting
    ones join. step_time(b) is the duration of one iteration with b running sequences.
    Returns per-request latency (finish - arrival) and the time the last request finished."""
    n, t, nxt = len(arrivals), 0.0, 0
    waiting, running, finish = [], {}, np.zeros(n)
    while nxt < n or waiting or running:
        while nxt < n and arrivals[nxt] <= t:
            waiting.append(nxt)
            nxt += 1
        if not running and not waiting:
            t = arrivals[nxt]  # idle until the next arrival
            continue
        if continuous or not running:  # static admits only when the previous batch is done
            while waiting and len(running) < max_batch:
                i = waiting.pop(0)
                running[i] = lengths[i]
            batch_members = list(running)
        t += step_time(len(running) if continuous else len(batch_members))  # static: padded slots still run
        for i in list(running):
            running[i] -= 1
            if running[i] == 0:
                del running[i]
                if continuous:
                    finish[i] = t
        if not continuous and not running:  # the whole static batch returns together
            finish[batch_members] = t
    return finish - arrivals, finish.max()


# --8<-- [end:batching]
