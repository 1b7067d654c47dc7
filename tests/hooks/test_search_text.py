"""The words search stores and queries (hooks/search_text.py), the same in Python and in the browser's
search.js, and the records cut from a page."""

import json
import subprocess
from pathlib import Path

import pytest
from search import load_queries

import glossary_terms as gt
import search_text as st

ROOT = Path(__file__).resolve().parents[2]
SEARCH_JS = ROOT / "overrides" / "assets" / "javascripts" / "search.js"
TEXTS = [
    "为什么要除以 √d_k，而不是 d_k 或 d_k 的 1/3 次方？",
    "BN、LN、IN、GN 分别在哪些维度上做归一化？",
    "L1正则 KL散度 BN和LN RoPE位置编码",
    "GPT-3 的 pass@k 与 top-p（0.95）",
    "ＢＥＲＴ 的 ＭＬＭ，全角字母",
    "12·L·d² 与 β2=0.95，ε 很小",
    "model.eval() 与 no_grad、set_epoch",
    "中文\u3000全角空格  和\t制表符",
    "𠀋 扩展区汉字与 emoji 🙂",
]


def run_js(function: str, values: list) -> list:
    """Results of KBSearchWords[function] from search.js, run by Node on each list of arguments (a list
    after the first argument becomes a Set)."""
    program = f"""
    const vm = require("vm");
    const context = {{}};
    vm.createContext(context);
    vm.runInContext(require("fs").readFileSync({json.dumps(str(SEARCH_JS))}, "utf8"), context);
    const values = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const args = (v) => v.map((a, i) => (i > 0 && Array.isArray(a) ? new Set(a) : a));
    process.stdout.write(JSON.stringify(values.map((v) => context.KBSearchWords.{function}(...args(v)))));
    """
    done = subprocess.run(
        ["node", "-e", program], input=json.dumps(values), capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(done.stdout)


def test_chinese_runs_become_overlapping_pairs_and_other_words_stay_whole():
    assert st.query_words("学习率") == ["学习", "习率"]
    assert st.index_words("学习率") == ["学习", "习率", "率〇"]  # the last character starts a word too
    assert st.query_words("熵") == ["熵"]
    assert st.query_words("L1正则") == ["l1", "正则"]
    assert st.query_words("BN和LN") == ["bn", "和", "ln"]
    assert st.query_words("GPT-3参数量") == ["gpt-3", "参数", "数量"]
    assert st.query_words("ＬＳＴＭ门控") == ["lstm", "门控"]  # full-width letters, as an IME may type them
    assert st.query_words("sqrt(dk)，根号") == ["sqrt", "dk", "根号"]
    # one letter followed by more of the query is a whole word, as stored; typed last, it may begin one
    assert st.query_words("O(N)显存") == ["o〇", "n〇", "显存"]
    assert st.index_words("O(N)")[0::2] == ["O〇", "N〇"]  # Pagefind lower-cases what it stores
    assert st.query_words("k折 p") == ["k〇", "折", "p"]


def test_each_chinese_character_is_stored_once_weighted_by_its_count():
    assert st.character_words("学习率与学习 L1正则") == {1: ["率〆", "与〆", "正〆", "则〆"], 2: ["学〆", "习〆"]}
    assert st.character_words("正则", title="正则化", title_weight=3) == {3: ["化〆"], 4: ["正〆", "则〆"]}
    assert st.character_words("卡" * 12) == {10: ["卡〆"]}  # at most `most`
    assert st.character_words("BERT 𠀋") == {}  # only Chinese characters (𠀋, extension B, is not in HAN)
    # normalised (Pagefind's normalising, imitated) keeps 〆, a letter; that Pagefind itself stores 卡〆
    # as one word: test_search_index.test_pagefind_stores_each_character_as_one_word
    assert st.normalised("卡〆") == "卡〆"


def test_search_js_searches_a_query_by_the_characters_as_stored():
    # its topic's characters (not 和, 的 … which every text has), each followed by the stored mark
    found = run_js("characters", [["训练一个7B要多少卡"], ["BN和LN"], ["学习率的学习"]])
    assert found == [[c + st.CHARACTER for c in chars] for chars in ("训练一个要多少卡", "", "学习率")]


def test_stored_words_give_back_the_text_as_written():
    for text in TEXTS:
        assert st.shown_text(st.index_words(text)) == " ".join(text.split())
    words = st.index_words("标题") + [st.SYNONYMS_MARK] + st.index_words("title")
    assert st.shown_text(words) == "标题"  # synonyms are searched, never shown


def test_search_js_cuts_queries_and_shows_text_exactly_as_python():
    queries = [q.text for q in load_queries()] + TEXTS
    assert run_js("queryWords", [[q] for q in queries]) == [st.query_words(q) for q in queries]
    stored = [st.index_words(t) for t in TEXTS]
    assert run_js("shownText", [[w] for w in stored]) == [st.shown_text(w) for w in stored]
    # highlighting a stored pair marks both of its characters
    marked = run_js("shownText", [[st.index_words("我们用学习率预热"), [3]]])  # 学习 is the fourth word
    assert marked == ["我们用<mark>学习</mark>率预热"]
    # a character matched by itself (卡〆) is highlighted wherever it is, without the next character
    marked = run_js("shownText", [[st.index_words("显卡不够，卡住了"), [], 0, ["卡"]]])
    assert marked == ["显<mark>卡</mark>不够，<mark>卡</mark>住了"]


def test_formulas_are_searched_by_their_tex():
    assert st.tex_text(r"\frac{QK^T}{\sqrt{d_k}}") == "QK T √d_k"
    assert st.tex_text(r"\sum_{i=1}^{d_k} q_i k_i") == "Σ i=1 d_k q_i k_i"
    assert st.tex_text(r"\beta_2") == "β_2"


ARTICLE = """
<h1 id="attention">注意力机制</h1>
<p class="kb-reviewed" data-search-exclude>最后核对：2026-11-30</p>
<p>开篇的一段话。</p>
<h2 id="why-scale" class="q-title">为什么要除以 √d_k？<a class="headerlink" href="#why-scale">#</a>
<kb-badges data-search-exclude><span>进阶</span></kb-badges></h2>
<p>点积的<strong>方差</strong>是 <span class="arithmatex"><span class="katex"><span class="katex-mathml"><math><semantics>
<mrow><mi>d</mi></mrow><annotation encoding="application/x-tex">d_k</annotation></semantics></math></span>
<kb-math-visual data-search-exclude><span class="katex-html">d k</span></kb-math-visual></span></span>。</p>
<div class="arithmatex"><span class="katex-display"><span class="katex"><span class="katex-mathml"><math><semantics>
<mrow></mrow><annotation encoding="application/x-tex">\\beta_2</annotation></semantics></math></span></span></span></div>
<pre><code>print("代码不进索引")</code></pre>
<details data-search-exclude><summary>输出</summary><p>输出不进索引</p></details>
<h2 id="_1">相关条目</h2><ul><li><a href="x/">别的页面的题目</a></li></ul>
"""


def test_a_page_becomes_its_introduction_and_one_record_per_question():
    records = st.records(ARTICLE, "transformer/attention/", "注意力机制", "页面简介。", {"相关条目", "参考文献"})
    intro, question = records
    assert intro == st.Record("transformer/attention/", "注意力机制", "注意力机制", "页面简介。 开篇的一段话。", "")
    assert question.url == "transformer/attention/#why-scale"
    assert question.title == "为什么要除以 √d_k？"
    assert question.text == "点积的方差是 d_k 。"  # the formula once, by its TeX; no code, output, badges
    assert question.keys == "方差" and intro.keys == ""  # bold terms: what the answer is about
    assert question.formulas == "β_2"  # displayed formulas: searched, not shown


def test_other_names_come_from_the_glossary_the_terms_and_the_symbols(tmp_path):
    (tmp_path / "a.yml").write_text("- term: LN\n  full: Layer Normalization\n  zh: 层归一化\n", encoding="utf-8")
    (tmp_path / "terms.txt").write_text("梯度裁剪 | gradient clipping\n", encoding="utf-8")
    (tmp_path / "symbols.txt").write_text("√ 根号 sqrt\nβ beta 贝塔\n", encoding="utf-8")
    finder = gt.SynonymFinder(gt.load_glossary(tmp_path) + gt.load_terms(tmp_path / "terms.txt"))
    symbols = st.load_symbols(tmp_path / "symbols.txt")
    assert st.other_names("用 LN 做梯度裁剪", finder, symbols) == [
        "Layer Normalization",
        "层归一化",
        "gradient clipping",
    ]
    assert st.other_names("除以 √d_k，β2 设为 0.95", finder, symbols) == ["dk", "根号", "sqrt", "beta", "贝塔", "beta2"]
    assert st.other_names("12·L·d²", finder, symbols) == ["d2"]


@pytest.mark.parametrize(
    ("loader", "text"),
    [(st.load_symbols, "√\n"), (st.load_symbols, "√ 根号\n√ sqrt\n"), (gt.load_terms, "梯度裁剪\n")],
)
def test_malformed_synonym_files_name_the_line(tmp_path, loader, text):
    path = tmp_path / "f.txt"
    path.write_text("# comment\n" + text, encoding="utf-8")
    with pytest.raises((st.SymbolsError, gt.GlossaryError), match=r"f\.txt:[23]:"):
        loader(path)


def test_normalised_words_match_pagefind_and_only_letter_words_are_spelling_candidates():
    assert st.normalised("GPT-3") == "gpt3"
    assert st.normalised("d_k，") == "d_k"
    assert st.is_latin_word("transformer") and st.is_latin_word("fp16")
    assert not st.is_latin_word("2048") and not st.is_latin_word("ln") and not st.is_latin_word("注意力")
