"""Build hook: one glossary (snippets/glossary/*.yml) feeds the tooltips, the 术语表 page and search.

- Every page gets the abbreviation definitions appended (abbr turns each occurrence into a tooltip).
- The glossary page is generated from the same entries.
- Search: Material's search plugin segments Chinese with jieba at build time; jieba learns every
  Chinese glossary name plus snippets/glossary/words.txt, so those terms are indexed as words. After
  the index is written, each section gets the other names of the terms it mentions, so a query for
  层归一化 finds a section that only says LayerNorm.
Helpers: glossary_terms.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jieba
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

# MkDocs puts this folder on sys.path: sibling modules import by bare name.
import glossary_terms as gt

PAGE = "glossary.md"

_state: dict = {}


def on_config(config):
    folder = Path(config.config_file_path).parent / "snippets" / "glossary"
    try:
        entries = gt.load_glossary(folder)
    except gt.GlossaryError as error:
        raise PluginError(str(error)) from error
    chinese_names = [n for e in entries for n in e.names if re.search(r"[\u4e00-\u9fff]", n)]
    for word in dict.fromkeys(chinese_names + gt.load_words(folder / "words.txt")):
        jieba.add_word(word)
    _state.update(entries=entries, abbreviations=gt.abbreviation_lines(entries))


def on_files(files, config):
    files.append(File.generated(config, PAGE, content=gt.glossary_page(_state["entries"])))
    return files


def on_page_markdown(markdown, page, config, files):
    return markdown + "\n\n" + _state["abbreviations"]


def on_post_build(config):
    index_file = Path(config.site_dir) / "search" / "search_index.json"
    if not index_file.exists():
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    find = gt.SynonymFinder(_state["entries"])
    for doc in index["docs"]:
        extra = find(f"{doc.get('title', '')} {doc.get('text', '')}")
        if extra:
            doc["text"] = doc.get("text", "") + "\u200b" + " ".join("\u200b".join(jieba.cut(n)) for n in extra)
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
