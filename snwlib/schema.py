"""Checking raw tables against schemas built from their codebooks, with pandera.

Raw data reaches the pipeline in two steps.

1. **Reading** (:func:`snwlib.validate.validate_table`, :func:`snwlib.scoring.read_answers`):
   the text cells become values. Numbers are read as typed in a Dutch or English spreadsheet
   (:func:`snwlib.validate.parse_number`), dates as ISO dates, answer labels as their codes. A
   cell that cannot be read is a problem of its own. Its value is unknown, so it is left empty
   for step 2.
2. **Checking** (this module): a :class:`Schema` holds a pandera ``DataFrameSchema`` built from
   the codebook and checks the values that were read. It checks which columns there are,
   required cells, ranges, whole numbers, allowed codes and categories, patterns, unique keys and
   rules across columns. pandera runs lazily, so every failure of a table is collected in one
   pass. Its failure cases carry the table's index, which is the row number as the user sees it
   in the file. Each check carries the message and hint a researcher reads; a cell reports only
   the first check it fails.

Why pandera rather than frictionless: the schema has to hold for the table the pipeline
computes with, whichever reader made it. That includes CSV in three encodings, .xlsx sheets,
SPSS .sav files with value labels, and survey exports with extra header rows and Dutch answer
labels. pandera checks that pandas DataFrame after our readers. frictionless validates files
with its own readers (no .sav, no answer labels) and would check a different table from the one
scored. The raw-data manifest keeps the Frictionless Data Package format
(:mod:`snwlib.manifest`); it needs no package for that.

Examples
--------
>>> import pandas as pd
>>> s = Schema({"cijfer": Column([Rule(pa.Check.le(10), "above the maximum 10")])})
>>> values = pd.DataFrame({"cijfer": [8.0, 11.0]}, index=[2, 3])
>>> [str(p) for p in s.problems(values, values.astype(str), "c.csv")]
["c.csv, row 3, column 'cijfer': value '11.0': above the maximum 10"]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .files import Problem

__all__ = ["Schema", "Column", "Rule", "isin_codes"]


def isin_codes(codes) -> pa.Check:
    """pandera's ``isin`` check for numeric codes, computed with numpy.

    ``pa.Check.isin`` drops the missing values and looks the others up in a hash table (about
    50 ms per million cells); an answer scale has a handful of codes, which numpy compares
    directly (about 3 ms), so a questionnaire of fifty items and a million respondents is checked
    in a fraction of a second. The check has pandera's name and statistics; missing values pass.

    Parameters
    ----------
    codes : iterable of numbers
        The valid codes.

    Returns
    -------
    pandera.Check
        Named ``isin``, with the statistic ``allowed_values`` (the codes as sorted floats).

    Examples
    --------
    >>> isin_codes([1, 2, 3])(pd.Series([1.0, None, 4.0])).check_output.tolist()
    [True, True, False]
    """
    allowed = np.asarray(sorted(codes), dtype=float)

    def check(values: pd.Series) -> pd.Series:
        x = values.to_numpy(dtype=float, na_value=np.nan)
        return pd.Series(np.isin(x, allowed) | np.isnan(x), index=values.index)

    return pa.Check(check, name="isin", ignore_na=False, statistics={"allowed_values": allowed.tolist()})


@dataclass(frozen=True)
class Rule:
    """A pandera check with the words a researcher reads when it fails.

    For a rule across columns (:attr:`Schema.across`), ``message`` may name other columns of the
    same row in braces. They are filled in with the cells as the user typed them, for example
    ``"comes before start ({start})"``.
    """

    check: pa.Check
    message: str
    hint: str = ""


@dataclass(frozen=True)
class Column:
    """The rules of one column, in the order they are tried; ``required`` is the message for an
    empty cell (None: empty cells are allowed)."""

    rules: list = field(default_factory=list)
    required: Rule | None = None  #: its ``check`` is not used: pandera's ``nullable`` does that


@dataclass
class Schema:
    """A table's schema: its columns, its key and its rules across columns.

    Parameters
    ----------
    columns : dict of str to Column
        In the order of the codebook; problems are listed in this order.
    key : list of str
        Columns that together identify a row (empty cells never count as duplicates).
    key_hint : str
        Hint for a duplicate key.
    across : dict of str to Rule
        Rules that compare columns of one row, reported at the column named.
    missing_hint, unknown_hint : str
        Hints for a missing and an unknown column.
    strict : bool
        Whether columns the schema does not name are an error.
    """

    columns: dict
    key: list = field(default_factory=list)
    key_hint: str = ""
    across: dict = field(default_factory=dict)
    missing_hint: str = ""
    unknown_hint: str = ""
    strict: bool = True

    def pandera(self) -> pa.DataFrameSchema:
        """The pandera schema. Data types are not declared: step 1 made the values, this schema
        checks what they may be.

        Returns
        -------
        pandera.pandas.DataFrameSchema
            One column per entry of :attr:`columns` with its rules' checks (nullable unless the
            column is required), the rules of :attr:`across` as checks of the whole table,
            :attr:`strict`, and :attr:`key` as the unique columns (duplicates after the first
            reported).
        """
        return pa.DataFrameSchema(
            {
                name: pa.Column(checks=[r.check for r in c.rules], nullable=c.required is None, name=name)
                for name, c in self.columns.items()
            },
            checks=[r.check for r in self.across.values()],
            strict=self.strict,
            unique=self.key or None,
            report_duplicates="exclude_first",
        )

    def problems(self, values: pd.DataFrame, shown: pd.DataFrame, file: str, earlier=()) -> list:
        """Check ``values`` and say what is wrong, as :class:`~snwlib.files.Problem` objects.

        Parameters
        ----------
        values : pandas.DataFrame
            The table as read in step 1, indexed by spreadsheet row number; empty cells are null.
        shown : pandas.DataFrame
            The same table as the user typed it; messages quote these cells.
        file : str
            The file's name for messages.
        earlier : list of Problem
            Problems found in step 1: problems of the whole file, and cells that could not be
            read. The schema says nothing more of those cells.

        Returns
        -------
        list of Problem
            ``earlier`` and the schema's problems together: those of the whole file first, then
            missing and unknown columns, then by column (schema order), row and rule.
        """
        order = list(self.columns)
        best = {}
        for problem in earlier:
            if problem.row is None:
                sort = (-1, 0, 0, 0)
            else:
                sort = (1, order.index(problem.column) if problem.column in order else len(order), problem.row, -2)
            # one problem per cell; a file may have several problems of its own (row None)
            best[(problem.row, problem.column, len(best)) if problem.row is None else (problem.row, problem.column)] = (
                sort,
                problem,
            )
        skip = set(best)
        try:
            self.pandera().validate(values, lazy=True, inplace=True)  # no coercion: nothing to copy
            cases = pd.DataFrame(columns=["check"])
        except pa.errors.SchemaErrors as err:
            cases = err.failure_cases
        for sort, problem in self._translated(cases, values, shown, file):
            where = (problem.row, problem.column)
            if where not in skip and (where not in best or sort < best[where][0]):
                best[where] = (sort, problem)
        return [p for _, p in sorted(best.values(), key=lambda sp: sp[0])]

    def _translated(self, cases: pd.DataFrame, values, shown, file):
        """(sort key, Problem) for every pandera failure case: a column's own rules a group at a
        time (a large export may fail one rule in many rows), every other case by itself."""
        if not len(cases):
            return
        order = list(self.columns)
        by_rule = (
            cases["schema_context"].astype(str).eq("Column")
            & cases["column"].isin(order)
            & cases["check_number"].notna()
            & cases["index"].notna()
            & ~cases["check"].astype(str).isin(["not_nullable", "field_uniqueness", "multiple_fields_uniqueness"])
        )
        for (column, number), group in cases[by_rule].groupby(["column", "check_number"], sort=False):
            rule, pos = self.columns[column].rules[int(number)], order.index(column)
            rows = group["index"].tolist()
            for row, cell in zip(rows, shown[column].loc[rows].tolist(), strict=True):
                yield (1, pos, row, int(number)), Problem(file, row, column, cell, rule.message, rule.hint)
        for case in cases[~by_rule].itertuples():
            yield from self._translate(case, values, shown, file)

    def _translate(self, case, values, shown, file):
        """(sort key, Problem) for one pandera failure case."""
        check, column, index = str(case.check), case.column, case.index
        order = list(self.columns)
        pos = order.index(column) if column in order else len(order)
        if check == "column_in_dataframe":
            yield (
                (0, order.index(case.failure_case), 0, 0),
                Problem(file, 1, case.failure_case, None, "column missing", self.missing_hint),
            )
        elif check == "column_in_schema":
            yield (
                (0, len(order) + list(values.columns).index(case.failure_case), 0, 0),
                Problem(file, 1, case.failure_case, None, "unknown column", self.unknown_hint),
            )
        elif check == "not_nullable":
            rule = self.columns[column].required
            yield (1, pos, index, -1), Problem(file, index, column, shown.at[index, column], rule.message, rule.hint)
        elif check == "multiple_fields_uniqueness" or check == "field_uniqueness":
            if (
                column != self.key[0]
                or any(k not in values for k in self.key)
                or any(pd.isna(values.at[index, k]) for k in self.key)
            ):
                return
            mine = values.loc[index, self.key]
            first = values.index[(values[self.key] == mine).all(axis=1)][0]
            yield (
                (1, order.index(self.key[0]), index, len(self.columns[column].rules)),
                Problem(
                    file,
                    index,
                    ", ".join(self.key),
                    " / ".join(str(shown.at[index, k]) for k in self.key),
                    f"duplicate of row {first}",
                    self.key_hint,
                ),
            )
        elif case.schema_context == "DataFrameSchema" and not pd.isna(case.check_number):
            target = list(self.across)[int(case.check_number)]
            if column != target:
                return
            rule = self.across[target]
            yield (
                (1, pos, index, 1000),
                Problem(
                    file, index, target, shown.at[index, target], rule.message.format_map(shown.loc[index]), rule.hint
                ),
            )
        elif column in self.columns and not pd.isna(case.check_number) and not pd.isna(index):
            rule = self.columns[column].rules[int(case.check_number)]
            yield (
                (1, pos, index, int(case.check_number)),
                Problem(file, index, column, shown.at[index, column], rule.message, rule.hint),
            )
        else:  # a failure the schema has no words for (a check that broke): say what pandera said
            row = None if pd.isna(index) else index
            yield (
                (1, pos, -1 if row is None else row, 0),
                Problem(
                    file,
                    row,
                    column,
                    case.failure_case,
                    f"failed the check {check}",
                    "this is a fault in the codebook's rules or in snwlib, not in the data",
                ),
            )
