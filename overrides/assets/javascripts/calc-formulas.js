// The formulas of the calculators (计算器), pure: no DOM. The JavaScript twin of
// snippets/model_structure.py and snippets/model_calc.py, written in the same order of operations;
// tests/test_js_units.py checks both give the same numbers for every preset and for edited
// configurations, tests/browser/test_calculator.py checks the page against the build's output.
// Sources of the formulas: parameter counts per module (docs/llm/decoder-block.md), 6ND and the
// exact forward/decode FLOPs (docs/llm/scaling.md), model states under ZeRO and activations
// (Korthikanti et al. 2022, docs/llm/training-memory.md), KV cache (docs/transformer/efficient-attention.md).
((root) => {
  "use strict";
  const GIB = 2 ** 30;

  // ---------------------------------------------------------------- formatting (Chinese UI)
  const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
  /** `n` with thousands separators and at most `decimals` decimals, trailing zeros dropped
      (1234.5 -> "1,234.5"). Not Intl.NumberFormat: its first use loads locale data, about 70 ms of
      main thread on a phone (Lighthouse, 4x CPU slowdown). */
  function grouped(n, decimals) {
    const size = Math.abs(n);
    if (!Number.isFinite(n) || size >= 1e21) return String(n);
    // half up on the number as written (2.675 -> 2.68), as Intl does: on the digits of its shortest
    // decimal form, not on the binary value (toFixed gives 2.67)
    const [written, writtenFraction = ""] = size < 1e-6 ? ["0"] : String(size).split(".");
    let digits = written + writtenFraction.slice(0, decimals).padEnd(decimals, "0");
    if (writtenFraction[decimals] >= "5") digits = String(BigInt(digits) + 1n).padStart(digits.length, "0");
    const whole = digits.slice(0, digits.length - decimals) || "0";
    const kept = digits.slice(digits.length - decimals).replace(/0+$/, "");
    const sign = n < 0 && /[1-9]/.test(digits) ? "-" : "";
    return `${sign}${whole.replace(/\B(?=(\d{3})+$)/g, ",")}${kept ? `.${kept}` : ""}`;
  }
  /** 6738415616 -> "6,738,415,616"; non-integers keep up to 2 decimals. */
  const int = (n) => grouped(n, 2);
  /** 3 significant digits: 8.086e22 -> "8.09 × 10²²", small numbers as int(). */
  function sci(n) {
    if (Math.abs(n) < 1e6) return int(n);
    const [mantissa, exponent] = n.toExponential(2).split("e");
    return `${mantissa} × 10${String(Number(exponent)).replace(/./g, (c) => SUPERSCRIPT[c])}`;
  }
  const round = (n, digits = 3) => grouped(Number(n.toPrecision(digits)), 3);
  /** A count of parameters: "67.4 亿（6.74B）". */
  function count(n) {
    if (n >= 1e8) return `${round(n / 1e8)} 亿（${round(n / 1e9)}B）`;
    if (n >= 1e4) return `${round(n / 1e4)} 万（${round(n / 1e6)}M）`;
    return int(n);
  }
  /** Bytes: "107.8 GB（100.4 GiB）", small sizes in KiB/MiB. */
  function bytes(n) {
    if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB（${(n / GIB).toFixed(1)} GiB）`;
    if (n >= 2 ** 20) return `${round(n / 2 ** 20)} MiB`;
    if (n >= 2 ** 10) return `${round(n / 2 ** 10)} KiB`;
    return `${int(n)} B`;
  }
  const flops = (n) => `${sci(n)} FLOPs`;

  // ---------------------------------------------------------------- structure (model_structure.py)
  const linear = (nIn, nOut, bias) => nIn * nOut + (bias ? nOut : 0);

  function attentionParams(c) {
    const d = c.d_model;
    const h = c.n_heads;
    if (c.attention === "mla") {
      const qWidth = h * (c.d_head + c.rope_head_dim);
      const q = c.q_lora_rank ? d * c.q_lora_rank + c.q_lora_rank * qWidth : d * qWidth;
      const kv = d * (c.kv_lora_rank + c.rope_head_dim) + c.kv_lora_rank * h * (c.d_head + c.v_head_dim);
      return q + kv + h * c.v_head_dim * d;
    }
    const qWidth = h * c.d_head;
    const kvWidth = c.n_kv_heads * c.d_head;
    return linear(d, qWidth, c.bias) + 2 * linear(d, kvWidth, c.bias) + linear(qWidth, d, c.bias);
  }

  function ffnParams(c, hidden, bias = false) {
    const d = c.d_model;
    if (c.ffn === "swiglu") return 2 * linear(d, hidden, bias) + linear(hidden, d, bias);
    return linear(d, hidden, bias) + linear(hidden, d, bias);
  }

  const moeLayers = (c) => (c.n_experts ? c.n_layers - c.dense_layers : 0);

  function paramBreakdown(c) {
    const d = c.d_model;
    const L = c.n_layers;
    const norm = c.norm === "layernorm" ? 2 * d : d;
    const latentNorms = c.attention === "mla" ? c.q_lora_rank + c.kv_lora_rank : 0;
    const nMoe = moeLayers(c);
    const expert = ffnParams(c, c.expert_d_ff);
    return {
      embeddings: (c.vocab + c.positions + c.segments) * d,
      attention: L * attentionParams(c),
      ffn: (L - nMoe) * ffnParams(c, c.d_ff, c.bias) + nMoe * c.n_shared_experts * expert,
      experts: nMoe * c.n_experts * expert,
      router: nMoe * c.n_experts * d,
      norms: L * (2 * norm + latentNorms) + (c.embed_norm ? norm : 0) + (c.final_norm ? norm : 0),
      output: c.lm_head && !c.tied ? c.vocab * d : 0,
      pooler: c.pooler ? linear(d, d, true) : 0,
    };
  }

  const idleExpertParams = (c) => moeLayers(c) * (c.n_experts - c.top_k) * ffnParams(c, c.expert_d_ff);

  function matmulParams(c) {
    const d = c.d_model;
    const nMoe = moeLayers(c);
    const usedExperts = c.top_k + c.n_shared_experts;
    return (
      c.n_layers * attentionParams({ ...c, bias: false }) +
      (c.n_layers - nMoe) * ffnParams(c, c.d_ff) +
      nMoe * (c.n_experts * d + usedExperts * ffnParams(c, c.expert_d_ff)) +
      (c.lm_head ? c.vocab * d : 0)
    );
  }

  const attentionWidth = (c) =>
    c.attention === "mla" ? (c.n_heads * (c.d_head + c.rope_head_dim + c.v_head_dim)) / 2 : c.n_heads * c.d_head;
  const decodeAttentionWidth = (c) =>
    c.attention === "mla" ? (c.n_heads * (2 * c.kv_lora_rank + c.rope_head_dim)) / 2 : attentionWidth(c);

  // ---------------------------------------------------------------- the site's formulas
  const forwardFlops = (nMatmul, L, seq, dAttn) => 2 * nMatmul * seq + 4 * L * seq ** 2 * dAttn; // scaling.py
  const decodeFlops = (nMatmul, L, context, dAttn) => 2 * nMatmul + 4 * L * context * dAttn; // scaling.py
  const trainFlops = (n, tokens) => 6 * n * tokens; // scaling.py
  const activationBytesPerLayer = (s, b, h, a) => s * b * h * (34 + (5 * a * s) / h); // training_memory.py
  function modelStateBytes(n, gpus, stage, k, paramBytes, gradBytes) {
    // training_memory.py, ZeRO paper section 3.1
    let params = paramBytes * n;
    let grads = gradBytes * n;
    let optim = k * n;
    if (stage >= 1) optim /= gpus;
    if (stage >= 2) grads /= gpus;
    if (stage >= 3) params /= gpus;
    return params + grads + optim;
  }
  function activationBytes(c, seq, batch, checkpointing) {
    const layer = activationBytesPerLayer(seq, batch, c.d_model, c.n_heads);
    return checkpointing ? (c.n_layers - 1) * 2 * seq * batch * c.d_model + layer : c.n_layers * layer;
  }
  function kvBytesPerToken(c, dtypeBytes) {
    if (c.attention === "mla") return (c.kv_lora_rank + c.rope_head_dim) * c.n_layers * dtypeBytes; // gqa.py
    return 2 * c.n_layers * c.n_kv_heads * c.d_head * dtypeBytes; // gqa.py
  }

  // ---------------------------------------------------------------- outputs
  /** Label and calculators of every output, in display order (the keys of model_calc.reference). */
  const OUTPUTS = {
    params_total: { label: "总参数量", calcs: ["params", "memory", "all"] },
    params_active: { label: "每个 token 的激活参数", calcs: ["params", "all"] },
    params_embeddings: { label: "其中：嵌入", calcs: ["params", "all"] },
    params_attention: { label: "其中：注意力", calcs: ["params", "all"] },
    params_ffn: { label: "其中：FFN（含专家与路由器）", calcs: ["params", "all"] },
    params_other: { label: "其中：归一化、输出层与其他", calcs: ["params", "all"] },
    matmul_params: { label: "参与矩阵乘法的参数（每 token）", calcs: ["params", "all"] },
    train_flops_6nd: { label: "训练计算量：6ND", calcs: ["params", "all"] },
    train_flops_exact: { label: "训练计算量：逐项计数（矩阵乘法 + 注意力）", calcs: ["params", "all"] },
    infer_flops_per_token: { label: "推理：上下文满时一个 token 的 FLOPs", calcs: ["params", "all"] },
    mem_weights: { label: "每卡：权重", calcs: ["memory", "all"] },
    mem_grads: { label: "每卡：梯度", calcs: ["memory", "all"] },
    mem_optimizer: { label: "每卡：优化器状态", calcs: ["memory", "all"] },
    mem_states: { label: "每卡：模型状态合计", calcs: ["memory", "all"] },
    act_full: { label: "每卡激活（L 层，不含输出层）：不做检查点", calcs: ["memory", "all"] },
    act_ckpt: { label: "每卡激活（L 层，不含输出层）：每层检查点", calcs: ["memory", "all"] },
    mem_total: { label: "每卡合计（模型状态 + 所选激活）", calcs: ["memory", "all"] },
    kv_per_token: { label: "KV Cache：每个 token", calcs: ["kv-cache", "all"] },
    kv_per_request: { label: "KV Cache：每个请求（满上下文）", calcs: ["kv-cache", "all"] },
    serve_weights: { label: "推理权重", calcs: ["kv-cache", "all"] },
    max_requests: { label: "能同时服务的请求数", calcs: ["kv-cache", "all"] },
  };

  /**
   * Every output for configuration `c` and scenario `s` (snippets/model_presets.py) with the
   * precision tables `data` ({precisions, dtypeBytes}). Returns {key: {value, text, formula}}:
   * value is the raw number (parameters, FLOPs, bytes, requests; null where it does not apply),
   * text its human form, formula the formula with the reader's numbers substituted.
   */
  function compute(c, s, data) {
    const seq = s.train_seq;
    const context = s.context;
    const L = c.n_layers;
    const d = c.d_model;
    const parts = paramBreakdown(c);
    const total = Object.values(parts).reduce((a, b) => a + b, 0);
    const idle = idleExpertParams(c);
    const active = total - idle;
    const nMm = matmulParams(c);
    const width = attentionWidth(c);
    const forward = forwardFlops(nMm, L, seq, width);
    const p = data.precisions[s.precision];
    const n = s.n_gpus;
    const stage = s.zero_stage;
    const out = {};
    const put = (key, value, text, formula) => {
      out[key] = { value, text, formula };
    };
    const mla = c.attention === "mla";
    const norm = c.norm === "layernorm" ? "LayerNorm 2d" : "RMSNorm d";

    put("params_total", total, count(total),
      `嵌入 ${int(parts.embeddings)} + 注意力 ${int(parts.attention)} + FFN ${int(parts.ffn + parts.experts + parts.router)}` +
      ` + 其他 ${int(parts.norms + parts.output + parts.pooler)} = ${int(total)}`);
    put("params_active", active, count(active), c.n_experts
      ? `总参数 − 每层闲置的 (E − k) 个专家 = ${int(total)} − ${moeLayers(c)} 层 × (${c.n_experts} − ${c.top_k}) × ` +
        `${int(ffnParams(c, c.expert_d_ff))} = ${int(active)}`
      : `稠密模型：每个 token 用到全部 ${int(total)} 个参数`);
    put("params_embeddings", parts.embeddings, count(parts.embeddings),
      `(词表 ${int(c.vocab)} + 位置 ${int(c.positions)} + 片段 ${int(c.segments)}) × d ${int(d)} = ${int(parts.embeddings)}`);
    const attnText = mla
      ? `L ${L} × [查询 ${c.q_lora_rank ? `d·d_c′ + d_c′·h(d_h + d_R)` : "d·h(d_h + d_R)"} + d(d_c + d_R) + d_c·h(d_h + d_v) + h·d_v·d]` +
        ` = ${L} × ${int(attentionParams(c))}`
      : `L ${L} × [Q、O：2 × ${int(d)} × ${c.n_heads}·${c.d_head} + K、V：2 × ${int(d)} × ${c.n_kv_heads}·${c.d_head}` +
        `${c.bias ? " + 偏置" : ""}] = ${L} × ${int(attentionParams(c))}`;
    put("params_attention", parts.attention, count(parts.attention), `${attnText} = ${int(parts.attention)}`);
    const matrices = c.ffn === "swiglu" ? 3 : 2;
    const nMoe = moeLayers(c);
    const ffnText = c.n_experts
      ? `稠密层 ${L - nMoe} × ${int(ffnParams(c, c.d_ff, c.bias))} + MoE 层 ${nMoe} × [路由器 ${c.n_experts} × ${int(d)} + ` +
        `(${c.n_experts} 个专家 + ${c.n_shared_experts} 个共享专家) × ${matrices} × ${int(d)} × ${int(c.expert_d_ff)}]`
      : `L ${L} × ${matrices} × d ${int(d)} × d_ff ${int(c.d_ff)}${c.bias ? " + 偏置" : ""}`;
    put("params_ffn", parts.ffn + parts.experts + parts.router, count(parts.ffn + parts.experts + parts.router),
      `${ffnText} = ${int(parts.ffn + parts.experts + parts.router)}`);
    put("params_other", parts.norms + parts.output + parts.pooler, count(parts.norms + parts.output + parts.pooler),
      `归一化（每层 2 个 ${norm}${mla ? "，MLA 潜向量各 1 个" : ""}）${int(parts.norms)} + 输出层 ` +
      `${c.lm_head ? (c.tied ? "0（与嵌入共享）" : `V × d = ${int(parts.output)}`) : "0（无）"} + pooler ${int(parts.pooler)}`);
    put("matmul_params", nMm, count(nMm),
      `每 token 乘到的权重：注意力投影 + ${c.n_experts ? "路由器与 k + 共享专家" : "FFN"} + 输出层（不含嵌入查表、归一化、偏置）= ${int(nMm)}`);
    put("train_flops_6nd", trainFlops(active, s.tokens), flops(trainFlops(active, s.tokens)),
      `6 × N ${int(active)} × D ${int(s.tokens)} = ${sci(trainFlops(active, s.tokens))}`);
    const exact = 3 * forward * (s.tokens / seq);
    put("train_flops_exact", exact, flops(exact),
      `3 × (2 × N_mm ${int(nMm)} × T ${int(seq)} + 4 × L ${L} × T² × d_attn ${int(width)}) × D ${int(s.tokens)} ÷ T = ${sci(exact)}`);
    if (c.causal) {
      const dw = decodeAttentionWidth(c);
      const perToken = decodeFlops(nMm, L, context, dw);
      put("infer_flops_per_token", perToken, flops(perToken),
        `2 × N_mm ${int(nMm)} + 4 × L ${L} × 上下文 ${int(context)} × d_attn ${int(dw)}${mla ? "（MLA 吸收权重：h(2d_c + d_R)/2）" : ""} = ${sci(perToken)}`);
    } else {
      const perToken = forwardFlops(nMm, L, context, width) / context;
      put("infer_flops_per_token", perToken, flops(perToken),
        `编码器一次前向 ÷ T：(2 × ${int(nMm)} × ${int(context)} + 4 × ${L} × ${int(context)}² × ${int(width)}) ÷ ${int(context)} = ${sci(perToken)}`);
    }
    const shard = (on, what) => (on ? ` ÷ ${n} 卡（ZeRO-${stage} 切分${what}）` : "");
    const weights = (p.weights * total) / (stage >= 3 ? n : 1);
    const grads = (p.grads * total) / (stage >= 2 ? n : 1);
    const optimizer = (p.optimizer * total) / (stage >= 1 ? n : 1);
    put("mem_weights", weights, bytes(weights), `${p.weights} 字节 × ${int(total)}${shard(stage >= 3, "参数")} = ${int(weights)} B`);
    put("mem_grads", grads, bytes(grads), `${p.grads} 字节 × ${int(total)}${shard(stage >= 2, "梯度")} = ${int(grads)} B`);
    put("mem_optimizer", optimizer, bytes(optimizer),
      `${p.optimizer} 字节（Adam）× ${int(total)}${shard(stage >= 1, "优化器状态")} = ${int(optimizer)} B`);
    const states = modelStateBytes(total, n, stage, p.optimizer, p.weights, p.grads);
    put("mem_states", states, bytes(states), `权重 + 梯度 + 优化器状态 = ${int(states)} B`);
    const b = s.micro_batch;
    const layer = `${int(seq)} × ${b} × ${int(d)} × (34 + 5 × ${c.n_heads} × ${int(seq)} ÷ ${int(d)})`;
    const full = activationBytes(c, seq, b, false);
    const ckpt = activationBytes(c, seq, b, true);
    put("act_full", full, bytes(full), `L × sbh(34 + 5as/h) = ${L} × ${layer} = ${int(full)} B`);
    put("act_ckpt", ckpt, bytes(ckpt),
      `(L − 1) × 2sbh + 一层的 sbh(34 + 5as/h) = ${L - 1} × 2 × ${int(seq)} × ${b} × ${int(d)} + ${layer} = ${int(ckpt)} B`);
    const total_ = states + (s.checkpointing ? ckpt : full);
    put("mem_total", total_, bytes(total_),
      `模型状态 ${int(states)} + 激活（${s.checkpointing ? "检查点" : "不做检查点"}）${int(s.checkpointing ? ckpt : full)} = ${int(total_)} B`);
    const weightBytes = data.dtypeBytes[s.weight_dtype];
    const serve = total * weightBytes;
    put("serve_weights", serve, bytes(serve), `${int(total)} × ${weightBytes} 字节 = ${int(serve)} B`);
    if (!c.causal) {
      for (const key of ["kv_per_token", "kv_per_request", "max_requests"]) {
        put(key, null, "不适用", "编码器一次读入整段输入，不逐 token 生成，没有 KV Cache");
      }
      return out;
    }
    const kvBytes = data.dtypeBytes[s.kv_dtype];
    const perToken = kvBytesPerToken(c, kvBytes);
    put("kv_per_token", perToken, bytes(perToken), mla
      ? `(d_c ${c.kv_lora_rank} + d_R ${c.rope_head_dim}) × L ${L} × ${kvBytes} 字节 = ${int(perToken)} B`
      : `2（K 与 V）× L ${L} × KV 头 ${c.n_kv_heads} × d_h ${c.d_head} × ${kvBytes} 字节 = ${int(perToken)} B`);
    const perRequest = perToken * context;
    put("kv_per_request", perRequest, bytes(perRequest), `${int(perToken)} B × 上下文 ${int(context)} = ${int(perRequest)} B`);
    const free = s.gpu_memory_gib * GIB * s.serve_gpus - serve;
    const requests = Math.max(0, Math.floor(free / perRequest));
    put("max_requests", requests, `${int(requests)} 个`,
      `⌊(${s.gpu_memory_gib} GiB × ${s.serve_gpus} 卡 − 权重 ${int(serve)} B) ÷ 每请求 ${int(perRequest)} B⌋ = ${int(requests)}` +
      (free < 0 ? "（权重就放不下）" : ""));
    return out;
  }

  /** The inputs of preset `key` of `data` (calc-data.js): the default scenario overridden by the
      preset's configuration, which carries its own train_seq and context. */
  const presetState = (data, key) => ({ ...data.scenario, ...data.presets[key].config });

  /** When a structure field applies (hooks/calc_markup.js names these on each field): the others hide. */
  const SHOWN_WHEN = {
    standard: (c) => c.attention !== "mla",
    mla: (c) => c.attention === "mla",
    moe: (c) => c.n_experts > 0,
  };

  const api = { OUTPUTS, compute, presetState, SHOWN_WHEN, paramBreakdown, matmulParams, format: { int, sci, count, bytes } };
  root.kbCalcFormulas = api;
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : window);
