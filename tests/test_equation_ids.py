"""Every item of the seeds' spec (E1…, A0…, C1… of EQUATIONS.md) is cited by a test that runs it.

The ids come from ``docs/equation_map.md``, the project's copy of the list (``test_docs.py``
checks that it has a row for every item of EQUATIONS.md). A test cites an id in its name
(``test_E6_…``, ``test_e7_…``: the id as one ``_``-separated word; two ids of one letter side
by side, ``test_E11_E15_…``, name the range E11–E15) or in its docstring (``E5``, or a range
such as ``E11–E15``). The citing tests are ordinary tests: each calls the library
code of its item, so a citation is a claim that some assertion exercises that item.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAP = ROOT / "docs" / "equation_map.md"
ID_ROW = re.compile(r"^\|\s*\*\*([EAC]\d+)\*\*\s*\|", re.MULTILINE)
# "E5", "C6", or a range "E11–E15" / "E11-E15" (the second letter optional: "E11–15")
CITATION = re.compile(r"(?<![A-Za-z0-9])([EAC])(\d+)(?:\s*[–-]\s*\1?(\d+))?(?![A-Za-z0-9])")
NAME_RANGE = re.compile(r"(?:^|_)([EeAaCc])(\d+)(?:_\1(\d+))?(?=_|$)")


def spec_ids():
    """The E, A and C ids of the equation map, in order of appearance."""
    return ID_ROW.findall(MAP.read_text(encoding="utf-8"))


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


def test_the_map_lists_the_spec_ids():
    ids = spec_ids()
    assert len(ids) == len(set(ids)) >= 28          # E1–E16, A0–A4, C1–C7
    assert {"E1", "E16", "A0", "A4", "C1", "C7"} <= set(ids)


def test_every_spec_id_is_cited_by_a_test():
    found = citations()
    missing = [item for item in spec_ids() if item not in found]
    assert not missing, (f"ids of EQUATIONS.md cited by no test name or docstring: {missing}; "
                         "write a test that exercises each and cite the id in its name or docstring")
