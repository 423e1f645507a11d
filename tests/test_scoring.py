import numpy as np
import pandas as pd
import pytest

from snwlib.codebook import load_codebook
from snwlib.files import DataFileError
from snwlib.scoring import answer_range, items_table, read_answers, reverse_keyed, scale_items, scale_scores

from .conftest import REPO


@pytest.fixture(scope="module")
def b5():
    return load_codebook("b5_doetankvragenlijst")


def export(b5, rows):
    """A raw export as read_table gives it: text cells, spreadsheet row numbers from 2."""
    ids = ["respondent"] + items_table(b5).id.tolist()
    df = pd.DataFrame([{c: "" for c in ids} | r for r in rows], columns=ids).astype(str)
    df.index = pd.RangeIndex(2, 2 + len(df), name="rij")
    df.attrs["source"] = "export.csv"
    return df


def test_the_codebook_has_every_item_of_b5(b5):
    items = items_table(b5)
    assert len(items) == 50
    sizes = {s: len(ids) for s, ids in scale_items(b5).items()}
    assert sizes == {
        "innovatief_werkgedrag": 4,
        "psychologische_veiligheid": 7,
        "leergedrag": 7,
        "werkprestaties": 3,
        "taakprestaties": 6,
        "professionalisering": 4,
        "team_innovativiteit": 4,
    }
    assert items.id[items.reverse].tolist() == ["v2a", "v2c", "v2e", "v2i", "v6b"]
    assert items.id[items.identifying].tolist() == ["v10"]
    assert answer_range(b5, "kenmerkend7") == (1, 7) and answer_range(b5, "score_0_100") == (0, 100)


def test_labels_and_codes_read_alike(b5):
    labels = export(
        b5,
        [
            {
                "respondent": "r1",
                "v1a": " mee EENS ",
                "v7a": "Zeer mee eens",
                "v7b": "Niet van toepassing/weet niet",
                "v3a": "Helemaal kenmerkend",
                "v3d": "80",
                "v7k": "8",
                "v8": "Goed zo",
                "v10": "Jan Jansen",
            }
        ],
    )
    codes = export(
        b5,
        [
            {
                "respondent": "r1",
                "v1a": "4",
                "v7a": "5",
                "v7b": "9",
                "v3a": "7",
                "v3d": "80",
                "v7k": "8",
                "v8": "Goed zo",
                "v10": "Jan Jansen",
            }
        ],
    )
    a, b = read_answers(labels, b5), read_answers(codes, b5)
    pd.testing.assert_frame_equal(a.answers, b.answers)
    row = a.answers.loc["r1"]
    assert (row.v1a, row.v7a, row.v3a, row.v3d, row.v7k) == (4, 5, 7, 80, 8)
    assert np.isnan(row.v7b), "'Niet van toepassing/weet niet' is missing, never a score"
    assert "v10" not in a.answers.columns and a.identifying.loc["r1", "v10"] == "Jan Jansen"


def test_every_invalid_answer_is_reported(b5):
    raw = export(
        b5,
        [
            {"respondent": "r1", "v1a": "Eens", "v2b": "6", "v3d": "150", "v7k": "7,5"},
            {"respondent": "r1", "v4a": "Nooit", "v3d": "tachtig", "v7c": "Niet van"},
        ],
    )
    with pytest.raises(DataFileError) as info:
        read_answers(raw, b5)
    text = "\n".join(map(str, info.value.problems))
    assert len(info.value.problems) == 8, text
    assert "row 3, column 'v7c': value 'Niet van': unknown answer label" in text
    assert (
        "export.csv, row 2, column 'v1a': value 'Eens': unknown answer label "
        "(hint: expected one of: Helemaal mee oneens;" in text
    )
    assert "row 2, column 'v2b': value '6': code out of range (hint: valid codes: 1 = Helemaal mee oneens" in text
    assert "row 2, column 'v3d': value '150': out of range (hint: expected a number from 0 to 100)" in text
    assert "row 2, column 'v7k': value '7,5': not a whole number" in text
    assert "row 3, column 'respondent': value 'r1': duplicate of row 2" in text
    assert "row 3, column 'v4a': value 'Nooit': unknown answer label (hint: expected one of: Zelden; Soms;" in text
    assert "row 3, column 'v3d': value 'tachtig': not a number" in text


def test_missing_and_unknown_columns(b5):
    raw = export(b5, [{"respondent": "r1"}]).drop(columns="v5c").assign(extra="x")
    with pytest.raises(DataFileError) as info:
        read_answers(raw, b5)
    text = "\n".join(map(str, info.value.problems))
    assert "row 1, column 'v5c': column missing" in text and "row 1, column 'extra': unknown column" in text


def test_a_0_100_answer_that_looks_like_0_10_is_flagged_not_refused(b5):
    scored = read_answers(export(b5, [{"respondent": "r1", "v3d": "8"}, {"respondent": "r2", "v3d": "75"}]), b5)
    assert scored.answers.v3d.tolist() == [8, 75]
    assert [str(f) for f in scored.flags] == [
        "export.csv, row 2, column 'v3d': value '8': looks like an answer on a 0-10 scale "
        "(hint: the question asks for 0-100; check before trusting it)"
    ]


def test_reverse_keying_uses_each_items_own_range(b5):
    answers = pd.DataFrame({"v2a": [1.0, 5.0], "v6b": [2.0, np.nan], "v2b": [1.0, 5.0]})
    keyed = reverse_keyed(answers, b5)
    assert keyed.v2a.tolist() == [5, 1] and keyed.v2b.tolist() == [1, 5]
    assert keyed.v6b.tolist()[0] == 4


def test_scale_scores_mean_of_answered_items_with_minimum(b5):
    rows = [
        {
            "respondent": "a",
            "v1a": "5",
            "v1b": "4",
            "v1c": "3",
            "v1d": "4",
            "v6a": "4",
            "v6b": "2",
            "v6c": "4",
            "v6d": "4",
        },
        {"respondent": "b", "v1a": "5", "v1b": "3"},  # 2 of 4 answered: enough (share 0.5)
        {"respondent": "c", "v1a": "5"},  # 1 of 4: no score
    ]
    scores = scale_scores(read_answers(export(b5, rows), b5).answers, b5)
    assert scores.loc["a", "innovatief_werkgedrag"] == 4.0
    assert scores.loc["a", "team_innovativiteit"] == 4.0  # v6b = 2 reversed to 4
    assert scores.loc["b", "innovatief_werkgedrag"] == 4.0
    assert np.isnan(scores.loc["c", "innovatief_werkgedrag"])
    assert np.isnan(scores.loc["a", "leergedrag"])


def _scored(path, codebook):
    from snwlib.rawfiles import read_table

    return read_answers(read_table(path), codebook).answers


@pytest.mark.parametrize("codebook", ["b5_doetankvragenlijst", "b7_cafevragenlijst", "b8_grandcafevragenlijst"])
def test_every_export_format_gives_the_same_answers(tmp_path, codebook):
    """UTF-8 ',' (as shipped); Excel on Dutch Windows (cp1252 or UTF-8 with BOM, ';', decimal
    comma); .xlsx; a survey tool's export with three header rows (codes, question texts, import ids)."""
    from snwlib.codebook import load_codebook

    cb = load_codebook(codebook)
    shipped = REPO / "data" / "raw" / "2012" / f"{cb['export']}.csv"
    expected = _scored(shipped, cb)
    df = pd.read_csv(shipped, dtype=str, keep_default_na=False)
    # cp1252 cannot hold every character of the free text (e.g. some quotes are fine, '…' too)
    df.to_csv(tmp_path / "cp1252.csv", sep=";", index=False, encoding="cp1252", errors="replace")
    df.to_csv(tmp_path / "bom.csv", sep=";", index=False, encoding="utf-8-sig")
    df.to_excel(tmp_path / "export.xlsx", index=False)
    items = items_table(cb).set_index("id")
    texts = {c: items.at[c, "text"] if c in items.index else "Respondent" for c in df.columns}
    ids = {c: f'{{"ImportId":"{c}"}}' for c in df.columns}
    pd.concat([pd.DataFrame([texts, ids]), df]).to_csv(tmp_path / "three_headers.csv", index=False)
    for name in ("bom.csv", "export.xlsx", "three_headers.csv"):
        got = _scored(tmp_path / name, cb)
        pd.testing.assert_frame_equal(got, expected, check_dtype=False, obj=name)
    got = _scored(tmp_path / "cp1252.csv", cb)
    numeric = [c for c in expected.columns if expected[c].dtype != object]
    pd.testing.assert_frame_equal(got[numeric], expected[numeric], check_dtype=False)


def test_three_header_export_reports_rows_as_the_user_sees_them(tmp_path, b5):
    from snwlib.files import DataFileError
    from snwlib.rawfiles import read_table

    shipped = REPO / "data" / "raw" / "2012" / "c7_antwoorden.csv"
    df = pd.read_csv(shipped, dtype=str, keep_default_na=False)
    items = items_table(b5).set_index("id")
    texts = {c: items.at[c, "text"] if c in items.index else "Respondent" for c in df.columns}
    df.loc[0, "v1a"] = "Heel vaak"
    pd.concat([pd.DataFrame([texts, {c: f'{{"ImportId":"{c}"}}' for c in df.columns}]), df]).to_csv(
        tmp_path / "x.csv", index=False
    )
    with pytest.raises(DataFileError) as err:
        read_answers(read_table(tmp_path / "x.csv"), b5)
    [problem] = err.value.problems
    assert (problem.row, problem.column, problem.value) == (4, "v1a", "Heel vaak")


def test_spss_export_with_value_labels_and_user_missing_scores_the_same(tmp_path, b5):
    """An SPSS file as a survey tool writes it: codes with value labels, question texts as variable
    labels, "niet van toepassing" (9) and an unanswered 0-100 rating (-99) declared user-missing."""
    import pyreadstat

    from snwlib.rawfiles import read_table

    shipped = REPO / "data" / "raw" / "2012" / "c7_antwoorden.csv"
    expected = read_answers(read_table(shipped), b5).answers
    items = items_table(b5)
    sav = pd.DataFrame({"respondent": expected.index})
    labels, missing = {}, {}
    for item in items[~items.identifying].itertuples():
        x = expected[item.id].reset_index(drop=True)
        scale = b5["answer_scales"][item.answers]
        if item.type == "text":
            sav[item.id] = x.fillna("")
            continue
        if scale.get("missing"):
            x, missing[item.id] = x.fillna(9), [9]
        elif item.type == "number":
            x, missing[item.id] = x.fillna(-99), [-99]
        sav[item.id] = x.astype(float)
        if item.type == "ordinal":
            labels[item.id] = {float(c): label for c, label in scale["codes"].items()}
            labels[item.id].update({float(c): label for c, label in (scale.get("missing") or {}).items()})
    sav["v10"] = ""
    path = tmp_path / "c7_antwoorden.sav"
    pyreadstat.write_sav(
        sav,
        str(path),
        variable_value_labels=labels,
        missing_ranges=missing,
        column_labels={i.id: i.text[:250] for i in items.itertuples()} | {"respondent": "Respondent"},
    )
    raw = read_table(path)
    assert raw.index[0] == 1, "SPSS cases are numbered from 1"
    assert raw.attrs["labels"]["v1a"] == items.set_index("id").at["v1a", "text"]
    assert raw.at[1, "v1a"] == b5["answer_scales"]["eens5"]["codes"][int(expected.iloc[0]["v1a"])]
    pd.testing.assert_frame_equal(read_answers(raw, b5).answers, expected, check_dtype=False)


@pytest.mark.parametrize(
    "instrument, export, marked", [("b5_doetankvragenlijst", "c7", False), ("b8_grandcafevragenlijst", "c9", True)]
)
def test_categorical_and_plain_text_exports_read_alike(instrument, export, marked):
    """read_table gives categoricals (read per category); any other frame of text reads the same,
    "[niet in de bron]" cells of text items included (C9)."""
    from snwlib.rawfiles import read_table

    codebook = load_codebook(instrument)
    raw = read_table(REPO / "data" / "raw" / "2012" / f"{export}_antwoorden.csv")
    by_category, by_text = read_answers(raw, codebook), read_answers(raw.astype(object), codebook)
    pd.testing.assert_frame_equal(by_category.answers, by_text.answers)
    pd.testing.assert_frame_equal(by_category.identifying, by_text.identifying)
    pd.testing.assert_frame_equal(by_category.unavailable, by_text.unavailable)
    assert [str(f) for f in by_category.flags] == [str(f) for f in by_text.flags]
    assert by_category.unavailable.to_numpy().any() == marked, "C9's reconstruction marks what the source lacks"
