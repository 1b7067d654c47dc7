"""Unit tests of the print view helpers."""

import print_view as pv


def test_rebase_prefixes_ids_and_turns_site_links_into_anchors():
    prefixes = {"transformer/attention/": "p1-", "plm/bert/": "p2-"}
    content = (
        '<h2 id="why">Q</h2><a href="#why">self</a> <a href="../../plm/bert/#mlm">bert</a> '
        '<a href="../../plm/bert/">page</a> <img src="../../assets/snippets/f.svg"> <a href="https://arxiv.org/abs/1">paper</a>'
    )
    out = pv.rebase(content, "transformer/attention/", "print/", prefixes)
    assert '<h2 id="p1-why">' in out
    assert 'href="#p1-why"' in out and 'href="#p2-mlm"' in out and 'href="#p2-top"' in out
    assert 'src="../assets/snippets/f.svg"' in out
    assert 'href="https://arxiv.org/abs/1"' in out


def test_document_links_stylesheets_and_breaks_pages():
    doc = pv.document("站点", ["../assets/a.css"], [("p0-", "<p>x</p>")])
    assert '<html lang="zh">' in doc and '<link rel="stylesheet" href="../assets/a.css">' in doc
    assert '<article class="md-typeset kb-print-page" id="p0-top"><p>x</p></article>' in doc
    assert "break-before: page" in doc
