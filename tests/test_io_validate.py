import pandas as pd
import pytest

from snwlib.codebook import load_codebook
from snwlib.files import DataFileError, find_table, read_table, write_csv
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


def test_empty_and_unknown_files_get_clear_errors(tmp_path):
    (tmp_path / "leeg.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataFileError, match="leeg.csv: the file is empty"):
        read_table(tmp_path / "leeg.csv")
    (tmp_path / "x.txt").write_text("a\n1\n")
    with pytest.raises(DataFileError, match="save the table as .csv, .xlsx or SPSS .sav"):
        read_table(tmp_path / "x.txt")
    with pytest.raises(
        DataFileError, match="no file for table 'c1_kengetallen'.*c1_kengetallen.csv, c1_kengetallen.xlsx"
    ):
        find_table(tmp_path, "c1_kengetallen")


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
        "k.csv, row 4, column 'activiteit, kengetal': value 'cafes / bezoekers_per_cafe_min': duplicate of row 3"
        in text
    )


def test_write_csv_is_atomic_and_readable(tmp_path):
    out = write_csv(pd.DataFrame({"a": [1]}), tmp_path / "sub" / "x.csv")
    assert out.read_text() == "a\n1\n"
    assert oct(out.stat().st_mode & 0o044) == oct(0o044), "outputs must be readable by others"
    assert [p.name for p in out.parent.iterdir()] == ["x.csv"]
