"""Pipeline-parallel schedules (GPipe, 1F1B, interleaved 1F1B) and an event simulator that
measures their bubble and in-flight micro-batches. For docs/llm/parallelism.md."""


# --8<-- [start:simulate]
def simulate(orders, p, v=1, t_f=1.0, t_b=2.0):
    """Run per-device op lists as early as dependencies allow.
    orders[d] = [("F" | "B", microbatch, chunk), ...] in the order device d executes them.
    Model chunk c (0 .. v-1) of device d is pipeline stage c * p + d; each stage costs t_f / v
    forward and t_b / v backward. F(mb, s) needs F(mb, s-1); B(mb, s) needs B(mb, s+1) and F(mb, s).
    Returns the makespan and, per device, the peak number of micro-batch stages in flight
    (forwards done whose backward has not run: their activations are held)."""
    n_stages = p * v
    done, free = {}, [0.0] * p
    pos, in_flight, peak = [0] * p, [0] * p, [0] * p
    while any(pos[d] < len(orders[d]) for d in range(p)):
        progressed = False
        for d in range(p):
            if pos[d] == len(orders[d]):
                continue
            kind, mb, chunk = orders[d][pos[d]]
            stage = chunk * p + d
            if kind == "F":
                deps = [("F", mb, stage - 1)] if stage > 0 else []
            else:
                deps = [("F", mb, stage)] + ([("B", mb, stage + 1)] if stage < n_stages - 1 else [])
            if all(dep in done for dep in deps):
                start = max([free[d]] + [done[dep] for dep in deps])
                free[d] = done[(kind, mb, stage)] = start + (t_f if kind == "F" else t_b) / v
                in_flight[d] += 1 if kind == "F" else -1
                peak[d] = max(peak[d], in_flight[d])
                pos[d] += 1
                progressed = True
        assert progressed, "deadlock: the schedule violates a dependency"
    return max(free), peak


# --8<-- [end:simulate]


# --8<-- [start:schedules]
def gpipe(p, m):
    """GPipe: all forwards, then all backwards (Huang et al. 2019)."""
    return [[("F", i, 0) for i in range(m)] + [("B", i, 0) for i in range(m)] for _ in range(p)]


def one_f_one_b(p, m):
    """1F1B (PipeDream-Flush): device d does p - d - 1 warm-up forwards, then alternates."""
    orders = []
    for d in range(p):
        warm = min(p - d - 1, m)
        order = [("F", i, 0) for i in range(warm)]
        for i in range(m - warm):
            order += [("F", warm + i, 0), ("B", i, 0)]
        order += [("B", i, 0) for i in range(m - warm, m)]
        orders.append(order)
    return orders


def interleaved_1f1b(p, m, v):
    """Interleaved 1F1B (Narayanan et al. 2021), the order of Megatron-LM's
    forward_backward_pipelining_with_interleaving with microbatch_group_size_per_vp_stage = p:
    micro-batches go through the v chunks in groups of p; the backward visits the chunks in reverse."""
    assert m % p == 0
    table = [(g + i, c) for g in range(0, m, p) for c in range(v) for i in range(p)]  # (microbatch, chunk)
    total = m * v
    orders = []
    for d in range(p):
        warm = min((p - d - 1) * 2 + (v - 1) * p, total)
        fwd = [("F", mb, c) for mb, c in table]
        bwd = [("B", mb, v - 1 - c) for mb, c in table]
        order = fwd[:warm]
        for k in range(total - warm):
            order += [fwd[warm + k], bwd[k]]
        order += bwd[total - warm :]
        orders.append(order)
    return orders


# --8<-- [end:schedules]
