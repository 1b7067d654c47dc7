"""Build hook: the site's own scripts are served minified.

The scripts in overrides/assets/javascripts/ (and calc-data.js, which hooks/calculator.py writes) are
written for the next person to read: comments, long names. Readers download several of them with
every page, and search.js with the first query (the bench's first-query bytes count it). After the
build, esbuild (pinned in package.json) rewrites each of them in the built site, minified: comments and
white space go, local names get shorter. Top-level names are kept (esbuild keeps them when no output
format is given), so scripts that share globals still find each other, and the syntax is left as
written (no target is given). Material's own scripts (*.min.js, lunr/, workers/) are left alone.

Errors: PluginError naming the script, its line and column, if one does not parse, or if esbuild is
not installed (`make install`).
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.minify_scripts")

SCRIPTS = "assets/javascripts"
ESBUILD = Path(__file__).resolve().parent.parent / "node_modules" / ".bin" / "esbuild"


def on_post_build(config):
    folder = Path(config.site_dir) / SCRIPTS
    scripts = own_scripts(folder)
    before = sum(p.stat().st_size for p in scripts)
    minify(scripts)
    after = sum(p.stat().st_size for p in scripts)
    log.info(f"scripts: {len(scripts)} minified, {before // 1024} KiB to {after // 1024} KiB")


def own_scripts(folder: Path) -> list[Path]:
    """The site's own scripts in `folder` (the built assets/javascripts/): every *.js directly in it but
    Material's minified bundle (*.min.js). Sorted by name."""
    return sorted(p for p in folder.glob("*.js") if not p.name.endswith(".min.js"))


def minify(scripts: list[Path], esbuild: Path = ESBUILD) -> None:
    """Rewrite each of `scripts` (files in one folder) in place, minified by esbuild, in one run; syntax
    and top-level names are kept. Raises PluginError with esbuild's messages (file:line:column) if a script does not
    parse, or if `esbuild` does not exist."""
    if not scripts:
        return
    if not esbuild.exists():
        raise PluginError(f"scripts: {esbuild} is missing; run `make install`")
    folder = scripts[0].parent
    done = subprocess.run(
        [
            str(esbuild),
            *(p.name for p in scripts),
            "--minify",
            "--outdir=.",
            "--allow-overwrite",
            "--log-level=error",
            "--color=false",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode:
        raise PluginError(f"scripts: esbuild could not minify a script in {folder}:\n{done.stderr.strip()}")
