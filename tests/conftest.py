"""Shared fixtures: paths, fixture sites, the real site built once, a loopback server, a browser."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "snippets"), str(ROOT / "tests" / "browser")]

MKDOCS = [sys.executable, "-m", "mkdocs"]
BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass
class BuildResult:
    returncode: int
    output: str
    site: Path


def build(config: Path, site: Path, *extra: str, bundles: bool = False) -> BuildResult:
    """Run a strict MkDocs build of `config` into `site` in a separate process."""
    proc = subprocess.run(
        [*MKDOCS, "build", "--strict", "-f", str(config), "-d", str(site), *extra],
        capture_output=True,
        text=True,
        env={**BUILD_ENV, "KB_BUNDLES": "1" if bundles else "0"},
        cwd=config.parent,  # pymdownx.snippets resolves its base_path from here, as `make build` does
        timeout=1800,
    )
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, site)


# Pages the hooks generate in every site: they must be in the navigation too.
GENERATED_NAV = ["questions.md", "review.md", "mock-interview.md", "glossary.md", "downloads.md"]


class FixtureSite:
    """A tiny site that inherits the real mkdocs.yml (same theme, extensions and hooks)."""

    def __init__(self, root: Path):
        self.root = root
        (root / "docs").mkdir(parents=True)
        (root / "snippets" / "glossary").mkdir(parents=True)
        (root / "data").mkdir()  # watched by mkdocs.yml; data/question-sources.yml is optional
        for shared in ("hooks", "overrides"):
            (root / shared).symlink_to(ROOT / shared)
        self.pages: list[str] = []

    def page(self, name: str, body: str, front_matter: str | None = None) -> Path:
        meta = front_matter or f"title: {name}\ndescription: 夹具页面 {name}。" + (
            "\nreviewed: 2026-01-05" if "/" in name else ""
        )
        path = self.root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{meta}\n---\n\n{textwrap.dedent(body).lstrip()}", encoding="utf-8")
        self.pages.append(name)
        return path

    def snippet(self, name: str, code: str) -> Path:
        path = self.root / "snippets" / name
        path.write_text(textwrap.dedent(code).lstrip(), encoding="utf-8")
        return path

    def build(self, nav: list[str] | None = None, plugins: str = "[]") -> BuildResult:
        """Build strictly; the nav lists every page written (or `nav`), plus the generated pages."""
        nav = "\n".join(f"  - {p}" for p in [*(self.pages if nav is None else nav), *GENERATED_NAV])
        config = self.root / "mkdocs.yml"
        config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\nplugins: {plugins}\nnav:\n{nav}\n", encoding="utf-8")
        return build(config, self.root / "site")


@pytest.fixture
def fixture_site(tmp_path) -> FixtureSite:
    return FixtureSite(tmp_path / "fixture")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuildResult:
    """The real site, built once per test session as `make build` does (with the PDF and offline bundle)."""
    result = build(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("real") / "site", bundles=True)
    assert result.returncode == 0, result.output[-5000:]
    return result


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    """The built site served on loopback."""
    handler = functools.partial(_QuietHandler, directory=str(built_site.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright. Missing chromium is a failure, not a skip."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, "chromium is not installed: run `make system-deps` (apt-get install chromium)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """A browser page that records console errors and every requested URL."""

    page: object
    requests: list[str]
    errors: list[str]


@pytest.fixture
def visit(browser):
    contexts = []

    def open_page(url: str, **context_options) -> Visit:
        context = browser.new_context(**context_options)
        contexts.append(context)
        page = context.new_page()
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url, wait_until="load")  # the whole document parsed (the print view is large)
        page.wait_for_load_state("networkidle")  # and everything it fetched after
        return Visit(page, requests, errors)

    yield open_page
    for context in contexts:
        context.close()
