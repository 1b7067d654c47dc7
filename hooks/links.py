"""Build hook: every local link and image points at a file that exists, every anchor at a real id.

Runs after all pages are rendered (on_env), so anchors are checked against the ids each page really
has; errors name the source file and line. MkDocs' own `validation:` settings stay on as a backstop.
Under `mkdocs serve --dirty` only the edited pages are rendered: anchors into the others are checked
by the next full build.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from mkdocs.exceptions import PluginError

# MkDocs puts this folder on sys.path: sibling modules import by bare name.
import page_rules as rules

_IDS = re.compile(r'\sid="([^"]+)"')


def on_env(env, config, files):
    docs = Path(config.docs_dir).name
    ids = {
        f.src_uri: set(_IDS.findall(f.page.content)) for f in files.documentation_pages() if f.page and f.page.content
    }
    errors = []
    for file in files.documentation_pages():
        if not file.src_uri.endswith(".md") or file.generated_by:
            continue
        for line, target in rules.find_links(file.content_string, file.src_uri):
            if rules.is_external(target):
                continue
            path, _, anchor = unquote(target).partition("#")
            resolved = (
                posixpath.normpath(posixpath.join(posixpath.dirname(file.src_uri), path)) if path else file.src_uri
            )
            where = f"{docs}/{file.src_uri}:{line}"
            if files.get_file_from_path(resolved) is None:
                errors.append(
                    f"{where}: link to {target!r}, which does not exist — fix the path (relative to this page)"
                )
            elif anchor and resolved in ids and anchor not in ids[resolved]:
                errors.append(f"{where}: link to anchor #{anchor} that {resolved} does not have — use an existing id")
    if errors:
        raise PluginError("\n".join(errors))
    return env
