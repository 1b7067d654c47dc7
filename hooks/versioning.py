"""Build hook: the version menu (extra.version.provider: mike) only where versions exist.

mike sets MIKE_DOCS_VERSION when it builds a version. A plain `mkdocs build` or `serve` has no
versions.json next to it, and Material's menu would request a missing file on every page; there the
menu is switched off.
"""

import os


def on_config(config):
    if not os.environ.get("MIKE_DOCS_VERSION"):
        config.extra["version"] = None
