"""The broken-file corpus: every fault gets the message a researcher can act on, in one pass."""

import pytest
import yaml

from snwlib.__main__ import main

from .conftest import REPO

CORPUS = REPO / "tests" / "corpus"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))


def test_the_corpus_has_at_least_45_distinct_faults():
    faults = [name for name, case in EXPECTED.items() if case["exit"] == 1]
    assert len(faults) >= 45
    assert sorted(EXPECTED) == sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def test_the_corpus_files_are_what_the_script_makes():
    """Cases 27 and up are made by make_hostile_cases.py; each of them has its folder."""
    made = [name for name in EXPECTED if name[:2] >= "27"]
    script = (CORPUS / "make_hostile_cases.py").read_text(encoding="utf-8")
    assert len(made) >= 30
    assert [name for name in made if f'"{name}"' not in script] == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validate_says_what_is_wrong(name, monkeypatch, capsys):
    """`python -m snwlib validate FILE` (or FOLDER, for a case whose file is "."), run in-process
    (the same code as the command line)."""
    case = EXPECTED[name]
    monkeypatch.chdir(REPO)
    path = (CORPUS / name / case["file"]).relative_to(REPO)
    status = main(["validate", str(path)])
    out = capsys.readouterr().out
    assert status == case["exit"], out
    said = [line.strip()[2:] for line in out.splitlines() if line.strip().startswith(("- ", "! "))]
    assert said == [m.format(file=path) for m in case["messages"]]
    if "summary" in case:
        assert out.strip() == case["summary"].format(file=path)
