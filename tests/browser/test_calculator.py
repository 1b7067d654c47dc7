"""The calculators (计算器) as a reader uses them: every preset shows exactly the numbers the build
computed with the site's Python formulas (the output printed on the calculator page), edits update
the results and their formulas, the embedded calculators sit next to their questions, keyboard only,
and from file:// in the offline bundle; never a request to another host."""

import html
import math
import re
import zipfile

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE = "tools/calculator/"
READ_OUTPUTS = """root => Object.fromEntries([...root.querySelectorAll('[data-out]')].map(row =>
  [row.dataset.out, row.querySelector('.kb-calc-value').dataset.value]))"""
EMBEDDED = {  # question id -> (page, calculator, preset) of docs/*.md placeholders
    "kv-cache-size": ("transformer/efficient-attention/", "kv-cache", "llama-2-70b"),
    "llama2-7b-parameter-count": ("llm/decoder-block/", "params", "llama-2-7b"),
    "mixed-precision-adam-16-bytes": ("llm/training-memory/", "memory", "llama-2-7b"),
}


def build_output(site) -> dict[str, dict[str, float | int | None]]:
    """The reference values the calculator page's runnable block printed at build time, per preset."""
    page = (site / PAGE / "index.html").read_text(encoding="utf-8")
    outputs = re.findall(r"<summary>输出</summary>(.*?)</details>", page, re.S)
    text = next(html.unescape(re.sub(r"<[^>]+>", "", o)) for o in outputs if "== llama-2-7b" in o)
    values: dict[str, dict] = {}
    current = None
    for line in text.splitlines():
        if m := re.match(r"== (?P<key>[a-z0-9-]+): ", line):
            current = values.setdefault(m.group("key"), {})
        elif m := re.match(
            r"(?P<name>[a-z_0-9]+(?:\[[a-z0-9]+,\d\])?)\s+(?P<value>None|-?[\d.]+(?:e[+-]\d+)?)\s", line
        ):
            raw = m.group("value")
            current[m.group("name")] = None if raw == "None" else float(raw) if re.search(r"[.e]", raw) else int(raw)
    return values


@pytest.fixture(scope="module")
def reference(built_site):
    values = build_output(built_site.site)
    assert len(values) == 6 and all(len(v) > 30 for v in values.values()), values.keys()
    return values


def number(text: str):
    return None if text == "" else float(text)


def same(shown, expected) -> bool:
    """The page's data-value equals the build's number: exactly for integers a double holds, else to
    double rounding (Python computes big integers exactly, JavaScript in doubles)."""
    if expected is None or shown is None:
        return shown is expected
    if isinstance(expected, int) and abs(expected) < 2**53:
        return shown == expected
    return math.isclose(shown, expected, rel_tol=1e-12)


def only_local(seen, base: str) -> None:
    foreign = [u for u in seen.requests if not (u.startswith(base) or u.startswith("data:") or u.startswith("blob:"))]
    assert foreign == []


def test_every_preset_shows_the_numbers_computed_at_build_time(visit, site_url, reference):
    seen = visit(site_url + PAGE)
    page = seen.page
    widget = page.locator("details.kb-calc[data-calc=all]")
    assert widget.get_attribute("open") is not None  # open on the calculator page itself
    for key, expected in reference.items():
        widget.locator(".kb-calc-preset-select").select_option(key)
        shown = {k: number(v) for k, v in widget.evaluate(READ_OUTPUTS).items()}
        plain = {k: v for k, v in expected.items() if "[" not in k}
        assert set(shown) == set(plain)
        assert {k: (shown[k], v) for k, v in plain.items() if not same(shown[k], v)} == {}, key
        assert "配置出处" in widget.locator(".kb-calc-source").inner_text()
        for name, value in expected.items():  # model states per GPU for every precision and ZeRO stage
            if m := re.fullmatch(r"mem_states\[(\w+),(\d)\]", name):
                widget.locator("select[name=precision]").select_option(m.group(1))
                widget.locator("select[name=zero_stage]").select_option(m.group(2))
                states = number(widget.locator("[data-out=mem_states] .kb-calc-value").get_attribute("data-value"))
                assert same(states, value), (key, name)
        widget.locator("select[name=precision]").select_option("mixed")
        widget.locator("select[name=zero_stage]").select_option("0")
    assert seen.errors == []
    only_local(seen, site_url)


def test_editing_an_input_updates_the_results_and_their_formulas(visit, site_url):
    from gqa import kv_cache_bytes_per_token
    from model_calc import reference
    from model_presets import PRESETS, SCENARIO

    seen = visit(site_url + PAGE, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = seen.page
    widget = page.locator("details.kb-calc")
    widget.locator(".kb-calc-preset-select").select_option("llama-2-70b")
    kv = widget.locator("[data-out=kv_per_token] .kb-calc-value")
    assert number(kv.get_attribute("data-value")) == 320 * 2**10
    widget.locator("input[name=n_kv_heads]").fill("64")  # GQA-8 -> MHA
    assert number(kv.get_attribute("data-value")) == kv_cache_bytes_per_token(80, 64, 128, 2)
    formula = widget.locator("[data-out=kv_per_token] .kb-calc-formula").inner_text()
    assert "KV 头 64" in formula and "2,621,440 B" in formula
    assert widget.locator(".kb-calc-preset-select").input_value() == "custom"
    edited = dict(PRESETS["llama-2-70b"]["config"], n_kv_heads=64)
    expected = reference(edited, SCENARIO)
    shown = {k: number(v) for k, v in widget.evaluate(READ_OUTPUTS).items()}
    assert all(same(shown[k], v) for k, v in expected.items())
    widget.locator("input[name=checkpointing]").check()
    total = widget.locator("[data-out=mem_total] .kb-calc-value").get_attribute("data-value")
    assert same(number(total), expected["mem_states"] + expected["act_ckpt"])
    widget.locator("input[name=n_layers]").fill("-3")  # not a layer count: nothing computed
    assert widget.locator("input[name=n_layers]").get_attribute("aria-invalid") == "true"
    assert "无法计算" in widget.locator(".kb-calc-status").inner_text()
    assert kv.inner_text() == "—" and kv.get_attribute("data-value") == ""
    widget.locator(".kb-calc-preset-select").select_option("deepseek-v2")  # a preset restores everything
    assert widget.locator(".kb-calc-status").inner_text() == ""
    assert number(kv.get_attribute("data-value")) == (512 + 64) * 60 * 2  # MLA: the latent and one RoPE key
    assert widget.locator("input[name=n_kv_heads]").is_hidden()  # MLA has no KV heads to set
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")  # no sideways scrolling
    assert seen.errors == []
    only_local(seen, site_url)


LAYOUT_SHIFT = """() => new Promise(done => new PerformanceObserver((list, observer) => {
  observer.disconnect();
  done(list.getEntries().reduce((sum, e) => sum + (e.hadRecentInput ? 0 : e.value), 0));
}).observe({type: 'layout-shift', buffered: true})).then(v => v, () => 0)"""


def test_the_built_page_already_shows_the_preset_and_nothing_moves_at_load(visit, site_url, reference):
    """The widgets are filled in at build time (hooks/calc_markup.js): without JavaScript the page shows
    the preset's inputs and the build's numbers, and with it calculator.js only wires the events, so the
    page does not shift while it loads (Lighthouse's CLS on a phone)."""
    for path, key in [(PAGE, "llama-2-7b"), *[(p, preset) for p, _, preset in EMBEDDED.values()]]:
        page = visit(site_url + path, java_script_enabled=False).page
        for widget in page.locator("details.kb-calc").all():
            if widget.get_attribute("data-preset") != key:
                continue
            assert widget.locator(".kb-calc-preset-select").input_value() == key
            shown = {k: number(v) for k, v in widget.evaluate(READ_OUTPUTS).items()}
            assert len(shown) >= 4 and {k: v for k, v in shown.items() if not same(v, reference[key][k])} == {}
            formula = widget.locator("[data-out] .kb-calc-formula").first.text_content()
            assert re.search(r"\d", formula), formula  # the formula with the numbers substituted
    seen = visit(site_url + PAGE, viewport={"width": 390, "height": 844}, is_mobile=True)
    assert seen.page.locator("details.kb-calc[data-kb-ready]").count() == 1  # wired
    assert seen.page.evaluate(LAYOUT_SHIFT) < 0.01
    assert seen.errors == []


def test_results_follow_the_inputs_the_browser_restores_on_back(visit, site_url):
    """The controls are in the built page, so the back button refills them with the reader's edits;
    the results must be recomputed for them, not left at the preset's."""
    from model_calc import reference
    from model_presets import PRESETS, SCENARIO

    page = visit(site_url + PAGE).page
    page.locator("input[name=n_layers]").fill("48")
    page.goto(site_url)
    page.go_back(wait_until="load")
    assert page.locator("input[name=n_layers]").input_value() == "48"
    assert page.locator(".kb-calc-preset-select").input_value() == "custom"
    expected = reference(dict(PRESETS["llama-2-7b"]["config"], n_layers=48), SCENARIO)["params_total"]
    shown = page.locator("[data-out=params_total] .kb-calc-value").get_attribute("data-value")
    assert same(number(shown), expected)


@pytest.mark.parametrize("question", EMBEDDED)
def test_embedded_calculator_opens_from_the_keyboard_next_to_its_question(visit, site_url, reference, question):
    path, calc, preset = EMBEDDED[question]
    seen = visit(f"{site_url}{path}#{question}")
    page = seen.page
    widget = page.locator(f".q-answer[data-question={question}] details.kb-calc")
    assert widget.count() == 1 and widget.get_attribute("data-calc") == calc
    assert widget.get_attribute("open") is None  # folded: the answer stays short
    widget.locator(":scope > summary").focus()
    page.keyboard.press("Enter")
    assert widget.get_attribute("open") is not None
    assert widget.locator(".kb-calc-preset-select").input_value() == preset
    shown = {k: number(v) for k, v in widget.evaluate(READ_OUTPUTS).items()}
    assert shown and all(same(v, reference[preset][k]) for k, v in shown.items())
    assert seen.errors == []
    only_local(seen, site_url)


def test_calculator_is_usable_with_the_keyboard_alone(visit, site_url):
    page = visit(site_url + PAGE).page
    widget = page.locator("details.kb-calc")
    select = widget.locator(".kb-calc-preset-select")
    select.focus()
    page.keyboard.press("ArrowDown")  # BERT-base -> GPT-2 … the menu follows the arrow keys
    chosen = select.input_value()
    assert chosen != "llama-2-7b"
    before = widget.locator("[data-out=params_total] .kb-calc-value").get_attribute("data-value")
    page.keyboard.press("Tab")  # the preset's source link
    page.keyboard.press("Tab")  # the first input: the number of layers
    assert page.evaluate("document.activeElement.name") == "n_layers"
    page.keyboard.press("Control+A")
    page.keyboard.type("48")
    after = widget.locator("[data-out=params_total] .kb-calc-value").get_attribute("data-value")
    assert after != before and select.input_value() == "custom"


def test_calculator_works_from_the_offline_bundle(visit, built_site, reference, tmp_path):
    with zipfile.ZipFile(built_site.site / "downloads" / "ml-nlp-interview-offline.zip") as archive:
        archive.extractall(tmp_path)
    seen = visit((tmp_path / "ml-nlp-interview" / "tools" / "calculator.html").as_uri())
    widget = seen.page.locator("details.kb-calc")
    shown = {k: number(v) for k, v in widget.evaluate(READ_OUTPUTS).items()}
    assert all(same(v, reference["llama-2-7b"][k]) for k, v in shown.items()) and len(shown) > 20
    assert seen.errors == []
    assert all(u.startswith(("file://", "data:")) for u in seen.requests)
