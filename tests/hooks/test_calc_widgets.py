"""Unit tests of the calculators' build helpers (hooks/calc_widgets.py)."""

import json

import calc_widgets as cw
import model_presets as mp

PRESETS = {"llama-2-7b": {"label": "LLaMA-2-7B"}}


def test_data_script_hands_the_python_presets_to_javascript_unchanged():
    script = cw.data_script(cw.calc_data(mp.PRESETS, mp.SCENARIO, mp.PRECISIONS, mp.DTYPE_BYTES))
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


def fake_render(requests: list[dict]) -> list[str]:
    return [f"<p>{r['id']} {r['calc']} {r['preset']}</p>" for r in requests]


def test_placeholders_become_built_widgets_open_only_on_the_calculator_page():
    html = '<p>a</p>\n<div class="kb-calc" data-calc="kv-cache" data-preset="llama-2-7b"></div>\n<p>b</p>'
    out, errors = cw.render_placeholders(html, PRESETS, "docs/x.md", "", fake_render)
    assert errors == []
    assert out == (
        "<p>a</p>\n"
        '<details class="kb-calc" data-calc="kv-cache" data-preset="llama-2-7b" data-search-exclude>'
        "<summary>动手算：KV Cache 与并发请求（预设：LLaMA-2-7B）</summary>"
        '<div class="kb-calc-body"><p>kbc1 kv-cache llama-2-7b</p></div></details>'
        "\n<p>b</p>"
    )
    page, _ = cw.render_placeholders(html.replace("kv-cache", "all"), PRESETS, "docs/x.md", "", fake_render)
    assert "data-search-exclude open>" in page


def test_each_widget_of_a_page_gets_its_own_body_and_ids_in_one_render():
    calls = []

    def render(requests):
        calls.append(requests)
        return fake_render(requests)

    html = "".join(
        f'<div class="kb-calc" data-calc="{c}" data-preset="llama-2-7b"></div><hr>' for c in ("params", "memory")
    )
    out, errors = cw.render_placeholders(html, PRESETS, "docs/x.md", "", render)
    assert errors == [] and len(calls) == 1
    assert [r["id"] for r in calls[0]] == ["kbc1", "kbc2"]
    assert out.index("kbc1 params") < out.index("kbc2 memory") and out.endswith("</details><hr>")
    assert cw.render_placeholders("<p>no widget</p>", PRESETS, "docs/x.md", "", render) == ("<p>no widget</p>", [])
    assert len(calls) == 1  # nothing to render: node is not started


def test_unknown_calculator_or_preset_fails_with_page_and_line():
    source = 'x\n\n<div class="kb-calc" data-calc="memory" data-preset="gpt-5" markdown="0"></div>\n'
    html = '<div class="kb-calc" data-calc="memory" data-preset="gpt-5"></div>'
    _, errors = cw.render_placeholders(html, PRESETS, "docs/x.md", source, fake_render)
    assert errors == [
        "docs/x.md:3: unknown preset 'gpt-5' — use a key of PRESETS in snippets/model_presets.py (llama-2-7b)"
    ]
    _, errors = cw.render_placeholders(html.replace("memory", "speed"), PRESETS, "docs/x.md", source, fake_render)
    assert errors[0].startswith("docs/x.md:1: unknown calculator 'speed' — use data-calc=params or memory")
