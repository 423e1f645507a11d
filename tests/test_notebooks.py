"""Source notebooks: committed without outputs, parameterised, Dutch, short cells that call snwlib."""

import json

import pytest

from .conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert [p.stem for p in NOTEBOOKS] == ["C1", "C2", "C7", "C8", "C9"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_source_notebook_hygiene(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    assert cells[0]["cell_type"] == "markdown"
    assert "".join(cells[0]["source"]).startswith(f"# Bijlage {path.stem}:")
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1 and tagged[0] is cells[1]
    for name in ("wave", "processed_dir", "out_dir", "min_cell"):
        assert f"{name} = " in "".join(tagged[0]["source"])
    code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "data_dir" not in code and "data/raw" not in code, "notebooks read processed data only"
    assert nb["metadata"]["kernelspec"]["name"] == "snwlib"
    assert nb["metadata"]["snw"]["appendix"] == path.stem
    for c in cells:
        if c["cell_type"] == "code":
            assert not c.get("outputs") and c.get("execution_count") is None, "commit notebooks without outputs"
            lines = [line for line in "".join(c["source"]).splitlines() if line.strip()]
            assert len(lines) <= 8, "logic belongs in snwlib: " + lines[0]
            assert "def " not in "".join(c["source"]) and "for " not in "".join(c["source"])
