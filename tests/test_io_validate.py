import os

import pandas as pd
import pytest

from snwlib.codebook import load_codebook
from snwlib.files import DataFileError, read_json, write_csv
from snwlib.rawfiles import find_sources, read_table
from snwlib.validate import parse_number, validate_table

from .conftest import edit_csv, ingested


def test_rows_are_numbered_as_in_the_spreadsheet(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("a,b\n1,2\n\n3,4\n", encoding="utf-8")
    df = read_table(f)
    assert list(df.index) == [2, 4], "an empty line keeps its number, so row 4 is row 4 in Excel"
    assert df.loc[4, "a"] == "3"


def test_dutch_excel_csv_semicolon_cp1252(tmp_path):
    f = tmp_path / "t.csv"
    f.write_bytes("naam;cijfer\nCafé;7,8\n".encode("cp1252"))
    df = read_table(f)
    assert df.loc[2, "naam"] == "Café" and df.loc[2, "cijfer"] == "7,8"
    g = tmp_path / "bom.csv"
    g.write_bytes("\ufeffnaam,cijfer\nCafé,7.8\n".encode("utf-8"))
    assert list(read_table(g).columns) == ["naam", "cijfer"]


def test_columns_are_categoricals_of_the_texts_in_their_order(tmp_path):
    """A column whose texts repeat holds each once (a large export stays small), in the order the
    file first has it; the header's own text, and the cells of blank rows, are no values. A column
    whose cells mostly differ (an id) is plain text."""
    f = tmp_path / "t.csv"
    rows = ["id,a,b", *(f"r{i},{'nee' if i % 2 else 'ja'},2" for i in range(1, 9)), ",,", "r9,nee,"]
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    df = read_table(f)
    assert df["id"].dtype == object and df["id"].tolist() == [f"r{i}" for i in range(1, 10)]
    assert isinstance(df["a"].dtype, pd.CategoricalDtype) and isinstance(df["b"].dtype, pd.CategoricalDtype)
    assert df["a"].cat.categories.tolist() == ["nee", "ja"]
    assert df["b"].cat.categories.tolist() == ["2", ""], "'' is a value of row 11, not of the blank row 10"
    assert df.index.tolist() == [*range(2, 10), 11] and df.loc[11, "a"] == "nee"


def test_a_windows_1252_file_with_a_short_row_names_it_in_its_own_characters(tmp_path):
    """The parser reads UTF-8; a file that is not is decoded as a whole and read again."""
    f = tmp_path / "t.csv"
    f.write_bytes("naam;cijfer\nJosé;7\nRené\n".encode("cp1252"))
    with pytest.raises(DataFileError) as err:
        read_table(f)
    assert [(p.row, p.message) for p in err.value.problems] == [(3, "1 cells where the header has 2")]
    f.write_bytes("naam;cijfer\nJosé;7\nRené;8\n".encode("cp1252"))
    assert read_table(f)["naam"].tolist() == ["José", "René"]


def test_empty_and_unknown_files_get_clear_errors(tmp_path):
    (tmp_path / "leeg.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataFileError, match="leeg.csv: the file is empty"):
        read_table(tmp_path / "leeg.csv")
    (tmp_path / "x.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    with pytest.raises(DataFileError, match="cannot read an Excel 97-2003 workbook.*save the table as .csv"):
        read_table(tmp_path / "x.xls")
    (tmp_path / "x.odt").write_text("a\n1\n")
    with pytest.raises(DataFileError, match="cannot read a file of type '.odt'"):
        read_table(tmp_path / "x.odt")
    sources, problems = find_sources(tmp_path, {"c1_kengetallen": None})
    assert sources == {} and problems == [], "a table without a file is not an error: not every wave has it"


def test_xlsx_reads_like_csv(raw_copy, tmp_path):
    csv_df = read_table(raw_copy / "c1_kengetallen.csv")
    typed = pd.read_csv(raw_copy / "c1_kengetallen.csv", dtype=str, keep_default_na=False)
    typed["waarde"] = pd.to_numeric(typed["waarde"])  # Excel stores numbers as numbers
    book = tmp_path / "k.xlsx"
    typed.to_excel(book, index=False, sheet_name="kengetallen")
    xl_df = read_table(book)
    pd.testing.assert_frame_equal(xl_df, csv_df, check_dtype=False)
    assert xl_df.attrs["source"].endswith("k.xlsx")


@pytest.mark.parametrize("text, value", [("7,8", 7.8), ("10553", 10553), ("-1.5", -1.5)])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text, reason",
    [
        ("10.553", "ambiguous"),
        ("3,082", "ambiguous"),
        ("1.234.567", "ambiguous"),
        ("10.553,0", "not a number"),
        ("zeven", "not a number"),
        ("7,8,1", "not a number"),
        ("", "not a number"),
        ("1 000", "not a number"),
    ],
)
def test_parse_number_rejects(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_number(text)


def test_every_problem_of_a_file_is_reported_in_one_pass(raw_copy):
    f = raw_copy / "c1_kengetallen.csv"
    edit_csv(f, "cafes,aantal,,4,", "cafes,aantal,,vier,")
    edit_csv(f, "ongeveer,2011-09-01", "ongeveer,september 2011")
    edit_csv(f, "exact,2012-12-12,2012-12-12", "exactly,2012-12-12,2012-12-11")
    edit_csv(f, "twitter,tweets_totaal", "twiter,tweets_totaal")
    with pytest.raises(DataFileError) as info:
        ingested(raw_copy, raw_copy.parents[1] / "out")
    messages = [str(p) for p in info.value.problems]
    text = "\n".join(messages)
    assert len(messages) == 5, text
    assert "c1_kengetallen.csv, row 2, column 'waarde': value 'vier': not a number" in text
    assert "row 25, column 'periode_begin': value 'september 2011': not a date (hint: write dates as YYYY-MM-DD" in text
    assert "row 26, column 'kwalificatie': value 'exactly': not one of the allowed values" in text
    assert "row 26, column 'periode_eind': value '2012-12-11': comes before periode_begin" in text
    assert "row 29, column 'activiteit': value 'twiter': not found in c1_activiteiten.activiteit" in text


def test_missing_unknown_columns_and_duplicate_keys(raw_copy):
    spec = load_codebook("c1_inventaris")["tables"]["c1_kengetallen"]
    df = read_table(raw_copy / "c1_kengetallen.csv")
    df = df.drop(columns="eenheid").rename(columns={"toelichting": "opmerking"})
    df.loc[4, "kengetal"] = "bezoekers_per_cafe_min"
    _, problems = validate_table(df, spec, file="k.csv")
    text = "\n".join(map(str, problems))
    assert "k.csv, row 1, column 'eenheid': column missing" in text
    assert "column 'toelichting': column missing" in text
    assert "k.csv, row 1, column 'opmerking': unknown column" in text
    assert (
        "k.csv, row 4, column 'activiteit, kengetal, periode_eind': value 'cafes / bezoekers_per_cafe_min / "
        "2012-12-31': duplicate of row 3 (hint: each row must have a unique activiteit + kengetal + periode_eind)"
        in text
    )


def test_write_csv_is_atomic_and_readable(tmp_path):
    out = write_csv(pd.DataFrame({"a": [1]}), tmp_path / "sub" / "x.csv")
    assert out.read_text() == "a\n1\n"
    assert oct(out.stat().st_mode & 0o044) == oct(0o044), "outputs must be readable by others"
    assert [p.name for p in out.parent.iterdir()] == ["x.csv"]


def test_read_json_reads_a_file_again_only_when_it_changed(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_text('{"a": 1}', encoding="utf-8")
    first = read_json(path)
    assert first == {"a": 1} and read_json(str(path)) is first
    path.write_text('{"a": 22}', encoding="utf-8")  # another size
    assert read_json(path) == {"a": 22}
    os.utime(path, ns=(1, 1))
    again = read_json(path)
    path.write_text('{"a": 33}', encoding="utf-8")  # the same size, another date
    assert read_json(path) == {"a": 33} and again == {"a": 22}


def test_a_quoted_line_break_keeps_excel_row_numbers(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text('naam,opmerking\nA,"twee\nregels"\nB,x\nC,"y\n\nz"\nD,w\n', encoding="utf-8")
    df = read_table(f)
    assert list(df.index) == [2, 3, 4, 5], "Excel shows a quoted line break inside one row"
    assert df.loc[3, "naam"] == "B" and df.loc[4, "opmerking"] == "y\n\nz"


def test_separators_at_the_end_of_some_rows_only_are_refused(tmp_path):
    """`a,b,c` then `1,2,3,`: harmless at the end of a row, but a separator in an unquoted cell
    gives the same shape and shifts the row; only when every row has it is it accepted."""
    f = tmp_path / "t.csv"
    f.write_text("a,b,c\n1,2,3,\n4,5,6,\n", encoding="utf-8")
    assert read_table(f).loc[3].tolist() == ["4", "5", "6"]
    f.write_text("a,b,c\n1,2,3,\n4,5,6\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"row 2: 4 or more cells where the header has 3 \(the extra ones empty\)"):
        read_table(f)


def test_long_values_are_cut_in_messages(tmp_path):
    f = tmp_path / "c8_respons.csv"
    f.write_text("categorie,omschrijving,aantal,bron\nx," + "a" * 5_000_000 + ",1,b\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        read_table(f)
    text = str(info.value)
    assert len(text) < 1000, "five million characters are not printed"
    assert "(5,000,000 characters)" in text and "more than a spreadsheet cell holds" in text


def test_many_problems_print_a_readable_message():
    from snwlib.files import Problem

    err = DataFileError([Problem("f.csv", r, "c", "x", "bad") for r in range(2, 5002)])
    assert len(err.problems) == 5000
    lines = str(err).splitlines()
    assert len(lines) == 102 and lines[-1] == "  ... and 4900 more"


def test_a_file_named_in_other_case_is_read_and_recorded(raw_copy, tmp_path):
    (raw_copy / "c8_respons.csv").rename(raw_copy / "C8_Respons.CSV")
    wave = ingested(raw_copy, tmp_path / "out")
    assert len(wave.table("c8_respons")) == 7
    import json

    provenance = json.loads((tmp_path / "out" / "data" / "processed" / "2012" / "provenance.json").read_text())
    assert provenance["tables"]["c8_respons"]["source"] == "C8_Respons.CSV"


def test_an_unreadable_file_stops_ingestion_but_not_the_checks_of_the_others(raw_copy, tmp_path):
    import gzip

    (raw_copy / "c8_respons.csv").write_bytes(gzip.compress(b"categorie,omschrijving,aantal,bron\n"))
    edit_csv(raw_copy / "c9_respons.csv", ",77,", ",zeventig,")
    with pytest.raises(DataFileError) as info:
        ingested(raw_copy, tmp_path / "out")
    said = [str(p) for p in info.value.problems]
    assert any("c8_respons.csv: not a text (CSV) file: the file is a gzip-compressed file" in s for s in said)
    assert any("c9_respons.csv, row 2, column 'aantal': value 'zeventig'" in s for s in said)
    assert not (tmp_path / "out" / "data" / "processed" / "2012").exists()
