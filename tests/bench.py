"""`make bench`: the performance report. Prints one figure per line; run from the repository root.

- cold build (all caches cleared), warm build, and their ratio;
- a one-page edit: time until `mkdocs serve` serves the edited page;
- runnable blocks and formulas of the site, peak memory of the build.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
EDITED_PAGE = ROOT / "docs" / "transformer" / "attention.md"


def build(site: Path) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"build failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    return elapsed, proc.stdout + proc.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def serve_edit_latency() -> float:
    """Seconds from saving an edit to one page until `mkdocs serve` serves it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/{EDITED_PAGE.relative_to(ROOT / 'docs').with_suffix('')}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    original = EDITED_PAGE.read_text(encoding="utf-8")
    marker = f"bench-marker-{time.time_ns()}"
    try:
        deadline = time.time() + 300
        while fetch(url) is None:
            if time.time() > deadline:
                sys.exit("mkdocs serve did not start")
            time.sleep(0.2)
        time.sleep(1)  # let the watcher settle
        EDITED_PAGE.write_text(original + f"\n\n{marker}\n", encoding="utf-8")
        start = time.perf_counter()
        while marker not in (fetch(url) or ""):
            if time.perf_counter() - start > 120:
                sys.exit("the edit never appeared")
            time.sleep(0.05)
        return time.perf_counter() - start
    finally:
        EDITED_PAGE.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    shutil.rmtree(ROOT / ".cache", ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        cold, cold_log = build(Path(tmp) / "cold")
        warm, warm_log = build(Path(tmp) / "warm")
        site = Path(tmp) / "warm"
        pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
        weight = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    snippets = re.search(r"snippets: (\d+) ran, (\d+) cached, (\d+) failed", cold_log)
    warm_snippets = re.search(r"snippets: (\d+) ran, (\d+) cached", warm_log)
    formulas = re.search(r"formulas: (\d+) rendered, (\d+) cached", cold_log)
    warm_formulas = re.search(r"formulas: (\d+) rendered, (\d+) cached", warm_log)
    edit = serve_edit_latency()
    report = {
        "pages built": len(pages),
        "site size on disk (MiB)": f"{weight / 2**20:.1f}",
        "cold build (s)": f"{cold:.1f}",
        "warm build (s)": f"{warm:.1f}",
        "warm / cold (goal <= 0.35)": f"{warm / cold:.2f}",
        "one-page edit visible in mkdocs serve (s, goal < 3)": f"{edit:.1f}",
        "runnable blocks run on a cold build": snippets.group(1),
        "runnable blocks run on a warm build (goal 0)": warm_snippets.group(1),
        "formulas pre-rendered (cold)": formulas.group(1),
        "formulas rendered on a warm build (goal 0)": warm_formulas.group(1),
        "peak memory of one build (MiB)": f"{peak:.0f}",
    }
    width = max(map(len, report))
    print("\n".join(f"{name:<{width}}  {value}" for name, value in report.items()))


if __name__ == "__main__":
    main()
