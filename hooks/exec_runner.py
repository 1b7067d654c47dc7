"""Run one page's runnable blocks in this separate process (started by hooks/snippets_exec.py).

Reads a job from stdin: {"results": path, "units": [{"id": str, "blocks": [{"code", "name", "timeout"}]}]}
and appends one JSON line per block to the results file. A unit's blocks share one namespace; a failed
block ends its unit. Seeds are fixed before every block and the network is closed to everything but
loopback. The parent sets the memory limit, the working directory and a hard deadline.
"""

import contextlib
import io
import ipaddress
import json
import random
import re
import signal
import socket
import sys
import traceback


class BlockTimeout(Exception):
    """The block ran past its timeout."""


class NetworkBlocked(OSError):
    """The block tried to reach another host."""


def _is_loopback(host) -> bool:
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(host, port=None):
    raise NetworkBlocked(
        f"network access is disabled for runnable blocks (tried {host}:{port}); compute from local data instead"
    )


def close_network() -> None:
    """Let sockets reach loopback (e.g. torch.distributed on one machine) and nothing else."""
    connect, connect_ex, getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def checked(method):
        def wrapper(self, address):
            if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
                _refuse(*address[:2])
            return method(self, address)

        return wrapper

    def checked_getaddrinfo(host, port, *args, **kwargs):
        if not _is_loopback(host):
            _refuse(host, port)
        return getaddrinfo(host, port, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex = checked(connect), checked(connect_ex)
    socket.getaddrinfo = checked_getaddrinfo


def seed_everything(code: str) -> None:
    random.seed(0)
    with contextlib.suppress(ImportError):
        import numpy

        numpy.random.seed(0)
    if "torch" in sys.modules or re.search(r"^\s*(import|from)\s+torch\b", code, re.M):
        import torch

        torch.manual_seed(0)


def collect_figures() -> list[dict]:
    """Save every open matplotlib figure as SVG text, then close them."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None:
        return []
    plt.rcParams["svg.hashsalt"] = "kb"  # stable ids: same figure, same file
    figures = []
    for number in plt.get_fignums():
        fig = plt.figure(number)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
        svg = buffer.getvalue()
        size = re.search(r'<svg[^>]*width="([\d.]+)pt"[^>]*height="([\d.]+)pt"', svg)
        titles = [fig._suptitle.get_text()] if fig._suptitle else []
        titles += [ax.get_title() for ax in fig.axes]
        figure = {"svg": svg, "alt": next((t for t in titles if t), "")}
        if size:
            figure["width"], figure["height"] = (round(float(v) * 4 / 3) for v in size.groups())
        figures.append(figure)
    plt.close("all")
    return figures


def _on_alarm(signum, frame):
    raise BlockTimeout


def _traceback_tail(error: BaseException, name: str) -> str:
    """The traceback from the block's own frames on (the runner's frames are noise)."""
    frames = traceback.extract_tb(error.__traceback__)
    first = next((i for i, f in enumerate(frames) if f.filename == name), 0)
    lines = traceback.format_list(frames[first:]) + traceback.format_exception_only(type(error), error)
    return "".join(lines).rstrip()[-3000:]


def run_block(block: dict, namespace: dict) -> dict:
    seed_everything(block["code"])
    out = io.StringIO()
    signal.setitimer(signal.ITIMER_REAL, block["timeout"])
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(block["code"], block["name"], "exec"), namespace)
        signal.setitimer(signal.ITIMER_REAL, 0)
        return {"ok": True, "stdout": out.getvalue(), "figures": collect_figures()}
    except BaseException as error:  # noqa: BLE001 - every failure is reported, none swallowed
        signal.setitimer(signal.ITIMER_REAL, 0)
        kind = {BlockTimeout: "timeout", NetworkBlocked: "network", MemoryError: "memory"}.get(type(error), "error")
        message = (
            f"ran past its {block['timeout']:g} s timeout"
            if kind == "timeout"
            else _traceback_tail(error, block["name"])
        )
        return {"ok": False, "kind": kind, "error": message, "stdout": out.getvalue()}


def main() -> None:
    job = json.load(sys.stdin)
    signal.signal(signal.SIGALRM, _on_alarm)
    close_network()
    with open(job["results"], "a", encoding="utf-8") as results:
        for unit in job["units"]:
            namespace = {"__name__": "__main__"}
            for index, block in enumerate(unit["blocks"]):
                results.write(json.dumps({"unit": unit["id"], "block": index, "started": True}) + "\n")
                results.flush()
                result = run_block(block, namespace)
                results.write(json.dumps({"unit": unit["id"], "block": index, **result}) + "\n")
                results.flush()
                if not result["ok"]:
                    break


if __name__ == "__main__":
    main()
