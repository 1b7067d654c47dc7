// The calculators (计算器): fills in every widget hooks/calculator.py built from a page's placeholder
// (<details class="kb-calc" data-calc="…" data-preset="…">) with a preset menu, the inputs of that
// calculator and its results, each with its formula and the reader's numbers substituted.
// Presets come from calc-data.js (generated from snippets/model_presets.py), formulas from
// calc-formulas.js. Loaded only on pages with a widget (overrides/main.html). Works from file://.
(() => {
  "use strict";
  const data = window.kbCalcData;
  const { OUTPUTS, compute } = window.kbCalcFormulas;
  const MLA = (v) => v.attention === "mla";
  const MOE = (v) => v.n_experts > 0;
  const STANDARD = (v) => v.attention !== "mla";

  // Model structure: every field of a configuration (snippets/model_presets.py documents them).
  const STRUCTURE = [
    { key: "n_layers", label: "层数 L", min: 1 },
    { key: "d_model", label: "隐藏维度 d", min: 1 },
    { key: "n_heads", label: "查询头数 h", min: 1 },
    { key: "attention", label: "注意力", options: { standard: "MHA / GQA / MQA", mla: "MLA（缓存潜向量）" } },
    { key: "n_kv_heads", label: "KV 头数 g（= h 为 MHA，1 为 MQA）", min: 1, when: STANDARD },
    { key: "d_head", label: "每头维度 d_h", min: 1 },
    { key: "kv_lora_rank", label: "MLA：KV 潜向量维度 d_c", min: 0, when: MLA },
    { key: "rope_head_dim", label: "MLA：解耦 RoPE 维度 d_R", min: 0, when: MLA },
    { key: "q_lora_rank", label: "MLA：查询压缩维度 d_c′（0 为不压缩）", min: 0, when: MLA },
    { key: "v_head_dim", label: "MLA：每头值维度 d_v", min: 0, when: MLA },
    { key: "ffn", label: "FFN 类型", options: { swiglu: "SwiGLU（三个矩阵）", gelu: "GELU（两个矩阵）" } },
    { key: "d_ff", label: "FFN 隐藏维度 d_ff", min: 1 },
    { key: "n_experts", label: "MoE：路由专家数 E（0 为稠密模型）", min: 0 },
    { key: "top_k", label: "MoE：每个 token 选 k 个专家", min: 0, when: MOE },
    { key: "n_shared_experts", label: "MoE：共享专家数", min: 0, when: MOE },
    { key: "expert_d_ff", label: "MoE：专家隐藏维度", min: 0, when: MOE },
    { key: "dense_layers", label: "MoE：前几层保留稠密 FFN", min: 0, when: MOE },
    { key: "vocab", label: "词表大小 V", min: 1 },
    { key: "tied", label: "输出层与输入嵌入共享" },
    { key: "lm_head", label: "有输出层（语言模型头）" },
    { key: "causal", label: "解码器（逐 token 生成）" },
    { key: "bias", label: "注意力与 FFN 的线性层带偏置" },
    { key: "norm", label: "归一化", options: { rmsnorm: "RMSNorm（只有权重）", layernorm: "LayerNorm（权重 + 偏置）" } },
    { key: "positions", label: "可学习的位置嵌入行数（RoPE 为 0）", min: 0 },
    { key: "segments", label: "片段嵌入行数（BERT 为 2）", min: 0 },
    { key: "embed_norm", label: "嵌入之后有归一化" },
    { key: "final_norm", label: "最后一层之后有归一化" },
    { key: "pooler", label: "有池化层（BERT 的 [CLS]）" },
  ];
  // Shown first in each calculator; the other structure fields are folded away (they still count).
  const PRIMARY = {
    params: ["n_layers", "d_model", "n_heads", "attention", "n_kv_heads", "d_head", "ffn", "d_ff", "n_experts",
      "top_k", "n_shared_experts", "expert_d_ff", "vocab", "tied"],
    memory: ["n_layers", "d_model", "n_heads"],
    "kv-cache": ["n_layers", "n_heads", "attention", "n_kv_heads", "d_head", "kv_lora_rank", "rope_head_dim"],
  };
  const ZERO = { 0: "不切分（普通数据并行）", 1: "ZeRO-1：切分优化器状态", 2: "ZeRO-2：再切分梯度", 3: "ZeRO-3：再切分参数" };
  const DTYPES = { fp32: "fp32（4 字节）", bf16: "bf16/fp16（2 字节）", fp8: "fp8/int8（1 字节）", int4: "int4（0.5 字节）" };
  const SCENARIO = [
    { key: "tokens", label: "训练 token 数 D", min: 1, calcs: ["params"] },
    { key: "train_seq", label: "训练序列长度 T", min: 1, calcs: ["params", "memory"] },
    { key: "context", label: "推理上下文长度（token）", min: 1, calcs: ["params", "kv-cache"] },
    { key: "precision", label: "训练精度（Adam）", options: "precisions", calcs: ["memory"] },
    { key: "zero_stage", label: "ZeRO 阶段", options: ZERO, number: true, calcs: ["memory"] },
    { key: "n_gpus", label: "数据并行卡数 N", min: 1, calcs: ["memory"] },
    { key: "micro_batch", label: "每卡 micro-batch b", min: 1, calcs: ["memory"] },
    { key: "checkpointing", label: "激活检查点（每层重算）", calcs: ["memory"] },
    { key: "kv_dtype", label: "KV Cache 精度", options: DTYPES, calcs: ["kv-cache"] },
    { key: "weight_dtype", label: "推理权重精度", options: DTYPES, calcs: ["kv-cache"] },
    { key: "serve_gpus", label: "推理卡数", min: 1, calcs: ["kv-cache"] },
    { key: "gpu_memory_gib", label: "每卡显存（GiB）", min: 0, real: true, calcs: ["kv-cache"] },
  ];

  let widgets = 0;

  function presetState(key) {
    const preset = data.presets[key];
    const { train_seq, context } = preset.config;
    return { ...data.scenario, ...preset.config, train_seq, context };
  }

  function field(def, id, value, calc) {
    const wrap = document.createElement("div");
    wrap.className = "kb-calc-field";
    wrap.dataset.key = def.key;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = def.label;
    let input;
    if (def.options) {
      input = document.createElement("select");
      const options = def.options === "precisions"
        ? Object.fromEntries(Object.entries(data.precisions).map(([k, p]) => [k, p.label]))
        : def.options;
      for (const [v, text] of Object.entries(options)) input.add(new Option(text, v));
      input.value = String(value);
    } else if (typeof value === "boolean") {
      input = document.createElement("input");
      input.type = "checkbox";
      input.checked = value;
      wrap.classList.add("kb-calc-check");
    } else {
      input = document.createElement("input");
      input.type = "number";
      input.min = String(def.min ?? 0);
      input.step = def.real ? "any" : "1";
      input.inputMode = def.real ? "decimal" : "numeric";
      input.value = String(value);
    }
    input.id = id;
    input.name = def.key;
    input.dataset.calc = calc;
    wrap.append(label, input);
    if (input.type === "checkbox") wrap.append(label); // the box first, then its label
    return wrap;
  }

  /** The value of one input, or undefined if it is not a valid entry for its field. */
  function read(input, def) {
    if (input.type === "checkbox") return input.checked;
    if (input.tagName === "SELECT") return def.number ? Number(input.value) : input.value;
    const value = input.valueAsNumber;
    const ok = Number.isFinite(value) && value >= (def.min ?? 0) && (def.real || Number.isInteger(value));
    return ok ? value : undefined;
  }

  function build(details) {
    const calc = details.dataset.calc;
    const id = `kbc${++widgets}`;
    let state = presetState(details.dataset.preset);
    const body = details.querySelector(".kb-calc-body");
    body.replaceChildren();

    const presetRow = document.createElement("div");
    presetRow.className = "kb-calc-preset";
    const presetLabel = document.createElement("label");
    presetLabel.htmlFor = `${id}-preset`;
    presetLabel.textContent = "预设模型";
    const presetSelect = document.createElement("select");
    presetSelect.id = `${id}-preset`;
    presetSelect.className = "kb-calc-preset-select";
    for (const [key, preset] of Object.entries(data.presets)) presetSelect.add(new Option(preset.label, key));
    presetSelect.add(new Option("自定义（已修改）", "custom"));
    presetSelect.value = details.dataset.preset;
    const source = document.createElement("p");
    source.className = "kb-calc-source";
    presetRow.append(presetLabel, presetSelect, source);

    const structure = STRUCTURE.map((def) => ({ def, node: field(def, `${id}-${def.key}`, state[def.key], calc) }));
    const scenario = SCENARIO.filter((def) => calc === "all" || def.calcs.includes(calc))
      .map((def) => ({ def, node: field(def, `${id}-${def.key}`, state[def.key], calc) }));
    const fieldset = (legend, nodes) => {
      const set = document.createElement("fieldset");
      const title = document.createElement("legend");
      title.textContent = legend;
      set.append(title, ...nodes);
      return set;
    };
    const primary = calc === "all" ? STRUCTURE.map((d) => d.key) : PRIMARY[calc];
    const shown = structure.filter((f) => primary.includes(f.def.key)).map((f) => f.node);
    const folded = structure.filter((f) => !primary.includes(f.def.key)).map((f) => f.node);
    const inputs = document.createElement("div");
    inputs.className = "kb-calc-inputs";
    inputs.append(fieldset("模型结构", shown));
    if (folded.length) {
      const more = document.createElement("details");
      more.className = "kb-calc-more";
      const summary = document.createElement("summary");
      summary.textContent = `其余结构参数（${folded.length} 项，同样计入参数量）`;
      more.append(summary, ...folded);
      inputs.lastChild.append(more);
    }
    inputs.append(fieldset(calc === "kv-cache" ? "推理场景" : "场景", scenario.map((f) => f.node)));

    const status = document.createElement("p");
    status.className = "kb-calc-status";
    status.setAttribute("role", "status");
    const results = document.createElement("dl");
    results.className = "kb-calc-results";
    const rows = {};
    for (const [key, out] of Object.entries(OUTPUTS)) {
      if (!out.calcs.includes(calc)) continue;
      const row = document.createElement("div");
      row.className = "kb-calc-row";
      row.dataset.out = key;
      const term = document.createElement("dt");
      term.textContent = out.label;
      const value = document.createElement("span");
      value.className = "kb-calc-value";
      const formula = document.createElement("span");
      formula.className = "kb-calc-formula";
      const desc = document.createElement("dd");
      desc.append(value, formula);
      row.append(term, desc);
      results.append(row);
      rows[key] = { value, formula };
    }
    body.append(presetRow, inputs, status, results);

    const all = [...structure, ...scenario];
    function showPreset() {
      const key = presetSelect.value;
      const preset = data.presets[key];
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
      for (const { def, node } of all) {
        const input = node.querySelector("input, select");
        const value = read(input, def);
        input.setAttribute("aria-invalid", String(value === undefined));
        if (value === undefined) valid = false;
        else state[def.key] = value;
      }
      for (const { def, node } of structure) node.hidden = Boolean(def.when && !def.when(state));
      const problems = [];
      if (!valid) problems.push("标红的输入不是有效的数（需要非负整数）");
      if (MLA(state) && !(state.kv_lora_rank && state.v_head_dim)) problems.push("MLA 的 d_c 与 d_v 至少为 1");
      if (MOE(state) && !(state.top_k && state.expert_d_ff)) problems.push("MoE 的 k 与专家隐藏维度至少为 1");
      if (state.n_experts && state.top_k > state.n_experts) problems.push("k 不能大于专家数 E");
      if (state.n_experts && state.dense_layers > state.n_layers) problems.push("稠密层数不能超过总层数");
      status.textContent = problems.length ? `无法计算：${problems.join("；")}。` : "";
      const outputs = problems.length ? null : compute(state, state, data);
      for (const [key, row] of Object.entries(rows)) {
        const out = outputs?.[key];
        row.value.textContent = out ? out.text : "—";
        row.value.dataset.value = out && out.value !== null ? String(out.value) : "";
        row.formula.textContent = out ? out.formula : "";
      }
    }
    presetSelect.addEventListener("change", () => {
      if (presetSelect.value === "custom") return;
      state = presetState(presetSelect.value);
      for (const { def, node } of all) {
        const input = node.querySelector("input, select");
        if (input.type === "checkbox") input.checked = state[def.key];
        else input.value = String(state[def.key]);
      }
      showPreset();
      update();
    });
    inputs.addEventListener("input", (event) => {
      if (structure.some(({ node }) => node.contains(event.target))) {
        presetSelect.value = "custom";
        showPreset();
      }
      update();
    });
    showPreset();
    update();
    details.dataset.kbReady = "1";
  }

  function setup() {
    for (const details of document.querySelectorAll("details.kb-calc:not([data-kb-ready])")) {
      if (details.open) build(details);
      else details.addEventListener("toggle", () => details.open && !details.dataset.kbReady && build(details));
    }
  }

  if (typeof document$ !== "undefined") document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", setup);
})();
