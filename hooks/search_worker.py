"""Build hook: two fixes to Material's search worker (assets/javascripts/workers/search.*.min.js).

1. Chinese queries. The worker segments each run of Han characters by looking up its words in the
   index, but its inner loop stops one character short (`j < query.length` in Material's
   integrations/search/query/segment), so a word that ends the run is never found and the last
   character is dropped: 交叉熵 was searched as 交叉, 数据增强 as 数据. The loop now runs to `<=`.
2. Queries with digits. lunr's token set can yield a word that is not in the index (its suffix
   merging confuses digit edge labels with node ids), and lunr then throws on it: typing 3 or GPT-3
   showed no results at all. Expanded words are now filtered to the ones the index has.

Each fix names the code it expects; if a Material upgrade changes that code, the build fails here
instead of search silently getting worse. Applying a fix twice (serve --dirty keeps the file) is a no-op.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

# (what it fixes, pattern of the code in the minified worker, replacement that is also matched)
FIXES = [
    (
        "segmentation loop that skips words ending a Han run",
        re.compile(r"for\(let (\w+)=(\w+)\+1;\1<=?(\w+)\.length;\1\+\+\)\3\.slice\(\2,\1\)in "),
        lambda m: f"for(let {m[1]}={m[2]}+1;{m[1]}<={m[3]}.length;{m[1]}++){m[3]}.slice({m[2]},{m[1]})in ",
    ),
    (
        "lunr query expansion that can yield words missing from the index",
        re.compile(
            r"(\w+)=this\.tokenSet\.intersect\((\w+)\)\.toArray\(\)(?:\.filter\(\w+=>\w+ in this\.invertedIndex\))?"
        ),
        lambda m: f"{m[1]}=this.tokenSet.intersect({m[2]}).toArray().filter(w=>w in this.invertedIndex)",
    ),
]


class WorkerCodeChanged(Exception):
    """The worker no longer contains code one of the fixes targets."""


def fix_worker(source: str) -> str:
    """The worker's source with every fix applied; raises WorkerCodeChanged naming a fix that no longer fits."""
    for what, pattern, replacement in FIXES:
        found = len(pattern.findall(source))
        if found != 1:
            raise WorkerCodeChanged(f"expected the {what} once, found it {found} times")
        source = pattern.sub(replacement, source)
    return source


def on_post_build(config):
    workers = sorted((Path(config.site_dir) / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if not workers:
        raise PluginError("search_worker: Material's search worker is missing from the built site")
    for worker in workers:
        try:
            fixed = fix_worker(worker.read_text(encoding="utf-8"))
        except WorkerCodeChanged as error:
            raise PluginError(f"search_worker: {worker.name}: {error} (did Material change?)") from error
        worker.write_text(fixed, encoding="utf-8")
