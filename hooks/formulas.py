"""Build hook: render every formula with KaTeX at build time; pages ship no math JavaScript.

Formulas come from pymdownx.arithmatex (generic mode). Results are cached in .cache/katex.json, keyed by
KaTeX's version, its options, the site macros and the TeX. A formula KaTeX cannot parse, or accepts only
with a warning (strict mode is an error here), fails the build with the page and the line of the formula;
so does TeX left unrendered in a page's text (math arithmatex did not see). The KaTeX stylesheet and its
woff2 fonts are served from our own site. Helpers: katex_math.py.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

# MkDocs puts this folder on sys.path: sibling modules import by bare name.
import katex_math as km

ASSET_DIR = "assets/katex"

log = logging.getLogger("mkdocs.hooks.formulas")

_state: dict = {}


def on_config(config):
    root = Path(config.config_file_path).parent
    repo = Path(__file__).resolve().parent.parent  # KaTeX is the repository's tool, not the site's
    macros = dict(config.extra.get("katex_macros") or {})
    renderer = km.KatexRenderer(Path(__file__).with_name("katex_render.js"), repo / "node_modules", macros)
    cache_file = root / ".cache" / "katex.json"
    try:
        salt = renderer.version + km.RENDER_OPTIONS + json.dumps(macros, sort_keys=True)
    except km.KatexError as error:
        raise PluginError(str(error)) from error
    cache = json.loads(cache_file.read_text(encoding="utf-8")) if cache_file.exists() else {}
    _state.update(renderer=renderer, cache=cache, used=set(), cache_file=cache_file, salt=salt, rendered=0, cached=0)


def on_files(files, config):
    dist = Path(_state["renderer"].node_modules, "katex", "dist")
    css = (dist / "katex-swap.min.css").read_text(encoding="utf-8")
    # Every browser we support reads woff2: drop the woff/ttf fallbacks so only woff2 ships.
    css = re.sub(r',url\(fonts/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)', "", css)
    files.append(File.generated(config, f"{ASSET_DIR}/katex.min.css", content=css))
    for font in sorted((dist / "fonts").glob("*.woff2")):
        files.append(File.generated(config, f"{ASSET_DIR}/fonts/{font.name}", abs_src_path=str(font)))
    return files


def on_page_content(html, page, config, files):
    found = km.find_formulas(html)
    if not found:
        _check_leftovers(html, page, config)
        return html
    cache, salt = _state["cache"], _state["salt"]
    formulas = {formula for _, formula in found}
    missing = [f for f in formulas if f.key(salt) not in cache]
    errors = []
    for formula, result in _state["renderer"].render(missing).items():
        if isinstance(result, km.KatexError):
            message = str(result)
            line = km.source_line(page.file.content_string, formula.tex, km.error_position(message))
            errors.append(
                f"{_where(page, config, line)}: formula cannot be rendered — "
                f"{km.error_hint(formula.tex, message)} ({message})"
            )
        else:
            cache[formula.key(salt)] = result
    if errors:
        raise PluginError("\n".join(sorted(errors)))
    _state["rendered"] += len(missing)
    _state["cached"] += len(formulas) - len(missing)
    _state["used"] |= {f.key(salt) for f in formulas}
    page.meta["math"] = True
    html = km.replace_formulas(html, {f: cache[f.key(salt)] for f in formulas})
    _check_leftovers(html, page, config)
    return html


def _where(page, config, line: int) -> str:
    return f"{Path(config.docs_dir).name}/{page.file.src_uri}:{line}"


def _check_leftovers(html, page, config):
    """No raw TeX reaches a reader: math that Markdown did not see as math fails the build."""
    leftover = km.leftover_tex(html)
    if leftover is not None:
        line = km.source_line(page.file.content_string, leftover.text.split("\n")[0])
        raise PluginError(f"{_where(page, config, line)}: {leftover.what} ({leftover.text!r}) — {leftover.fix}")


def on_post_build(config):
    _state["renderer"].close()
    _state["cache_file"].parent.mkdir(parents=True, exist_ok=True)
    used = {key: html for key, html in _state["cache"].items() if key in _state["used"]}
    _state["cache_file"].write_text(json.dumps(used), encoding="utf-8")
    log.info(f"formulas: {_state['rendered']} rendered, {_state['cached']} cached")


def on_build_error(error):
    if "renderer" in _state:
        _state["renderer"].close()
