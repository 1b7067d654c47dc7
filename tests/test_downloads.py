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
