"""One home per answer: no answer is written out twice across pages (hooks/answer_twins.py).

A new near-duplicate fails here. Keep one full answer; make the other two or three sentences and a link
to it. Pairs a person has judged to be different questions that share vocabulary are listed in
RELATED_NOT_TWINS with the reason; add one only after reading both answers.
"""

import logging

import jieba

import answer_twins as at
from conftest import ROOT

jieba.setLogLevel(logging.ERROR)


def pair(a: str, b: str) -> frozenset[str]:
    return frozenset({a, b})


RELATED_NOT_TWINS: dict[frozenset[str], str] = {
    pair(
        "llm/peft.md#full-ft-vs-lora-memory", "llm/training-memory.md#mixed-precision-adam-16-bytes"
    ): "full fine-tuning vs LoRA vs QLoRA memory restates the 16-byte total in one clause and links to its home",
    pair(
        "llm/preference-optimization.md#dpo-derivation", "llm/rlhf.md#reward-model-bradley-terry"
    ): "DPO's derivation starts from the Bradley–Terry model that the reward-model answer explains",
    pair(
        "llm/preference-optimization.md#dpo-derivation", "llm/rlhf.md#alignment-tax-ppo-ptx"
    ): "both write the KL-regularised RLHF objective: one derives DPO from it, one adds the pre-training term",
    pair(
        "llm/preference-optimization.md#dpo-derivation", "llm/sft.md#sft-objective"
    ): "log-likelihood of responses under the policy appears in both; different objectives",
    pair(
        "llm/preference-optimization.md#grpo-objective-vs-ppo", "llm/rlhf.md#ppo-clipped-objective"
    ): "GRPO's objective keeps PPO's clipped ratio (explained at its home) and changes the advantage and the KL",
    pair(
        "llm/rlhf.md#reward-model-bradley-terry", "llm/sft.md#sft-objective"
    ): "a pairwise reward loss vs the next-token loss on responses; shared vocabulary (prompt, response, loss)",
    pair(
        "llm/rlhf.md#alignment-tax-ppo-ptx", "llm/sft.md#sft-objective"
    ): "PPO-ptx mixes the pre-training loss into RL; the SFT answer contrasts SFT with pre-training",
    pair(
        "dl/normalization.md#batchnorm-train-vs-inference", "pytorch/train-eval.md#train-vs-eval-mode"
    ): "what the mode switch changes in every module (BN, Dropout, gradients) vs how BN computes in each "
    "mode; train-eval links to the BN home for the details",
    pair(
        "dl/normalization.md#pre-ln-vs-post-ln", "transformer/architecture.md#add-and-norm-post-ln-vs-pre-ln"
    ): "Add & Norm's own answer (residual, where dropout sits, the two formulas); the Pre/Post-LN comparison "
    "there is two sentences and a link to the home in normalization.md",
    pair(
        "llm/decoder-block.md#llama-block-vs-original-transformer",
        "transformer/architecture.md#add-and-norm-post-ln-vs-pre-ln",
    ): "LLaMA's block lists every change (RMSNorm, SwiGLU, RoPE, GQA, no bias); Add & Norm explains one sublayer",
    pair(
        "llm/decoding.md#decoding-strategies-overview", "transformer/architecture.md#beam-search"
    ): "an overview of all decoding strategies vs how beam search is implemented; the overview links to beam search",
    pair(
        "llm/scaling.md#inference-flops-per-token", "transformer/efficient-attention.md#kv-cache-size"
    ): "compute per token vs memory per token; both name the context length and the KV heads",
    pair(
        "llm/quantization.md#int8-quantization", "plm/deployment.md#deploy-model-in-3gb"
    ): "how int8 quantization works vs a deployment scenario that lists quantization among its steps",
    pair(
        "ml/evaluation.md#roc-vs-pr-imbalance", "ml/imbalanced-data.md#imbalanced-accuracy-misleading"
    ): "ROC vs PR under imbalance vs why accuracy misleads; both use the same always-negative example",
    pair(
        "ml/loss-entropy.md#softmax-cross-entropy-gradient", "plm/distillation.md#kd-t-squared-factor"
    ): "the p − y gradient, and the T² factor that the same gradient at temperature T motivates",
    pair(
        "transformer/architecture.md#padding-mask-and-causal-mask",
        "transformer/attention.md#scaled-dot-product-attention",
    ): "masks have their home in architecture.md; scaled dot-product attention mentions them in two sentences",
    pair(
        "transformer/architecture.md#transformer-parallelization", "transformer/attention.md#self-attention-vs-rnn-cnn"
    ): "how the whole model parallelises in training and inference vs a comparison of layer types (Table 1)",
    pair(
        "plm/bert-family.md#nezha-improvements", "plm/bert.md#bert-absolute-vs-relative-position"
    ): "what NEZHA added vs the kinds of position embedding; both link to positional-encoding.md for NEZHA's formula",
    pair(
        "plm/ar-vs-ae.md#transformer-xl-relative-position", "plm/bert-family.md#deberta-disentangled-attention-emd"
    ): "Transformer-XL's relative attention vs DeBERTa's disentangled attention: different models, shared terms",
    pair(
        "plm/ar-vs-ae.md#transformer-xl-relative-position",
        "transformer/positional-encoding.md#absolute-vs-relative-position",
    ): "why segment recurrence needs relative positions (the home) vs absolute vs relative in general, which links to it",
}


def words(text: str) -> list[str]:
    return [w for w in jieba.lcut(text) if w.strip()]


def site_answers() -> list[at.Answer]:
    docs = ROOT / "docs"
    return [
        a for p in sorted(docs.glob("*/*.md")) for a in at.answers(p.read_text("utf-8"), p.relative_to(docs).as_posix())
    ]


def test_no_answer_is_written_twice_across_pages():
    found = [
        f"docs/{a.page}:{a.line} and docs/{b.page}:{b.line} ({why})"
        for a, b, why in at.twins(site_answers(), words)
        if frozenset({a.key, b.key}) not in RELATED_NOT_TWINS
    ]
    assert found == [], (
        "answers written twice — keep one home, shorten the other to a summary and a link:\n" + "\n".join(found)
    )


def test_every_judged_pair_still_exists():
    keys = {a.key for a in site_answers()}
    assert [pair for pair in RELATED_NOT_TWINS if not pair <= keys] == []


TWIN_A = """## BN 在训练和推理时有什么不同？ {#bn-a level=基础}

训练时 BatchNorm 用当前 mini-batch 的均值和方差归一化，同时用指数滑动平均更新 running_mean 与 running_var；
推理时不再看 batch，改用训练中累积的 running 统计量，所以结果与 batch 大小无关、单个样本也能推理。
momentum 默认 0.1，忘记调用 model.eval() 会让推理结果随 batch 变化。
"""
TWIN_B = """## BatchNorm 在训练和评估模式下分别怎么算？ {#bn-b level=基础}

训练模式下 BatchNorm 使用当前 mini-batch 的均值与方差做归一化，并以指数滑动平均更新 running_mean、running_var；
评估模式下改用累积的 running 统计量，与 batch 大小无关，单个样本也能推理。忘记 model.eval() 会让结果随 batch 变化。
"""
OTHER = """## Dropout 为什么要除以 1-p？ {#dropout level=基础}

Inverted dropout 在训练时把保留下来的单元放大 1/(1-p)，使激活的期望与推理时一致；推理时什么都不做。
原始论文的做法是训练时不缩放、推理时把权重乘以 1-p，两者期望相同。
"""
SUMMARY = """## BatchNorm 在训练和评估模式下分别怎么算？ {#bn-c level=基础}

训练用 batch 统计量并更新 running 统计量，评估用 running 统计量；详见[BN 的训练与推理](../dl/n.md#bn-a)。
"""


def test_a_retold_answer_is_a_twin_and_a_summary_with_a_link_is_not():
    a = at.answers(TWIN_A, "dl/n.md")[0]
    b = at.answers(TWIN_B, "pytorch/t.md")[0]
    other = at.answers(OTHER, "ml/r.md")[0]
    summary = at.answers(SUMMARY, "pytorch/s.md")[0]
    found = {frozenset({x.key, y.key}) for x, y, _ in at.twins([a, b, other, summary], words)}
    assert frozenset({a.key, b.key}) in found
    assert not any(other.key in pair for pair in found)
    assert summary.links_to == {"dl/n.md"} and not any(summary.key in pair for pair in found)


def test_a_pasted_passage_is_a_twin_whatever_the_rest():
    passage = "训练时 BatchNorm 用当前 mini-batch 的均值和方差归一化，同时用指数滑动平均更新统计量。"
    a = at.answers(OTHER.replace("原始论文", passage + "原始论文"), "ml/r.md")[0]
    b = at.answers(f"## 另一题？ {{#x level=基础}}\n\n{passage}{'完全不同的内容，' * 20}\n", "dl/x.md")[0]
    (pair,) = at.twins([a, b], words)
    assert "share a passage" in pair[2]


def test_the_same_html_placeholder_does_not_make_answers_twins():
    widget = '<div class="kb-calc" data-calc="params" data-preset="llama-2-7b" markdown="0"></div>\n'
    a = at.answers(OTHER.replace("原始论文", widget + "\n原始论文"), "ml/r.md")[0]
    b = at.answers(TWIN_A.replace("评估模式", widget + "\n评估模式"), "dl/n.md")[0]
    assert "kb-calc" not in a.prose and "llama" not in b.prose
    assert at.twins([a, b], words) == []
