"""Build hook: the calculators (计算器).

- Writes assets/javascripts/calc-data.js from snippets/model_presets.py, so the presets, the default
  scenario and the byte sizes of each precision are typed once, in Python;
- turns every calculator placeholder of a page into its widget, filled in at build time with its
  preset's inputs and results by hooks/calc_markup.js (node, the page's own formulas), and fails the
  build on a placeholder that names an unknown calculator or preset (page and line).
overrides/main.html loads the calculator scripts only on pages that have a widget; calculator.js wires
the built widget. The formulas are overrides/assets/javascripts/calc-formulas.js, checked against
snippets/model_calc.py by the tests. Helpers: calc_widgets.py.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

# MkDocs puts this folder on sys.path: sibling modules import by bare name.
import calc_widgets as cw

PRESETS_MODULE = "snippets/model_presets.py"
MARKUP_SCRIPT = Path(__file__).with_name("calc_markup.js")

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


def render_bodies(data: dict, widgets: list[dict]) -> list[str]:
    """The HTML body of each widget ({"calc", "preset", "id"}), rendered by hooks/calc_markup.js with
    the presets and scenario `data` (calc_widgets.calc_data). Raises PluginError if Node.js is missing
    or the script fails (its error output included)."""
    node = shutil.which("node")
    if node is None:
        raise PluginError(
            "calculator: Node.js is needed to build the calculators — install it (e.g. apt-get install nodejs)"
        )
    request = json.dumps({"data": data, "widgets": widgets}, ensure_ascii=False)
    done = subprocess.run([node, str(MARKUP_SCRIPT)], input=request, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise PluginError(f"calculator: {MARKUP_SCRIPT.name} failed:\n{done.stderr.strip()}")
    return json.loads(done.stdout)


def on_files(files, config):
    module = load_presets(Path(config.config_file_path).parent / PRESETS_MODULE)
    _state["data"] = None
    if module:
        _state["data"] = cw.calc_data(module.PRESETS, module.SCENARIO, module.PRECISIONS, module.DTYPE_BYTES)
        files.append(File.generated(config, cw.DATA_SCRIPT, content=cw.data_script(_state["data"])))
    return files


def on_page_content(html, page, config, files):
    if 'class="kb-calc"' not in html:
        return html
    where = f"{Path(config.docs_dir).name}/{page.file.src_uri}"
    source = page.file.content_string
    presets = _state["data"]["presets"] if _state["data"] else {}
    html, errors = cw.render_placeholders(
        html, presets, where, source, lambda widgets: render_bodies(_state["data"], widgets)
    )
    if errors:
        raise PluginError("\n".join(errors))
    return html
