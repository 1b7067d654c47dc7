"""Build hook: render every Mermaid diagram to inline SVG at build time.

Material would otherwise fetch mermaid.min.js (about 3 MB) from a CDN on every page with a diagram: a
third-party request, and far too heavy for phones. Here the pinned Mermaid runs once per build in
headless chromium; the SVG is cached in .cache/mermaid.json by Mermaid's version and the diagram's
source. A diagram Mermaid cannot parse fails the build with page and line. Helpers: mermaid_render.py.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from mkdocs.exceptions import PluginError

# MkDocs puts this folder on sys.path: sibling modules import by bare name.
import mermaid_render as mr
from katex_math import source_line

log = logging.getLogger("mkdocs.hooks.diagrams")

_state: dict = {}


def on_config(config):
    repo = Path(__file__).resolve().parent.parent  # Mermaid is the repository's tool, not the site's
    renderer = mr.MermaidRenderer(repo / "node_modules")
    cache_file = Path(config.config_file_path).parent / ".cache" / "mermaid.json"
    try:
        salt = renderer.version
    except mr.MermaidError as error:
        raise PluginError(str(error)) from error
    cache = json.loads(cache_file.read_text(encoding="utf-8")) if cache_file.exists() else {}
    _state.update(renderer=renderer, cache=cache, used=set(), cache_file=cache_file, salt=salt, rendered=0)


def on_page_content(html, page, config, files):
    diagrams = mr.find_diagrams(html)
    if not diagrams:
        return html
    cache, salt = _state["cache"], _state["salt"]
    svgs = {}
    for code in diagrams:
        key = mr.diagram_key(code, salt)
        if key not in cache:
            try:
                cache[key] = _state["renderer"].render(code, f"mermaid-{key[:12]}")
            except mr.MermaidError as error:
                line = source_line(page.file.content_string, code.splitlines()[0])
                docs = Path(config.docs_dir).name
                raise PluginError(
                    f"{docs}/{page.file.src_uri}:{line}: diagram cannot be rendered — fix the Mermaid ({error})"
                ) from error
            _state["rendered"] += 1
        _state["used"].add(key)
        svgs[code] = cache[key]
    return mr.replace_diagrams(html, svgs)


def on_post_build(config):
    _state["renderer"].close()
    used = {key: svg for key, svg in _state["cache"].items() if key in _state["used"]}
    _state["cache_file"].parent.mkdir(parents=True, exist_ok=True)
    _state["cache_file"].write_text(json.dumps(used), encoding="utf-8")
    log.info(f"diagrams: {_state['rendered']} rendered, {len(_state['used']) - _state['rendered']} cached")


def on_build_error(error):
    if "renderer" in _state:
        _state["renderer"].close()
