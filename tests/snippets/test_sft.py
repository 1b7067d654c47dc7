import torch
import torch.nn.functional as F

import sft as S


def test_response_only_labels_hide_prompt_and_padding():
    ids = torch.arange(20).view(2, 10)
    mask = torch.ones_like(ids)
    mask[1, 8:] = 0
    labels = S.response_only_labels(ids, [3, 6], mask)
    assert (labels[0, :3] == -100).all() and (labels[0, 3:] == ids[0, 3:]).all()
    assert (labels[1, :6] == -100).all() and (labels[1, 6:8] == ids[1, 6:8]).all() and (labels[1, 8:] == -100).all()


def test_sft_loss_equals_cross_entropy_and_transformers():
    model = S.tiny_llama()
    torch.manual_seed(3)
    ids = torch.randint(0, 100, (2, 9))
    labels = S.response_only_labels(ids, [2, 5])
    with torch.no_grad():
        out = model(input_ids=ids, labels=labels)
    # independent: flatten the shifted logits and use F.cross_entropy's own ignore_index
    ref = F.cross_entropy(out.logits[:, :-1].reshape(-1, 100), labels[:, 1:].reshape(-1), ignore_index=-100)
    assert torch.allclose(S.sft_loss(out.logits, labels), ref, atol=1e-6)
    assert torch.allclose(S.sft_loss(out.logits, labels), out.loss, atol=1e-6)


def test_per_sample_mean_weights_samples_equally():
    logits = torch.zeros(2, 5, 4)
    logits[0, :, 0] = 5.0  # sample 0 is confidently right about token 0
    labels = torch.tensor([[0, 0, 0, 0, 0], [-100, -100, -100, 1, 1]])
    nll, mask = S.per_token_nll(logits, labels)
    assert mask.sum(1).tolist() == [4, 2]
    token_mean = nll.sum() / mask.sum()
    sample_mean = (nll[0].sum() / 4 + nll[1].sum() / 2) / 2
    assert torch.isclose(S.sft_loss(logits, labels), token_mean)
    assert torch.isclose(S.sft_loss_per_sample_mean(logits, labels), sample_mean)


def test_chat_template_assistant_mask_and_prefix():
    tok = S.tiny_chat_tokenizer(["hi there", "hello you"])
    chat = [{"role": "user", "content": "hi there"}, {"role": "assistant", "content": "hello you"}]
    enc = tok.apply_chat_template(chat, tokenize=True, return_dict=True, return_assistant_tokens_mask=True)
    tokens = tok.convert_ids_to_tokens(enc["input_ids"])
    assert [t for t, m in zip(tokens, enc["assistant_masks"]) if m] == ["hello", "you", "<|im_end|>"]
    prompt = tok.apply_chat_template(chat[:1], tokenize=True, add_generation_prompt=True, return_dict=True)
    assert enc["input_ids"][: len(prompt["input_ids"])] == prompt["input_ids"]
    assert tokens[len(prompt["input_ids"]) - 1] == "assistant"


def test_block_causal_mask_matches_definition():
    _, _, seg = S.pack([torch.zeros(2, dtype=torch.long), torch.zeros(3, dtype=torch.long)])
    m = S.block_causal_mask(seg)[0, 0]
    for i in range(5):
        for j in range(5):
            assert bool(m[i, j]) == (j <= i and seg[i] == seg[j])


def test_packed_forward_equals_separate_forwards():
    model = S.tiny_llama(seed=1)
    torch.manual_seed(4)
    samples = [torch.randint(0, 100, (n,)) for n in (4, 6, 2)]
    ids, pos, seg = S.pack(samples)
    assert pos[0].tolist() == [0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 0, 1]
    with torch.no_grad():
        separate = torch.cat([model(input_ids=s[None]).logits[0] for s in samples])
        packed = model(input_ids=ids, position_ids=pos, attention_mask=S.block_causal_mask(seg)).logits[0]
        naive = model(input_ids=ids).logits[0]
    assert torch.allclose(packed, separate, atol=1e-5)
    assert not torch.allclose(naive, separate, atol=1e-3)


def test_replay_reduces_forgetting():
    r = S.forgetting_experiment(0.1)
    assert r["after A"][0] > 0.9
    assert r["then B only"][0] < r["after A"][0] - 0.2
    assert r["then B + replay"][0] > r["then B only"][0] + 0.15
