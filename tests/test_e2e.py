"""End to end: `make` into a temporary OUT_DIR, then check what it wrote and how Make behaves."""

import hashlib
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest

from snwlib.manifest import accept

from .conftest import RAW_2012, REPO, edit_csv, with_statement

pytestmark = pytest.mark.e2e


def make(*args, check=True, env=None):
    """Run make -j2 in the repository (with ``env`` added to the environment); return the completed
    process (stdout+stderr as text)."""
    # A make of its own, not a sub-make of `make test`: no inherited jobserver or level.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")} | (env or {})
    # -j2: parallel builds must be safe (the issue asks for it), and it halves the time of this file.
    proc = subprocess.run(
        ["make", "-j2", "--no-print-directory", "-C", str(REPO), *args],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"make {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def tree_hashes(folder: Path) -> dict:
    return {
        p.relative_to(folder): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    before = tree_hashes(REPO / "data" / "raw")
    proc = make(f"OUT_DIR={out}")
    assert tree_hashes(REPO / "data" / "raw") == before, "the pipeline must never write into data/raw"
    return out, proc


def test_make_prints_one_line_per_notebook(built):
    _, proc = built
    assert re.search(r"^ingest 2012\s+ok\s+[\d.]+ s$", proc.stdout, re.M), proc.stdout
    assert re.search(r"^C1\s+ok\s+[\d.]+ s$", proc.stdout, re.M), proc.stdout
    assert re.search(r"^C7\s+ok\s+[\d.]+ s$", proc.stdout, re.M), proc.stdout
    assert re.search(r"^C2\s+ok\s+[\d.]+ s$", proc.stdout, re.M), proc.stdout
    assert re.search(r"^C8\s+ok\s+[\d.]+ s$", proc.stdout, re.M), proc.stdout
    assert re.search(r"^C9\s+ok\s+[\d.]+ s$", proc.stdout, re.M), proc.stdout
    assert "ledger 230 match, 0 mismatch, 25 report-inconsistent, 16 not-in-source" in proc.stdout
    assert "Kernel" not in proc.stdout + proc.stderr, "kernel noise belongs in the log"


def test_tables_hold_the_published_values(built):
    out, _ = built
    t2 = pd.read_csv(out / "data/processed/C1_tabel2.csv")
    assert t2.set_index("activiteit").at["SNW cafés", "aantallen"] == "4x, gemiddeld 60-65 bezoekers"
    assert t2.set_index("activiteit").at["LinkedIn groep", "aantallen"] == "3.082 leden"
    k = pd.read_csv(out / "data/processed/C1_kengetallen.csv")
    assert len(k) == 28 and k.set_index("sleutel").at["website.bezoekers_totaal@2012-11-13", "waarde"] == 10553


def test_figures_exist_as_png_and_svg(built):
    out, _ = built
    png, svg = out / "figures/C1_kanalen_groei.png", out / "figures/C1_kanalen_groei.svg"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    assert "Groei van de kanalen van het Slimmernetwerk" in svg.read_text(encoding="utf-8")


def test_replication_ledger(built):
    out, _ = built
    rep = pd.read_csv(out / "reports/replication.csv", dtype=str, keep_default_na=False)
    assert list(rep.columns) == [
        "appendix",
        "quantity",
        "published",
        "source",
        "recomputed",
        "tolerance",
        "status",
        "note",
        "table",
        "row",
        "column",
    ]
    assert len(rep) == 271
    assert rep.appendix.value_counts().to_dict() == {"C8": 73, "C7": 59, "C1": 58, "C9": 42, "C2": 39}
    assert rep.status.value_counts().to_dict() == {"match": 230, "report-inconsistent": 25, "not-in-source": 16}
    c9 = rep[rep.appendix == "C9"].set_index("published")
    assert float(c9.loc["7,43", "recomputed"]) == pytest.approx(223 / 30, abs=1e-6)
    c7 = rep[rep.appendix == "C7"].set_index("published")
    assert c7.loc["4,95", "status"] == "report-inconsistent" and "wijkt af van" in c7.loc["4,95", "note"]
    assert float(c7.loc["7,769231", "recomputed"]) == pytest.approx(101 / 13, abs=1e-6)
    row = rep[(rep.published == "10.553")].iloc[0]
    assert (float(row.recomputed), float(row.tolerance), row.status) == (10553.0, 0.5, "report-inconsistent")
    assert "809 per maand" in row.note and "komt overeen met" in row.note
    row = rep[(rep.published == "ca. 700")].iloc[0]
    assert (round(float(row.recomputed)), row.status) == (809, "report-inconsistent") and "wijkt af van" in row.note


def test_html_for_researchers_and_steering_group(built):
    out, _ = built
    researchers = (out / "reports/C1.html").read_text(encoding="utf-8")
    stuurgroep = (out / "reports/stuurgroep/C1.html").read_text(encoding="utf-8")
    for page in (researchers, stuurgroep):
        assert "Meting 2012" in page and "gebouwd op" in page
        assert "overgenomen uit het gepubliceerde rapport" in page
        assert 'lang="nl"' in page
        assert page.count("data:image/png;base64,") >= 1, "figures are embedded"
        # opens from a USB stick: nothing is fetched from the network
        assert not re.search(r"<(script|link|img|iframe)[^>]*(src|href)=[\"']?(https?:)?//", page)
        assert not re.search(r"@import|url\([\"']?(https?:)?//", page)
    assert "open_wave" in researchers and 'class="jp-InputPrompt' in researchers
    assert "open_wave" not in stuurgroep, "no code for the steering group"
    assert "vnd.snwlib" not in researchers + stuurgroep, "the audit record stays in the executed notebook"
    assert 'class="jp-InputPrompt' not in stuurgroep
    assert "Tabel 2 Activiteiten van het Slimmernetwerk" in stuurgroep
    assert "Alle gepubliceerde getallen" in researchers and "Alle gepubliceerde getallen" not in stuurgroep


def test_index_links_both_versions_with_counts(built):
    out, _ = built
    index = (out / "reports/index.html").read_text(encoding="utf-8")
    assert "href='stuurgroep/C1.html'" in index and "href='C1.html'" in index
    assert re.search(r"<td>50</td><td>0</td><td>5</td><td>3</td>", index)
    assert re.search(r"<td>52</td><td>0</td><td>7</td><td>0</td>", index)
    assert "href='stuurgroep/C7.html'" in index and "href='stuurgroep/C2.html'" in index
    assert re.search(r"<td>26</td><td>0</td><td>8</td><td>5</td>", index)
    assert re.search(r"<td>70</td><td>0</td><td>3</td><td>0</td>", index)
    assert re.search(r"<td>32</td><td>0</td><td>2</td><td>8</td>", index)


def test_the_code_analysis_beside_ingestion_is_the_analysis(built, tmp_path):
    """From nothing, the analysis of which code each notebook runs goes in the background while
    ingestion runs; the second reading of the Makefile waited for it. What it left is what the
    analysis writes when run alone, and nothing is pending."""
    import sys

    out, _ = built
    code = out / ".build" / "code"
    assert (code / "checked").exists() and not (code / "pending").exists()
    assert (code / "background.log").read_text() == ""
    alone = tmp_path / "code"
    subprocess.run([sys.executable, "-m", "snwlib.codedeps", "--out", str(alone)], check=True, cwd=REPO)
    shas = sorted(p.name for p in alone.glob("*.sha"))
    assert shas == sorted(p.name for p in code.glob("*.sha")) and "C7.sha" in shas
    for name in shas:
        assert (code / name).read_text() == (alone / name).read_text(), name


def test_unchanged_tree_rebuilds_nothing(built):
    out, _ = built
    assert make(f"OUT_DIR={out}", "-q", check=False).returncode == 0
    assert re.fullmatch(r"make(\[\d+\])?: Nothing to be done for 'all'\.", make(f"OUT_DIR={out}").stdout.strip())


def test_changed_inputs_rebuild_what_reads_them(built, tmp_path):
    out, _ = built
    data = tmp_path / "raw"
    shutil.copytree(RAW_2012, data / "2012")
    run = make(f"OUT_DIR={out}", f"DATA_DIR={data}").stdout
    assert re.search(r"^ingest 2012\s+ok", run, re.M), "another DATA_DIR is another parameter of ingestion"
    assert not re.search(r"^C\d\s+ok", run, re.M), (
        "the same data: ingestion keeps every processed file, no notebook reruns"
    )
    assert make(f"OUT_DIR={out}", f"DATA_DIR={data}", "-q", check=False).returncode == 0
    time.sleep(1.1)
    edit_csv(
        data / "2012" / "c1_kengetallen.csv",
        "77 aanwezigen; Tabel 2 (r. 770)",
        "77 aanwezigen; Tabel 2 (r. 770) nagekeken",
    )
    accept(data / "2012")
    run = make(f"OUT_DIR={out}", f"DATA_DIR={data}").stdout
    assert re.search(r"^C1\s+ok", run, re.M), "the notebook that reads the file"
    assert not re.search(r"^C[2789]\s+ok", run, re.M), "only the notebooks that read the file"
    time.sleep(1.1)
    kraan = REPO / "references" / "kraan2008.csv"
    before = kraan.stat()
    try:
        os.utime(kraan)
        dry = make(f"OUT_DIR={out}", f"DATA_DIR={data}", "-n").stdout
        assert "snwlib run C7" in dry and "ingest" not in dry
    finally:
        os.utime(kraan, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_changed_figure_function_reruns_only_the_notebook_drawing_with_it(built, tmp_path):
    """figures.diverging_bars is drawn by C7 alone: changing it reruns C7 (and the ledger and the
    index after it), not ingestion or another notebook.

    The change is made in a copy of the repository that builds on this clone's .venv, into a copy
    of the shared build (dates kept), so that no file of the repository changes (the fork server of
    the repository, and any test running meanwhile, would see it). PYTHONPATH makes every Python of
    the copy's build, its kernels too, import the copy's snwlib (the .venv points at this clone's)."""
    stamp = REPO / ".venv" / ".snwlib-installed"
    if not stamp.exists():
        pytest.skip("needs the repository's .venv")
    clone, out = tmp_path / "clone", tmp_path / "out"
    clone.mkdir()
    for name in ("Makefile", "requirements.lock", "requirements-bootstrap.lock"):
        shutil.copy2(REPO / name, clone / name)
    for name in ("snwlib", "notebooks", "codebooks", "references"):
        shutil.copytree(REPO / name, clone / name, ignore=shutil.ignore_patterns("__pycache__"))
    (clone / ".venv").symlink_to(REPO / ".venv")
    shutil.copytree(built[0], out, symlinks=True)
    # the raw data the shared build last read (tests before this one change it): ingestion's parameter
    data_dir = (out / ".build" / "data_dir").read_text(encoding="utf-8").strip()
    args = ("-C", str(clone), f"OUT_DIR={out}", f"DATA_DIR={data_dir}")
    env = {"PYTHONPATH": str(clone)}
    try:
        if make(*args, "-q", check=False, env=env).returncode != 0:
            make(*args, env=env)  # what a test before this one left to do
        assert make(*args, "-q", check=False, env=env).returncode == 0, "the copy starts up to date"
        executed = {p.name: p.stat().st_mtime_ns for p in (out / "reports" / "executed").glob("*.ipynb")}
        figures = clone / "snwlib" / "figures.py"
        figures.write_text(with_statement(figures.read_text(), "diverging_bars", "title = str(title)"))
        run = make(*args, env=env).stdout
        assert re.search(r"^C7\s+ok", run, re.M), run
        assert not re.search(r"^(ingest|C[1289])", run, re.M), run
        assert "ledger 230 match" in run and "reports:" in run
        assert [
            p.name for p in (out / "reports" / "executed").glob("*.ipynb") if p.stat().st_mtime_ns != executed[p.name]
        ] == ["C7.ipynb"]
        # why C7 reran: its lists of code before and after differ in the function that changed
        code = out / ".build" / "code"
        before, after = (
            dict(line.split()[:2] for line in (code / name).read_text().splitlines()[1:])
            for name in ("C7.units.before", "C7.units")
        )
        assert [u for u in after if after[u] != before.get(u)] == ["snwlib.figures:diverging_bars"]
        assert make(*args, "-q", check=False, env=env).returncode == 0
    finally:
        # the copy's commands started a warm server of their own (snwlib.forkserver): stop it
        python = str(clone / ".venv" / "bin" / "python")
        subprocess.run(
            [python, "-m", "snwlib.forkserver", "stop"], cwd=clone, env=os.environ | env, capture_output=True
        )


def test_bad_raw_data_stops_the_build_and_keeps_earlier_outputs(built, tmp_path):
    out, _ = built
    data = tmp_path / "raw"
    shutil.copytree(RAW_2012, data / "2012")
    make(f"OUT_DIR={out}", f"DATA_DIR={data}")
    before = tree_hashes(out / "reports") | tree_hashes(out / "data") | tree_hashes(out / "figures")
    edit_csv(
        data / "2012" / "c1_kengetallen.csv", "website,bezoekers_totaal,,10553,", "website,bezoekers_totaal,,10.553,"
    )
    accept(data / "2012")
    proc = make(f"OUT_DIR={out}", f"DATA_DIR={data}", check=False)
    assert proc.returncode != 0
    assert re.search(r"^ingest 2012\s+FAILED", proc.stdout, re.M)
    assert not re.search(r"^C\d\s+(ok|FAILED)", proc.stdout, re.M), "no notebook runs on data that failed ingestion"
    assert (
        "c1_kengetallen.csv, row 18, column 'waarde': value '10.553': ambiguous: the '.' or ',' may group thousands"
        in proc.stderr
    )
    assert "Traceback" not in proc.stderr
    after = tree_hashes(out / "reports") | tree_hashes(out / "data") | tree_hashes(out / "figures")
    assert after == before, "a failed run must leave the earlier outputs as they were"
    assert not any((out / ".staging").glob("*")), "no half-written staging folders remain"
    assert not list((out / "data" / "processed").glob(".*")), "no half-written ingestion remains"


def test_unexplained_mismatch_fails_the_build(built, tmp_path):
    # A copy of the shared build (dates kept): only what reads the changed file reruns.
    out, data = tmp_path / "out", tmp_path / "raw"
    shutil.copytree(built[0], out, symlinks=True)
    shutil.copytree(RAW_2012, data / "2012")
    edit_csv(data / "2012" / "c1_kengetallen.csv", "grand_cafe,aanwezigen,,77,", "grand_cafe,aanwezigen,,70,")
    accept(data / "2012")
    proc = make(f"OUT_DIR={out}", f"DATA_DIR={data}", check=False)
    assert proc.returncode != 0
    assert re.search(r"^C1\s+ok", proc.stdout, re.M) and not re.search(r"^C[2789]\s+ok", proc.stdout, re.M)
    assert "2 unexplained mismatch(es)" in proc.stderr
    assert "C1: Grand café: bezoekers: published 77 (Tabel 2 (r. 770)), recomputed 70.0" in proc.stderr
    for kept in ("reports/replication.csv", "reports/index.html"):
        assert (out / kept).read_bytes() == (built[0] / kept).read_bytes(), f"a failed ledger leaves {kept} as it was"


def test_check_data(tmp_path):
    out = f"OUT_DIR={tmp_path / 'out'}"
    assert "c1_kengetallen.csv: ok, 28 rows" in make(out, "check-data").stdout
    data = tmp_path / "raw"
    shutil.copytree(RAW_2012, data / "2012")
    edit_csv(
        data / "2012" / "c1_kengetallen.csv",
        "grand_cafe,aanwezigen,,77,bezoekers,exact,2012-11-22",
        "grand_cafe,aanwezigen,,77,bezoekers,exact,22-11-2012",
    )
    accept(data / "2012")
    proc = make(out, f"DATA_DIR={data}", "check-data", check=False)
    assert proc.returncode != 0
    assert "row 10, column 'periode_begin': value '22-11-2012': not a date" in proc.stdout


def test_c7_outputs_and_reconstruction_banner(built):
    out, _ = built
    t3 = pd.read_csv(out / "data/processed/C7_tabel3.csv")
    assert t3.gemiddelde.round(1).tolist()[:7] == [4.1, 4.3, 3.6, 4.7, 3.4, 4.1, 3.9]
    alfa = pd.read_csv(out / "data/processed/C7_alfa.csv")
    assert len(alfa) == 7 and alfa.n.tolist() == [14] * 7
    ref = pd.read_csv(out / "data/processed/C7_referentie.csv")
    assert ref.maat.tolist() == ["(Individuele) werkprestaties", "3A", "3B", "3C", "3D"]
    for name in ("C7_schaalprofiel", "C7_referentie", "C7_sectie1", "C7_sectie7", "C7_verdeling_3D", "C7_verdeling_7K"):
        assert (out / f"figures/{name}.png").exists() and (out / f"figures/{name}.svg").exists(), name
        assert (out / f"data/processed/{name}.csv").exists(), "a figure's table is written beside it"
    assert not (out / "figures/C7_metingen_profiel.png").exists(), "no earlier wave, no wave figure"
    for name in ("C7_verdeling_3D", "C7_sectie1", "C7_sectie7"):
        assert (out / f"figures/{name}_stuurgroep.png").exists(), "the steering group's version, small groups left out"
    steering = (out / "reports/stuurgroep/C7.html").read_text(encoding="utf-8")
    researchers = (out / "reports/C7.html").read_text(encoding="utf-8")
    assert steering.count("<img") == researchers.count("<img") == 11
    assert "snw-reconstructed" in steering and "RECONSTRUCTIE" in steering
    assert "Er is geen eerdere meting" in steering
    assert "Kennisbehoud publieke sector" in steering and "Mag in Enschede zijn." in steering
    assert "is d = 0,81: een groot effect." in steering


def test_c8_c9_outputs(built):
    out, _ = built
    for name in ("C8_vraag4", "C8_vraag9", "C8_rapportcijfers", "C9_rapportcijfer", "C9_vraag10"):
        assert (out / f"figures/{name}.png").exists() and (out / f"figures/{name}.svg").exists(), name
    c8 = (out / "reports/stuurgroep/C8.html").read_text(encoding="utf-8")
    assert "RECONSTRUCTIE" in c8 and "Ontdekken of ik bij een doetank wil aansluiten." in c8
    assert "mijn collega ([naam]) er alleen" in c8
    c9 = (out / "reports/stuurgroep/C9.html").read_text(encoding="utf-8")
    assert "niet beschikbaar in de bron" in c9 and "mobiliteit in opbouwende (transitie) van organisatie" in c9
    # small groups: hidden (with a footnote) for the steering group, shown to researchers
    # the figure's text alternative is written from the protected table: it says what is hidden
    hidden_alt = "Rapportcijfer SNW café IV: gemiddelde verborgen (6 respondenten)"
    assert "niet getoond (regel voor kleine groepen, minimaal 5 respondenten)" in c8 and hidden_alt in c8
    researchers = (out / "reports/C8.html").read_text(encoding="utf-8")
    assert "niet getoond (regel voor kleine groepen" not in researchers and hidden_alt not in researchers
    assert "Rapportcijfer SNW café IV: gemiddeld 7,83 (6 respondenten)" in researchers
    assert (out / "figures/C8_vraag4_stuurgroep.png").exists()
    assert "min_cell=5" in (out / ".build/parameters").read_text()


def _decoded(path: Path) -> bytes:
    """A file's content as a reader sees it: Parquet decoded to text, other files as they are."""
    if path.suffix == ".parquet":
        return pd.read_parquet(path).astype(str).to_csv().encode("utf-8")
    return path.read_bytes()


def test_the_reports_own_name_is_in_no_output(built):
    """Bijlage C8 quotes an absentee who names a colleague; the raw file keeps the report's text."""
    out, _ = built
    assert "Kamp" in (RAW_2012 / "c8_afwezigen.csv").read_text(encoding="utf-8")
    for p in (q for q in out.rglob("*") if q.is_file()):
        assert b"van der Kamp" not in _decoded(p), p


def test_processed_data_hold_no_identifying_column(built):
    import json

    from snwlib.codebook import load_codebook

    out, _ = built
    prov = json.loads((out / "data/processed/2012/provenance.json").read_text(encoding="utf-8"))
    exports = {name: t["codebook"] for name, t in prov["tables"].items() if t["kind"] == "answers"}
    assert sorted(exports) == ["c7_antwoorden", "c8_antwoorden", "c9_antwoorden"]
    dropped = set()
    for export, cb in exports.items():
        identifying = {i["id"] for i in load_codebook(cb)["items"] if i.get("identifying")}
        for p in (out / "data/processed/2012").glob(f"{export}*.parquet"):
            assert not identifying & set(pd.read_parquet(p).columns), p.name
        assert set(prov["tables"][export]["dropped"]) == identifying
        dropped |= identifying
    assert dropped == {"v10", "v11_naam", "v11_telefoon", "v11_email"}


def test_every_match_row_recomputes_the_cell_it_names(built):
    out, _ = built
    rep = pd.read_csv(out / "reports/replication.csv", dtype=str, keep_default_na=False)
    checked = 0
    for r in rep[rep.status == "match"].itertuples():
        table = pd.read_csv(out / "data/processed" / r.table, dtype=str, keep_default_na=False)
        cell = table.loc[table.iloc[:, 0] == r.row, r.column]
        assert len(cell) == 1, (r.table, r.row, r.column)
        assert float(r.recomputed) == pytest.approx(float(cell.iloc[0]), abs=1e-6), r.quantity
        checked += 1
    assert checked == 230


def test_every_steering_group_table_and_figure_passes_the_audit(built):
    """The policy's own auditor, fed what each steering-group table and figure of the build shows,
    finds nothing it would still hide; every one of them has a declared structure."""
    import json

    from snwlib.disclosure import audit
    from snwlib.present import AUDIT_MIME
    from snwlib.tables import Structure

    out, _ = built
    records = []
    for nb in sorted((out / "reports/executed").glob("*.ipynb")):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            for o in cell.get("outputs", []):
                rec = o.get("data", {}).get(AUDIT_MIME)
                if rec:
                    records += rec["items"] if rec["kind"] == "several" else [rec]
    assert len(records) > 80
    for rec in records:
        assert rec["structure"] is not None, rec["name"]
        values = pd.DataFrame(rec["values"]["data"], columns=rec["values"]["columns"])
        hidden = {(r, c) for r, c in rec["hidden"]}
        assert audit(values, hidden, Structure.from_dict(rec["structure"]), rec["min_cell"]) == [], rec["name"]
    hidden_somewhere = [r["name"] for r in records if r["hidden"]]
    assert {"C8_rapportcijfers", "C9_vraag4", "C7_sectie2", "C7_sectie5_samengevoegd"} <= set(hidden_somewhere)


PLANTED = [
    "Zwanenburg",
    "Henri\u00ebtte",
    "h.zwanenburg@example.org",
    "06-24681357",
    "Grootveld",
    "kees@grootveld.nl",
    "Pietersma",
    "0612345679",
    "a.pietersma@example.nl",
    "Van Dijkhuizen",
]


def plant_personal_data(raw: Path) -> set:
    """Plant names, e-mail addresses and phone numbers in identifying columns and in free text of
    every instrument with respondent rows (C7, C8, C9); return the cells as (file, row, column)."""
    cells = {
        "c7_antwoorden": {
            (3, "v10"): "Henri\u00ebtte Zwanenburg-Plantinga",
            (4, "v8"): "Mail me: h.zwanenburg@example.org of bel 06-24681357.",
        },
        "c8_antwoorden": {(2, "v14"): "Vraag het aan Kees Grootveld (kees@grootveld.nl)"},
        "c9_antwoorden": {
            (0, "v11_naam"): "Anna Pietersma",
            (0, "v11_telefoon"): "0612345679",
            (0, "v11_email"): "a.pietersma@example.nl",
            (26, "v3_toelichting"): "Vraag het mevrouw Van Dijkhuizen",  # a field no published count reads
        },
    }
    for name, planted in cells.items():
        df = pd.read_csv(raw / f"{name}.csv", dtype=str, keep_default_na=False)
        for (row, column), text in planted.items():
            df.loc[row, column] = text
        df.to_csv(raw / f"{name}.csv", index=False)
    return {(name, row, column) for name, planted in cells.items() for row, column in planted}


def test_personal_data_planted_in_every_instrument_appears_in_no_output(hostile_build):
    """Names, e-mail addresses and phone numbers planted in identifying columns and in free text of
    every instrument with respondent rows (C7, C8, C9) appear in no file the pipeline writes."""
    out = hostile_build.out
    written = [p for p in out.rglob("*") if p.is_file()]
    assert len(written) > 40 and any(p.suffix == ".parquet" for p in written)
    for p in written:
        content = _decoded(p)
        for secret in PLANTED:
            assert secret.encode() not in content, (p, secret)
    assert "[naam]" in (out / "reports/C8.html").read_text(encoding="utf-8")


def test_a_raw_file_changed_behind_the_manifests_back_stops_the_run(built, tmp_path):
    """The manifest is checked before anything is read; accepting the change lets it run."""
    out, _ = built
    data = tmp_path / "raw"
    shutil.copytree(RAW_2012, data / "2012")
    before = tree_hashes(out / "reports") | tree_hashes(out / "data")
    edit_csv(data / "2012" / "c1_kengetallen.csv", "grand_cafe,aanwezigen,,77,", "grand_cafe,aanwezigen,,78,")
    (data / "2012" / "c8_respons.csv").unlink()
    proc = make(f"OUT_DIR={out}", f"DATA_DIR={data}", "C1", check=False)
    assert proc.returncode != 0 and re.search(r"^ingest 2012\s+FAILED", proc.stdout, re.M)
    assert "c1_kengetallen.csv: changed since the manifest was made (SHA-256 differs)" in proc.stderr
    assert "c8_respons.csv: listed in the manifest but missing" in proc.stderr
    assert "make accept-data" in proc.stderr
    assert tree_hashes(out / "reports") | tree_hashes(out / "data") == before
    check = make(f"OUT_DIR={out}", f"DATA_DIR={data}", "check-data", check=False)
    assert check.returncode != 0 and "2 file(s) differ from the manifest" in check.stdout
    assert "written, 12 files" in make(f"DATA_DIR={data}", "accept-data").stdout
    assert "all files match the manifest" in make(f"OUT_DIR={out}", f"DATA_DIR={data}", "check-data").stdout
