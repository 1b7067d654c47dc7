"""Pure helpers of the calculators (hooks/calculator.py): the presets as the JavaScript reads them,
and the placeholders a page writes turned into the widgets the JavaScript fills in.

A page embeds a calculator with a placeholder (pages carry no scripts):
    <div class="kb-calc" data-calc="kv-cache" data-preset="llama-2-70b" markdown="0"></div>
Nothing here imports MkDocs.
"""

from __future__ import annotations

import html
import json
import re

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


def data_script(presets: dict, scenario: dict, precisions: dict, dtype_bytes: dict) -> str:
    """The JavaScript file that hands snippets/model_presets.py to the calculators: one JSON literal
    assigned to window.kbCalcData (a script, not a .json file: pages opened from file:// in the
    offline bundle cannot fetch())."""
    data = {"presets": presets, "scenario": scenario, "precisions": precisions, "dtypeBytes": dtype_bytes}
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        "// Generated at build time by hooks/calculator.py from snippets/model_presets.py: edit that file.\n"
        f"window.kbCalcData = {payload};\n"
    )


def widget(calc: str, preset: str, label: str) -> str:
    """The built markup of one calculator: a disclosure whose summary says what it computes, open on
    the calculator page itself (data-calc="all"). calculator.js fills in the body; without
    JavaScript, and in print, the body says so."""
    is_open = " open" if calc == "all" else ""
    return (
        f'<details class="kb-calc" data-calc="{calc}" data-preset="{html.escape(preset)}" data-search-exclude{is_open}>'
        f"<summary>动手算：{CALCULATORS[calc]}（预设：{html.escape(label)}）</summary>"
        '<div class="kb-calc-body"><p class="kb-calc-fallback">计算器需要浏览器运行 JavaScript。</p></div>'
        "</details>"
    )


def render_placeholders(content: str, presets: dict, page: str, source: str) -> tuple[str, list[str]]:
    """The page's HTML with every placeholder replaced by its widget, and the errors of placeholders
    naming an unknown calculator or preset (`page:line: what — fix`, the line found in `source`)."""
    errors: list[str] = []

    def replace(match: re.Match) -> str:
        attrs = {m.group("key"): m.group("value") for m in _ATTR.finditer(match.group("attrs"))}
        calc, preset = attrs.get("calc", ""), attrs.get("preset", "")
        token = f'data-calc="{calc}"' if calc else 'class="kb-calc"'
        line = source[: max(source.find(token), 0)].count("\n") + 1
        if calc not in CALCULATORS:
            errors.append(f"{page}:{line}: unknown calculator {calc!r} — use data-calc={' or '.join(CALCULATORS)}")
            return match.group(0)
        if preset not in presets:
            errors.append(
                f"{page}:{line}: unknown preset {preset!r} — use a key of PRESETS in snippets/model_presets.py "
                f"({', '.join(presets)})"
            )
            return match.group(0)
        return widget(calc, preset, presets[preset]["label"])

    return _PLACEHOLDER.sub(replace, content), errors
