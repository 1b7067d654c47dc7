"""Build hook: one glossary (snippets/glossary/*.yml) feeds the tooltips, the 术语表 page and search.

- Every page gets the abbreviation definitions appended (abbr turns each occurrence into a tooltip);
  only the first tooltip of each term in each section is kept (first_abbreviations).
- The glossary page is generated from the same entries.
- Search synonyms (层归一化 finds a question that only says LayerNorm) are added by
  hooks/search_index.py from the same files.
Helpers: glossary_terms.py.
"""

from __future__ import annotations

from pathlib import Path

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
    _state.update(entries=entries, abbreviations=gt.abbreviation_lines(entries))


def on_files(files, config):
    files.append(File.generated(config, PAGE, content=gt.glossary_page(_state["entries"])))
    return files


def on_page_markdown(markdown, page, config, files):
    return markdown + "\n\n" + _state["abbreviations"]


def on_page_content(html, page, config, files):
    return gt.first_abbreviations(html)
