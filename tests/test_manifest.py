"""The manifest of the raw files: every change, removal and addition is named."""

import json

from snwlib.manifest import MANIFEST, accept, differences, sha256

from .conftest import RAW_2012, edit_csv


def test_shipped_raw_data_match_their_manifest():
    assert differences(RAW_2012) == []
    listed = {r["path"]: r["hash"] for r in json.loads((RAW_2012 / MANIFEST).read_text())["resources"]}
    assert listed["c7_antwoorden.csv"] == "sha256:" + sha256(RAW_2012 / "c7_antwoorden.csv")
    assert "metadata.yaml" in listed and MANIFEST not in listed


def test_changes_are_named_and_accepting_clears_them(raw_copy):
    edit_csv(
        raw_copy / "c8_respons.csv", "reacties,reacties op de evaluatie,13", "reacties,reacties op de evaluatie,14"
    )
    (raw_copy / "c9_respons.csv").unlink()
    (raw_copy / "c10_nieuw.csv").write_text("a\n1\n", encoding="utf-8")
    found = [(p.file.rsplit("/", 1)[-1], p.message) for p in differences(raw_copy)]
    assert found == [
        ("c8_respons.csv", "changed since the manifest was made (SHA-256 differs)"),
        ("c9_respons.csv", "listed in the manifest but missing"),
        ("c10_nieuw.csv", "not in the manifest (a new file)"),
    ]
    assert all("make accept-data" in p.hint for p in differences(raw_copy))
    accept(raw_copy)
    assert differences(raw_copy) == []


def test_a_missing_or_broken_manifest_is_an_error(raw_copy):
    (raw_copy / MANIFEST).write_text("{not json", encoding="utf-8")
    assert "cannot be read" in differences(raw_copy)[0].message
    (raw_copy / MANIFEST).unlink()
    [problem] = differences(raw_copy)
    assert problem.message == "no manifest of the raw files" and "create it with `make accept-data`" in problem.hint
