import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RAW_2012 = REPO / "data" / "raw" / "2012"


@pytest.fixture
def raw_copy(tmp_path):
    """A writable copy of the shipped raw data (data/raw/2012) under tmp_path/raw/2012."""
    dest = tmp_path / "raw" / "2012"
    shutil.copytree(RAW_2012, dest)
    return dest


def edit_csv(path, old, new):
    """Replace one exact piece of text in a CSV file (exactly once)."""
    text = Path(path).read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    Path(path).write_text(text.replace(old, new), encoding="utf-8")
