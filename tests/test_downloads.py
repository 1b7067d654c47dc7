"""Files readers download from each version of the site, checked in the programs they are for:
the Anki deck in Anki's own library, the PDF in a PDF reader's text extraction, the offline bundle
(opened from file:// in tests/browser/test_print_offline.py)."""

import html
import re
import zipfile

import pytest
import yaml
from mkdocs.config import load_config

import katex_math as km
import page_rules
from conftest import ROOT
from questions import topics

pytestmark = pytest.mark.slow


def anki_notes(deck, tmp_path) -> list[tuple[str, str]]:
    """(fields joined by \x1f, tags) of every note, as Anki imports the deck into a fresh collection."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    collection = Collection(str(tmp_path / "fresh.anki2"))
    try:
        request = ImportAnkiPackageRequest(package_path=str(deck), options=ImportAnkiPackageOptions())
        collection.import_anki_package(request)
        notes = [collection.get_note(i) for i in collection.find_notes("")]
        return [("\x1f".join(n.fields), " ".join(n.tags)) for n in notes]
    finally:
        collection.close()


def test_anki_deck_has_one_note_per_question_with_answers_formulas_and_topic_tags(built_site, tmp_path):
    notes = anki_notes(built_site.site / "downloads" / "ml-nlp-interview.apkg", tmp_path)
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
    nav = load_config(str(ROOT / "mkdocs.yml")).nav
    docs = ROOT / "docs"
    asked = {
        p.relative_to(docs).as_posix()
        for p in docs.glob("*/*.md")
        if page_rules.find_questions(p.read_text("utf-8"), "")[0]
    }
    sections = {topic for page, topic in topics(nav).items() if page in asked}
    topic_tags = {"主题::" + "::".join(part.replace(" ", "_") for part in t.split(" · ")) for t in sections}
    assert "主题::大模型::训练" in topic_tags and "主题::Transformer" in topic_tags
    note_topics = [set(tags.split()) & topic_tags for _, tags in notes]
    assert all(len(found) == 1 for found in note_topics)  # every note is tagged with its one topic
    assert {t for found in note_topics for t in found} == topic_tags  # and every topic has notes


def test_anki_cards_use_no_macro_anki_lacks(built_site, tmp_path):
    """Anki's MathJax knows standard TeX only: every formula renders in KaTeX without the site's macros."""
    notes = anki_notes(built_site.site / "downloads" / "ml-nlp-interview.apkg", tmp_path)
    macros = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["extra"][
        "katex_macros"
    ]
    formulas = [
        km.Formula(html.unescape(m.group(1) or m.group(2)), m.group(2) is not None)
        for fields, _ in notes
        for m in re.finditer(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", fields, re.S)
    ]
    assert len(formulas) > 50
    used = {name for f in formulas for name in re.findall(r"\\[A-Za-z]+", f.tex)}
    assert not used & set(macros), f"site macros left in the deck: {sorted(used & set(macros))}"
    renderer = km.KatexRenderer(ROOT / "hooks" / "katex_render.js", ROOT / "node_modules", {})
    try:
        failures = {f.tex: str(r) for f, r in renderer.render(formulas).items() if isinstance(r, km.KatexError)}
    finally:
        renderer.close()
    assert failures == {}


def test_pdf_is_printed_from_the_whole_site_with_extractable_text(built_site):
    from pypdf import PdfReader

    reader = PdfReader(built_site.site / "downloads" / "ml-nlp-interview.pdf")
    pages = len(reader.pages)
    questions = sum(
        len(page_rules.find_questions(p.read_text(encoding="utf-8"), "")[0]) for p in (ROOT / "docs").glob("*/*.md")
    )
    assert questions / 2 <= pages <= questions * 3, f"{pages} pages for {questions} questions: content lost or exploded"
    text = "".join(reader.pages[i].extract_text() for i in range(pages))
    titles = [
        q.title
        for p in sorted((ROOT / "docs").glob("*/*.md"))
        for q in page_rules.find_questions(p.read_text(encoding="utf-8"), "")[0]
    ]
    squeeze = lambda t: re.sub(r"\s+", "", t)
    missing = [t for t in titles if squeeze(t)[:12] not in squeeze(text)]
    assert len(missing) <= len(titles) // 20, f"question titles not found in the PDF text: {missing[:10]}"


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
    assert (root / "search" / "pagefind.js").exists()
    assert (root / "search" / "pagefind-entry.json.js").exists()  # the index as scripts: file:// cannot fetch
