// The calculators (计算器): wires every widget hooks/calculator.py built, already filled in with its
// preset's inputs and results (hooks/calc_markup.js), so nothing is laid out again at load. On an
// edit or a new preset it recomputes with calc-formulas.js and rewrites each result's value and
// formula. Presets come from calc-data.js (generated from snippets/model_presets.py). Loaded only on
// pages with a widget (overrides/main.html). Works from file://.
(() => {
  "use strict";
  const data = window.kbCalcData;
  const { compute, presetState, SHOWN_WHEN } = window.kbCalcFormulas;

  /** The value of one input, or undefined if it is not a valid entry for its field (the limits are
      the markup's: min, step "any" for decimals, data-number on a menu of numbers). */
  function read(input) {
    if (input.type === "checkbox") return input.checked;
    if (input.tagName === "SELECT") return input.dataset.number !== undefined ? Number(input.value) : input.value;
    const value = input.valueAsNumber;
    const real = input.step === "any";
    const ok = Number.isFinite(value) && value >= Number(input.min) && (real || Number.isInteger(value));
    return ok ? value : undefined;
  }

  /** Whether the browser restored an edited value into the control (reload, back button). */
  function restored(input) {
    if (input.type === "checkbox") return input.checked !== input.defaultChecked;
    if (input.tagName === "SELECT") return [...input.options].some((o) => o.selected !== o.defaultSelected);
    return input.value !== input.defaultValue;
  }

  function wire(details) {
    const presetSelect = details.querySelector(".kb-calc-preset-select");
    const source = details.querySelector(".kb-calc-source");
    const status = details.querySelector(".kb-calc-status");
    const fields = [...details.querySelectorAll(".kb-calc-field")].map((node) => ({
      node, key: node.dataset.key, when: SHOWN_WHEN[node.dataset.when], input: node.querySelector("input, select"),
    }));
    const rows = [...details.querySelectorAll("[data-out]")].map((row) => ({
      key: row.dataset.out, value: row.querySelector(".kb-calc-value"), formula: row.querySelector(".kb-calc-formula"),
    }));
    const presetKey = () => (data.presets[presetSelect.value] ? presetSelect.value : details.dataset.preset);
    let state = presetState(data, presetKey());

    function showPreset() {
      const preset = data.presets[presetSelect.value];
      source.replaceChildren();
      if (!preset) {
        source.textContent = "自定义配置：在下面修改任意一项；重新选择预设即可恢复。";
        return;
      }
      const link = document.createElement("a");
      link.href = preset.url;
      link.textContent = preset.source;
      source.append("配置出处：", link);
    }
    function update() {
      let valid = true;
      for (const { key, input } of fields) {
        const value = read(input);
        input.setAttribute("aria-invalid", String(value === undefined));
        if (value === undefined) valid = false;
        else state[key] = value;
      }
      for (const { node, when } of fields) node.hidden = Boolean(when && !when(state));
      const problems = [];
      if (!valid) problems.push("标红的输入不是有效的数（需要非负整数）");
      if (SHOWN_WHEN.mla(state) && !(state.kv_lora_rank && state.v_head_dim)) problems.push("MLA 的 d_c 与 d_v 至少为 1");
      if (SHOWN_WHEN.moe(state) && !(state.top_k && state.expert_d_ff)) problems.push("MoE 的 k 与专家隐藏维度至少为 1");
      if (state.n_experts && state.top_k > state.n_experts) problems.push("k 不能大于专家数 E");
      if (state.n_experts && state.dense_layers > state.n_layers) problems.push("稠密层数不能超过总层数");
      status.textContent = problems.length ? `无法计算：${problems.join("；")}。` : "";
      const outputs = problems.length ? null : compute(state, state, data);
      for (const row of rows) {
        const out = outputs?.[row.key];
        row.value.textContent = out ? out.text : "—";
        row.value.dataset.value = out && out.value !== null ? String(out.value) : "";
        row.formula.textContent = out ? out.formula : "";
      }
    }
    presetSelect.addEventListener("change", () => {
      if (presetSelect.value === "custom") return;
      state = presetState(data, presetSelect.value);
      for (const { key, input } of fields) {
        if (input.type === "checkbox") input.checked = state[key];
        else input.value = String(state[key]);
      }
      showPreset();
      update();
    });
    const structure = details.querySelector(".kb-calc-inputs > fieldset"); // the first: 模型结构
    details.querySelector(".kb-calc-inputs").addEventListener("input", (event) => {
      if (structure.contains(event.target)) { // the model is no longer the preset; the scenario may vary
        presetSelect.value = "custom";
        showPreset();
      }
      update();
    });
    // A reload or the back button may refill the controls with the reader's values after this script
    // ran (Chromium does so by pageshow): recompute then, so the results match what the inputs show.
    const resync = () => {
      if (![presetSelect, ...fields.map((f) => f.input)].some(restored)) return;
      showPreset();
      update();
    };
    resync();
    addEventListener("pageshow", resync);
    details.dataset.kbReady = "1";
  }

  function setup() {
    for (const details of document.querySelectorAll("details.kb-calc:not([data-kb-ready])")) wire(details);
  }

  if (typeof document$ !== "undefined") document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", setup);
})();
