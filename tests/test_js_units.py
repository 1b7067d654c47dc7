"""The site's pure JavaScript helpers, run by node: the practice store's schedule and storage
(tests/js/practice-store.test.mjs), and the calculators' formulas against their Python twin,
snippets/model_calc.py, for every preset and for edited configurations and scenarios."""

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "snippets"))

NODE = shutil.which("node")


def node(*args, stdin: str | None = None) -> str:
    assert NODE, "node is not installed: it comes with `make install` (Node.js and npm)"
    result = subprocess.run([NODE, *args], cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return result.stdout


def test_practice_store():
    node("--test", "tests/js/practice-store.test.mjs")


def same(js, py) -> bool:
    """Equal: exactly where both are integers a double holds exactly, else to double rounding."""
    if py is None or js is None:
        return py is js
    if isinstance(py, int) and abs(py) < 2**53:
        return js == py
    return math.isclose(js, py, rel_tol=1e-12)


def cases():
    from test_model_calc import EDITED

    from model_presets import PRECISIONS, PRESETS, SCENARIO

    scenarios = [
        SCENARIO,
        dict(SCENARIO, precision="fp32", zero_stage=3, n_gpus=64, checkpointing=True, micro_batch=4),
        dict(SCENARIO, precision="bf16", zero_stage=2, kv_dtype="int4", weight_dtype="fp8", serve_gpus=1),
        dict(SCENARIO, zero_stage=1, tokens=3e11, gpu_memory_gib=24.5, kv_dtype="fp32"),
    ]
    configs = [p["config"] for p in PRESETS.values()] + EDITED
    return [(c, s) for c in configs for s in scenarios], PRECISIONS


def test_calculator_formulas_equal_the_python_reference():
    from model_calc import reference
    from model_presets import DTYPE_BYTES

    pairs, precisions = cases()
    payload = [{"config": c, "scenario": dict(s, train_seq=c["train_seq"], context=c["context"])} for c, s in pairs]
    stdin = json.dumps({"precisions": precisions, "dtypeBytes": DTYPE_BYTES, "cases": payload})
    results = json.loads(node("tests/js/calc-cases.mjs", stdin=stdin))
    assert len(results) == len(pairs) > 40
    for (c, s), js in zip(pairs, results, strict=True):
        ref = reference(c, s)
        assert set(js) == set(ref), "the calculator shows exactly the outputs of model_calc.reference"
        wrong = {k: (js[k]["value"], ref[k]) for k in ref if not same(js[k]["value"], ref[k])}
        assert wrong == {}, (c["family"], s)
        assert all(js[k]["formula"] for k in js)  # every result shows its formula


@pytest.mark.parametrize("key", ["kv_per_token", "params_total", "mem_states"])
def test_formulas_show_the_numbers_substituted(key):
    from model_presets import DTYPE_BYTES, PRECISIONS, PRESETS, SCENARIO

    c = PRESETS["llama-2-70b"]["config"]
    case = {"config": c, "scenario": dict(SCENARIO, train_seq=4096, context=4096)}
    stdin = json.dumps({"precisions": PRECISIONS, "dtypeBytes": DTYPE_BYTES, "cases": [case]})
    formula = json.loads(node("tests/js/calc-cases.mjs", stdin=stdin))[0][key]["formula"]
    expected = {
        "kv_per_token": "2（K 与 V）× L 80 × KV 头 8 × d_h 128 × 2 字节 = 327,680 B",
        "params_total": "= 68,976,648,192",
        "mem_states": "权重 + 梯度 + 优化器状态 = 1,103,626,371,072 B",
    }[key]
    assert expected in formula


FORMAT_CHECK = """
const f = require("./overrides/assets/javascripts/calc-formulas.js").format;
const two = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const values = [0, 1, 999, 1000, 1234.5, 6738415616, 0.125, 2.675, 1.005, 9.995, 99.9996, 0.0095, 5e-7, 3e15, 9.99e20];
for (let e = -4; e < 21; e++) for (const m of [1, 1.5, 2.675, 4.99949, 7.123456789]) values.push(m * 10 ** e);
console.log(JSON.stringify(values.map((v) => [v, f.int(v), two.format(v)]).filter(([, a, b]) => a !== b)));
"""


def test_number_formatting_equals_intl_without_loading_it():
    """calc-formulas.js formats numbers itself (Intl's first use costs ~70 ms on a phone); it must print
    what Intl.NumberFormat("en-US") prints, ties included (2.675 -> 2.68, not toFixed's 2.67)."""
    assert json.loads(node("-e", FORMAT_CHECK)) == []
    source = (ROOT / "overrides/assets/javascripts/calc-formulas.js").read_text(encoding="utf-8")
    assert "new Intl." not in source and "toLocaleString" not in source


def test_built_calculator_markup_holds_the_preset_and_the_python_numbers():
    """hooks/calc_markup.js fills each widget in at build time: every input holds its preset's value, the
    fields that do not apply are hidden, and every result is model_calc.reference's number."""
    from bs4 import BeautifulSoup

    sys.path.insert(0, str(ROOT / "hooks"))
    import calc_widgets as cw
    from model_calc import reference
    from model_presets import DTYPE_BYTES, PRECISIONS, PRESETS, SCENARIO

    data = cw.calc_data(PRESETS, SCENARIO, PRECISIONS, DTYPE_BYTES)
    widgets = [
        {"calc": calc, "preset": key, "id": f"w{i}"}
        for i, (calc, key) in enumerate((calc, key) for calc in cw.CALCULATORS for key in PRESETS)
    ]
    bodies = json.loads(node("hooks/calc_markup.js", stdin=json.dumps({"data": data, "widgets": widgets})))
    assert len(bodies) == len(widgets) == 4 * len(PRESETS)
    for widget, body in zip(widgets, bodies, strict=True):
        soup = BeautifulSoup(body, "html.parser")
        config = PRESETS[widget["preset"]]["config"]
        state = dict(SCENARIO, **config)
        for control in soup.select("input, select"):
            name = control.get("name")
            if control.name == "select":
                chosen = control.select("option[selected]")
                assert len(chosen) == 1, (widget, control.get("id"))
                value = chosen[0]["value"]
                expected = widget["preset"] if "kb-calc-preset-select" in control.get("class", []) else str(state[name])
            elif control["type"] == "checkbox":
                value, expected = control.has_attr("checked"), state[name]
            else:
                value, expected = float(control["value"]), state[name]
            assert value == expected, (widget, name)
        hidden = {f["data-key"] for f in soup.select(".kb-calc-field[hidden]")}
        mla, moe = config["attention"] == "mla", config["n_experts"] > 0
        assert ("n_kv_heads" in hidden) == mla and ("kv_lora_rank" in hidden) == (not mla)
        assert ("top_k" in hidden) == (not moe)
        ref = reference(config, dict(SCENARIO, train_seq=config["train_seq"], context=config["context"]))
        shown = {r["data-out"]: r.select_one(".kb-calc-value")["data-value"] for r in soup.select("[data-out]")}
        assert shown and {k: (v, ref[k]) for k, v in shown.items() if not same(number(v), ref[k])} == {}
        if widget["calc"] == "all":
            assert set(shown) == set(ref)
        assert len({i["id"] for i in soup.select("[id]")}) == len(soup.select("[id]"))  # ids unique
        assert all(i["id"].startswith(widget["id"] + "-") for i in soup.select("[id]"))


def number(text: str):
    return None if text == "" else float(text)
