"""Unit tests of the glossary loader and writers."""

import re

import pytest

import glossary_terms as gt


def write(folder, name, text):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_load_sorts_entries_and_collects_names(tmp_path):
    write(tmp_path, "a.yml", "- term: LN\n  full: Layer Normalization\n  zh: 层归一化\n  aliases: [LayerNorm]\n")
    write(tmp_path, "b.yml", "- term: BN\n  full: Batch Normalization\n  zh: 批归一化\n")
    entries = gt.load_glossary(tmp_path)
    assert [e.term for e in entries] == ["BN", "LN"]
    assert entries[1].names == ("LN", "Layer Normalization", "层归一化", "LayerNorm")
    assert (
        gt.abbreviation_lines(entries)
        == "*[BN]: Batch Normalization（批归一化）\n*[LN]: Layer Normalization（层归一化）"
    )


def test_duplicate_term_names_both_places(tmp_path):
    write(tmp_path, "a.yml", "- term: KL\n  full: Kullback-Leibler\n")
    write(tmp_path, "b.yml", "\n- term: KL\n  full: Kullback–Leibler divergence\n")
    with pytest.raises(gt.GlossaryError, match=r"b.yml:2: term 'KL' is already defined at .*a.yml:1"):
        gt.load_glossary(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- term: X\n  ful: typo\n", "unknown keys"),
        ("- term: X\n  full: Y\n  aliases: Z\n", "must be a list"),
        ("term: X\n", "YAML list"),
        ("- term: [unclosed\n", "invalid YAML"),
    ],
)
def test_bad_entries_fail_with_file_and_line(tmp_path, text, message):
    write(tmp_path, "bad.yml", text)
    with pytest.raises(gt.GlossaryError, match=rf"bad.yml:\d+: .*{message}"):
        gt.load_glossary(tmp_path)


def test_glossary_page_has_front_matter_and_a_row_per_entry():
    page = gt.glossary_page([gt.Entry("AUC", "Area Under the Curve", "曲线下面积", ("ROC 曲线下面积",))])
    assert page.startswith("---\ntitle: 术语表\ndescription: ")
    assert "| **AUC** | Area Under the Curve | 曲线下面积 | ROC 曲线下面积 |" in page


def test_mentions_matches_whole_latin_words_and_chinese_substrings():
    assert gt.mentions("用 LayerNorm 归一化", "layernorm")
    assert not gt.mentions("BNLN", "BN")
    assert gt.mentions("层归一化的作用", "层归一化")


def test_synonyms_adds_the_other_names_of_mentioned_terms_only():
    ln = gt.Entry("LN", "Layer Normalization", "层归一化", ("LayerNorm",))
    bn = gt.Entry("BN", "Batch Normalization", "批归一化")
    assert gt.synonyms("为什么 NLP 用 LayerNorm", [ln, bn]) == ["LN", "Layer Normalization", "层归一化"]
    assert gt.synonyms("无关文本", [ln, bn]) == []


def test_synonyms_take_the_longest_name_that_is_a_whole_word():
    gpt, gpt3 = gt.Entry("GPT", "Generative Pre-trained Transformer", "生成式预训练"), gt.Entry("GPT-3", "GPT-3", "")
    bert = gt.Entry("BERT", "Bidirectional Encoder Representations from Transformers", "")
    finder = gt.SynonymFinder([gpt, gpt3, bert])
    assert finder.latin.findall("gpt-3 与 BERT") == ["gpt-3", "BERT"]
    assert finder.latin.findall("GPT-3x 和 BERTology") == ["GPT"]  # GPT-3 is glued to x, GPT is not
    assert finder.latin.findall("xGPT") == []


def test_prefix_tree_matches_exactly_the_names():
    pattern = re.compile(f"(?:{gt.prefix_tree(['ab', 'abc', 'b.d', 'x'])})$", re.I)
    assert [w for w in ["ab", "ABC", "b.d", "x", "a", "abcd", "bxd", ""] if pattern.match(w)] == [
        "ab",
        "ABC",
        "b.d",
        "x",
    ]


def test_only_the_first_tooltip_of_a_term_in_each_section_is_kept():
    ffn = '<abbr title="Feed-Forward Network">FFN</abbr>'
    page = f"<p>{ffn} and {ffn}, {ffn}.</p><h2 id=a>Q</h2><p>{ffn} again, then {ffn}</p><h2>R</h2><p>no term</p>"
    out = gt.first_abbreviations(page)
    assert out == (f"<p>{ffn} and FFN, FFN.</p><h2 id=a>Q</h2><p>{ffn} again, then FFN</p><h2>R</h2><p>no term</p>")


def test_different_terms_and_different_tooltips_each_keep_their_first():
    a, b = '<abbr title="x">A</abbr>', '<abbr title="y">A</abbr>'
    assert gt.first_abbreviations(f"{a}{b}{a}{b}") == f"{a}{b}AA"
