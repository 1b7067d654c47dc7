"""Pure helpers for build-time math: find arithmatex formulas, render them with KaTeX, locate errors.

`KatexRenderer` drives one long-lived Node process (hooks/katex_render.js) running the pinned KaTeX.
Nothing here imports MkDocs.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

# pymdownx.arithmatex (generic mode) wraps inline math in a span and display math in a div.
FORMULA = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])</(?P=tag)>',
    re.S,
)


class KatexError(Exception):
    """A formula KaTeX cannot render, or KaTeX itself missing."""


@dataclass(frozen=True)
class Formula:
    tex: str
    display: bool

    def key(self, salt: str) -> str:
        return hashlib.sha256(f"{salt}\0{int(self.display)}\0{self.tex}".encode()).hexdigest()


def find_formulas(content: str) -> list[tuple[re.Match, Formula]]:
    """Every arithmatex formula of a page's HTML with its (unescaped) TeX."""
    found = []
    for match in FORMULA.finditer(content):
        display = match.group("display") is not None
        tex = html.unescape(match.group("display") if display else match.group("inline")).strip()
        found.append((match, Formula(tex, display)))
    return found


def replace_formulas(content: str, rendered: dict[Formula, str]) -> str:
    """Swap each formula for its KaTeX HTML, keeping the wrapper (display math scrolls in it)."""

    def swap(match: re.Match) -> str:
        display = match.group("display") is not None
        tex = html.unescape(match.group("display") if display else match.group("inline")).strip()
        tag = match.group("tag")
        return f'<{tag} class="arithmatex">{searchable(rendered[Formula(tex, display)])}</{tag}>'

    return FORMULA.sub(swap, content)


VISUAL = '<span class="katex-html" aria-hidden="true">'


def searchable(katex_html: str) -> str:
    """Keep KaTeX's visual layer out of the search index: the MathML (with the TeX) says it once.

    The layer is wrapped in a custom element marked data-search-exclude. Material's index parser
    matches elements by tag name, so a closing </span> inside an excluded <span> would end the
    exclusion early; no other element in KaTeX's output is named kb-math-visual.
    """
    start = katex_html.find(VISUAL)
    if start < 0:
        return katex_html
    closing = 2 if katex_html.startswith('<span class="katex-display">') else 1  # katex(-display) spans
    end = len(katex_html) - closing * len("</span>")
    return (
        katex_html[:start]
        + "<kb-math-visual data-search-exclude>"
        + katex_html[start:end]
        + "</kb-math-visual>"
        + katex_html[end:]
    )


_NOT_TEXT = re.compile(r"<(script|style|code|pre|annotation)\b[^>]*>.*?</\1>", re.S)
_LEFTOVER = re.compile(r"\$\$|\\\(|\\\[")


def leftover_tex(content: str) -> str | None:
    """TeX that reached the page unrendered (outside code): the text right after its delimiter."""
    text = html.unescape(re.sub(r"<[^>]+>", "", _NOT_TEXT.sub("", content)))
    match = _LEFTOVER.search(text)
    return text[match.end() : match.end() + 60].strip() if match else None


def source_line(source: str, tex: str) -> int:
    """1-based line of the page source where a formula starts (1 if it cannot be found)."""
    first = next((line.strip() for line in tex.splitlines() if line.strip()), tex)
    for candidate in (tex, first, first[:40]):
        index = source.find(candidate)
        if index >= 0:
            return source.count("\n", 0, index) + 1
    return 1


class KatexRenderer:
    """One Node process rendering many formulas; start lazily, close when the build ends."""

    def __init__(self, script: Path, node_modules: Path, macros: dict[str, str]):
        self.script, self.node_modules, self.macros = script, node_modules, macros
        self.process: subprocess.Popen | None = None

    @property
    def version(self) -> str:
        package = self.node_modules / "katex" / "package.json"
        if not package.exists():
            raise KatexError("KaTeX is not installed — run `make install` (npm ci) first")
        return json.loads(package.read_text())["version"]

    def _start(self) -> subprocess.Popen:
        node = shutil.which("node")
        if node is None:
            raise KatexError("Node.js is needed to render formulas — install it (e.g. apt-get install nodejs)")
        self.version  # noqa: B018 - fails early with a clear message when KaTeX is missing
        return subprocess.Popen(
            [node, str(self.script), json.dumps(self.macros)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=self.node_modules.parent,
            bufsize=1,
        )

    def render(self, formulas: list[Formula]) -> dict[Formula, str | KatexError]:
        """Render a batch; each formula maps to its HTML or to the KaTeX error."""
        if not formulas:
            return {}
        if self.process is None:
            self.process = self._start()
        requests = "".join(
            json.dumps({"id": i, "tex": f.tex, "display": f.display}) + "\n" for i, f in enumerate(formulas)
        )
        self.process.stdin.write(requests)
        self.process.stdin.flush()
        results = {}
        for _ in formulas:
            reply = json.loads(self.process.stdout.readline())
            formula = formulas[reply["id"]]
            results[formula] = reply["html"] if "html" in reply else KatexError(reply["error"])
        return results

    def close(self) -> None:
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=10)
            self.process = None
