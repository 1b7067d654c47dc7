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
    by_url = {f.url.rstrip("/"): f.src_uri for f in files}
    errors = []
    for file in files.documentation_pages():
        if file.generated_by:
            continue
        if file.src_uri.endswith(".md"):
            errors += _check(file.content_string, f"{docs}/{file.src_uri}", file.src_uri, files, ids)
        elif file.src_uri.endswith(".ipynb"):
            for label, text in _notebook_cells(file, f"{docs}/{file.src_uri}"):
                errors += _check_urls(text, label, file, by_url, ids)
    if errors:
        raise PluginError("\n".join(errors))
    return env


def _notebook_cells(file, where: str) -> list[tuple[str, str]]:
    """(label, Markdown) of each markdown cell of a notebook."""
    cells = nbformat.reads(file.content_string, as_version=4).cells
    return [(cell_label(where, n), c.source) for n, c in enumerate(cells, 1) if c.cell_type == "markdown"]


def _check_urls(text: str, label: str, file, by_url: dict[str, str], ids: dict[str, set[str]]) -> list[str]:
    """Errors of the local links of a notebook cell. mkdocs-jupyter does not rewrite links, so a
    notebook links to the URL a reader's browser resolves (../../topic/page/), not to a .md file."""
    errors = []
    for line, target in rules.find_links(text, file.src_uri):
        if rules.is_external(target):
            continue
        path, _, anchor = unquote(target).partition("#")
        url = posixpath.normpath(posixpath.join(file.url, path)) if path else file.url
        url = "" if url == "." else url.rstrip("/")
        where = f"{label}:{line}"
        if url not in by_url:
            errors.append(
                f"{where}: link to {target!r}, which does not exist — notebook links are not rewritten: "
                "link to the page's URL relative to this page's URL (e.g. ../../transformer/attention/)"
            )
        elif anchor and anchor not in ids.get(by_url[url], {anchor}):
            errors.append(f"{where}: link to anchor #{anchor} that {by_url[url]} does not have — use an existing id")
    return errors


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
