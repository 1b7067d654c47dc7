"""Pure helpers of the calculators (hooks/calculator.py): the presets as the JavaScript reads them,
and the placeholders a page writes turned into built widgets (their bodies rendered by
hooks/calc_markup.js; calculator.js wires them).

A page embeds a calculator with a placeholder (pages carry no scripts):
    <div class="kb-calc" data-calc="kv-cache" data-preset="llama-2-70b" markdown="0"></div>
Nothing here imports MkDocs.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable

# data-calc -> what the widget's summary says it computes
CALCULATORS = {
    "params": "参数量与计算量",
    "memory": "训练显存",
    "kv-cache": "KV Cache 与并发请求",
    "all": "参数量、计算量、训练显存与 KV Cache",
}
DATA_SCRIPT = "assets/javascripts/calc-data.js"

_PLACEHOLDER = re.compile(r'<div class="kb-calc"(?P<attrs>[^>]*)>\s*</div>')
_ATTR = re.compile(r'\sdata-(?P<key>calc|preset)="(?P<value>[^"]*)"')


def calc_data(presets: dict, scenario: dict, precisions: dict, dtype_bytes: dict) -> dict:
    """What the calculators read (snippets/model_presets.py, in the key names of calc-formulas.js)."""
    return {"presets": presets, "scenario": scenario, "precisions": precisions, "dtypeBytes": dtype_bytes}


def data_script(data: dict) -> str:
    """The JavaScript file that hands `data` (calc_data) to the calculators: one JSON literal
    assigned to window.kbCalcData (a script, not a .json file: pages opened from file:// in the
    offline bundle cannot fetch())."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        "// Generated at build time by hooks/calculator.py from snippets/model_presets.py: edit that file.\n"
        f"window.kbCalcData = {payload};\n"
    )


def widget(calc: str, preset: str, label: str, body: str) -> str:
    """The built markup of one calculator: a disclosure whose summary says what it computes, open on
    the calculator page itself (data-calc="all"), around `body` (inputs and results, already filled in)."""
    is_open = " open" if calc == "all" else ""
    return (
        f'<details class="kb-calc" data-calc="{calc}" data-preset="{html.escape(preset)}" data-search-exclude{is_open}>'
        f"<summary>动手算：{CALCULATORS[calc]}（预设：{html.escape(label)}）</summary>"
        f'<div class="kb-calc-body">{body}</div>'
        "</details>"
    )


Render = Callable[[list[dict]], list[str]]


def render_placeholders(content: str, presets: dict, page: str, source: str, render: Render) -> tuple[str, list[str]]:
    """The page's HTML with every placeholder replaced by its widget, and the errors of placeholders
    naming an unknown calculator or preset (`page:line: what — fix`, the line found in `source`).

    `render` gets the valid placeholders in page order as [{"calc", "preset", "id"}] (ids kbc1, kbc2, …
    unique in the page) and returns the body of each; it is called once, and not when there is none."""
    errors: list[str] = []
    found: list[tuple[re.Match, dict | None]] = []
    for match in _PLACEHOLDER.finditer(content):
        attrs = {m.group("key"): m.group("value") for m in _ATTR.finditer(match.group("attrs"))}
        calc, preset = attrs.get("calc", ""), attrs.get("preset", "")
        token = f'data-calc="{calc}"' if calc else 'class="kb-calc"'
        line = source[: max(source.find(token), 0)].count("\n") + 1
        if calc not in CALCULATORS:
            errors.append(f"{page}:{line}: unknown calculator {calc!r} — use data-calc={' or '.join(CALCULATORS)}")
        elif preset not in presets:
            errors.append(
                f"{page}:{line}: unknown preset {preset!r} — use a key of PRESETS in snippets/model_presets.py "
                f"({', '.join(presets)})"
            )
        else:
            found.append((match, {"calc": calc, "preset": preset, "id": f"kbc{len(found) + 1}"}))
    if errors or not found:
        return content, errors
    bodies = iter(render([request for _, request in found]))
    pieces, end = [], 0
    for match, request in found:
        built = widget(request["calc"], request["preset"], presets[request["preset"]]["label"], next(bodies))
        pieces += [content[end : match.start()], built]
        end = match.end()
    return "".join(pieces) + content[end:], errors
