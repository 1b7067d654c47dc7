"""How hooks/search_index.py hands records to Pagefind and prepares its bundle."""

import base64
import copy
import dataclasses
import gzip
import json
import re
import subprocess

import cbor2
import pytest

import glossary_terms as gt
import search_index as si
import search_text as st

MODULE = 'const pagefind_version="1.5.2";let x=import.meta.url;function search(){return 1}function createInstance(){}\nexport{createInstance,search};'


def test_pagefind_js_becomes_a_classic_script_that_defines_kbpagefind(tmp_path):
    classic = si.classic_script(MODULE)
    assert "export" not in classic and "import.meta" not in classic
    script = tmp_path / "p.js"
    script.write_text(classic + "\nconsole.log(typeof KBPagefind.search, Object.keys(KBPagefind).join());")
    out = subprocess.run(["node", str(script)], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "function createInstance,search"


@pytest.mark.parametrize(
    "module",
    [
        "function search(){}",  # no export list
        "export{search};",  # an export list without createInstance
        'import x from "./x.js";export{createInstance};',  # a static import
        "const m=await import('./x.js');export{createInstance};",  # a dynamic import
    ],
)
def test_a_changed_pagefind_js_fails_the_build_with_a_message(module):
    with pytest.raises(si.BundleChanged, match="pagefind.js"):
        si.classic_script(module)


def test_record_urls_are_written_into_the_path_pagefind_returns():
    assert si.record_path("transformer/attention/#why-scale") == "q/transformer/attention/~why-scale/index.html"
    assert si.record_path("transformer/attention/") == "q/transformer/attention/index.html"
    assert si.record_path("") == "q/index.html"
    assert si.record_path("transformer/attention.html#why") == "q/transformer/attention.html/~why/index.html"


def test_a_record_is_stored_with_its_synonyms_after_the_mark(tmp_path):
    (tmp_path / "a.yml").write_text("- term: LN\n  full: Layer Normalization\n  zh: 层归一化\n", encoding="utf-8")
    finder = gt.SynonymFinder(gt.load_glossary(tmp_path))
    record = st.Record(
        "dl/normalization/#why-ln", "为什么用 LN？", "归一化", "因为 LN 与 batch 无关。", "β_2", keys="层归一化"
    )
    stored = si.stored_record(record, finder, {"β": ["beta"]})
    assert st.shown_text(stored.title.split(" ")) == "为什么用 LN？"
    assert stored.names == " ".join(st.index_words("Layer Normalization 层归一化"))  # what the title means
    text = stored.text.split(" ")
    assert st.shown_text(text) == "因为 LN 与 batch 无关。"
    assert text[text.index(st.SYNONYMS_MARK) + 1 :] == st.index_words("Layer Normalization 层归一化 beta beta_2 β_2")
    # each Chinese character once, weighted by its count (a time in the title counts TITLE_WEIGHT times)
    once, in_title = "因〆 与〆 无〆 关〆 层〆 归〆 一〆 化〆", "什〆 么〆 用〆"  # 为 is in both
    assert stored.characters == ((1, once), (si.TITLE_WEIGHT, in_title), (si.TITLE_WEIGHT + 1, "为〆"))
    page = si.record_html(stored)
    assert f'<h1 data-pagefind-meta="title" data-pagefind-weight="{si.TITLE_WEIGHT}">' in page
    assert '<p data-pagefind-meta="page">归一 一化 化〇</p>' in page
    assert f'<p data-pagefind-meta="names">{stored.names}</p>' in page
    assert '<p data-pagefind-meta="keys">层归 归一 一化 化〇</p>' in page  # the answer's bold terms
    assert f'<p data-pagefind-weight="{si.TITLE_WEIGHT + 1}">为〆</p></main>' in page  # searched like the text
    assert re.search(r'<html lang="en">.*<main data-pagefind-body>', page)


def test_the_vocabulary_lists_letter_words_most_widespread_first():
    records = [
        st.Record("a", "Transformer attention", "", "GPT-3 attention 2048"),
        st.Record("b", "attention", "", "注意力"),
    ]
    assert si.vocabulary(records) == ["attention", "gpt3", "transformer"]


def test_offline_every_index_file_is_also_a_script(tmp_path):
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "en_1.pf_index").write_bytes(b"\x00\x01binary")
    (tmp_path / "pagefind.js").write_text("classic")
    si.write_file_scripts(tmp_path)
    script = (tmp_path / "index" / "en_1.pf_index.js").read_text()
    name, data = re.fullmatch(r'kbSearchFile\("([^"]+)","([^"]+)"\);\n', script).groups()
    assert name == "index/en_1.pf_index" and base64.b64decode(data) == b"\x00\x01binary"
    assert not (tmp_path / "pagefind.js.js").exists()


def test_prune_keeps_only_what_search_js_reads(tmp_path):
    for name in ["pagefind.js", "pagefind-ui.js", "pagefind-worker.js", "wasm.en.pagefind", "wasm.unknown.pagefind",
                 "pagefind-entry.json", "pagefind.en_1.pf_meta", "words.json", "index/a.pf_index",
                 "fragment/b.pf_fragment", "pagefind-component-ui.css"]:  # fmt: skip
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x")
    si.prune(tmp_path)
    kept = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert kept == ["fragment/b.pf_fragment", "index/a.pf_index", "pagefind-entry.json", "pagefind.en_1.pf_meta",
                    "pagefind.js", "wasm.en.pagefind", "words.json"]  # fmt: skip


PAGEFIND_RECORDS = [
    st.Record("a/#one", "注意力为什么除以根号 d_k？", "注意力", "点积的方差随 d_k 增大。"),
    st.Record("b/#two", "LayerNorm 和 BatchNorm 的区别", "归一化", "LN 在特征维上归一化。"),
    st.Record("c/", "学习率", "优化器", "学习率预热 warmup。"),
]


@pytest.fixture
def pagefind_output(tmp_path):
    """Pagefind's output (pruned) for three small records, as on_post_build writes it."""
    folder = tmp_path / "search"
    si.write_index(PAGEFIND_RECORDS, folder, gt.SynonymFinder([]), {})
    si.prune(folder)
    return folder


def unpacked(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): gzip.decompress(p.read_bytes()) for p in folder.rglob("*.pf_*")}


def test_records_and_chunks_get_short_names_that_the_page_list_gives(pagefind_output):
    folder = pagefind_output
    listed = si.page_list(folder)
    _, old_path, before = copy.deepcopy(listed)
    files_before = unpacked(folder)
    si.short_names(folder, listed)
    _, new_path, after = si.page_list(folder)
    assert new_path != old_path and not old_path.exists()
    build = old_path.name.split("_")[1][:4]
    assert [p[0] for p in after[1]] == [f"{build}/{n:x}" for n in range(3)]
    assert [c[2] for c in after[2]] == [f"{build}/{n:x}" for n in range(len(before[2]))]
    assert [p[1] for p in after[1]] == [p[1] for p in before[1]]  # word counts kept
    assert [c[:2] for c in after[2]] == [c[:2] for c in before[2]]  # chunk bounds kept
    files_after = unpacked(folder)
    for old, new in zip(before[1], after[1], strict=True):  # each record's file moved whole to its new name
        assert files_after[f"fragment/{new[0]}.pf_fragment"] == files_before[f"fragment/{old[0]}.pf_fragment"]
    for old, new in zip(before[2], after[2], strict=True):
        assert files_after[f"index/{new[2]}.pf_index"] == files_before[f"index/{old[2]}.pf_index"]
    assert len(files_after) == len(files_before)  # nothing left under an old name


@pytest.mark.parametrize(
    "meta",
    [
        gzip.compress(b"pagefind_dcd" + b"\xa0"),  # CBOR, but a map
        gzip.compress(b"pagefind_dcd" + b"\x83\x651.5.2\x80\x80"),  # an array too short
        gzip.compress(b"pagefind_dcd" + b"\x83\x01"),  # an array cut short
        gzip.compress(b"not pagefind"),
        b"pagefind_dcd\x80",  # not gzip
    ],
)
def test_a_changed_page_list_fails_the_build_with_a_message(tmp_path, meta):
    (tmp_path / "pagefind-entry.json").write_text('{"languages":{"en":{"hash":"en_0123456789"}}}')
    (tmp_path / "pagefind.en_0123456789.pf_meta").write_bytes(meta)
    with pytest.raises(si.BundleChanged, match="page list"):
        si.page_list(tmp_path)


def test_recompressed_files_unpack_to_the_same_bytes_and_are_smaller(pagefind_output):
    folder = pagefind_output
    sizes = {p: p.stat().st_size for p in folder.rglob("*") if si._RECOMPRESSED.search(p.name)}
    files = unpacked(folder)
    wasm = gzip.decompress((folder / "wasm.en.pagefind").read_bytes())
    si.recompress(folder)
    assert unpacked(folder) == files
    assert gzip.decompress((folder / "wasm.en.pagefind").read_bytes()) == wasm
    assert all(p.stat().st_size <= n for p, n in sizes.items())
    assert sum(p.stat().st_size for p in sizes) < sum(sizes.values())


def records(folder) -> dict[str, dict]:
    """Each record's file in `folder`, decoded, by its id (its name in fragment/)."""
    return {
        n.removeprefix("fragment/").removesuffix(".pf_fragment"): json.loads(data[len(si._SIGNATURE) :])
        for n, data in unpacked(folder).items()
        if n.startswith("fragment/")
    }


def records_by_url(folder) -> dict[str, dict]:
    """Each record's file in `folder`, decoded, by its URL."""
    return {f["url"]: f for f in records(folder).values()}


def lengths(folder, pages) -> dict[str, int]:
    """Each record's word count in `pages` (rows [id, count] of the page list of `folder`), by its URL."""
    urls = {page: f["url"] for page, f in records(folder).items()}
    return {urls[page]: n for page, n in pages}


def test_records_keep_the_text_shown_and_their_length_without_characters(pagefind_output, tmp_path, monkeypatch):
    """The record files lose what only search reads (synonyms, characters), and the page list, by
    whose word counts Pagefind's BM25 divides, holds the counts Pagefind itself gives the same records
    built without their character words: the characters leave the ranking of the text's words alone."""
    folder = pagefind_output
    listed = si.page_list(folder)
    pages = listed.meta[1]
    before, counted = records_by_url(folder), lengths(folder, pages)
    stored = si.stored_record
    monkeypatch.setattr(si, "stored_record", lambda *a: dataclasses.replace(stored(*a), characters=()))
    without = tmp_path / "without"
    si.write_index(PAGEFIND_RECORDS, without, gt.SynonymFinder([]), {})
    assert all(st.CHARACTER in f["content"] for f in before.values())  # Pagefind stored the characters

    si.cut_search_only_words(folder, pages)
    after, plain = records_by_url(folder), records_by_url(without)
    plain_lengths = lengths(without, si.page_list(without).meta[1])
    assert lengths(folder, pages) == plain_lengths != counted
    assert {u: f["word_count"] for u, f in after.items()} == plain_lengths
    # record a has a synonym (dk for d_k) after the mark; b and c have none
    assert st.SYNONYMS_MARK in plain["/q/a/~one/"]["content"] and st.SYNONYMS_MARK not in plain["/q/c/"]["content"]
    assert {u: f["content"] for u, f in after.items()} == {
        u: f["content"].split(" \ue000")[0] for u, f in plain.items()
    }
    shown = sorted(st.shown_text(f["content"].split(" ")) for f in after.values())  # the title's words, then the text's
    assert shown == ["LayerNorm 和 BatchNorm 的区别LN 在特征维上归一化。", "学习率学习率预热 warmup。",
                     "注意力为什么除以根号 d_k？点积的方差随 d_k 增大。"]  # fmt: skip
    rest = {"content", "word_count"}
    assert [{k: v for k, v in f.items() if k not in rest} for f in after.values()] == [
        {k: v for k, v in before[u].items() if k not in rest} for u in after
    ]
    si.short_names(folder, listed)  # writes the page list as the cut left it
    assert lengths(folder, si.page_list(folder).meta[1]) == plain_lengths


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (gzip.compress(b'pagefind_dcd{"text": "x"}'), "JSON object with content"),
        (b"pagefind_dcd{}", "cannot be read"),  # not gzip
        (None, "cannot be read"),  # missing
        (gzip.compress('pagefind_dcd{"content": "学习 习〇\ue000 dk"}'.encode()), "cannot be cut"),  # mark joined
    ],
)
def test_a_changed_record_file_fails_the_build_with_a_message(tmp_path, record, message):
    (tmp_path / "pagefind-entry.json").write_text('{"languages":{"en":{"hash":"en_0123456789"}}}')
    meta = cbor2.dumps(["1.5.2", [["a", 3]], [["学习", "习〇", "c"]], [], [], []])
    (tmp_path / "pagefind.en_0123456789.pf_meta").write_bytes(gzip.compress(si._SIGNATURE + meta))
    (tmp_path / "fragment").mkdir()
    if record is not None:
        (tmp_path / "fragment" / "a.pf_fragment").write_bytes(record)
    with pytest.raises(si.BundleChanged, match=f"a.pf_fragment.*{message}"):
        si.cut_search_only_words(tmp_path, si.page_list(tmp_path).meta[1])


def test_pagefind_stores_each_character_as_one_word(pagefind_output):
    # an index chunk is gzip of the signature and CBOR: [[[word, [[page, positions, …]]…]…]…]
    words = {
        entry[0]
        for data in (gzip.decompress(p.read_bytes()) for p in (pagefind_output / "index").glob("*.pf_index"))
        for entry in cbor2.loads(data[len(si._SIGNATURE) :])[0]
    }
    assert {"注〆", "方〆", "学〆", "注意", "学习"} <= words
    assert not [w for w in words if len(w) == 1]  # no character alone: it would be a prefix of pairs
