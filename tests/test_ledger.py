import pandas as pd
import pytest

from snwlib.ledger import COLUMNS, Ledger, collect, counts, load_reference, parse_published, read_cell, replicate


@pytest.mark.parametrize(
    "text, value, tol, comparator",
    [
        ("7,8", 7.8, 0.05, "="),
        ("7,43", 7.43, 0.005, "="),
        ("10.553", 10553, 0.5, "="),
        ("7.769231", 7.769231, 0.0000005, "="),
        ("4.09", 4.09, 0.005, "="),
        ("4x", 4, 0.5, "="),
        ("72%", 72, 0.5, "="),
        ("3:41", 221, 0.5, "="),
        ("ca. 700", 700, 50, "="),
        ("ongeveer 1500", 1500, 50, "="),
        ("+/- 1450", 1450, 5, "="),
        ("zo’n 20", 20, 5, "="),
        ("zo'n 10", 10, 5, "="),
        ("> 10.000", 10000, 0, ">"),
        ("ruim 800", 800, 0, ">"),
        ("meer dan 3000", 3000, 0, ">"),
        ("< 5", 5, 0, "<"),
    ],
)
def test_parse_published_reads_dutch_print(text, value, tol, comparator):
    p = parse_published(text)
    assert p.value == pytest.approx(value)
    assert p.tolerance == pytest.approx(tol)
    assert p.comparator == comparator


def test_parse_published_rejects_text_that_is_no_number():
    with pytest.raises(ValueError, match="cannot read the published number 'zeven'"):
        parse_published("zeven")


def test_tolerance_follows_printed_precision():
    led = Ledger("C9")
    assert led.record("cijfer", "7,4", "C1", 7.4375) == "match"  # 7.44 rounds to 7,4
    assert led.record("cijfer", "7,43", "C9", 7.4375) == "mismatch"  # 7.4375 is not 7,43 ± 0.005
    assert led.record("cijfer", "7,43", "C9", 7.43) == "match"
    assert led.record("ruim", "> 800", "C1", 799) == "mismatch"
    assert led.record("ruim", "> 800", "C1", 800) == "match"
    assert led.record("benaderd", "ca. 700", "T2", 751) == "mismatch"


def test_not_in_source_and_missing_recomputation():
    led = Ledger("C9")
    assert led.record("B8 vraag 8", None, "C9 (grafiek)", None) == "not-in-source"
    assert led.record("iets", "12", "C9", None) == "mismatch"
    assert "ontbreekt" in led.table().note.iloc[1]


def test_report_inconsistent_needs_a_reason_and_says_what_the_data_support():
    led = Ledger("C1")
    with pytest.raises(ValueError, match="needs a note"):
        led.record("masterclasses", "4x", "Tabel 2", 4, status="report-inconsistent")
    led.record("masterclasses", "4x", "Tabel 2", 4, status="report-inconsistent", note="Tabel 2 zegt 4, tekst 3.")
    led.record("masterclasses", "3", "§5.1.2", 4, status="report-inconsistent", note="Tabel 2 zegt 4, tekst 3.")
    t = led.table()
    assert list(t.columns) == COLUMNS
    assert "komt overeen met" in t.note.iloc[0] and "wijkt af van" in t.note.iloc[1]
    with pytest.raises(ValueError, match="unknown status"):
        led.record("x", "1", "y", 1, status="ok")


def test_collect_writes_all_rows_and_refuses_mismatches(tmp_path):
    good, bad = Ledger("C1"), Ledger("C9")
    good.record("a", "4", "s", 4)
    bad.record("b", "7,43", "s", 7.5)
    f1, f2 = good.save(tmp_path), bad.save(tmp_path)
    out = tmp_path / "replication.csv"
    table = collect([f1], out)
    assert out.exists() and list(pd.read_csv(out).columns) == COLUMNS
    assert counts(table) == {"match": 1, "mismatch": 0, "report-inconsistent": 0, "not-in-source": 0}
    out.unlink()
    with pytest.raises(ValueError, match=r"(?s)1 unexplained mismatch.*C9: b: published 7,43"):
        collect([f1, f2], out)
    assert not out.exists(), "a failing collection must not leave a replication.csv that looks valid"


def test_reference_of_2012_has_every_c1_number_and_no_other_wave_does():
    ref = load_reference("C1", "2012")
    assert len(ref) == 58
    assert set(ref.status.replace("", "computed")) == {"computed", "report-inconsistent", "not-in-source"}
    assert ref.source.str.match(r"^(Tabel 2|§5\.1\.2|Bijlage C1|Bijlage C8)").all()
    assert len(load_reference("C1", "2013")) == 0


def _tables(tmp_path):
    pd.DataFrame({"vraag": ["Innovatief werkgedrag", "7A"], "n": [14, 12], "gemiddelde": [4.107, 4.0833]}).to_csv(
        tmp_path / "T3.csv", index=False
    )
    return tmp_path


def test_the_recomputed_value_is_read_from_the_cell_the_row_names(tmp_path):
    _tables(tmp_path)
    ref = pd.DataFrame(
        {
            "quantity": ["a", "b", "c"],
            "published": ["4,1", "12", "9"],
            "source": ["s"] * 3,
            "table": ["T3.csv", "T3.csv", ""],
            "row": ["Innovatief werkgedrag", "7A", ""],
            "column": ["gemiddelde", "n", ""],
            "tolerance": [None] * 3,
            "status": ["", "", "not-in-source"],
            "note": [""] * 3,
        }
    )
    t = Ledger("C7").check_reference(ref, tmp_path)
    assert t.status.tolist() == ["match", "match", "not-in-source"]
    assert t.recomputed.tolist()[:2] == [4.107, 12.0]
    assert t[["table", "row", "column"]].values.tolist()[0] == ["T3.csv", "Innovatief werkgedrag", "gemiddelde"]
    assert list(t.columns) == COLUMNS


def test_a_cell_that_does_not_exist_is_a_fault_not_a_number(tmp_path):
    _tables(tmp_path)
    assert read_cell(tmp_path, "T3.csv", "7A", "gemiddelde") == pytest.approx(4.0833)
    with pytest.raises(LookupError, match="has 0 rows whose 'vraag' is '7B'"):
        read_cell(tmp_path, "T3.csv", "7B", "n")
    with pytest.raises(LookupError, match="has no column 'sd'"):
        read_cell(tmp_path, "T3.csv", "7A", "sd")
    with pytest.raises(LookupError, match="a table that was not written"):
        read_cell(tmp_path, "T9.csv", "7A", "n")


def test_replicate_writes_the_appendix_ledger(tmp_path):
    refs = tmp_path / "refs" / "2012"
    refs.mkdir(parents=True)
    (refs / "C7.csv").write_text(
        "quantity,published,source,table,row,column,tolerance,status,note\nn 7A,12,Tabel 3,T3.csv,7A,n,,,\n",
        encoding="utf-8",
    )
    t = replicate("C7", "2012", _tables(tmp_path), tmp_path / "refs")
    assert t.status.tolist() == ["match"] and (tmp_path / "ledger" / "C7.csv").exists()


def test_every_reference_row_names_a_cell_or_says_why_not():
    for appendix in ("C1", "C2", "C7", "C8", "C9"):
        ref = load_reference(appendix, "2012")
        named = ref.table != ""
        assert (ref[named].row != "").all() and (ref[named].column != "").all(), appendix
        assert (ref[~named].status == "not-in-source").all(), appendix
        assert ref[named].table.str.match(rf"^{appendix}_\w+\.csv$").all(), appendix
