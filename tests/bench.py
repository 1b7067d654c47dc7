"""`make bench`: the performance report, every figure in one run. Run from the repository root.

Contributors: cold build (caches cleared), warm build and their ratio, a full build after a one-page
edit, a one-page edit until `mkdocs serve` serves it, peak memory, the site at 10x its pages (and the
index extrapolated to 100x), and the time of `make test`. Readers: Lighthouse (mobile, the median of
5 runs) on the home page, the two heaviest content pages, every notebook page and the interactive
pages (计算器, 复习, 模拟面试), served gzipped like GitHub Pages, with transferred bytes, request counts
and third-party requests; search recall@5, time from typing to results, index size.
"""

from __future__ import annotations

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
from statistics import mean, quantiles
from urllib.parse import urlsplit

from mkdocs.config import load_config

from conftest import GENERATED_NAV

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "tests"))
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
EDITED_PAGE = ROOT / "docs" / "transformer" / "attention.md"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
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
    """Serves files the way GitHub Pages does: gzip for text, a short cache lifetime."""

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

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
    handler = lambda *a, **k: GzipHandler(*a, directory=str(site), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/", server


def lighthouse_run(url: str, out: Path) -> dict:
    """One Lighthouse run (mobile, simulated throttling), its JSON report written to `out`."""
    flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    flags += "--disable-component-update --disable-sync --disable-quic --no-first-run"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--chrome-path={shutil.which('chromium')}",
            f"--chrome-flags={flags}",
            "--form-factor=mobile",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
        ],
        check=True,
        timeout=300,
    )
    return json.loads(out.read_text())


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
        "bytes": sum(r.get("transferSize", 0) for r in fetched),
        "requests": len(fetched),
        "third_party": sum(urlsplit(r["url"]).netloc != urlsplit(url).netloc for r in fetched),
    }


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


def search_report(url: str) -> dict:
    from playwright.sync_api import sync_playwright
    from search import load_queries, open_search, recall

    from conftest import CHROMIUM_FLAGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(url, wait_until="networkidle")
        open_search(page)
        queries = load_queries()
        score, misses, latencies = recall(page, queries)
        browser.close()
    return {"queries": len(queries), "recall": score, "misses": misses, "latencies": latencies}


def scaled_copy(factor: int, target: Path) -> Path:
    """A copy of the site with every topic folder repeated `factor` times (ids made unique)."""
    (target / "docs").mkdir(parents=True)
    for name in ("hooks", "overrides"):
        (target / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "snippets", target / "snippets")
    if (ROOT / ".cache").exists():
        shutil.copytree(ROOT / ".cache", target / ".cache")  # same code, same results: start warm
    nav = ["index.md"]
    shutil.copy(ROOT / "docs" / "index.md", target / "docs" / "index.md")
    for folder in sorted(p for p in (ROOT / "docs").iterdir() if p.is_dir()):
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
    (target / "mkdocs.yml").write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\nnav:\n{nav_yaml}\n", encoding="utf-8")
    return target / "mkdocs.yml"


def index_size(site: Path) -> tuple[int, int]:
    raw = (site / "search" / "search_index.json").read_bytes()
    return len(raw), len(gzip.compress(raw, 6))


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

        raw, gz = index_size(site)
        report["search index (KiB raw / gzip)"] = f"{raw / 1024:.0f} / {gz / 1024:.0f}"
        url, server = serve(site)
        searched = search_report(url)
        report[f"search recall@5 over {searched['queries']} queries (budget >= 0.95)"] = f"{searched['recall']:.3f}"
        lat = searched["latencies"]
        report["search: typing to results, mean / p95 (ms)"] = (
            f"{mean(lat) * 1000:.0f} / {quantiles(lat, n=20)[-1] * 1000:.0f}"
        )
        for miss in searched["misses"]:
            report[f"  search miss {miss[:60]}"] = ""

        for path in dict.fromkeys(["", *heaviest_pages(site), *notebook_pages(site), *INTERACTIVE_PAGES]):
            lh = lighthouse(url + path, tmp)
            scores = " ".join(f"{c[:4]} {s:.2f}" for c, s in lh["scores"].items())
            report[f"lighthouse /{path}, median of {LIGHTHOUSE_RUNS} runs (budget >= 0.95 each)"] = scores
            report[f"  /{path}: performance of every run"] = " ".join(f"{s:.2f}" for s in lh["performance_runs"])
            report[f"  /{path}: transferred KiB (budget 500) / requests / third-party"] = (
                f"{lh['bytes'] / 1024:.0f} / {lh['requests']} / {lh['third_party']}"
            )
        server.shutdown()

        factor = 10
        config = scaled_copy(factor, tmp / "scaled")
        scaled_time, _ = build(tmp / "scaled" / "site", config)
        scaled_raw, scaled_gz = index_size(tmp / "scaled" / "site")
        report[f"{factor}x pages: warm build (s) / ratio to the real site"] = (
            f"{scaled_time:.1f} / {scaled_time / warm:.1f}"
        )
        report[f"{factor}x pages: search index (KiB gzip) / ratio"] = f"{scaled_gz / 1024:.0f} / {scaled_gz / gz:.1f}"
        report["100x pages, extrapolated: search index (MiB gzip)"] = f"{scaled_gz * 10 / 2**20:.1f}"

    report["make test (s)"] = f"{make_test():.0f}"

    width = max(map(len, report))
    print("\n".join(f"{name:<{width}}  {value}" for name, value in report.items()))


if __name__ == "__main__":
    main()
