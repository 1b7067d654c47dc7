"""Build hook: the calculators (计算器).

- Writes assets/javascripts/calc-data.js from snippets/model_presets.py, so the presets, the default
  scenario and the byte sizes of each precision are typed once, in Python;
- turns every calculator placeholder of a page into its widget, and fails the build on a placeholder
  that names an unknown calculator or preset (page and line).
overrides/main.html loads the calculator scripts only on pages that have a widget; the formulas are
overrides/assets/javascripts/calc-formulas.js, checked against snippets/model_calc.py by the tests.
Helpers: calc_widgets.py.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

# MkDocs puts this folder on sys.path: sibling modules import by bare name.
import calc_widgets as cw

PRESETS_MODULE = "snippets/model_presets.py"

_state: dict = {}


def load_presets(path: Path):
    """The module snippets/model_presets.py (plain data, imported by path: snippets/ is not on
    sys.path during a build), or None where a site has no presets (the test fixture sites)."""
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("model_presets", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def on_files(files, config):
    module = load_presets(Path(config.config_file_path).parent / PRESETS_MODULE)
    _state["presets"] = module.PRESETS if module else {}
    if module:
        script = cw.data_script(module.PRESETS, module.SCENARIO, module.PRECISIONS, module.DTYPE_BYTES)
        files.append(File.generated(config, cw.DATA_SCRIPT, content=script))
    return files


def on_page_content(html, page, config, files):
    if 'class="kb-calc"' not in html:
        return html
    where = f"{Path(config.docs_dir).name}/{page.file.src_uri}"
    html, errors = cw.render_placeholders(html, _state["presets"], where, page.file.content_string)
    if errors:
        raise PluginError("\n".join(errors))
    return html
