"""Files readers download from each version of the site: the Anki deck."""

import re
import sqlite3
import zipfile

import pytest

import page_rules
from conftest import ROOT

pytestmark = pytest.mark.slow


def test_anki_deck_has_one_note_per_question_with_answers_formulas_and_topic_tags(built_site, tmp_path):
    deck = built_site.site / "downloads" / "ml-nlp-interview.apkg"
    with zipfile.ZipFile(deck) as archive:
        archive.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    notes = db.execute("select flds, tags from notes").fetchall()
    questions = [
        q
        for p in (ROOT / "docs").glob("*/*.md")
        for q in page_rules.find_questions(p.read_text(encoding="utf-8"), str(p))[0]
    ]
    assert len(notes) == len(questions)
    fronts = {fields.split("\x1f")[0] for fields, _ in notes}
    assert any("除以 √d_k" in front for front in fronts)
    backs = [fields.split("\x1f")[1] for fields, _ in notes]
    assert all(len(re.sub(r"<[^>]+>", "", back).strip()) > 20 for back in backs)  # a real answer each
    assert any("\\(" in back for back in backs) and not any("katex" in back for back in backs)
    topics = {
        f"主题::{t}"
        for t in ("PyTorch_工程", "机器学习基础", "深度学习基础", "NLP_基础", "Transformer", "预训练语言模型")
    }
    note_topics = [set(tags.split()) & topics for _, tags in notes]
    assert all(len(found) == 1 for found in note_topics)  # every note is tagged with its one topic
    assert {t for found in note_topics for t in found} == topics


def test_pdf_is_printed_from_the_whole_site(built_site):
    pdf = (built_site.site / "downloads" / "ml-nlp-interview.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 50, f"only {pages} pages: the print view lost content"


def test_print_view_holds_every_content_page_with_unique_ids(built_site):
    html = (built_site.site / "print" / "index.html").read_text(encoding="utf-8")
    articles = re.findall(r'<article class="md-typeset kb-print-page" id="(p\d+-)top">', html)
    content_pages = [p for p in (ROOT / "docs").glob("*/*.md")]
    assert len(articles) >= len(content_pages)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert "katex" in html and "<svg" in html  # formulas and diagrams come along
    for href in re.findall(r'href="#([^"]+)"', html):
        assert href in ids, f"internal link to a missing anchor #{href}"


def test_offline_bundle_unpacks_to_a_site_that_opens_from_file(built_site, tmp_path):
    with zipfile.ZipFile(built_site.site / "downloads" / "ml-nlp-interview-offline.zip") as archive:
        archive.extractall(tmp_path)
    root = tmp_path / "ml-nlp-interview"
    assert (root / "index.html").exists() and (root / "transformer" / "attention.html").exists()
    assert (root / "search" / "search_index.js").exists()  # the offline plugin's file:// search index
