"""Make with folders whose paths hold spaces and non-ASCII characters: DATA_DIR, OUT_DIR and the
clone itself. Ingestion only (about 10 s), no notebooks: tests/test_e2e.py builds everything."""

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from .conftest import RAW_2012, REPO, edit_csv
from .test_e2e import make

pytestmark = pytest.mark.e2e


@pytest.fixture
def links(tmp_path):
    """Remove afterwards the links Make made in .build/paths/ to the folders under tmp_path."""
    yield
    for link in (REPO / ".build" / "paths").glob("*"):
        if link.is_symlink() and Path(os.readlink(link)).is_relative_to(tmp_path.resolve()):
            link.unlink(missing_ok=True)


def test_data_dir_and_out_dir_with_spaces_and_accents(tmp_path, links):
    data = tmp_path / "Mijn onderzoek" / "ruwe data \u00e9"
    out = tmp_path / "uit map \u00e9"
    raw = data / "2012"
    shutil.copytree(RAW_2012, raw)
    (raw / "notities (2012).txt").write_text("geen tabel\n", encoding="utf-8")
    paths = (f"DATA_DIR={data}", f"OUT_DIR={out}")

    accepted = make(f"DATA_DIR={data}", "accept-data").stdout
    assert f"{raw / 'datapackage.json'}: written, " in accepted
    assert "notities (2012).txt" in (raw / "datapackage.json").read_text(encoding="utf-8")

    first = make(*paths, "ingest").stdout
    assert re.search(r"^ingest 2012\s+ok", first, re.M), first
    processed = out / "data" / "processed" / "2012"
    assert len(list(processed.glob("*.parquet"))) > 5
    provenance = json.loads((processed / "provenance.json").read_text(encoding="utf-8"))
    assert Path(provenance["raw"]["folder"]) == raw.resolve(), "provenance names the real folder, not a link"
    assert "notities (2012).txt" in [f["path"] for f in provenance["raw"]["files"]]
    assert (out / ".build" / "data_dir").read_text(encoding="utf-8") == f"{data}\n"

    stamp = (processed / "provenance.json").stat().st_mtime_ns
    again = make(*paths, "ingest")
    assert "ingest" not in again.stdout + again.stderr, "an up-to-date wave is not ingested again"
    assert (processed / "provenance.json").stat().st_mtime_ns == stamp

    check = make(*paths, "check-data")
    assert f"{raw}: all files match the manifest" in check.stdout

    # A raw file changed behind the manifest's back: Make reruns ingestion, which stops at once
    # and names the file by its real path.
    time.sleep(1.1)
    edit_csv(raw / "c1_kengetallen.csv", "grand_cafe,aanwezigen,,77,", "grand_cafe,aanwezigen,,78,")
    failed = make(*paths, "ingest", check=False)
    assert failed.returncode != 0 and re.search(r"^ingest 2012\s+FAILED", failed.stdout, re.M), failed.stdout
    assert f"{raw / 'c1_kengetallen.csv'}: changed since the manifest was made" in failed.stderr
    assert (processed / "provenance.json").stat().st_mtime_ns == stamp, "earlier outputs stay as they were"
    assert make(*paths, "check-data", check=False).returncode != 0


def test_a_wave_make_cannot_name_is_refused_with_one_line(tmp_path):
    data = tmp_path / "raw"
    (data / "2013 herhaling").mkdir(parents=True)
    (data / "2013 herhaling" / "datapackage.json").write_text("{}", encoding="utf-8")
    proc = make(f"DATA_DIR={data}", f"OUT_DIR={tmp_path / 'out'}", "help")
    assert "DATA_DIR has a wave folder whose name is not a plain word" in proc.stderr
    proc = make("WAVE=2013 herhaling", f"OUT_DIR={tmp_path / 'out'}", "help", check=False)
    assert proc.returncode != 0
    assert "WAVE='2013 herhaling': a wave is a plain name" in proc.stderr


def test_a_clone_in_a_folder_with_a_space(tmp_path):
    """The Makefile, snwlib and the raw data in a folder with a space, on this clone's .venv."""
    stamp = REPO / ".venv" / ".snwlib-installed"
    if not stamp.exists():
        pytest.skip("needs the repository's .venv")
    clone = tmp_path / "kloon met spatie \u00e9"
    clone.mkdir()
    for name in ("Makefile", "requirements.lock", "requirements-bootstrap.lock"):
        shutil.copy2(REPO / name, clone / name)
    for name in ("snwlib", "codebooks"):
        shutil.copytree(REPO / name, clone / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(RAW_2012, clone / "data" / "raw" / "2012")
    (clone / ".venv").symlink_to(REPO / ".venv")
    # The environment is up to date: Make must not rebuild it (it would replace the link).
    old = stamp.stat().st_mtime - 60
    for name in ("requirements.lock", "requirements-bootstrap.lock"):
        os.utime(clone / name, (old, old))
    proc = make("-C", str(clone), "check-data")
    assert "data/raw/2012: all files match the manifest" in proc.stdout
    assert (clone / ".build" / "data_dir").read_text(encoding="utf-8") == f"{clone / 'data' / 'raw'}\n"
    assert (clone / ".venv").is_symlink()
