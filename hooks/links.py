"""Build hook: every local link and image points at a file that exists, every anchor at a real id.

Runs after all pages are rendered (on_env), so anchors are checked against the ids each page really
has; errors name the source file and line (for a notebook, its markdown cell and the line in it). MkDocs' own `validation:` settings stay on as a backstop.
Under `mkdocs serve --dirty` only the edited pages are rendered: anchors into the others are checked
by the next full build.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

import nbformat
from mkdocs.exceptions import PluginError

# MkDocs puts this folder on sys.path: sibling modules import by bare name.
import page_rules as rules
from notebooks import cell_label

_IDS = re.compile(r'\sid="([^"]+)"')


def on_env(env, config, files):
    docs = Path(config.docs_dir).name
    ids = {
        f.src_uri: set(_IDS.findall(f.page.content)) for f in files.documentation_pages() if f.page and f.page.content
    }
    errors = []
    for file in files.documentation_pages():
        if file.generated_by:
            continue
        if file.src_uri.endswith(".md"):
            errors += _check(file.content_string, f"{docs}/{file.src_uri}", file.src_uri, files, ids)
        elif file.src_uri.endswith(".ipynb"):  # links in markdown cells are written as on a page
            for label, text in _notebook_cells(file, f"{docs}/{file.src_uri}"):
                errors += _check(text, label, file.src_uri, files, ids)
    if errors:
        raise PluginError("\n".join(errors))
    return env


def _notebook_cells(file, where: str) -> list[tuple[str, str]]:
    """(label, Markdown) of each markdown cell of a notebook."""
    cells = nbformat.reads(file.content_string, as_version=4).cells
    return [(cell_label(where, n), c.source) for n, c in enumerate(cells, 1) if c.cell_type == "markdown"]


def _check(text: str, label: str, src_uri: str, files, ids: dict[str, set[str]]) -> list[str]:
    """Errors of the local links and images in one Markdown text."""
    errors = []
    for line, target in rules.find_links(text, src_uri):
        if rules.is_external(target):
            continue
        path, _, anchor = unquote(target).partition("#")
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path)) if path else src_uri
        where = f"{label}:{line}"
        if files.get_file_from_path(resolved) is None:
            errors.append(f"{where}: link to {target!r}, which does not exist — fix the path (relative to this page)")
        elif anchor and resolved in ids and anchor not in ids[resolved]:
            errors.append(f"{where}: link to anchor #{anchor} that {resolved} does not have — use an existing id")
    return errors
