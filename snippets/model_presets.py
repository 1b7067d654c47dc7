"""Published configurations of well-known models: the single source of the 计算器 presets
(docs/tools/calculator.md).

hooks/calculator.py writes PRESETS, SCENARIO, PRECISIONS and DTYPE_BYTES into the JavaScript of the
calculators at build time; snippets/model_calc.py computes every preset's reference results from the
same dictionaries with the formulas of the LLM pages. No number here is typed anywhere else.

A configuration (sizes are counts of elements, never bytes):
  family         the site's existing formula that also counts it: bert, gpt2, llama; moe and mla
                 models are checked against transformers on the meta device
  causal         True: a decoder (KV cache, token-by-token decoding); False: an encoder
  n_layers, d_model, n_heads
  n_kv_heads     K/V heads of MHA/GQA/MQA (n_heads: MHA, 1: MQA); unused by MLA
  d_head         width of one query/key head (MLA: its non-RoPE part, qk_nope_head_dim)
  attention      "standard" (MHA/GQA/MQA) or "mla" (DeepSeek-V2, section 2.1)
  q_lora_rank, kv_lora_rank, rope_head_dim, v_head_dim
                 MLA only: d_c' (0: queries not compressed), d_c, d_h^R and the value head width
  ffn            "gelu" (two matrices) or "swiglu" (three)
  d_ff           hidden width of a dense FFN
  n_experts      routed experts per MoE layer (0: a dense model); top_k of them serve each token;
  n_shared_experts, expert_d_ff
                 experts every token goes through, and the hidden width of one expert
  dense_layers   leading layers that keep the dense FFN (DeepSeek-V2: first_k_dense_replace)
  vocab, tied    vocabulary; the output layer shares the input embedding
  lm_head        the model has an output layer over the vocabulary (BERT's BertModel has none)
  bias           biases in the attention and FFN linear layers
  norm           "layernorm" (weight and bias) or "rmsnorm" (weight only)
  positions      rows of a learned absolute position table (0: RoPE, nothing learned)
  segments       rows of BERT's segment (token type) table
  embed_norm, final_norm, pooler
  train_seq      a sequence length it was pre-trained with (the longest one)
  context        the published maximum context length
"""

# --8<-- [start:presets]
_DENSE = dict(
    attention="standard",
    q_lora_rank=0,
    kv_lora_rank=0,
    rope_head_dim=0,
    v_head_dim=0,
    n_experts=0,
    top_k=0,
    n_shared_experts=0,
    expert_d_ff=0,
    dense_layers=0,
    positions=0,
    segments=0,
    embed_norm=False,
    pooler=False,
)
_LLAMA = dict(
    _DENSE,
    family="llama",
    causal=True,
    ffn="swiglu",
    tied=False,
    lm_head=True,
    bias=False,
    norm="rmsnorm",
    final_norm=True,
)

PRESETS = {
    "bert-base": dict(
        label="BERT-base",
        source="Devlin 等，2019，第 3 节（L=12、H=768、A=12）；官方发布的 bert_config.json",
        url="https://huggingface.co/google-bert/bert-base-uncased/blob/main/config.json",
        config=dict(
            _DENSE,
            family="bert",
            causal=False,
            n_layers=12,
            d_model=768,
            n_heads=12,
            n_kv_heads=12,
            d_head=64,
            ffn="gelu",
            d_ff=3072,
            vocab=30522,
            tied=False,
            lm_head=False,
            bias=True,
            norm="layernorm",
            positions=512,
            segments=2,
            embed_norm=True,
            final_norm=False,
            pooler=True,
            train_seq=512,
            context=512,
        ),
    ),
    "gpt-2": dict(
        label="GPT-2（124M）",
        source="Radford 等，2019，表 2 最小的模型（12 层、d=768）；OpenAI 发布的 config.json",
        url="https://huggingface.co/openai-community/gpt2/blob/main/config.json",
        config=dict(
            _DENSE,
            family="gpt2",
            causal=True,
            n_layers=12,
            d_model=768,
            n_heads=12,
            n_kv_heads=12,
            d_head=64,
            ffn="gelu",
            d_ff=3072,
            vocab=50257,
            tied=True,
            lm_head=True,
            bias=True,
            norm="layernorm",
            positions=1024,
            final_norm=True,
            train_seq=1024,
            context=1024,
        ),
    ),
    "llama-2-7b": dict(
        label="LLaMA-2-7B",
        source="Touvron 等，2023（Llama 2），表 1；Meta 发布的 config.json",
        url="https://huggingface.co/meta-llama/Llama-2-7b-hf/blob/main/config.json",
        config=dict(
            _LLAMA,
            n_layers=32,
            d_model=4096,
            n_heads=32,
            n_kv_heads=32,
            d_head=128,
            d_ff=11008,
            vocab=32000,
            train_seq=4096,
            context=4096,
        ),
    ),
    "llama-2-70b": dict(
        label="LLaMA-2-70B（GQA）",
        source="Touvron 等，2023（Llama 2），表 1 与附录 A.2.1（8 个 KV 头）；Meta 发布的 config.json",
        url="https://huggingface.co/meta-llama/Llama-2-70b-hf/blob/main/config.json",
        config=dict(
            _LLAMA,
            n_layers=80,
            d_model=8192,
            n_heads=64,
            n_kv_heads=8,
            d_head=128,
            d_ff=28672,
            vocab=32000,
            train_seq=4096,
            context=4096,
        ),
    ),
    "mixtral-8x7b": dict(
        label="Mixtral-8x7B（MoE）",
        source="Jiang 等，2024（Mixtral of Experts），表 1；Mistral AI 发布的 config.json",
        url="https://huggingface.co/mistralai/Mixtral-8x7B-v0.1/blob/main/config.json",
        config=dict(
            _LLAMA,
            family="moe",
            n_layers=32,
            d_model=4096,
            n_heads=32,
            n_kv_heads=8,
            d_head=128,
            d_ff=14336,
            n_experts=8,
            top_k=2,
            expert_d_ff=14336,
            vocab=32000,
            train_seq=32768,
            context=32768,
        ),
    ),
    "deepseek-v2": dict(
        label="DeepSeek-V2（MLA + MoE）",
        source="DeepSeek-AI，2024（DeepSeek-V2），第 3.1.2 节（词表见 3.1.1 节）；DeepSeek 发布的 config.json",
        url="https://huggingface.co/deepseek-ai/DeepSeek-V2/blob/main/config.json",
        config=dict(
            _LLAMA,
            family="mla",
            attention="mla",
            n_layers=60,
            d_model=5120,
            n_heads=128,
            n_kv_heads=128,
            d_head=128,
            q_lora_rank=1536,
            kv_lora_rank=512,
            rope_head_dim=64,
            v_head_dim=128,
            d_ff=12288,
            n_experts=160,
            top_k=6,
            n_shared_experts=2,
            expert_d_ff=1536,
            dense_layers=1,
            vocab=102400,
            train_seq=4096,
            context=131072,
        ),
    ),
}

# The reader's situation, the same for every preset until edited.
SCENARIO = dict(
    tokens=2_000_000_000_000,  # D, training tokens (Llama 2 was trained on 2T)
    precision="mixed",  # a key of PRECISIONS
    zero_stage=0,  # 0 = plain data parallel; 1, 2, 3 shard more of the model states
    n_gpus=8,  # data-parallel GPUs for training
    micro_batch=1,  # sequences per GPU per step
    checkpointing=False,  # activation checkpointing (recompute every layer in backward)
    kv_dtype="bf16",  # a key of DTYPE_BYTES
    weight_dtype="bf16",
    serve_gpus=8,  # GPUs serving one copy of the model
    gpu_memory_gib=80,  # memory of one GPU
)

# Bytes per parameter when training with Adam: weights, gradients, optimizer states
# (mixed precision: 16-bit weights and gradients, fp32 master weights + momentum + variance;
# ZeRO paper, section 3.1).
PRECISIONS = {
    "mixed": dict(label="混合精度（bf16 + fp32 主权重）", weights=2, grads=2, optimizer=12),
    "fp32": dict(label="全 fp32", weights=4, grads=4, optimizer=8),
    "bf16": dict(label="全 bf16（含优化器状态）", weights=2, grads=2, optimizer=4),
}

DTYPE_BYTES = {"fp32": 4, "bf16": 2, "fp8": 1, "int4": 0.5}
# --8<-- [end:presets]
