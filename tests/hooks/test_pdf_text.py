"""The PDF's Chinese text copies and searches as the characters it shows (hooks/pdf_text.py)."""

import io
import re
import shutil

import pytest
from pypdf import PdfReader

import pdf_text
from bundles import chromium_print, cjk_font_files, print_pdf

TEXT = "常见的高频面试题：长序列、门控与一二三。"


def text_of(data: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_radicals_map_to_their_ideographs():
    mapping = pdf_text.radical_ideographs(cjk_font_files())
    assert chr(mapping[0x2FBC]) == "高" and chr(mapping[0x2F00]) == "一"  # Kangxi radicals: Unicode NFKC
    assert chr(mapping[0x2EC5]) == "见" and chr(mapping[0x2ED3]) == "长"  # supplement: same glyph in the font
    assert all(0x2E80 <= cp < 0x2FE0 for cp in mapping)


@pytest.mark.slow
def test_a_printed_chinese_page_extracts_as_written(tmp_path):
    chromium = shutil.which("chromium")
    assert chromium, "chromium is not installed: run `make system-deps`"
    page = tmp_path / "page.html"
    page.write_text(f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><p>{TEXT}</p></html>', "utf-8")
    raw = text_of(chromium_print(chromium, page))
    assert raw != TEXT and any(0x2E80 <= ord(c) < 0x2FE0 for c in raw)  # chromium maps some glyphs to radicals
    print_pdf(page, tmp_path / "out.pdf", tmp_path / "cache")
    assert text_of((tmp_path / "out.pdf").read_bytes()) == TEXT
