"""Pure helper: make the PDF's Chinese text copy and search as the characters it shows.

Chromium (Skia) writes each font's ToUnicode map by picking one code point per glyph, the lowest.
CJK fonts such as Noto Sans CJK draw a radical and its ideograph with the same glyph (U+2FBC KANGXI
RADICAL TALL and U+9AD8 高, U+2EC5 CJK RADICAL C-SIMPLIFIED SEE and U+89C1 见), so the PDF says
"⾼频" where the page shows 高频, and a reader searching the PDF for 高频 or 常见 finds nothing.
`unify_radicals` rewrites those map entries to the ideographs. Nothing here imports MkDocs.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals
_IDEOGRAPHS = (range(0x4E00, 0xA000), range(0x3400, 0x4DC0), range(0xF900, 0xFB00))
_BFCHAR = re.compile(rb"(beginbfchar\s*)(.*?)(\s*endbfchar)", re.S)
_ENTRY = re.compile(rb"(<[0-9A-Fa-f]+>\s*)<([0-9A-Fa-f]{4})>")


def radical_ideographs(font_files: list[Path]) -> dict[int, int]:
    """Radical code point -> the ideograph it stands for.

    Kangxi radicals decompose to their ideograph (Unicode NFKC). Radicals of the supplement have no
    decomposition: they map to the ideograph that the given fonts (OpenType or collections, read with
    fontTools) draw with the same glyph, preferring the simplified-Chinese face.
    """
    from fontTools.ttLib import TTCollection, TTFont

    mapping = {cp: ord(n) for cp in RADICALS if len(n := unicodedata.normalize("NFKC", chr(cp))) == 1 and n != chr(cp)}
    faces = []
    for path in font_files:
        faces += TTCollection(str(path)).fonts if path.suffix.lower() == ".ttc" else [TTFont(str(path))]
    faces.sort(key=lambda face: " SC" not in (face["name"].getDebugName(4) or ""))  # SC first
    for face in faces:
        cmap = face.getBestCmap()
        by_glyph: dict[str, list[int]] = {}
        for cp, glyph in cmap.items():
            if any(cp in block for block in _IDEOGRAPHS):
                by_glyph.setdefault(glyph, []).append(cp)
        for cp, glyph in cmap.items():
            if cp in RADICALS and cp not in mapping and by_glyph.get(glyph):
                mapping[cp] = min(by_glyph[glyph])
    return mapping


def unify_radicals(pdf: bytes, mapping: dict[int, int]) -> tuple[bytes, int]:
    """The PDF with every ToUnicode entry that maps a glyph to a radical mapped to its ideograph
    instead, and the number of entries rewritten.

    The fixed maps are appended as an incremental update (PDF 1.7, section 7.5.6): new versions of
    those objects, a cross-reference section for them and a trailer pointing at the previous one.
    Nothing else of the file is read or rewritten, so a 40 MB PDF takes seconds.
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    changed = 0

    def entry(match: re.Match) -> bytes:
        nonlocal changed
        cp = int(match.group(2), 16)
        if cp not in mapping:
            return match.group(0)
        changed += 1
        return match.group(1) + b"<%04X>" % mapping[cp]

    def section(match: re.Match) -> bytes:
        return match.group(1) + _ENTRY.sub(entry, match.group(2)) + match.group(3)

    seen, fixed = set(), {}
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            ref = font.get_object().raw_get("/ToUnicode") if "/ToUnicode" in font.get_object() else None
            if ref is None or not hasattr(ref, "idnum") or (ref.idnum, ref.generation) in seen:
                continue
            seen.add((ref.idnum, ref.generation))
            data = ref.get_object().get_data()
            new = _BFCHAR.sub(section, data)
            if new != data:
                fixed[(ref.idnum, ref.generation)] = new
    if not fixed:
        return pdf, 0
    previous = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf).group(1))
    out = io.BytesIO()
    out.write(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets = {}
    for (idnum, generation), data in sorted(fixed.items()):
        offsets[(idnum, generation)] = out.tell()
        out.write(b"%d %d obj\n<< /Length %d >>\nstream\n" % (idnum, generation, len(data)))
        out.write(data + b"\nendstream\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n")
    for (idnum, generation), offset in sorted(offsets.items()):
        out.write(b"%d 1\n%010d %05d n \n" % (idnum, offset, generation))
    trailer = reader.trailer
    root = trailer.raw_get("/Root")
    keys = [b"/Size %d" % trailer["/Size"], b"/Root %d %d R" % (root.idnum, root.generation)]
    if "/Info" in trailer:
        keys.append(b"/Info %d 0 R" % trailer.raw_get("/Info").idnum)
    out.write(b"trailer\n<< " + b" ".join(keys) + b" /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (previous, xref))
    return out.getvalue(), changed
