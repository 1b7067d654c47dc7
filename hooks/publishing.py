"""Build hook: where this build is published — the repository it comes from and the version it is.

- The repository is named in one place: `repo_url` in mkdocs.yml (a fork sets KB_REPO_URL and
  KB_SITE_URL, or edits the two defaults there). `repo_name`, shown in the header, is derived from it;
  the edit, view and erratum links are built from `repo_url` by Material and hooks/erratum_links.py.
- Versions: mike sets MIKE_DOCS_VERSION when it builds a version (and its own plugin appends the
  version to site_url, so the absolute URLs of the 404 page point inside the version's folder). The
  version is exposed as `extra.kb_version` for the 开发版 notice (overrides/main.html).
- A plain `mkdocs build` or `serve` has no versions.json next to it, and Material's version menu would
  request a missing file on every page: there the menu is switched off.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse


def repository_name(repo_url: str) -> str:
    """`owner/name` from a repository URL such as https://github.com/owner/name(.git)."""
    return urlparse(repo_url).path.strip("/").removesuffix(".git")


def on_config(config):
    if config.repo_url:
        config.repo_name = repository_name(config.repo_url)
    version = os.environ.get("MIKE_DOCS_VERSION")
    if version:
        config.extra["kb_version"] = version
        # mike's plugin appends the version without a slash: pages would resolve ../versions.json
        # (the version menu) against …/kb/ and the 404 page's relative URLs against the wrong folder.
        config.site_url = config.site_url.rstrip("/") + "/"
    else:
        config.extra["version"] = None
    return config
