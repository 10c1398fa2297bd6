"""The documentation site builds in strict mode, and its equation map is complete and true.

* ``mkdocs build --strict`` must succeed (broken links, missing nav pages and bad config all
  fail it), with the notebooks rendered from ``tutorials/`` and the API page generated.
* Every E, A and C item of docs/equations.md (and the LSTM and S3 §1.1 rows) has a row in
  ``docs/equation_map.md`` naming at least one code location and one test, and every
  ``file::function`` and ``tests/…::test`` named there exists right now.
"""

import importlib
import re
from html.parser import HTMLParser
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAP = ROOT / "docs" / "equation_map.md"

ITEMS = ([f"E{i}" for i in range(1, 17)] + [f"A{i}" for i in range(5)]
         + [f"C{i}" for i in range(1, 8)] + ["LSTM", "S3 §1.1"])
CODE_REF = re.compile(r"`(minirgan/[\w/]+\.py)::([\w.]+)`")
TEST_REF = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
TUTORIAL_REF = re.compile(r"\((tutorials/[\w.]+\.ipynb)\)")


def _rows():
    """{item: the table row of the map whose first cell is **item**}."""
    rows = {}
    for line in MAP.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*\*\*(.+?)\*\*\s*\|", line)
        if m:
            rows[m.group(1)] = line
    return rows


def _resolve(path, qualname):
    """The object named ``qualname`` in the module at ``path`` (``Class.method`` allowed)."""
    module = importlib.import_module(path[:-3].replace("/", ".").removesuffix(".__init__"))
    obj = module
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("item", ITEMS)
def test_every_item_has_a_row_with_code_and_a_test(item):
    rows = _rows()
    assert item in rows, f"{item} is missing from docs/equation_map.md"
    assert CODE_REF.search(rows[item]), f"{item}: no code location (minirgan/…py::function)"
    assert TEST_REF.search(rows[item]), f"{item}: no test (tests/…py::test_name)"


def test_every_code_location_in_the_map_exists():
    text = MAP.read_text(encoding="utf-8")
    refs = CODE_REF.findall(text)
    assert len(refs) >= len(ITEMS)
    missing = []
    for path, qualname in refs:
        try:
            obj = _resolve(path, qualname)
        except (ImportError, AttributeError) as err:
            missing.append(f"{path}::{qualname} ({err})")
            continue
        assert callable(obj), f"{path}::{qualname} is not a function or class"
    assert not missing, "code locations that do not exist: " + "; ".join(missing)


def test_every_test_in_the_map_exists():
    text = MAP.read_text(encoding="utf-8")
    refs = TEST_REF.findall(text)
    assert len(refs) >= len(ITEMS)
    missing = [f"{path}::{name}" for path, name in refs
               if not (ROOT / path).is_file()
               or not re.search(rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), re.M)]
    assert not missing, "tests that do not exist: " + "; ".join(missing)


def test_every_tutorial_in_the_map_exists():
    text = MAP.read_text(encoding="utf-8")
    refs = TUTORIAL_REF.findall(text)
    assert refs
    missing = [r for r in refs if not (ROOT / r).is_file()]
    assert not missing, f"tutorials that do not exist: {missing}"


def test_the_api_hook_lists_the_cell_functions():
    sys.path.insert(0, str(ROOT / "docs" / "_hooks"))
    try:
        api = importlib.import_module("api_reference")
        text = api.api_markdown()
    finally:
        sys.path.remove(str(ROOT / "docs" / "_hooks"))
    for name in ("rnn_forward", "gru_backward", "lstm_step_forward", "numerical_gradient"):
        assert f"### `{name}`" in text


def test_mkdocs_builds_strictly(docs_site):
    """The conftest fixture runs ``mkdocs build --strict`` and fails on any warning."""
    site = docs_site
    assert (site / "index.html").is_file()
    assert (site / "equation_map" / "index.html").is_file()
    page = (site / "tutorials" / "01_elman_rnn" / "index.html").read_text(encoding="utf-8")
    assert "data:image/png;base64" in page, "the notebooks render with their figures"
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    assert "gru_forward" in api


def test_every_notebook_and_page_is_in_the_nav():
    """A tutorial or page added without a nav entry would build but be hard to find."""
    yaml = pytest.importorskip("yaml")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def targets(nav):
        for entry in nav:
            for value in (entry.values() if isinstance(entry, dict) else [entry]):
                if isinstance(value, list):
                    yield from targets(value)
                else:
                    yield value

    in_nav = set(targets(config["nav"]))
    notebooks = {f"tutorials/{p.name}" for p in (ROOT / "tutorials").glob("[0-9][0-9]_*.ipynb")}
    pages = {p.name for p in (ROOT / "docs").glob("*.md")}
    assert notebooks - in_nav == set(), "notebooks missing from the nav"
    assert pages - in_nav == set(), "pages missing from the nav"
    assert {"performance.md", "metrics.md", "benchmark_sines.md"} <= in_nav


class _TextOutsideMath(HTMLParser):
    """Collects a page's text outside script, style, code and the math arithmatex delimited."""

    SKIP = {"script", "style", "pre", "code"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack, self.text = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            classes = (dict(attrs).get("class") or "").split()
            self.stack.append(tag in self.SKIP or "arithmatex" in classes)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not any(self.stack):
            self.text.append(data)


def test_the_markdown_pages_delimit_all_their_math(docs_site):
    """Every $…$ and $$…$$ of docs/*.md reached pymdownx.arithmatex, so Markdown never touched
    the underscores and stars inside it: none is left outside code and arithmatex's spans.
    (bptt.md once had "$W_c = $", which arithmatex rightly refuses: a closing $ after a space.)"""
    left = {}
    for page in sorted(ROOT.joinpath("docs").glob("*.md")):
        html = docs_site / ("" if page.stem == "index" else page.stem) / "index.html"
        parser = _TextOutsideMath()
        page_html = html.read_text(encoding="utf-8")   # the article: the theme's nav copies headings
        parser.feed(page_html[page_html.index("<article"):page_html.index("</article>")])
        text = "".join(parser.text)
        found = re.findall(r".{0,30}(?:\\[()\[\]]|\$).{0,30}", text)
        if found:
            left[page.name] = found
    assert not left, f"math outside arithmatex (not typeset as written): {left}"
