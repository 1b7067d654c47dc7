// Build-time markup of the calculators (计算器), run by hooks/calculator.py once per page with node.
// stdin: {data: {presets, scenario, precisions, dtypeBytes}, widgets: [{calc, preset, id}]};
// stdout: a JSON list with the HTML body of each widget: the preset menu, the inputs of that
// calculator filled with the preset, and its results (value and formula) computed by
// calc-formulas.js, the same code the page runs when the reader edits an input. The page is
// complete before any script runs: calculator.js only wires the events (no layout shift, no long
// task at load; Lighthouse on a phone), and readers without JavaScript still see the preset's numbers.
"use strict";
const { readFileSync } = require("node:fs");
const { OUTPUTS, compute, presetState, SHOWN_WHEN } = require("../overrides/assets/javascripts/calc-formulas.js");

// Model structure: every field of a configuration (snippets/model_presets.py documents them).
// `when` names a predicate of calc-formulas.js SHOWN_WHEN: the field is hidden while it is false.
const STRUCTURE = [
  { key: "n_layers", label: "层数 L", min: 1 },
  { key: "d_model", label: "隐藏维度 d", min: 1 },
  { key: "n_heads", label: "查询头数 h", min: 1 },
  { key: "attention", label: "注意力", options: { standard: "MHA / GQA / MQA", mla: "MLA（缓存潜向量）" } },
  { key: "n_kv_heads", label: "KV 头数 g（= h 为 MHA，1 为 MQA）", min: 1, when: "standard" },
  { key: "d_head", label: "每头维度 d_h", min: 1 },
  { key: "kv_lora_rank", label: "MLA：KV 潜向量维度 d_c", min: 0, when: "mla" },
  { key: "rope_head_dim", label: "MLA：解耦 RoPE 维度 d_R", min: 0, when: "mla" },
  { key: "q_lora_rank", label: "MLA：查询压缩维度 d_c′（0 为不压缩）", min: 0, when: "mla" },
  { key: "v_head_dim", label: "MLA：每头值维度 d_v", min: 0, when: "mla" },
  { key: "ffn", label: "FFN 类型", options: { swiglu: "SwiGLU（三个矩阵）", gelu: "GELU（两个矩阵）" } },
  { key: "d_ff", label: "FFN 隐藏维度 d_ff", min: 1 },
  { key: "n_experts", label: "MoE：路由专家数 E（0 为稠密模型）", min: 0 },
  { key: "top_k", label: "MoE：每个 token 选 k 个专家", min: 0, when: "moe" },
  { key: "n_shared_experts", label: "MoE：共享专家数", min: 0, when: "moe" },
  { key: "expert_d_ff", label: "MoE：专家隐藏维度", min: 0, when: "moe" },
  { key: "dense_layers", label: "MoE：前几层保留稠密 FFN", min: 0, when: "moe" },
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
// `number`: a menu whose value is a number; `real`: a number field that takes decimals.
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

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
/** Text or an attribute value, HTML-escaped. */
const esc = (value) => String(value).replace(/[&<>"]/g, (c) => ESCAPES[c]);
const attrs = (pairs) => Object.entries(pairs).filter(([, v]) => v !== false && v !== undefined)
  .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${esc(v)}"`)).join("");
const menu = (options, chosen) => Object.entries(options)
  .map(([v, text]) => `<option${attrs({ value: v, selected: v === String(chosen) })}>${esc(text)}</option>`).join("");

/** One labelled input of field `def` holding `value`; hidden when its SHOWN_WHEN predicate fails. */
function field(def, id, value, state, data) {
  const hidden = Boolean(def.when && !SHOWN_WHEN[def.when](state));
  const check = typeof value === "boolean";
  const wrap = attrs({ class: check ? "kb-calc-field kb-calc-check" : "kb-calc-field", "data-key": def.key,
    "data-when": def.when, hidden });
  const label = `<label for="${id}">${esc(def.label)}</label>`;
  if (check) return `<div${wrap}><input${attrs({ type: "checkbox", id, name: def.key, checked: value })}>${label}</div>`;
  if (def.options) {
    const options = def.options === "precisions"
      ? Object.fromEntries(Object.entries(data.precisions).map(([k, p]) => [k, p.label]))
      : def.options;
    const select = attrs({ id, name: def.key, "data-number": Boolean(def.number) });
    return `<div${wrap}>${label}<select${select}>${menu(options, value)}</select></div>`;
  }
  const input = attrs({ type: "number", id, name: def.key, min: def.min ?? 0, step: def.real ? "any" : "1",
    inputmode: def.real ? "decimal" : "numeric", value });
  return `<div${wrap}>${label}<input${input}></div>`;
}

/** The body of widget `calc` (a key of OUTPUTS' calcs) showing preset `presetKey`; ids start with `id`. */
function body(calc, presetKey, id, data) {
  const preset = data.presets[presetKey];
  const state = presetState(data, presetKey);
  const presets = { ...Object.fromEntries(Object.entries(data.presets).map(([k, p]) => [k, p.label])),
    custom: "自定义（已修改）" };
  const presetRow = `<div class="kb-calc-preset"><label for="${id}-preset">预设模型</label>`
    + `<select id="${id}-preset" class="kb-calc-preset-select">${menu(presets, presetKey)}</select>`
    + `<p class="kb-calc-source">配置出处：<a href="${esc(preset.url)}">${esc(preset.source)}</a></p></div>`;

  const primary = calc === "all" ? STRUCTURE.map((d) => d.key) : PRIMARY[calc];
  const node = (def) => field(def, `${id}-${def.key}`, state[def.key], state, data);
  const folded = STRUCTURE.filter((d) => !primary.includes(d.key));
  const more = folded.length
    ? `<details class="kb-calc-more"><summary>其余结构参数（${folded.length} 项，同样计入参数量）</summary>`
      + `${folded.map(node).join("")}</details>`
    : "";
  const scenario = SCENARIO.filter((d) => calc === "all" || d.calcs.includes(calc));
  const inputs = `<div class="kb-calc-inputs">`
    + `<fieldset><legend>模型结构</legend>${STRUCTURE.filter((d) => primary.includes(d.key)).map(node).join("")}${more}</fieldset>`
    + `<fieldset><legend>${calc === "kv-cache" ? "推理场景" : "场景"}</legend>${scenario.map(node).join("")}</fieldset></div>`;

  const outputs = compute(state, state, data);
  const rows = Object.entries(OUTPUTS).filter(([, out]) => out.calcs.includes(calc)).map(([key, out]) => {
    const { value, text, formula } = outputs[key];
    return `<div class="kb-calc-row" data-out="${key}"><dt>${esc(out.label)}</dt><dd>`
      + `<span class="kb-calc-value" data-value="${value === null ? "" : esc(value)}">${esc(text)}</span>`
      + `<span class="kb-calc-formula">${esc(formula)}</span></dd></div>`;
  });
  return `${presetRow}${inputs}<p class="kb-calc-status" role="status"></p>`
    + `<dl class="kb-calc-results">${rows.join("")}</dl>`;
}

const { data, widgets } = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(widgets.map(({ calc, preset, id }) => body(calc, preset, id, data))));
