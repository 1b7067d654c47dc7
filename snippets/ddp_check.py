"""Two-process DistributedDataParallel check on CPU (gloo backend).

Shows that after one optimizer step
  1. both replicas hold bit-identical parameters, and
  2. these equal a single-process step on the full batch (DDP averages gradients).
"""

# --8<-- [start:worker]
import os
import tempfile

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

GLOBAL_BATCH = 8
LR = 0.1


def make_model(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))


def make_dataset() -> TensorDataset:
    g = torch.Generator().manual_seed(123)
    x = torch.randn(GLOBAL_BATCH, 4, generator=g)
    y = torch.randn(GLOBAL_BATCH, 1, generator=g)
    return TensorDataset(x, y)


def worker(rank: int, world_size: int, workdir: str) -> None:
    """One process = one replica. Results are written to workdir/rank{r}.pt."""
    os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")  # loopback only, no network needed
    torch.set_num_threads(1)
    dist.init_process_group(
        "gloo",
        init_method=f"file://{workdir}/store",  # a shared file acts as the rendezvous store
        rank=rank,
        world_size=world_size,
    )
    # Deliberately different initialisation on every rank:
    # the DDP constructor broadcasts rank 0's parameters to all ranks.
    model = make_model(seed=rank)
    before = [p.detach().clone() for p in model.parameters()]
    ddp_model = DDP(model)
    after_wrap = [p.detach().clone() for p in model.parameters()]

    dataset = make_dataset()
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=False)
    loader = DataLoader(dataset, batch_size=GLOBAL_BATCH // world_size, sampler=sampler)
    opt = torch.optim.SGD(ddp_model.parameters(), lr=LR)

    sampler.set_epoch(0)  # matters only with shuffle=True, but always call it
    for x, y in loader:  # one local batch of GLOBAL_BATCH / world_size samples
        opt.zero_grad()
        loss = nn.functional.mse_loss(ddp_model(x), y)  # mean over the LOCAL batch
        loss.backward()  # hooks all-reduce (average) gradient buckets during backward
        opt.step()  # every rank applies the same averaged gradient

    torch.save(
        {
            "indices": list(sampler),
            "before": before,
            "after_wrap": after_wrap,
            "after_step": [p.detach().clone() for p in model.parameters()],
        },
        os.path.join(workdir, f"rank{rank}.pt"),
    )
    # Free DDP (its reducer holds the process group) while the group still exists: if the
    # reducer drops the last reference after destroy_process_group, gloo's destructor can wait
    # for its worker threads while holding the GIL they need, and the process never exits.
    del ddp_model
    dist.destroy_process_group()


# --8<-- [end:worker]


# --8<-- [start:launch]
def run_ddp(world_size: int = 2) -> list[dict]:
    # DDP's constructor lazily imports torch._dynamo (seconds); do it once here,
    # before forking, instead of once in every child.
    import torch._dynamo  # noqa: F401

    with tempfile.TemporaryDirectory() as workdir:
        # "fork" lets the children reuse the parent's globals; with the default
        # "spawn", worker must be importable (it is: snippets/ddp_check.py).
        mp.start_processes(worker, args=(world_size, workdir), nprocs=world_size, join=True, start_method="fork")
        return [torch.load(os.path.join(workdir, f"rank{r}.pt")) for r in range(world_size)]


def single_process_step() -> list[torch.Tensor]:
    """Reference: rank 0's initial weights, ONE process, the FULL batch of 8."""
    model = make_model(seed=0)
    x, y = make_dataset().tensors
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    opt.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    opt.step()
    return [p.detach().clone() for p in model.parameters()]


# --8<-- [end:launch]


# --8<-- [start:buckets]
def bucket_worker(rank: int, world_size: int, workdir: str) -> None:
    """Three DDP iterations; rank 0 saves DDP's own logging data after each one."""
    os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"file://{workdir}/store", rank=rank, world_size=world_size)
    # six 1024 x 1024 fp32 layers (4 MiB each) and a tiny head: parameters 0..6 in forward order
    model = nn.Sequential(*[nn.Linear(1024, 1024, bias=False) for _ in range(6)], nn.Linear(1024, 1, bias=False))
    ddp_model = DDP(model)  # default bucket_cap_mb (25 MiB), find_unused_parameters=False
    log = []
    for _ in range(3):
        ddp_model(torch.randn(2, 1024)).sum().backward()
        data = ddp_model._get_ddp_logging_data()
        log.append({k: v for k, v in data.items() if "bucket" in k})
    if rank == 0:
        torch.save(log, os.path.join(workdir, "buckets.pt"))
    del ddp_model  # before the group (see worker)
    dist.destroy_process_group()


def run_buckets(world_size: int = 2) -> list[dict]:
    import torch._dynamo  # noqa: F401  (see run_ddp)

    with tempfile.TemporaryDirectory() as workdir:
        mp.start_processes(bucket_worker, args=(world_size, workdir), nprocs=world_size, join=True, start_method="fork")
        return torch.load(os.path.join(workdir, "buckets.pt"))


# --8<-- [end:buckets]
