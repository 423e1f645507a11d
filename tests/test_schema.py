"""The schema layer: codebook rules become pandera checks, and pandera's failures become messages."""

import pandas as pd
import pandera.pandas as pa
import pytest

from snwlib.codebook import load_codebook
from snwlib.files import DataFileError, Problem
from snwlib.schema import Column, Rule, Schema
from snwlib.scoring import answers_schema, read_answers, warnings_schema
from snwlib.validate import table_schema, validate_table

SPEC = {
    "columns": {
        "id": {"type": "string", "pattern": "[a-z_]+", "required": True},
        "n": {"type": "integer", "min": 0, "max": 5},
        "soort": {"type": "category", "values": ["a", "b"]},
        "start": {"type": "date"},
        "eind": {"type": "date", "not_before": "start"},
    },
    "key": ["id", "n"],
}


def _table(**columns):
    return pd.DataFrame(columns, index=range(2, 2 + len(next(iter(columns.values())))))


def test_the_codebook_rules_are_a_pandera_schema():
    """The checks run in pandera: its own validate() refuses what the codebook forbids."""
    schema = table_schema(SPEC).pandera()
    assert isinstance(schema, pa.DataFrameSchema)
    good = _table(
        id=["x", "y"],
        n=[1, 5],
        soort=["a", "b"],
        start=pd.to_datetime(["2012-01-01", "2012-02-01"]),
        eind=pd.to_datetime(["2012-01-01", None]),
    )
    schema.validate(good)
    bad = good.assign(n=[1, 6])
    with pytest.raises(pa.errors.SchemaError):
        schema.validate(bad)


def test_every_rule_of_a_table_is_reported_with_the_cell_as_typed():
    raw = _table(
        id=["a", "a", "B", "", "c"],
        n=["1", "1", "7", "2", "2,5"],
        soort=["a", "b", "c", "a", "a"],
        start=["2012-01-01", "", "2012-02-02", "2012-02-02", "2012-01-01"],
        eind=["2011-12-31", "", "2012-03-03", "31-12-2012", ""],
        extra=[""] * 5,
    )
    _, problems = validate_table(raw, SPEC, "t.csv")
    assert [str(p) for p in problems] == [
        "t.csv, row 1, column 'extra': unknown column (hint: expected only id, n, soort, start, eind)",
        "t.csv, row 3, column 'id, n': value 'a / 1': duplicate of row 2 (hint: each row must have a unique id + n)",
        "t.csv, row 4, column 'id': value 'B': does not match the pattern [a-z_]+ "
        "(hint: use lower-case letters, digits and '_')",
        "t.csv, row 5, column 'id': value '': empty cell (hint: this column is required)",
        "t.csv, row 4, column 'n': value '7': above the maximum 5",
        "t.csv, row 6, column 'n': value '2,5': not a whole number",
        "t.csv, row 4, column 'soort': value 'c': not one of the allowed values (hint: use one of: 'a', 'b')",
        "t.csv, row 2, column 'eind': value '2011-12-31': comes before start (2012-01-01)",
        "t.csv, row 5, column 'eind': value '31-12-2012': not a date "
        "(hint: write dates as YYYY-MM-DD, e.g. 2012-12-12)",
    ]


def test_a_cell_reports_only_the_first_rule_it_fails():
    """-1,5 as a whole number from 0: "not a whole number", not also "below the minimum"."""
    _, problems = validate_table(_table(id=["a"], n=["-1,5"], soort=["a"], start=[""], eind=[""]), SPEC, "t.csv")
    assert [p.message for p in problems] == ["not a whole number"]


def test_empty_key_cells_are_never_duplicates():
    _, problems = validate_table(
        _table(id=["a", "a"], n=["", ""], soort=["a", "a"], start=["", ""], eind=["", ""]), SPEC, "t.csv"
    )
    assert problems == []


def test_a_missing_key_column_is_reported_once_and_does_not_break_the_key_check():
    _, problems = validate_table(_table(id=["a", "a"], soort=["a", "a"], start=["", ""], eind=["", ""]), SPEC, "t.csv")
    assert [(p.row, p.column, p.message) for p in problems] == [(1, "n", "column missing")]


def test_a_check_that_breaks_is_reported_not_raised():
    """A rule pandera cannot evaluate (here: a pattern on numbers) still gives a readable problem."""
    schema = Schema({"v": Column([Rule(pa.Check(lambda s: s.str.fullmatch("x")), "not x")])})
    values = _table(v=[1.0, 2.0])
    problems = schema.problems(values, values.astype(str), "t.csv")
    assert [(p.row, p.column, p.message) for p in problems] == [(None, "v", "failed the check <lambda>")]
    assert "Can only use .str accessor" in problems[0].value


def test_problems_of_the_file_and_the_header_come_first():
    schema = Schema({"a": Column([Rule(pa.Check.le(1), "too big")]), "b": Column()}, missing_hint="h")
    values = _table(a=[5.0])
    earlier = [Problem("t.csv", None, None, None, "whole file")]
    said = [(p.row, p.column, p.message) for p in schema.problems(values, values.astype(str), "t.csv", earlier)]
    assert said == [(None, None, "whole file"), (1, "b", "column missing"), (2, "a", "too big")]


@pytest.fixture(scope="module")
def b8():
    return load_codebook("b8_grandcafevragenlijst")


def test_answer_codes_ranges_and_ids_are_pandera_checks(b8):
    schema = answers_schema(b8).pandera()
    assert schema.strict is True and schema.unique == ["respondent"]
    assert schema.columns["respondent"].nullable is False
    grade = schema.columns["v6"].checks
    assert [c.name for c in grade] == ["in_range"] and grade[0].statistics == {
        "min_value": 1,
        "max_value": 10,
        "include_min": True,
        "include_max": True,
    }


def test_a_code_out_of_range_and_a_missing_value_code(b5_answers):
    """9 is the missing-value code of section 7's scale, not of section 2's."""
    codebook, raw = b5_answers
    raw.loc[2, "v2h"], raw.loc[3, "v2h"], raw.loc[2, "v7a"] = "6", "9", "9"
    with pytest.raises(DataFileError) as err:
        read_answers(raw, codebook)
    said = [(p.row, p.column, p.value, p.message) for p in err.value.problems]
    assert said == [(2, "v2h", "6", "code out of range"), (3, "v2h", "9", "code out of range")]
    raw.loc[2, "v2h"], raw.loc[3, "v2h"] = "4", "Mee eens"
    answers = read_answers(raw, codebook).answers
    assert pd.isna(answers["v7a"].iloc[0]) and answers["v2h"].iloc[:2].tolist() == [4.0, 4.0]


def test_warnings_are_a_second_schema_that_never_refuses(b5_answers):
    codebook, raw = b5_answers
    assert list(warnings_schema(codebook).columns) == ["v3d"]
    shipped = [(f.row, f.column, f.value) for f in read_answers(raw, codebook).flags]
    assert shipped == [(9, "v3d", "8")], "the reconstruction keeps C7's one 0-10 answer"
    raw.loc[2, "v3d"] = "10"
    scored = read_answers(raw, codebook)
    assert [(f.row, f.column, f.value) for f in scored.flags] == [(2, "v3d", "10"), (9, "v3d", "8")]
    assert scored.answers["v3d"].iloc[0] == 10.0, "a warning keeps the answer"


@pytest.fixture
def b5_answers():
    from snwlib.rawfiles import read_table

    from .conftest import REPO

    raw = read_table(REPO / "data" / "raw" / "2012" / "c7_antwoorden.csv")
    # read_table's columns are categoricals, which take no new texts: a plain copy to edit (so these
    # tests also read answers that are not categoricals)
    return load_codebook("b5_doetankvragenlijst"), raw.astype(object)
