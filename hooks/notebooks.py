"""Build hook: execute every notebook page before mkdocs-jupyter renders it, so readers see outputs.

Notebooks are stored without outputs (nbstripout). Each is executed top to bottom with the venv's
python3 kernel; the executed copy is cached under .cache/notebooks/ by a hash of the notebook and the
environment, and mkdocs-jupyter renders that copy. A failing cell fails the build with the cell number.
The rendered page loses mkdocs-jupyter's MathJax block; its formulas go to the KaTeX hook instead,
and its inline JupyterLab style sheet keeps only the rules the page can use (css_prune.py).
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

import nbformat
from mkdocs.exceptions import PluginError
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

# MkDocs puts this folder on sys.path: sibling modules import by bare name.
import build_env
from css_prune import prune_page_styles

log = logging.getLogger("mkdocs.hooks.notebooks")
TIMEOUT = 300  # seconds per cell


def executed_copy(source: Path, cache_dir: Path, where: str) -> Path:
    """Path of the executed notebook, running it only when it or the environment changed."""
    text = source.read_bytes()
    key = hashlib.sha256(text + build_env.fingerprint().encode()).hexdigest()
    target = cache_dir / key / source.name  # keep the name: mkdocs-jupyter offers it for download
    if target.exists():
        return target
    notebook = nbformat.reads(text.decode("utf-8"), as_version=4)
    client = NotebookClient(notebook, timeout=TIMEOUT, kernel_name="python3", resources={"metadata": {"path": "/tmp"}})
    try:
        client.execute()
    except CellExecutionError as error:
        cell = next((i for i, c in enumerate(notebook.cells, 1) if c.get("outputs") and _failed(c)), "?")
        raise PluginError(f"{where}: cell {cell} raised — fix the notebook\n{str(error)[-2000:]}") from error
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    log.info(f"notebooks: executed {where}")
    return target


def _failed(cell) -> bool:
    return any(output.get("output_type") == "error" for output in cell.get("outputs", []))


def on_files(files, config):
    cache_dir = Path(config.config_file_path).parent / ".cache" / "notebooks"
    docs = Path(config.docs_dir).name
    for file in files.documentation_pages():
        if file.src_uri.endswith(".ipynb"):
            file.abs_src_path = str(executed_copy(Path(file.abs_src_path), cache_dir, f"{docs}/{file.src_uri}"))
    return files


_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S | re.I)
_MARKDOWN_CELL = re.compile(r'(<div class="[^"]*jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.S)
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)\$")


def notebook_math(content: str) -> str:
    """Drop the MathJax loader; mark the math of markdown cells the way pymdownx.arithmatex does."""

    def cell(match: re.Match) -> str:
        body = _DISPLAY.sub(r'<div class="arithmatex">\\[\1\\]</div>', match.group(2))
        body = _INLINE.sub(r'<span class="arithmatex">\\(\1\\)</span>', body)
        return match.group(1) + body + match.group(3)

    return _MARKDOWN_CELL.sub(cell, _MATHJAX.sub("", content))


def on_page_content(html, page, config, files):
    return prune_page_styles(notebook_math(html)) if page.file.src_uri.endswith(".ipynb") else html
