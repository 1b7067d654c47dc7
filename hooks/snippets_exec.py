"""Build hook: execute every runnable block (```python exec="on") and show its output under it.

All pages' blocks run once per build, before any page renders: each page's uncached blocks in one
subprocess (hooks/exec_runner.py), pages in parallel across cores, results cached under .cache/snippets/
by a hash of the code, the snippet modules it imports and the environment. A failing block fails the
build with page and line. Pure logic lives in exec_blocks.py.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

# MkDocs puts this folder on sys.path: sibling modules import by bare name.
import build_env
import exec_blocks as eb

log = logging.getLogger("mkdocs.hooks.snippets")

RUNNER = Path(__file__).with_name("exec_runner.py")
MEMORY_LIMIT = 4 << 30  # bytes of address space per page process
FIGURE_DIR = "assets/snippets"

_pages: dict[str, list[tuple[eb.Block, dict]]] = {}


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_units(units: dict[str, list[eb.Block]], snippet_dir: Path) -> dict[str, list[dict]]:
    """Run one page's units in a fresh subprocess; return each unit's per-block results."""
    with tempfile.TemporaryDirectory(prefix="snippet-") as workdir:
        results_path = Path(workdir, ".results.jsonl")
        job = {
            "results": str(results_path),
            "units": [
                {"id": uid, "blocks": [{"code": b.code, "name": b.where, "timeout": b.timeout} for b in unit]}
                for uid, unit in units.items()
            ],
        }
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(snippet_dir), os.environ.get("PYTHONPATH", "")]),
            "PYTHONHASHSEED": "0",
            "MPLBACKEND": "Agg",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "TOKENIZERS_PARALLELISM": "false",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
        }
        deadline = sum(b.timeout for unit in units.values() for b in unit) + 30
        process = subprocess.Popen(
            [sys.executable, str(RUNNER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=workdir,
            env=env,
            text=True,
            preexec_fn=_limit_memory,
            start_new_session=True,
        )
        try:
            output, _ = process.communicate(json.dumps(job), timeout=deadline)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
        records = [json.loads(line) for line in results_path.read_text().splitlines()] if results_path.exists() else []
    return _collate(units, records, output)


def _collate(units: dict[str, list[eb.Block]], records: list[dict], output: str) -> dict[str, list[dict]]:
    """Per-unit results; a block that started and never reported was killed (timeout or crash)."""
    results: dict[str, list[dict]] = {uid: [] for uid in units}
    started: dict[str, int] = {}
    for record in records:
        if record.pop("started", False):
            started[record["unit"]] = record["block"]
        else:
            results[record["unit"]].append(record)
    for uid, unit in units.items():
        done = results[uid]
        if len(done) < len(unit) and (not done or done[-1]["ok"]):
            index = started.get(uid, len(done))
            why = "was killed: it ran past its timeout or crashed the interpreter"
            done.append({"ok": False, "kind": "killed", "block": index, "error": f"{why}\n{output[-2000:]}".rstrip()})
    return results


def _cache_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / f"{key}.json"


def _failure_message(block: eb.Block, result: dict) -> str:
    what = {
        "timeout": "runnable block ran past its timeout",
        "killed": "runnable block was killed",
        "network": "runnable block tried to open a network connection",
        "memory": "runnable block ran out of memory",
    }.get(result["kind"], "runnable block raised an exception")
    fix = {
        "timeout": 'make it faster or raise timeout="…"',
        "network": "compute from local data; snippets run offline",
        "memory": f"use less memory (limit {MEMORY_LIMIT >> 30} GiB per page)",
    }.get(result["kind"], "fix the code or the claim it asserts")
    detail = "\n".join("    " + line for line in result["error"].splitlines())
    return f"{block.where}: {what} — {fix}\n{detail}"


def on_config(config):
    root = Path(config.config_file_path).parent
    config["snippet_dir"] = root / "snippets"
    config["snippet_cache"] = root / ".cache" / "snippets"


def on_files(files, config):
    snippet_dir: Path = config["snippet_dir"]
    cache_dir: Path = config["snippet_cache"]
    _pages.clear()
    modules = {p.stem: p.read_text(encoding="utf-8") for p in snippet_dir.glob("*.py")}
    errors, used_files, pending = [], set(), {}
    blocks_by_page: dict[str, list[eb.Block]] = {}
    cached: dict[str, list[dict]] = {}
    keyed_units: dict[str, dict[str, list[eb.Block]]] = {}

    for file in files.documentation_pages():
        if not file.src_uri.endswith(".md"):
            continue
        page = f"{Path(config.docs_dir).name}/{file.src_uri}"
        text = file.content_string
        used_files |= eb.included_files(text)
        try:
            runnable, _ = eb.python_blocks(text, page, snippet_dir)
        except eb.SnippetError as error:
            errors.append(str(error))
            continue
        blocks_by_page[file.src_uri] = runnable
        for block in runnable:
            used_files |= {f"{m}.py" for m in eb.imported_modules(block.code) & modules.keys()}
        for unit in eb.group_units(runnable):
            key = eb.unit_key(unit, build_env.fingerprint(), modules)
            path = _cache_path(cache_dir, key)
            if path.exists():
                cached[key] = json.loads(path.read_text(encoding="utf-8"))
            else:
                keyed_units.setdefault(file.src_uri, {})[key] = unit
            pending[id(unit[0])] = key

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        fresh = dict(pool.map(lambda item: (item[0], run_units(item[1], snippet_dir)), keyed_units.items()))
    for src_uri in keyed_units:  # new results: under `serve --dirty` the page must render again
        built = files.get_file_from_path(src_uri)
        if built is not None and os.path.exists(built.abs_dest_path):
            os.remove(built.abs_dest_path)

    ran = failed = 0
    results: dict[str, list[dict]] = dict(cached)
    for src_uri, units in keyed_units.items():
        for key, unit in units.items():
            unit_results = fresh[src_uri][key]
            ran += len(unit_results)
            for block, result in zip(unit, unit_results, strict=False):  # a failure ends a unit early
                if not result["ok"]:
                    failed += 1
                    errors.append(_failure_message(block, result))
            if len(unit_results) == len(unit) and all(r["ok"] for r in unit_results):
                path = _cache_path(cache_dir, key)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(unit_results), encoding="utf-8")
            results[key] = unit_results
    log.info(f"snippets: {ran} ran, {sum(map(len, cached.values()))} cached, {failed} failed")

    for name in sorted(f"{m}.py" for m in modules):
        if name not in used_files:
            errors.append(
                f"snippets/{name}:1: snippet file is not used by any page — "
                f'include it in a page (--8<-- "{name}:section") or delete it'
            )
    if errors:
        raise PluginError("\n".join(errors))

    for src_uri, blocks in blocks_by_page.items():
        page_results = []
        for unit in eb.group_units(blocks):
            unit_results = results[pending[id(unit[0])]]
            page_results += list(zip(unit, unit_results, strict=True))
        page_results.sort(key=lambda pair: pair[0].fence.start)
        _pages[src_uri] = page_results
        for _, result in page_results:
            for figure in result.get("figures", []):
                uri = f"{FIGURE_DIR}/{eb.figure_name(figure['svg'])}"
                if files.get_file_from_path(uri) is None:
                    files.append(File.generated(config, uri, content=figure["svg"]))
    return files


def on_page_markdown(markdown, page, config, files):
    """Replace each Python block of the page by its code and, for runnable ones, their output (placed
    after the block's code-annotation list, if it has one)."""
    fences = [f for f in eb.find_fences(markdown, page.file.src_uri) if f.lang in eb.PYTHON_LANGS]
    runs = iter(_pages.get(page.file.src_uri, []))
    prefix = "../" * page.file.src_uri.count("/")
    lines = markdown.split("\n")
    replacements = []
    for fence in fences:
        if fence.options.get("exec") == "on":
            block, result = next(runs)
            urls = [f"{prefix}{FIGURE_DIR}/{eb.figure_name(f['svg'])}" for f in result.get("figures", [])]
            shown, after = eb.render_block(fence, block.code, result, urls)
        else:
            shown, after = eb.render_block(fence, fence.body, None, [])
        replacements.append((fence, shown, eb.annotation_list_end(lines, fence), after))
    for fence, shown, list_end, after in reversed(replacements):
        lines[list_end + 1 : list_end + 1] = after
        lines[fence.start : fence.end + 1] = shown
    return "\n".join(lines)


OUTPUT_BLOCK = '<details class="success" open="open">\n<summary>输出</summary>'


def on_page_content(html, page, config, files):
    """Printed numbers are evidence, not text to search: keep output blocks out of the index."""
    return html.replace(OUTPUT_BLOCK, OUTPUT_BLOCK.replace('open="open"', 'open="open" data-search-exclude'))
