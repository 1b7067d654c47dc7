"""Render Mermaid diagrams to SVG at build time in headless chromium (Playwright), no CDN, no JS.

`MermaidRenderer` opens one browser page with the pinned mermaid.min.js for a whole build. Helpers to
find diagrams in a page's HTML and to swap them for SVG are pure. Nothing here imports MkDocs.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from pathlib import Path

DIAGRAM = re.compile(r'<pre class="mermaid"><code>(?P<code>.*?)</code></pre>', re.S)
BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


class MermaidError(Exception):
    """A diagram Mermaid cannot parse, or the tools to render it missing."""


def find_diagrams(content: str) -> list[str]:
    return [html.unescape(m.group("code")).strip() for m in DIAGRAM.finditer(content)]


def replace_diagrams(content: str, svgs: dict[str, str]) -> str:
    def swap(match: re.Match) -> str:
        return f'<div class="diagram">{svgs[html.unescape(match.group("code")).strip()]}</div>'

    return DIAGRAM.sub(swap, content)


def diagram_key(code: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}\0{code}".encode()).hexdigest()


class MermaidRenderer:
    """One chromium page with Mermaid loaded, started on first use and closed with the build."""

    def __init__(self, node_modules: Path):
        self.script = node_modules / "mermaid" / "dist" / "mermaid.min.js"
        self._playwright = self._browser = self._page = None

    @property
    def version(self) -> str:
        package = self.script.parent.parent / "package.json"
        if not package.exists():
            raise MermaidError("Mermaid is not installed — run `make install` (npm ci) first")
        return json.loads(package.read_text())["version"]

    def _start(self):
        from playwright.sync_api import sync_playwright

        chromium = shutil.which("chromium")
        if chromium is None:
            raise MermaidError("diagrams are rendered with Debian's chromium — run `make system-deps`")
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        page = self._browser.new_page()
        page.set_content("<!doctype html><html><body></body></html>")
        page.add_script_tag(path=str(self.script))
        page.evaluate(
            """() => mermaid.initialize({
                startOnLoad: false, securityLevel: 'strict', theme: 'neutral',
                fontFamily: 'system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif',
            })"""
        )
        return page

    def render(self, code: str, diagram_id: str) -> str:
        """SVG markup of one diagram; MermaidError with Mermaid's message if it cannot be parsed."""
        if self._page is None:
            self._page = self._start()
        result = self._page.evaluate(
            """async ([code, id]) => {
                try { return {svg: (await mermaid.render(id, code)).svg}; }
                catch (error) { document.getElementById('d' + id)?.remove(); return {error: String(error.message || error)}; }
            }""",
            [code, diagram_id],
        )
        if "error" in result:
            raise MermaidError(result["error"])
        return result["svg"]

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._playwright.stop()
        self._playwright = self._browser = self._page = None
