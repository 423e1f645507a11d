"""make new-wave: data-entry templates made from the codebooks, read by the validator as they are."""

import datetime as dt
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pandas as pd
import pytest
import yaml
from openpyxl.utils import column_index_from_string, get_column_letter

from snwlib.codebook import all_codebooks
from snwlib.files import DataFileError
from snwlib.ingest import check_file, ingest, wave_codebooks
from snwlib.manifest import accept
from snwlib.newwave import LISTS_SHEET, entry_tables, main, new_wave, previous_wave
from snwlib.rawfiles import read_table
from snwlib.scoring import read_answers
from snwlib.validate import table_schema

from .conftest import RAW_2012, REPO

CODEBOOKS = all_codebooks()
TABLES = entry_tables(CODEBOOKS)


@pytest.fixture(scope="module")
def wave_2013(tmp_path_factory):
    """A new wave 2013 beside a copy of the shipped 2012: its folder."""
    data = tmp_path_factory.mktemp("raw")
    shutil.copytree(RAW_2012, data / "2012")
    return new_wave(data, "2013").folder


def validations(ws) -> dict:
    """A sheet's data validations by the column letter of the cells they cover."""
    return {re.match("[A-Z]+", str(dv.sqref)).group(): dv for dv in ws.data_validations.dataValidation}


def checks_of(ws) -> dict:
    """A sheet's data validations by the name (row 1) of the column they cover."""
    return {ws[f"{col}1"].value: dv for col, dv in validations(ws).items()}


def dropdown(wb, dv) -> list:
    """The entries of a list validation, read through its defined name from the lists sheet."""
    sheet, cells = next(wb.defined_names[dv.formula1].destinations)
    return [c.value for (c,) in wb[sheet][cells.replace("$", "")]]


def expected_columns(table: str) -> list:
    cb = CODEBOOKS[TABLES[table]]
    if table == cb.get("export"):
        return [cb.get("respondent_id", "respondent"), *(item["id"] for item in cb["items"])]
    return list(table_schema(cb["tables"][table]).columns)


# --- the workbooks -------------------------------------------------------------------------------
def test_a_workbook_per_table_with_the_columns_the_validator_expects(wave_2013):
    assert sorted(p.name for p in wave_2013.iterdir()) == sorted(
        [*(f"{t}.xlsx" for t in TABLES), "metadata.yaml", "README.md"]
    )
    assert len(TABLES) == 12  # c2_kengetallen (issue 14) is the twelfth
    for table in TABLES:
        path = wave_2013 / f"{table}.xlsx"
        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[0]
        assert ws.title == table and ws.sheet_state == "visible"
        header = [c.value for c in ws[1]]
        assert header == expected_columns(table), table
        # the reader takes the sheet named after the table, never the hidden lists
        assert list(read_table(path, table=table).columns) == header
        if len(wb.sheetnames) > 1:
            assert wb.sheetnames == [table, LISTS_SHEET] and wb[LISTS_SHEET].sheet_state == "hidden"
        checks = validations(ws)
        for j, name in enumerate(header, 1):
            letter = get_column_letter(j)
            assert ws.cell(1, j).comment is not None and ws.cell(1, j).comment.text, (table, name)
            dv = checks[letter]
            assert str(dv.sqref) == f"{letter}2:{letter}1048576", (table, name)
            assert dv.showInputMessage and dv.prompt and len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32
            if dv.type is not None:
                assert dv.showErrorMessage and dv.errorStyle == "stop" and len(dv.error) <= 255
        with zipfile.ZipFile(path) as z:  # no formulas for the reader to refuse
            sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
            assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)


def test_the_question_text_is_the_header_comment_and_the_input_message(wave_2013):
    ws = openpyxl.load_workbook(wave_2013 / "c7_antwoorden.xlsx")["c7_antwoorden"]
    assert ws["B1"].value == "v1a"
    assert ws["B1"].comment.text.startswith(
        "Vraag 1A. De volgende uitspraken gaan over je werkgedrag in je Doetank; we willen je vragen zo eerlijk"
    )
    assert (
        "In mijn Doetank bedenk ik oplossingen voor knelpunten, die maar niet opgelost raken" in ws["B1"].comment.text
    )
    assert "\n1 = Helemaal mee oneens\n2 = Mee oneens\n" in ws["B1"].comment.text
    dv = checks_of(ws)["v1a"]
    assert dv.promptTitle == "v1a (vraag 1A)"
    assert dv.prompt == (
        "In mijn Doetank bedenk ik oplossingen voor knelpunten, die maar niet opgelost raken\n"
        "Kies een antwoord uit de lijst (pijltje naast de cel)."
    )
    # a question too long for Excel's 255 characters is cut, the instruction kept
    v3d = checks_of(ws)["v3d"]
    assert 250 <= len(v3d.prompt) <= 255
    assert v3d.prompt.endswith("…\nVul een geheel getal in van 0 tot en met 100.")
    # the name column of B5 is dropped at ingestion, and says so
    assert "Persoonsgegevens: deze kolom wordt bij het inlezen verwijderd." in checks_of(ws)["v10"].prompt


def test_dropdowns_hold_the_codebooks_labels(wave_2013):
    wb = openpyxl.load_workbook(wave_2013 / "c7_antwoorden.xlsx")
    checks = checks_of(wb["c7_antwoorden"])
    assert checks["v1a"].type == "list" and checks["v1a"].formula1 == "lijst_eens5"
    assert dropdown(wb, checks["v1a"]) == [
        "Helemaal mee oneens",
        "Mee oneens",
        "Noch mee eens noch oneens",
        "Mee eens",
        "Helemaal mee eens",
    ]
    assert dropdown(wb, checks["v3a"]) == [  # seven points
        "Helemaal niet kenmerkend",
        "Nauwelijks kenmerkend",
        "Enigszins kenmerkend",
        "Nogal kenmerkend",
        "Behoorlijk kenmerkend",
        "In sterke mate kenmerkend",
        "Helemaal kenmerkend",
    ]
    # section 7 as the questionnaire prints it, and the missing-value answer as 2012's export has it
    assert dropdown(wb, checks["v7a"]) == [
        "Zeer mee eens",
        "Mee eens",
        "Eens noch oneens",
        "Mee oneens",
        "Zeer mee oneens",
        "Niet van toepassing/weet niet",
    ]
    # labels with commas, which an inline list could not hold
    wb8 = openpyxl.load_workbook(wave_2013 / "c8_antwoorden.xlsx")
    assert dropdown(wb8, checks_of(wb8["c8_antwoorden"])["v3"]) == [
        "Ja, namelijk",
        "Nee",
        "Nee, maar ik ben wel (indirect) betrokken bij één of meerdere doetanks",
        "Nee, maar ik ben het wel van plan",
    ]
    c2 = openpyxl.load_workbook(wave_2013 / "c2_doetanks.xlsx")
    checks = checks_of(c2["c2_doetanks"])
    assert dropdown(c2, checks["tabel4_fase"]) == ["0", "1", "2", "1 of 2"]  # text, as the validator compares
    assert dropdown(c2, checks["c2_status"]) == ["actief", "idee", "afgerond", "gestopt"]
    kg = openpyxl.load_workbook(wave_2013 / "c1_kengetallen.xlsx")
    assert dropdown(kg, checks_of(kg["c1_kengetallen"])["kwalificatie"]) == [
        "exact",
        "ongeveer",
        "meer dan",
        "minder dan",
    ]


@pytest.mark.parametrize("table", [t for t in TABLES if t == CODEBOOKS[TABLES[t]].get("export")])
def test_every_dropdown_entry_is_an_answer_the_validator_reads_and_every_code_has_one(wave_2013, table):
    cb = CODEBOOKS[TABLES[table]]
    wb = openpyxl.load_workbook(wave_2013 / f"{table}.xlsx")
    ws = wb[table]
    lists = {name: dropdown(wb, dv) for name, dv in checks_of(ws).items() if dv.type == "list"}
    n = max(len(v) for v in lists.values())
    frame = pd.DataFrame({name: [""] * n for name in (c.value for c in ws[1])}, index=range(2, n + 2))
    frame["respondent"] = [f"r{i}" for i in range(n)]
    for item, options in lists.items():
        frame[item] = [options[i % len(options)] for i in range(n)]
    answers = read_answers(frame, cb, "test").answers  # raises on any entry it cannot read
    scales = {i["id"]: cb["answer_scales"][i["answers"]] for i in cb["items"]}
    for item in lists:
        assert set(answers[item].dropna().astype(int)) == {int(c) for c in scales[item]["codes"]}, item


def test_numbers_and_dates_get_the_codebooks_ranges(wave_2013):
    def rule(table, column):
        dv = checks_of(openpyxl.load_workbook(wave_2013 / f"{table}.xlsx")[table])[column]
        return dv.type, dv.operator, dv.formula1, dv.formula2

    assert rule("c7_antwoorden", "v3d") == ("whole", "between", "0", "100")
    assert rule("c7_antwoorden", "v7k") == ("whole", "between", "1", "10")
    c7 = checks_of(openpyxl.load_workbook(wave_2013 / "c7_antwoorden.xlsx")["c7_antwoorden"])
    assert c7["v7k"].error == "Deze waarde is geen geldig antwoord. Vul een geheel getal in van 1 tot en met 10."
    # B7's grades may be written 7,5 on paper: decimal
    assert rule("c8_antwoorden", "v10") == ("decimal", "between", "1", "10")
    c8 = checks_of(openpyxl.load_workbook(wave_2013 / "c8_antwoorden.xlsx")["c8_antwoorden"])
    assert c8["v10"].error.endswith("Vul een getal in van 1 tot en met 10 (decimalen met een komma).")
    assert rule("c1_kengetallen", "waarde") == ("decimal", "greaterThanOrEqual", "0", None)
    assert rule("c1_kengetallen", "periode_begin") == ("date", "between", "1", "2958465")
    # periode_eind not before periode_begin (column G): each row compares with its own cell
    assert rule("c1_kengetallen", "periode_eind") == ("date", "greaterThanOrEqual", "G2", None)
    assert rule("c8_prioriteiten", "prioriteit") == ("whole", "between", "1", "5")
    assert rule("c2_doetanks", "tabel4_nr") == ("decimal", "greaterThanOrEqual", "1", None)
    assert rule("c8_afwezigen", "nr") == ("whole", "greaterThanOrEqual", "1", None)
    assert rule("c7_antwoorden", "v8") == (None, None, None, None)  # free text: the input message only


# --- filled in, read as it is --------------------------------------------------------------------
def fill(path, rows: pd.DataFrame) -> None:
    """Type ``rows`` (text, as read from 2012's CSV files) into the template at ``path`` as a
    spreadsheet stores them: numbers in number columns as numbers, dates as dates, the rest as text."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    kinds = {column_index_from_string(col): dv.type for col, dv in validations(ws).items()}
    for i, (_, row) in enumerate(rows.iterrows(), 2):
        for j, name in enumerate(header, 1):
            text = str(row[name])
            if text.strip() == "":
                continue
            value = text
            if kinds.get(j) in ("whole", "decimal"):
                try:
                    number = float(text.replace(",", "."))
                    value = int(number) if number.is_integer() else number
                except ValueError:
                    pass
            elif kinds.get(j) == "date":
                value = dt.date.fromisoformat(text)
            cell = ws.cell(i, j, value)
            if isinstance(value, str):
                cell.data_type = "s"  # typed text, even "=..."
    wb.save(path)


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """Templates of a first wave (nothing to pre-fill), filled in with 2012's raw rows."""
    data = tmp_path_factory.mktemp("filled")
    created = new_wave(data, "2012")
    assert created.previous is None and set(created.templates.values()) == {0}
    folder = created.folder
    for table in TABLES:
        fill(folder / f"{table}.xlsx", read_table(RAW_2012 / f"{table}.csv"))
    shutil.copy(RAW_2012 / "metadata.yaml", folder / "metadata.yaml")
    accept(folder)
    return folder


def test_templates_filled_with_2012s_rows_give_the_same_processed_data(filled, processed, tmp_path):
    out = ingest(filled.parent, "2012", tmp_path)
    ours = sorted(p.name for p in out.glob("*.parquet"))
    assert ours == sorted(p.name for p in (processed / "2012").glob("*.parquet")) and len(ours) == 15
    for name in ours:
        pd.testing.assert_frame_equal(pd.read_parquet(out / name), pd.read_parquet(processed / "2012" / name))


def test_a_value_outside_the_list_names_file_row_and_column(filled, tmp_path):
    path = tmp_path / "c7_antwoorden.xlsx"
    shutil.copy(filled / "c7_antwoorden.xlsx", path)
    wb = openpyxl.load_workbook(path)
    ws = wb["c7_antwoorden"]
    assert (ws["B1"].value, ws["W1"].value) == ("v1a", "v3d")
    ws["B3"] = "Eens"
    ws["W4"] = 150
    wb.save(path)
    (checked,) = check_file(path)
    assert [str(p) for p in checked.problems] == [
        f"{path} [c7_antwoorden], row 3, column 'v1a': value 'Eens': unknown answer label (hint: expected one "
        "of: Helemaal mee oneens; Mee oneens; Noch mee eens noch oneens; Mee eens; Helemaal mee eens)",
        f"{path} [c7_antwoorden], row 4, column 'v3d': value '150': out of range (hint: expected a number from "
        "0 to 100)",
    ]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_template_saved_again_by_libreoffice_is_read_the_same(filled, tmp_path):
    """LibreOffice keeps the dropdowns, and what it saves is read as before (not needed in CI)."""
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(filled / "c7_antwoorden.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    saved = tmp_path / "c7_antwoorden.xlsx"
    wb = openpyxl.load_workbook(saved)
    checks = checks_of(wb["c7_antwoorden"])
    assert checks["v1a"].type == "list" and dropdown(wb, checks["v1a"])[0] == "Helemaal mee oneens"
    assert (checks["v3d"].type, checks["v3d"].formula1, checks["v3d"].formula2) == ("whole", "0", "100")
    (before,) = check_file(filled / "c7_antwoorden.xlsx")
    (after,) = check_file(saved)
    assert after.problems == [] and after.rows == 14
    pd.testing.assert_frame_equal(after.scored.answers, before.scored.answers)


# --- the registries, pre-filled --------------------------------------------------------------------
def test_the_registries_are_pre_filled_from_2012_with_the_measured_columns_empty(wave_2013):
    kg = read_table(wave_2013 / "c1_kengetallen.xlsx", table="c1_kengetallen")
    before = read_table(RAW_2012 / "c1_kengetallen.csv")
    assert len(kg) == len(before) == 28
    for col in ("activiteit", "kengetal", "reeks", "eenheid"):
        assert kg[col].astype(str).tolist() == before[col].astype(str).tolist(), col
    for col in ("waarde", "kwalificatie", "periode_begin", "periode_eind", "bron", "toelichting"):
        assert set(kg[col].astype(str)) == {""}, col
    assert kg.iloc[0][["activiteit", "kengetal", "eenheid"]].tolist() == ["cafes", "aantal", "bijeenkomsten"]

    dt_ = read_table(wave_2013 / "c2_doetanks.xlsx", table="c2_doetanks")
    before = read_table(RAW_2012 / "c2_doetanks.csv")
    assert dt_["id"].tolist()[:2] == ["kennisbehoud", "rekenkameronderzoek"] and len(dt_) == 15
    for col in ("id", "tabel4_nr", "tabel4_naam", "c2_naam", "c2_beoogd_doel", "managers_doetank"):
        assert dt_[col].astype(str).tolist() == before[col].astype(str).tolist(), col
    for col in ("tabel4_fase", "tabel4_groep", "tabel4_bron", "c2_stand", "c2_status", "c2_bron", "toelichting"):
        assert set(dt_[col].astype(str)) == {""}, col

    act = read_table(wave_2013 / "c1_activiteiten.xlsx", table="c1_activiteiten")
    assert act["activiteit"].tolist() == ["cafes", "grand_cafe", "masterclasses", "website", "linkedin", "twitter"]
    assert set(act["onderwerpen_doel"].astype(str)) == {""}

    # what the validator says about them: only the required cells left to measure again
    (checked,) = check_file(wave_2013 / "c1_kengetallen.xlsx")
    assert {(p.column, p.message) for p in checked.problems} == {
        (c, "empty cell") for c in ("waarde", "kwalificatie", "periode_begin", "periode_eind", "bron")
    }
    assert len(checked.problems) == 5 * 28
    (checked,) = check_file(wave_2013 / "c2_doetanks.xlsx")
    assert checked.problems == [] and checked.rows == 15


def test_the_other_tables_start_empty(wave_2013):
    for table in ("c7_antwoorden", "c7_respons", "c8_antwoorden", "c9_respons"):
        assert openpyxl.load_workbook(wave_2013 / f"{table}.xlsx").worksheets[0].max_row == 1, table


def test_metadata_lists_every_table_as_real_with_a_description_to_complete(wave_2013):
    meta = yaml.safe_load((wave_2013 / "metadata.yaml").read_text(encoding="utf-8"))
    assert list(meta) == ["wave", "datasets", "periode", "evenementen"] and meta["wave"] == "2013"
    assert list(meta["datasets"]) == list(TABLES)
    assert {d["status"] for d in meta["datasets"].values()} == {"real"}
    assert meta["datasets"]["c1_kengetallen"] == {
        "status": "real",
        "description": "AANVULLEN: one row per number (key figure) of an activity, tidy (long) format",
        "source": "AANVULLEN",
    }
    before = yaml.safe_load((RAW_2012 / "metadata.yaml").read_text(encoding="utf-8"))
    assert set(meta) == set(before) and set(meta["datasets"]) == set(before["datasets"])
    # a remark on a table (toelichting) belongs to its wave and is not carried over
    assert all(set(d) == {"status", "description", "source"} for d in meta["datasets"].values())
    # the next period, as long; the events to replace, with a comment saying so
    assert meta["periode"] == {"begin": dt.date(2013, 1, 1), "eind": dt.date(2013, 12, 31)}
    assert meta["evenementen"] == before["evenementen"]
    assert "# The evaluated events of wave 2012: replace them" in (wave_2013 / "metadata.yaml").read_text()


@pytest.mark.parametrize(
    "period, following",
    [
        ({"begin": "2012-01-01", "eind": "2012-12-31"}, ("2013-01-01", "2013-12-31")),
        ({"begin": "2012-09-01", "eind": "2013-08-31"}, ("2013-09-01", "2014-08-31")),
        ({"begin": "2012-01-01", "eind": "2012-06-30"}, ("2012-07-01", "2012-12-31")),
        ({"begin": "2011-10-14", "eind": "2012-11-13"}, ("2012-11-14", "2013-12-15")),  # 396 days, as long as before
        ("2012", None),
    ],
)
def test_the_next_period_follows_the_previous_one(period, following):
    from snwlib.newwave import _next_period

    got = _next_period(period)
    assert (got and (str(got["begin"]), str(got["eind"]))) == (following or None)


def test_other_keys_of_the_previous_metadata_are_copied_to_update(raw_copy):
    meta = raw_copy / "metadata.yaml"
    events = [{"table": "c8_antwoorden", "codebook": "b7_cafevragenlijst", "name": "Café IV"}]
    meta.write_text(meta.read_text(encoding="utf-8") + yaml.safe_dump({"events": events}), encoding="utf-8")
    text = (new_wave(raw_copy.parent, "2013").folder / "metadata.yaml").read_text(encoding="utf-8")
    assert "\n# Copied from wave 2012: update for wave 2013.\nevents:\n" in text
    assert yaml.safe_load(text)["events"] == events


def test_the_readme_says_step_by_step_what_to_do(wave_2013):
    text = (wave_2013 / "README.md").read_text(encoding="utf-8")
    assert text.startswith("# Meting 2013\n")
    data = wave_2013.parent
    for step in (
        f"6. **Controleren:** `make check-data WAVE=2013 DATA_DIR={data}`",
        f"7. **Vastleggen:** `make accept-data WAVE=2013 DATA_DIR={data}`",
        f"8. **Rapporten maken:** `make WAVE=2013 DATA_DIR={data}`",
        "   - `c1_kengetallen.xlsx` (28 rijen): opnieuw invullen: `waarde`, `kwalificatie`, `periode_begin`, "
        "`periode_eind`, `bron`, `toelichting`.",
    ):
        assert step in text, step


def test_the_previous_wave_is_the_last_accepted_one_before_the_new(tmp_path):
    for name in ("2011", "2012", "2012b-kopie", "2014", ".2013.new-1"):
        (tmp_path / name).mkdir()
        if name in ("2011", "2012", "2014"):
            (tmp_path / name / "datapackage.json").write_text("{}", encoding="utf-8")
    assert previous_wave(tmp_path, "2013") == "2012"
    assert previous_wave(tmp_path, "2012") == "2011"
    assert previous_wave(tmp_path, "2011") is None
    assert previous_wave(tmp_path / "nothing", "2013") is None


# --- never overwrite, never half-written ----------------------------------------------------------
def test_an_existing_wave_is_never_overwritten(raw_copy, capsys):
    data = raw_copy.parent
    before = {p: p.read_bytes() for p in raw_copy.iterdir()}
    with pytest.raises(DataFileError) as err:
        new_wave(data, "2012")
    (problem,) = err.value.problems
    assert str(problem) == (
        f"{raw_copy}: already exists and holds 14 file(s) (c1_activiteiten.csv, c1_kengetallen.csv, "
        "c2_doetanks.csv, ...): a wave is never overwritten (hint: choose another WAVE, or move the folder away first)"
    )
    assert {p: p.read_bytes() for p in raw_copy.iterdir()} == before
    assert sorted(p.name for p in data.iterdir()) == ["2012"]
    assert main(data, "2012") == 1
    out = capsys.readouterr()
    assert out.out == "" and out.err.count("\n") == 1 and out.err.startswith(f"new-wave 2012: {raw_copy}: already")


def test_a_folder_holding_only_a_hidden_file_is_not_overwritten_but_an_empty_one_is_used(tmp_path):
    (tmp_path / "2013").mkdir()
    (tmp_path / "2013" / ".DS_Store").write_bytes(b"x")
    with pytest.raises(DataFileError, match="holds 1 file"):
        new_wave(tmp_path, "2013")
    (tmp_path / "2013" / ".DS_Store").unlink()
    assert new_wave(tmp_path, "2013").previous is None
    assert len(list((tmp_path / "2013").glob("*.xlsx"))) == 12


def test_a_wave_name_make_cannot_handle_is_refused(tmp_path):
    with pytest.raises(DataFileError, match="'2013 herhaling' is not a wave name"):
        new_wave(tmp_path, "2013 herhaling")
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_run_leaves_nothing(tmp_path, monkeypatch):
    import snwlib.newwave as nw

    made = []
    real = nw.template

    def failing(*args, **kwargs):
        if len(made) == 3:
            raise KeyboardInterrupt
        made.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(nw, "template", failing)
    with pytest.raises(KeyboardInterrupt):
        nw.new_wave(tmp_path, "2013")
    assert len(made) == 3 and list(tmp_path.iterdir()) == []


# --- through make ------------------------------------------------------------------------------------
@pytest.mark.e2e
def test_make_new_wave_and_an_unfilled_wave_beside_2012(tmp_path):
    from .test_e2e import make

    data, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(RAW_2012, data / "2012")
    proc = make(f"DATA_DIR={data}", "new-wave", check=False)
    assert proc.returncode != 0 and "new-wave: name the new wave: make new-wave WAVE=2013" in proc.stderr
    proc = make(f"DATA_DIR={data}", "new-wave", "WAVE=2013")
    assert proc.stdout.startswith(f"new-wave 2013: wrote {data / '2013'} (12 workbooks, metadata.yaml, README.md)")
    assert (
        "  pre-filled from wave 2012: c1_activiteiten (6 rows), c1_kengetallen (28 rows), c2_doetanks (15 rows)\n"
        in (proc.stdout)
    )
    again = make(f"DATA_DIR={data}", "new-wave", "WAVE=2013", check=False)
    assert again.returncode != 0 and "a wave is never overwritten" in again.stderr
    # the unfilled wave has no manifest: the Makefile does not count it as a wave
    built = make(f"DATA_DIR={data}", f"OUT_DIR={out}", "ingest")
    assert re.search(r"^ingest 2012\s+ok", built.stdout, re.M) and "2013" not in built.stdout + built.stderr
    # asked for, it stops with one clear line, no traceback
    failed = make(f"DATA_DIR={data}", f"OUT_DIR={out}", "WAVE=2013", "ingest", check=False)
    assert failed.returncode != 0 and re.search(r"^ingest 2013\s+FAILED", failed.stdout, re.M)
    assert f"{data / '2013' / 'datapackage.json'}: no manifest of the raw files" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert not (out / "data" / "processed" / "2013").exists()


def test_the_previous_waves_events_keep_their_own_workbooks(tmp_path):
    """A second café of the previous wave (appendix C8b, files c8b_*) gets its templates too."""
    shutil.copytree(REPO / "tests" / "fixtures" / "waves" / "2013", tmp_path / "2013")
    created = new_wave(tmp_path, "2014")
    assert created.previous == "2013"
    for table in ("c8b_antwoorden", "c8b_respons", "c8b_afwezigen", "c8_antwoorden"):
        assert created.templates[table] == 0, table
    ws = openpyxl.load_workbook(created.folder / "c8b_antwoorden.xlsx").worksheets[0]
    assert ws.title == "c8b_antwoorden" and ws.cell(1, 1).value == "respondent" and ws.cell(1, 2).value == "v1"
    meta = yaml.safe_load((created.folder / "metadata.yaml").read_text(encoding="utf-8"))
    assert "c8b_antwoorden" in meta["datasets"] and [e["bijlage"] for e in meta["evenementen"]] == ["C8", "C8b", "C9"]
    # filled in with the 2013 forms, the workbook is read as the export it stands for
    (checked,) = check_file(created.folder / "c8b_antwoorden.xlsx", wave_codebooks(tmp_path / "2013"))
    assert checked.table == "c8b_antwoorden"
