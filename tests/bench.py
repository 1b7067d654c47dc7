"""`make bench`: the performance report, every figure in one run. Run from the repository root.

Contributors: cold build (caches cleared), warm build and their ratio, a full build after a one-page
edit, a one-page edit until `mkdocs serve` serves it, peak memory, the site at 10x its pages, and
the time of `make test`. Readers: Lighthouse (mobile, CPU slowdown calibrated to the host's measured speed,
the median of 5 runs) on the home page, the two
heaviest content pages, every notebook page and the interactive pages (计算器, 复习, 模拟面试), served
gzipped like GitHub Pages, with transferred bytes, request counts and third-party requests. Search, on
the real site and at 10x its pages, on Lighthouse's mobile phone served gzipped: recall@5 and recall@1
over tests/search_queries.tsv (held-out and tuned parts, each kind), bytes for the first query,
typing to results (p95 of each query's median over 3 passes in readers' visits of 25 queries, each
visit a fresh phone with the CPU slowdown calibrated to the host just before), the first query on
Lighthouse's slow 4G, index build time; the 100x figures extrapolated on the line through
1x and 10x. The budgets (issue 25) are checked, recall on the real site and bytes and latency at 10x;
misses are flagged MISS.

`python tests/bench.py search SITE [BUILD_LOG]` measures search alone on any built site (either
engine); `python tests/bench.py search-scale [CHECKOUT]` builds the site of a checkout (this one by
default) at 1x and 10x and reports its search figures with the 100x extrapolation: this is how
Material's search (before Pagefind) was compared on the same query file, phone and 10x site.
`python tests/bench.py lighthouse SITE` runs Lighthouse alone on the home page and the interactive
pages of a built site.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from statistics import mean, median, quantiles
from urllib.parse import urlsplit

from mkdocs.config import load_config

from conftest import GENERATED_NAV

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "tests"))
from search import ISSUE_KINDS, RECALL, Recall, load_queries, open_search, recall, top_titles  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
EDITED_PAGE = ROOT / "docs" / "transformer" / "attention.md"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_PAGE_FUNCTIONS = ROOT / "node_modules" / "lighthouse" / "core" / "lib" / "page-functions.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
COUNTS = {
    "snippets": r"snippets: (\d+) ran, (\d+) cached",
    "formulas": r"formulas: (\d+) rendered, (\d+) cached",
    "diagrams": r"diagrams: (\d+) rendered, (\d+) cached",
}


def build(site: Path, config: Path = ROOT / "mkdocs.yml") -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        cwd=config.parent,
        env=ENV,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"build failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    return elapsed, proc.stdout + proc.stderr


def counts(log: str) -> dict[str, tuple[int, int]]:
    return {name: tuple(map(int, re.search(p, log).groups())) for name, p in COUNTS.items()}


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


@contextmanager
def edited_page(addition: str):
    """EDITED_PAGE with text appended, restored afterwards whatever happens."""
    original = EDITED_PAGE.read_text(encoding="utf-8")
    EDITED_PAGE.write_text(original + addition, encoding="utf-8")
    try:
        yield
    finally:
        EDITED_PAGE.write_text(original, encoding="utf-8")


def serve_edit_latency() -> float:
    """Seconds from saving an edit to one page until `mkdocs serve` serves it."""
    port = free_port()
    site_path = urlsplit(load_config(str(ROOT / "mkdocs.yml")).site_url).path
    url = f"http://127.0.0.1:{port}{site_path}{EDITED_PAGE.relative_to(ROOT / 'docs').with_suffix('')}/"
    log = tempfile.NamedTemporaryFile("w+", suffix=".log")  # noqa: SIM115 - read back if serve dies
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--no-strict",  # as make serve: MkDocs warns on every --dirty build
            "--livereload",
            "--dirty",
            "-a",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    marker = f"bench-marker-{time.time_ns()}"
    try:
        deadline = time.monotonic() + 600
        while fetch(url) is None:
            if time.monotonic() > deadline or server.poll() is not None:
                log.seek(0)
                sys.exit(f"mkdocs serve did not start:\n{log.read()[-3000:]}")
            time.sleep(0.2)
        time.sleep(1)  # let the file watcher settle
        with edited_page(f"\n\n{marker}\n"):
            start = time.perf_counter()
            while marker not in (fetch(url) or ""):
                if time.perf_counter() - start > 300:
                    sys.exit("the edit never appeared")
                time.sleep(0.05)
            return time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files the way GitHub Pages does: gzip for text, a short cache lifetime, connections kept
    open (HTTP/1.1), so that timings measure the site rather than this server."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes: no 40 ms delayed-ACK stall

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_header(self, keyword, value):
        if keyword == "Content-Length" and hasattr(self.server, "sent"):
            self.server.sent.append((self.path, int(value)))  # bytes on the wire, after gzip
        super().send_header(keyword, value)

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        text = path.suffix in {".html", ".css", ".js", ".json", ".svg", ".xml"}
        if not (path.is_file() and text and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def serve(site: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    """The site on loopback, served like GitHub Pages; `server.sent` lists (path, body bytes) sent."""
    handler = lambda *a, **k: GzipHandler(*a, directory=str(site), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.sent = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/", server


# Lighthouse's 4x CPU slowdown is meant for a host with a benchmarkIndex of 1500-2000 (its docs/throttling.md,
# "Calibrating the CPU slowdown": 4x moves a high-end desktop run into mid-tier mobile; a host higher or lower in
# its bracket should use a higher or lower multiplier). This machine, a shared VM, measures anywhere from ~1200 to ~2200 from one run to the
# next, and a fixed 4x then emulates a phone whose speed follows the host's: performance scores of one page
# ranged 0.90-0.99. A calibrated run scales the slowdown by the index measured during the same page load,
# so that every run emulates one phone: 4x on a host in the middle of that range, index 1750 / 4 = 437.5,
# within Lighthouse's mid-tier mobile range (125-800).
REFERENCE_BENCHMARK_INDEX = 1750
BENCHMARK_RUNS = 3  # host_benchmark_index: the median of this many runs
DEFAULT_CPU_SLOWDOWN = 4


def calibrated_slowdown(benchmark_index: float) -> float:
    """The CPU slowdown multiplier that makes a host measuring `benchmark_index` (Lighthouse's
    BenchmarkIndex, higher is faster) emulate the phone that 4x emulates on a host measuring
    REFERENCE_BENCHMARK_INDEX: 4 x index / 1750, rounded to 2 decimals. Raises ValueError on an index <= 0."""
    if not benchmark_index > 0:
        raise ValueError(f"Lighthouse reported BenchmarkIndex {benchmark_index!r}: no CPU speed to calibrate to")
    return round(DEFAULT_CPU_SLOWDOWN * benchmark_index / REFERENCE_BENCHMARK_INDEX, 2)


@functools.cache
def benchmark_index_function(page_functions: Path) -> str:
    """The source of computeBenchmarkIndex() in Lighthouse's `page_functions` file (read once per file:
    the search bench measures the host before each of its 45 visits per site). Raises RuntimeError if
    the file no longer defines that function."""
    source = page_functions.read_text(encoding="utf-8")
    found = re.search(r"^function computeBenchmarkIndex\(\) \{\n.*?^\}\n", source, re.S | re.M)
    if not found:
        raise RuntimeError(f"{page_functions}: no computeBenchmarkIndex() to measure the host with")
    return found.group(0)


def host_benchmark_index(browser) -> float:
    """The host's speed now: the median of BENCHMARK_RUNS runs of Lighthouse's own BenchmarkIndex page
    function (core/lib/page-functions.js, computeBenchmarkIndex, about 1 s each) in a fresh page without
    CPU slowdown. Raises RuntimeError if Lighthouse's file no longer defines that function."""
    function = benchmark_index_function(LIGHTHOUSE_PAGE_FUNCTIONS)
    page = browser.new_page()
    try:
        return median(page.evaluate(f"({function})()") for _ in range(BENCHMARK_RUNS))
    finally:
        page.close()


def lighthouse_run(url: str, out: Path) -> dict:
    """One Lighthouse run (mobile, simulated throttling, CPU slowdown calibrated to the host), its JSON
    report written to `out`.

    The page is loaded once (--gather-mode); the BenchmarkIndex Lighthouse measured during that load gives
    the slowdown (calibrated_slowdown), and the audits run on the saved load with it (--audit-mode).
    Simulated throttling applies the slowdown only when auditing, so changing it after gathering is exact;
    Lighthouse refuses a setting that differs from the gathered one, so the saved settings are updated
    too. Raises CalledProcessError if Lighthouse fails, RuntimeError if its saved load lacks the index."""
    flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    flags += "--disable-component-update --disable-sync --disable-quic --no-first-run"
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-path={shutil.which('chromium')}",
        f"--chrome-flags={flags}",
        "--form-factor=mobile",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    gathered = out.with_suffix(".gathered")
    shutil.rmtree(gathered, ignore_errors=True)
    subprocess.run([*command, f"--gather-mode={gathered}"], check=True, timeout=300)
    artifacts_file = gathered / "artifacts.json"
    artifacts = json.loads(artifacts_file.read_text())
    try:
        slowdown = calibrated_slowdown(artifacts["BenchmarkIndex"])
        artifacts["settings"]["throttling"]["cpuSlowdownMultiplier"] = slowdown
    except (KeyError, TypeError) as error:
        raise RuntimeError(f"{artifacts_file}: no BenchmarkIndex or throttling settings ({error!r})") from error
    artifacts_file.write_text(json.dumps(artifacts))
    subprocess.run(
        [
            *command,
            f"--audit-mode={gathered}",
            f"--throttling.cpuSlowdownMultiplier={slowdown}",
            "--output=json",
            f"--output-path={out}",
        ],
        check=True,
        timeout=300,
    )
    shutil.rmtree(gathered)
    report = json.loads(out.read_text())
    assert report["configSettings"]["throttling"]["cpuSlowdownMultiplier"] == slowdown, "slowdown not applied"
    return report


# Lighthouse's docs/variability.md: the median of 5 runs is about twice as stable as a single run.
LIGHTHOUSE_RUNS = 5
MEDIAN_RUN = """
import {readFileSync} from "node:fs";
import {computeMedianRun} from "%s";
const runs = process.argv.slice(1).map(file => JSON.parse(readFileSync(file, "utf8")));
console.log(runs.indexOf(computeMedianRun(runs)));
"""


def lighthouse(url: str, tmp: Path) -> dict:
    """Scores, weight and requests of the median of LIGHTHOUSE_RUNS runs (Lighthouse's own choice)."""
    outs = [tmp / f"lh-{i}.json" for i in range(LIGHTHOUSE_RUNS)]
    reports = [lighthouse_run(url, out) for out in outs]
    script = MEDIAN_RUN % (ROOT / "node_modules" / "lighthouse" / "core" / "lib" / "median-run.js").as_uri()
    picked = subprocess.run(
        ["node", "--input-type=module", "-e", script, "--", *map(str, outs)],
        check=True,
        capture_output=True,
        text=True,
    )
    report = reports[int(picked.stdout)]
    requests = report["audits"]["network-requests"]["details"]["items"]
    fetched = [r for r in requests if urlsplit(r["url"]).scheme in ("http", "https")]  # not data: URIs
    return {
        "scores": {c: report["categories"][c]["score"] for c in CATEGORIES},
        "performance_runs": sorted(r["categories"]["performance"]["score"] for r in reports),
        "slowdowns": sorted(r["configSettings"]["throttling"]["cpuSlowdownMultiplier"] for r in reports),
        "bytes": sum(r.get("transferSize", 0) for r in fetched),
        "requests": len(fetched),
        "third_party": sum(urlsplit(r["url"]).netloc != urlsplit(url).netloc for r in fetched),
    }


def lighthouse_lines(site: Path, paths: list[str], tmp: Path) -> dict[str, str]:
    """Report lines for Lighthouse on each page of `paths` (URL paths, "" for home) of the built
    `site`, served gzipped: median scores, every run's performance, bytes and requests."""
    report = {}
    url, server = serve(site)
    for path in dict.fromkeys(paths):
        lh = lighthouse(url + path, tmp)
        scores = " ".join(f"{c[:4]} {s:.2f}" for c, s in lh["scores"].items())
        missed = " ".join(c for c, s in lh["scores"].items() if s < 0.95)
        report[f"lighthouse /{path}, median of {LIGHTHOUSE_RUNS} runs (budget >= 0.95 each)"] = scores + (
            f"  MISS {missed}" if missed else ""
        )
        report[f"  /{path}: performance of every run"] = " ".join(f"{s:.2f}" for s in lh["performance_runs"])
        report[f"  /{path}: CPU slowdown of every run (calibrated)"] = " ".join(f"{m}x" for m in lh["slowdowns"])
        report[f"  /{path}: transferred KiB (budget 500) / requests / third-party"] = (
            f"{lh['bytes'] / 1024:.0f} / {lh['requests']} / {lh['third_party']}"
        )
    server.shutdown()
    return report


GENERATED_PAGES = {"print", "questions", "glossary", "downloads", "review", "mock-interview"}  # made by hooks
# Pages whose content is mostly script-driven: measured too, whatever their weight.
INTERACTIVE_PAGES = ["tools/calculator/", "review/", "mock-interview/"]


_IMG_SRC = re.compile(r'<img\b[^>]*?\ssrc="([^"]+)"')


def page_weight(page: Path) -> int:
    """Bytes a reader downloads for a page's own content, served gzipped: its HTML and the site images it shows."""
    html = page.read_bytes()
    images = [page.parent / src for src in _IMG_SRC.findall(html.decode("utf-8")) if not urlsplit(src).scheme]
    return sum(len(gzip.compress(f.read_bytes(), 6)) for f in [page, *images] if f.is_file())


def page_path(site: Path, page: Path) -> str:
    """The URL path of a built index.html, relative to the site root."""
    return page.parent.relative_to(site).as_posix() + "/"


def heaviest_pages(site: Path, n: int = 2) -> list[str]:
    """The content pages with the most to transfer (page_weight)."""
    pages = [
        p for p in site.rglob("index.html") if p.parent != site and p.relative_to(site).parts[0] not in GENERATED_PAGES
    ]
    pages.sort(key=page_weight, reverse=True)
    return [page_path(site, p) for p in pages[:n]]


def notebook_pages(site: Path) -> list[str]:
    """Notebook pages (mkdocs-jupyter leaves the .ipynb beside them): their own style sheet and scripts."""
    return sorted(page_path(site, p) for p in site.rglob("*/index.html") if any(p.parent.glob("*.ipynb")))


def rebuild_after_edit(site: Path) -> float:
    """Seconds of a full build after one page changed (its blocks run again, the rest is cached)."""
    with edited_page('\n\n```python exec="on"\nprint(1 + 1)\n```\n'):
        elapsed, _ = build(site)
    return elapsed


def make_test() -> float:
    start = time.perf_counter()
    proc = subprocess.run(["make", "test"], cwd=ROOT, env=ENV, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"make test failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    return time.perf_counter() - start


# ----------------------------------------------------------------------------------------- search
# The phone of Lighthouse's mobile profile (its form factor and user agent, and its 4x CPU slowdown,
# applied here for real); pages served gzipped like GitHub Pages (GzipHandler, HTTP/1.1).
PHONE = {
    "viewport": {"width": 412, "height": 823},
    "device_scale_factor": 1.75,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/136.0.0.0 Mobile Safari/537.36",
}
CPU_SLOWDOWN = 4
# Lighthouse's mobile network (its simulated throttling): 150 ms round trips, 1.6 Mbps down, 750 Kbps up.
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6 * 2**20 / 8, "uploadThroughput": 750 * 2**10 / 8}
# Files that exist only for search, for either engine: Material's index and worker; Pagefind's folder
# (search/) and search.js, which runs it.
SEARCH_FILE = re.compile(r"/search/|/workers/search\.[^/]*\.js|/javascripts/search\.js")
# First queries a reader might type; bytes are reported for the one that downloads most.
FIRST_QUERIES = ("注意力", "BN和LN", "为什么除以根号dk", "学习率", "transformer", "大模型胡说八道怎么办")
CONTENT_PAGE = "ml/boosting/"  # readers open search from a page they are reading
# Latency is the median of each query's time over this many passes (the host's speed swings within
# seconds: one query's time alone says as much about the host as about search).
LATENCY_PASSES = 3
# A pass is made of readers' visits: a fresh phone opens a page, reaches for search, types WARM_UP (it
# loads Pagefind, not timed: the first query has its own figures) and then VISIT queries of the file.
# Each visit has its slowdown calibrated just before it. One page typing all 375 queries would answer
# later queries from the index files that earlier ones loaded, which no reader's visit does, and a
# slowdown set once would drift with the host over the pass's five minutes.
VISIT = 25
WARM_UP = "学习"
# Issue 25: recall@5 on the held-out part and on each of its kinds (search.ISSUE_KINDS), on the real
# site; bytes and typing to results at 10x the pages (SCALE_BUDGETS).
SEARCH_BUDGETS = {"recall": RECALL, "first query KiB": 150, "p95 ms": 300}
SCALE_BUDGETS = ("first query KiB", "p95 ms")
_INDEXED = re.compile(r"search: (\d+) records indexed in ([\d.]+) s")


def phone_page(browser, network: bool = False, slowdown: float = CPU_SLOWDOWN):
    """A page in a fresh phone context (empty cache), its CPU slowed `slowdown` times; with `network`,
    on Lighthouse's mobile network."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
    if network:
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    return page


def first_query(browser, url: str, server, query: str, network: bool = False) -> tuple[int, float]:
    """Bytes of search files sent to a fresh phone that opens a page, reaches for search and types
    `query`, and the seconds from reaching for search to its results."""
    page = phone_page(browser, network)
    start = len(server.sent)
    page.goto(url + CONTENT_PAGE, wait_until="networkidle")
    began = time.perf_counter()
    open_search(page)
    top_titles(page, query, timeout=120_000)
    seconds = time.perf_counter() - began
    page.wait_for_load_state("networkidle")
    sent = sum(n for path, n in server.sent[start:] if SEARCH_FILE.search(path))
    page.context.close()
    return sent, seconds


def search_figures(site: Path, build_log: str = "") -> dict:
    """Search on a built site (either engine), on the phone: recall@5 and @1 over the query file,
    latency from typing to results (each query's median over LATENCY_PASSES passes, each pass made of
    visits of VISIT queries, each visit a fresh phone whose CPU slowdown is calibrated to the host just
    before: calibrated_slowdown of host_benchmark_index), bytes for the first query, the first query's
    time on a slow network (4x), and the index build time the build logged."""
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM_FLAGS

    url, server = serve(site)
    queries = load_queries()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        firsts = {q: first_query(browser, url, server, q) for q in FIRST_QUERIES}
        _, slow = first_query(browser, url, server, FIRST_QUERIES[0], network=True)
        passes, slowdowns = [], []
        for _ in range(LATENCY_PASSES):
            visits = []
            for start in range(0, len(queries), VISIT):
                slowdowns.append(calibrated_slowdown(host_benchmark_index(browser)))
                page = phone_page(browser, slowdown=slowdowns[-1])
                page.goto(url + CONTENT_PAGE, wait_until="networkidle")
                open_search(page)
                top_titles(page, WARM_UP)
                visits.append(recall(page, queries[start : start + VISIT]))
                page.context.close()
            passes.append(Recall.joined(visits))
        browser.close()
    server.shutdown()
    indexed = _INDEXED.search(build_log)
    lat = sorted(median(times) for times in zip(*(r.latencies for r in passes)))
    return {
        "recall": passes[0],
        "recall differs between passes": sum(r.misses != passes[0].misses for r in passes[1:]),
        "CPU slowdowns": slowdowns,
        "p95 ms": quantiles(lat, n=20)[-1] * 1000,
        "mean ms": mean(lat) * 1000,
        "first query KiB": max(b for b, _ in firsts.values()) / 1024,
        "first queries KiB": {q: round(b / 1024, 1) for q, (b, _) in firsts.items()},
        "first query on slow 4G s": slow,
        "index build s": float(indexed[2]) if indexed else None,
        "records": int(indexed[1]) if indexed else None,
        "index KiB": search_files_size(site) / 1024,
    }


def search_files_size(site: Path) -> int:
    """Bytes of every search file of the built site, as served (gzip where the server compresses)."""
    total = 0
    for path in site.rglob("*"):
        rel = "/" + path.relative_to(site).as_posix()
        if path.is_file() and SEARCH_FILE.search(rel):
            data = path.read_bytes()
            total += len(gzip.compress(data, 6)) if path.suffix in {".js", ".json", ".txt"} else len(data)
    return total


def search_lines(name: str, figures: dict, budgets: tuple[str, ...]) -> dict[str, str]:
    """Report lines for one site; misses of the budgets named in `budgets` (keys of SEARCH_BUDGETS) are
    flagged MISS. Recall is given at 5 (budgeted) and at 1 (the answer placed first)."""
    flag = lambda budget, ok: "" if ok or budget not in budgets else "  MISS"  # noqa: E731
    r = figures["recall"]
    least = SEARCH_BUDGETS["recall"]
    lines = {}
    for split in ("heldout", "tune"):
        score = r.score(split=split)
        ok = split != "heldout" or score >= least
        lines[f"{name}: recall@5 (recall@1), {split} part ({r.count(split=split)} queries)"] = (
            f"{score:.3f}{flag('recall', ok)}  ({r.score(split=split, top=1):.3f})"
        )
    for kind in r.kinds:
        score = r.score(kind=kind)
        ok = kind not in ISSUE_KINDS or score >= least
        lines[f"  {name}: recall@5, kind {kind} ({r.count(kind=kind)})"] = f"{score:.3f}{flag('recall', ok)}"
    kib = figures["first query KiB"]
    lines[f"{name}: first query, KiB of search files (budget at 10x <= 150)"] = (
        f"{kib:.0f}{flag('first query KiB', kib <= SEARCH_BUDGETS['first query KiB'])}  {figures['first queries KiB']}"
    )
    p95 = figures["p95 ms"]
    lines[f"{name}: typing to results, mean / p95 ms (budget at 10x p95 <= 300)"] = (
        f"{figures['mean ms']:.0f} / {p95:.0f}{flag('p95 ms', p95 <= SEARCH_BUDGETS['p95 ms'])}"
    )
    slowdowns = figures["CPU slowdowns"]
    lines[
        f"  {name}: each query's median of {LATENCY_PASSES} passes in visits of {VISIT}; "
        f"CPU slowdowns of the {len(slowdowns)} visits (calibrated), least / median / most"
    ] = f"{min(slowdowns)}x / {median(slowdowns)}x / {max(slowdowns)}x"
    if figures["recall differs between passes"]:
        lines[f"  {name}: passes whose misses differ from the first's"] = str(figures["recall differs between passes"])
    lines[f"{name}: first query on Lighthouse's slow 4G, reaching for search to results (s)"] = (
        f"{figures['first query on slow 4G s']:.1f}"
    )
    build = figures["index build s"]
    lines[f"{name}: index build (s) / records / all index files (KiB)"] = (
        f"{build if build is not None else 'n/a'} / {figures['records']} / {figures['index KiB']:.0f}"
    )
    return lines


def extrapolate(at_1: float, at_10: float, factor: int = 100) -> float:
    """A figure at `factor` times the pages, on the straight line through its values at 1x and 10x."""
    return at_10 + (at_10 - at_1) / 9 * (factor - 10)


def search_at_scale(tmp: Path, real: dict, warm: float, root: Path = ROOT, factor: int = 10) -> dict[str, str]:
    """Report lines for search on the site of `root` copied at `factor` times its pages (scaled_copy,
    built warm), with budgets, and the 100x figures extrapolated from `real` (search_figures of the
    site at 1x, built in `warm` seconds) and these."""
    config = scaled_copy(factor, tmp / "scaled", root)
    scaled_time, scaled_log = build(tmp / "scaled" / "site", config)
    report = {
        f"{factor}x pages: warm build (s) / ratio to the real site": f"{scaled_time:.1f} / {scaled_time / warm:.1f}"
    }
    scaled = search_figures(tmp / "scaled" / "site", scaled_log)
    report.update(search_lines(f"search, {factor}x pages", scaled, budgets=SCALE_BUDGETS))
    # every answer is there `factor` times and copies tie: the best record's copies fill the top five
    report[f"  {factor}x pages: recall not budgeted"] = "the top five are one record's copies: compare recall@1 at 1x"
    for miss in scaled["recall"].miss_lines():
        report[f"    miss at {factor}x {miss[:110]}"] = ""
    for figure in ("first query KiB", "p95 ms", "index build s", "index KiB"):
        if real[figure] is not None and scaled[figure] is not None:
            report[f"search, 100x pages, extrapolated from 1x and {factor}x: {figure}"] = (
                f"{extrapolate(real[figure], scaled[figure]):.0f}"
            )
    return report


def scaled_copy(factor: int, target: Path, root: Path = ROOT) -> Path:
    """A copy of the site of `root` with every topic folder repeated `factor` times (ids made unique)."""
    (target / "docs").mkdir(parents=True)
    for name in ("hooks", "overrides", "data"):
        (target / name).symlink_to(root / name)
    shutil.copytree(root / "snippets", target / "snippets")
    if (root / ".cache").exists():  # same code, same results: start warm (not the bundles' work folders)
        shutil.copytree(root / ".cache", target / ".cache", ignore=shutil.ignore_patterns("offline", "pdf"))
    nav = ["index.md"]
    shutil.copy(root / "docs" / "index.md", target / "docs" / "index.md")
    for folder in sorted(p for p in (root / "docs").iterdir() if p.is_dir()):
        for copy in range(1, factor + 1):
            name = folder.name if copy == 1 else f"{folder.name}-{copy}"
            shutil.copytree(folder, target / "docs" / name)
            for page in (target / "docs" / name).glob("*.md"):
                text = page.read_text(encoding="utf-8")
                if copy > 1:  # ids are site-wide: suffix them, and the same-folder links to them
                    text = re.sub(r"\{#([a-z0-9-]+)", rf"{{#\1-c{copy}", text)
                    text = re.sub(r"\]\((?!\.\./|https?:)([^)#]*)#([a-z0-9-]+)\)", rf"](\1#\2-c{copy})", text)
                page.write_text(text, encoding="utf-8")
            nav += sorted(p.relative_to(target / "docs").as_posix() for p in (target / "docs" / name).iterdir())
    nav_yaml = "\n".join(f"  - {p}" for p in [*nav, *GENERATED_NAV])
    (target / "mkdocs.yml").write_text(f"INHERIT: {root / 'mkdocs.yml'}\nnav:\n{nav_yaml}\n", encoding="utf-8")
    return target / "mkdocs.yml"


def print_report(lines: dict[str, str]) -> None:
    """Print report lines as two aligned columns: name, value."""
    width = max(map(len, lines))
    print("\n".join(f"{name:<{width}}  {value}" for name, value in lines.items()))


def main() -> None:
    report: dict[str, str] = {}
    shutil.rmtree(ROOT / ".cache", ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cold, cold_log = build(tmp / "cold")
        warm, warm_log = build(tmp / "warm")
        site = tmp / "warm"
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        cold_counts, warm_counts = counts(cold_log), counts(warm_log)
        report["pages built"] = str(len([p for p in site.rglob("*.html") if p.name != "404.html"]))
        report["cold build, all caches cleared (s)"] = f"{cold:.1f}"
        report["warm build (s)"] = f"{warm:.1f}"
        report["warm / cold (budget <= 0.35)"] = f"{warm / cold:.2f}"
        for name, (ran, cached) in cold_counts.items():
            report[f"{name} on a cold build: run / cached"] = f"{ran} / {cached}"
            report[f"{name} on a warm build: run (budget 0)"] = str(warm_counts[name][0])
        report["peak memory of the largest build process (MiB)"] = f"{peak:.0f}"
        report["full build after a one-page edit (s)"] = f"{rebuild_after_edit(tmp / 'edited'):.1f}"
        report["one-page edit visible in mkdocs serve (s, budget < 3)"] = f"{serve_edit_latency():.1f}"

        real = search_figures(site, warm_log)
        report.update(search_lines("search, real site", real, budgets=("recall",)))
        for miss in real["recall"].miss_lines():
            report[f"    miss {miss[:110]}"] = ""
        paths = ["", *heaviest_pages(site), *notebook_pages(site), *INTERACTIVE_PAGES]
        report.update(lighthouse_lines(site, paths, tmp))

        report.update(search_at_scale(tmp, real, warm))

    report["make test (s)"] = f"{make_test():.0f}"

    print_report(report)


def search_scale(root: Path = ROOT) -> None:
    """`bench.py search-scale [ROOT]`: search alone, on the site of ROOT (this checkout by default; any
    checkout of the site, either engine) built warm at 1x and at 10x its pages, with the 100x figures."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        warm, warm_log = build(tmp / "real", root / "mkdocs.yml")
        real = search_figures(tmp / "real", warm_log)
        lines = {"warm build (s)": f"{warm:.1f}", **search_lines("search, real site", real, budgets=("recall",))}
        lines.update({f"    miss {m[:110]}": "" for m in real["recall"].miss_lines()})
        lines.update(search_at_scale(tmp, real, warm, root))
    print_report(lines)


def search_only(site: Path, build_log: Path | None = None) -> None:
    """`bench.py search SITE [BUILD_LOG]`: the search figures of one built site."""
    figures = search_figures(site, build_log.read_text(encoding="utf-8") if build_log else "")
    lines = search_lines(f"search, {site.name}", figures, budgets=tuple(SEARCH_BUDGETS))
    lines.update({f"    miss {m[:110]}": "" for m in figures["recall"].miss_lines()})
    print_report(lines)


def lighthouse_only(site: Path) -> None:
    """`bench.py lighthouse SITE`: Lighthouse on the home page and the interactive pages of one built site."""
    with tempfile.TemporaryDirectory() as tmp:
        lines = lighthouse_lines(site, ["", *INTERACTIVE_PAGES], Path(tmp))
    print_report(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["lighthouse"]:
        lighthouse_only(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["search-scale"]:
        search_scale(Path(sys.argv[2]).resolve() if len(sys.argv) > 2 else ROOT)
    elif sys.argv[1:2] == ["search"]:
        search_only(Path(sys.argv[2]), Path(sys.argv[3]) if len(sys.argv) > 3 else None)
    else:
        main()
