"""Every item of the spec (E1…, A0…, C1…, and the project's own M1… of docs/equations.md) is cited by a test that runs it,
and every id the docs and tutorials cite is an item of it.

The ids come from ``docs/equations.md``, the project's own statement of the seeds' equations,
architectures and claims: one ``### E1`` heading per item. A test cites an id in its name
(``test_E6_…``, ``test_e7_…``: the id as one ``_``-separated word; two ids of one letter side
by side, ``test_E11_E15_…``, name the range E11–E15) or in its docstring (``E5``, or a range
such as ``E11–E15``). The citing tests are ordinary tests: each calls the library
code of its item, so a citation is a claim that some assertion exercises that item.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "docs" / "equations.md"
ID_HEADING = re.compile(r"^### ([EACM]\d+)$", re.MULTILINE)
# "E5", "C6", or a range "E11–E15" / "E11-E15" (the second letter optional: "E11–15")
CITATION = re.compile(r"(?<![A-Za-z0-9])([EACM])(\d+)(?:\s*[–-]\s*\1?(\d+))?(?![A-Za-z0-9])")
NAME_RANGE = re.compile(r"(?:^|_)([EeAaCcMm])(\d+)(?:_\1(\d+))?(?=_|$)")


def spec_ids():
    """The E, A, C and M ids of docs/equations.md, in order of appearance."""
    return ID_HEADING.findall(SPEC.read_text(encoding="utf-8"))


def cited_ids(name, docstring):
    """The ids a test cites: words of its name, and ids or id ranges in its docstring."""
    ids = set()
    for letter, first, last in NAME_RANGE.findall(name) + CITATION.findall(docstring or ""):
        for number in range(int(first), int(last or first) + 1):
            ids.add(f"{letter.upper()}{number}")
    return ids


def _test_functions(path):
    """(name, docstring) of every ``test_*`` function of a test file (methods included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.name, ast.get_docstring(node))
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_")]


def citations():
    """{id: ["tests/file.py::test_name", …]} over every test file of the suite."""
    found = {}
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        for name, doc in _test_functions(path):
            for item in cited_ids(name, doc):
                found.setdefault(item, []).append(f"tests/{path.name}::{name}")
    return found


def test_citations_are_read_from_names_and_docstrings_with_ranges():
    assert cited_ids("test_E11_E15_one_gru_step_by_hand", None) == {"E11", "E12", "E13", "E14", "E15"}
    assert cited_ids("test_e6_and_c6_signs", None) == {"E6", "C6"}
    assert cited_ids("test_e6_gradient", "S3's E6 against E5.") == {"E5", "E6"}
    assert cited_ids("test_x", "GRU (E11–E13) and A1-A2; not RE2 or E1x or E10.5") >= {
        "E11", "E12", "E13", "A1", "A2", "E10"}
    assert not cited_ids("test_x", "RE2 and E1x") & {"E2", "E1"}
    assert cited_ids("test_beats_the_seed", "ids E1 and E16") == {"E1", "E16"}


def test_the_spec_page_lists_the_ids():
    ids = spec_ids()
    assert len(ids) == len(set(ids)) >= 29          # E1–E16, A0–A4, C1–C7, M1
    assert {"E1", "E16", "A0", "A4", "C1", "C7", "M1"} <= set(ids)


def test_every_spec_id_is_cited_by_a_test():
    found = citations()
    missing = [item for item in spec_ids() if item not in found]
    assert not missing, (f"ids of docs/equations.md cited by no test name or docstring: {missing}; "
                         "write a test that exercises each and cite the id in its name or docstring")


def _ids_in(text):
    """Every id ``text`` cites, ranges expanded: [(id, the citation as written), …]."""
    return [(f"{letter}{number}", m.group(0))
            for m in CITATION.finditer(text)
            for letter, first, last in [m.groups()]
            for number in range(int(first), int(last or first) + 1)]


def _prose(path):
    """The prose of a docs page or tutorial source: a tutorial's comment lines only (its code
    names matplotlib colours such as "C0")."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        text = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    return text


def cited_in_docs():
    """{file: [(id, as written), …]} over README.md, docs/*.md and tutorials/src/*.py."""
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
             *sorted((ROOT / "tutorials" / "src").glob("*.py"))]
    return {path.relative_to(ROOT).as_posix(): _ids_in(_prose(path)) for path in files}


def test_ids_are_found_in_prose_with_ranges_and_not_in_code():
    assert _ids_in("the GRU (E11–E13), A4 and C7") == [
        ("E11", "E11–E13"), ("E12", "E11–E13"), ("E13", "E11–E13"), ("A4", "A4"), ("C7", "C7")]
    assert _ids_in("S3 §3.1, RE2, E1x") == []


def test_every_id_cited_in_the_docs_and_tutorials_is_on_the_spec_page():
    known = set(spec_ids())
    cited = cited_in_docs()
    assert sum(map(len, cited.values())) > 100, "the docs and tutorials cite the spec throughout"
    unknown = {f"{path}: {written}" for path, found in cited.items()
               for item, written in found if item not in known}
    assert not unknown, f"ids cited but not in docs/equations.md: {sorted(unknown)}"


def test_the_check_catches_an_unknown_id(tmp_path):
    page = tmp_path / "x.py"
    page.write_text('# see E17 and C2\nplt.plot(color="C0")\n', encoding="utf-8")
    assert [item for item, _ in _ids_in(_prose(page))] == ["E17", "C2"]
    assert "E17" not in spec_ids() and "C2" in spec_ids()


def test_nothing_cites_the_spec_file_outside_the_project():
    """The seeds' numbered list lives beside the project, not in a clone: README, docs, tutorials,
    code and tests cite docs/equations.md instead."""
    outside = "EQUATIONS" + ".md"
    files = [ROOT / "README.md", ROOT / "mkdocs.yml", *(ROOT / "docs").glob("*.md"),
             *(ROOT / "tutorials" / "src").glob("*.py"), *(ROOT / "minirgan").rglob("*.py"),
             *(ROOT / "tests").glob("*.py")]
    citing = [path.relative_to(ROOT).as_posix() for path in files
              if outside in path.read_text(encoding="utf-8")]
    assert not citing, f"{outside} cited (point to docs/equations.md): {citing}"
