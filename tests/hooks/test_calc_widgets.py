"""Unit tests of the calculators' build helpers (hooks/calc_widgets.py)."""

import json

import calc_widgets as cw
import model_presets as mp

PRESETS = {"llama-2-7b": {"label": "LLaMA-2-7B"}}


def test_data_script_hands_the_python_presets_to_javascript_unchanged():
    script = cw.data_script(mp.PRESETS, mp.SCENARIO, mp.PRECISIONS, mp.DTYPE_BYTES)
    prefix = "window.kbCalcData = "
    line = next(line for line in script.splitlines() if line.startswith(prefix))
    data = json.loads(line.removeprefix(prefix).removesuffix(";"))
    assert data == {
        "presets": mp.PRESETS,
        "scenario": mp.SCENARIO,
        "precisions": mp.PRECISIONS,
        "dtypeBytes": mp.DTYPE_BYTES,
    }
    assert list(data["presets"]) == list(mp.PRESETS)  # the menu keeps the module's order
    assert "<" not in script  # nothing a page could mistake for markup


def test_placeholders_become_widgets_open_only_on_the_calculator_page():
    html = '<p>a</p>\n<div class="kb-calc" data-calc="kv-cache" data-preset="llama-2-7b"></div>\n<p>b</p>'
    out, errors = cw.render_placeholders(html, PRESETS, "docs/x.md", "")
    assert errors == []
    assert (
        '<details class="kb-calc" data-calc="kv-cache" data-preset="llama-2-7b" data-search-exclude>'
        "<summary>动手算：KV Cache 与并发请求（预设：LLaMA-2-7B）</summary>"
    ) in out
    assert "计算器需要浏览器运行 JavaScript" in out and out.startswith("<p>a</p>") and out.endswith("<p>b</p>")
    page, _ = cw.render_placeholders(html.replace("kv-cache", "all"), PRESETS, "docs/x.md", "")
    assert "data-search-exclude open>" in page


def test_unknown_calculator_or_preset_fails_with_page_and_line():
    source = 'x\n\n<div class="kb-calc" data-calc="memory" data-preset="gpt-5" markdown="0"></div>\n'
    html = '<div class="kb-calc" data-calc="memory" data-preset="gpt-5"></div>'
    _, errors = cw.render_placeholders(html, PRESETS, "docs/x.md", source)
    assert errors == [
        "docs/x.md:3: unknown preset 'gpt-5' — use a key of PRESETS in snippets/model_presets.py (llama-2-7b)"
    ]
    _, errors = cw.render_placeholders(html.replace("memory", "speed"), PRESETS, "docs/x.md", source)
    assert errors[0].startswith("docs/x.md:1: unknown calculator 'speed' — use data-calc=params or memory")
