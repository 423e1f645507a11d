"""Checking raw tables against the schema in their codebook.

Each table spec in a codebook lists its columns with a ``type`` (``string``, ``number``,
``integer``, ``date``, ``category``) and optional rules: ``required`` (no empty cells), ``pattern``
(a regular expression), ``min``/``max``, ``values`` (for categories), ``not_before`` (a date column
that must not come later), ``references`` (``table.column`` whose values this column must use) and
the table's ``key`` (columns that together identify a row). Two more keys are read by ingestion
(:mod:`snwlib.ingest`), not by the checks: a column's ``free_text: true`` has it scrubbed of
personal data, and a table's ``count_label`` adds its number of rows, with that label, to the
response table of its instrument (:func:`snwlib.evaluation.respons`).

Validation has two steps (see :mod:`snwlib.schema`). Each cell is read as its type
(:func:`read_cell`: Dutch or English numbers, ISO dates), and the values are checked by a pandera
schema built from the spec (:func:`table_schema`). Every problem of a file is collected in one
pass and reported together, each with the file, the row as the user sees it, the column, the
value and what was expected.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .files import Problem
from .schema import Column, Rule, Schema

__all__ = ["parse_number", "read_cell", "read_column", "table_schema", "validate_table", "check_references", "KINDS"]


def parse_number(text: str) -> float:
    """Parse a number as typed in a Dutch or English spreadsheet ("7,8", "7.8", "10553").

    Raises ValueError, with the reason as its message, for anything else. Thousands separators
    are refused: in raw data they are ambiguous ("10.553" is ten thousand in Dutch, ten in
    English), so "10.553" is an error rather than a silent 10.553.

    Parameters
    ----------
    text : str
        The cell as typed; surrounding spaces are ignored.

    Returns
    -------
    float
        The number; ``,`` and ``.`` are both read as the decimal sign.

    Examples
    --------
    >>> parse_number("7,8"), parse_number(" 10553 "), parse_number("0.125")
    (7.8, 10553.0, 0.125)
    """
    s = str(text).strip()
    if re.fullmatch(r"[-+]?[1-9]\d{0,2}([.,]\d{3})+", s):
        raise ValueError("ambiguous: the '.' or ',' may group thousands")
    if re.fullmatch(r"[-+]?\d+([.,]\d+)?", s) is None:
        raise ValueError("not a number")
    return float(s.replace(",", "."))


KINDS = ("string", "number", "integer", "date", "category")

NUMBER_HINT = "write digits with ',' or '.' as decimal sign and no thousands separator, e.g. 10553 or 7,8"


def read_cell(text: str, kind: str):
    """One cell of a table column read as its codebook ``type``; None when empty.

    Raises ValueError with the reason (and, after ``|``, a hint) when the text is not of the type.

    Parameters
    ----------
    text : str
        The cell as typed; surrounding spaces are ignored.
    kind : str
        The column's ``type`` in the codebook, one of :data:`KINDS`.

    Returns
    -------
    float, int, pandas.Timestamp, str or None
        None for an empty cell. A number (:func:`parse_number`) for ``number``, and for
        ``integer`` as int when whole (a float otherwise, which the schema reports); a Timestamp
        for a ``date`` written as ``YYYY-MM-DD``; the text without surrounding spaces for
        ``string``, ``category`` and any other kind.

    Examples
    --------
    >>> read_cell("7,5", "number"), read_cell("2012-12-12", "date"), read_cell(" ", "integer")
    (7.5, Timestamp('2012-12-12 00:00:00'), None)
    """
    value = str(text).strip()
    if value == "":
        return None
    if kind in ("number", "integer"):
        try:
            number = parse_number(value)
        except ValueError as err:
            raise ValueError(f"{err}|{NUMBER_HINT}") from None
        return int(number) if kind == "integer" and float(number).is_integer() else number
    if kind == "date":
        try:
            return pd.Timestamp(pd.to_datetime(value, format="%Y-%m-%d"))
        except (ValueError, TypeError):
            raise ValueError("not a date|write dates as YYYY-MM-DD, e.g. 2012-12-12") from None
    return value


def read_column(cells: pd.Series, read, file: str, dtype=object) -> tuple[pd.Series, list]:
    """Read every cell of a column with ``read``; the cells that cannot be read become problems.

    ``read`` is called once per distinct text: surveys repeat a handful of answers, so a large
    export is read about as fast as a small one (and a categorical column is read per category).

    Parameters
    ----------
    cells : pandas.Series
        The column as typed, named, indexed by spreadsheet row number.
    read : callable
        Text to value; raises ValueError with the reason and, after ``|``, a hint.
    file : str
        The file's name for messages.
    dtype : object or float
        ``float`` when ``read`` gives numbers or None: the values are then floats (NaN for None
        and for unreadable cells), made without a Python object per cell.

    Returns
    -------
    (pandas.Series, list of Problem)
        The values (object dtype, None for unreadable cells; or float, see ``dtype``) and the
        problems.

    Examples
    --------
    >>> values, problems = read_column(pd.Series(["7,5", "x", "7,5"], index=[2, 3, 4], name="c"),
    ...                                lambda t: read_cell(t, "number"), "f.csv")
    >>> values.tolist(), [p.row for p in problems]
    ([7.5, None, 7.5], [3])
    """
    if isinstance(cells.dtype, pd.CategoricalDtype):
        # its categories are the distinct texts; a missing cell (code -1) reads the last entry
        which, texts = cells.cat.codes.to_numpy(), [*cells.cat.categories, np.nan]
    else:  # pandas' factorize: each distinct text once
        which, texts = pd.factorize(cells, use_na_sentinel=False)
    values = np.empty(len(texts), dtype=object)
    errors = {}
    for k, text in enumerate(texts):
        try:
            values[k] = read(text)
        except ValueError as err:
            message, _, hint = str(err).partition("|")
            errors[k] = (message, hint)
    if dtype is float:
        values = np.array([np.nan if v is None else v for v in values], dtype=float)
    out = pd.Series(values[which], index=cells.index, dtype=dtype, name=cells.name)
    problems = []
    if errors:
        bad = np.zeros(len(texts), dtype=bool)
        bad[list(errors)] = True
        for at in np.flatnonzero(bad[which]):
            k, row = which[at] % len(texts), cells.index[at]
            row = row.item() if isinstance(row, np.generic) else row
            problems.append(Problem(file, row, cells.name, texts[k], *errors[k]))
    return out, problems


def _whole(s):
    return s.astype(float) % 1 == 0


def _not_before(name, other):
    def check(df):
        if name not in df or other not in df:
            return pd.Series(True, index=df.index)
        a, b = df[other], df[name]
        return a.isna() | b.isna() | ~(b.astype(object) < a.astype(object)).astype(bool)

    return check


def table_schema(spec: dict) -> Schema:
    """The :class:`~snwlib.schema.Schema` of a codebook table spec (see the module docstring).

    Parameters
    ----------
    spec : dict
        The table's entry under ``tables`` in a codebook: ``columns`` (name to its ``type`` and
        rules) and optionally ``key``.

    Returns
    -------
    Schema
        Per column, in the spec's order: the whole-number, ``min``/``max``, allowed-values and
        ``pattern`` rules of its type and, if ``required``, the empty-cell message; ``not_before``
        as a rule across columns; ``key`` as the table's key; hints that name the expected
        columns. Columns the spec does not name are an error.

    Raises
    ------
    ValueError
        A column has a type that is not one of :data:`KINDS` (a fault in the codebook).

    Examples
    --------
    >>> s = table_schema({"columns": {"aantal": {"type": "integer", "min": 0}}})
    >>> [str(p) for p in s.problems(pd.DataFrame({"aantal": [3, -1]}, index=[2, 3]),
    ...                             pd.DataFrame({"aantal": ["3", "-1"]}, index=[2, 3]), "t.csv")]
    ["t.csv, row 3, column 'aantal': value '-1': below the minimum 0"]
    """
    columns, across = {}, {}
    names = list(spec["columns"])
    for name, cspec in spec["columns"].items():
        cspec = cspec or {}
        kind = cspec.get("type", "string")
        if kind not in KINDS:
            raise ValueError(f"codebook error: column '{name}' has type {kind!r}; known types: {', '.join(KINDS)}")
        rules = []
        if kind == "integer":
            rules.append(Rule(pa.Check(_whole), "not a whole number"))
        if kind in ("number", "integer") and "min" in cspec:
            rules.append(Rule(pa.Check.ge(cspec["min"]), f"below the minimum {cspec['min']}"))
        if kind in ("number", "integer") and "max" in cspec:
            rules.append(Rule(pa.Check.le(cspec["max"]), f"above the maximum {cspec['max']}"))
        if kind == "category":
            allowed = [str(v) for v in cspec.get("values", [])]
            rules.append(
                Rule(
                    pa.Check.isin(allowed),
                    "not one of the allowed values",
                    "use one of: " + ", ".join(repr(a) for a in allowed),
                )
            )
        if kind == "string" and "pattern" in cspec:
            rules.append(
                Rule(
                    pa.Check(lambda s, p=cspec["pattern"]: s.astype(str).str.fullmatch(p)),
                    f"does not match the pattern {cspec['pattern']}",
                    "use lower-case letters, digits and '_'",
                )
            )
        required = Rule(None, "empty cell", "this column is required") if cspec.get("required") else None
        columns[name] = Column(rules, required)
        other = cspec.get("not_before")
        if other:
            across[name] = Rule(
                pa.Check(_not_before(name, other), ignore_na=False), f"comes before {other} ({{{other}}})"
            )
    return Schema(
        columns,
        key=list(spec.get("key", [])),
        key_hint="each row must have a unique " + " + ".join(spec.get("key", [])),
        across=across,
        missing_hint="the header row must have the columns " + ", ".join(names),
        unknown_hint="expected only " + ", ".join(names),
    )


def validate_table(df: pd.DataFrame, spec: dict, file: str | None = None):
    """Validate and type one raw table against its codebook spec.

    Each cell is read as its column's type (:func:`read_cell`); the values are then checked with
    the table's pandera schema (:func:`table_schema`).

    Parameters
    ----------
    df : pandas.DataFrame
        A table as read by :func:`snwlib.rawfiles.read_table` (text cells, spreadsheet row numbers).
    spec : dict
        The table's entry under ``tables`` in a codebook.
    file : str, optional
        Name of the file for messages; ``df.attrs["source"]`` by default.

    Returns
    -------
    (pandas.DataFrame, list of Problem)
        The typed table (numbers as float, whole numbers as int, dates as Timestamp, empty cells
        as None) and the problems found. The caller raises :class:`~snwlib.files.DataFileError` if
        there are any.
    """
    file = file or df.attrs.get("source", "<table>")
    schema = table_schema(spec)
    problems: list[Problem] = []
    if len(df) == 0:
        problems.append(
            Problem(
                file, None, None, None, "the table has a header but no rows", "export the table again, with its data"
            )
        )
    typed = pd.DataFrame(index=df.index)
    for name in df.columns:
        kind = (spec["columns"].get(name) or {}).get("type", "string")
        typed[name], found = read_column(df[name], lambda text, kind=kind: read_cell(text, kind), file)
        problems.extend(found)
    problems = schema.problems(typed, df, file, earlier=problems)
    typed = typed[[c for c in spec["columns"] if c in typed]]
    typed.attrs = dict(df.attrs)
    return typed, problems


def check_references(tables: dict, specs: dict) -> list[Problem]:
    """Check ``references: table.column`` rules across the tables of one instrument.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        The typed tables of the instrument (as :func:`validate_table` returns them), by name.
    specs : dict of str to dict
        The tables' specs from the codebook, by name.

    Returns
    -------
    list of Problem
        One per filled cell whose value does not occur in the column it references, in the order
        of the specs, their columns and the rows. A reference to a table or column that is not
        there is skipped.
    """
    problems = []
    for tname, spec in specs.items():
        for col, cspec in spec["columns"].items():
            ref = (cspec or {}).get("references")
            if not ref or tname not in tables or col not in tables[tname]:
                continue
            rtable, rcol = ref.split(".")
            if rtable not in tables or rcol not in tables[rtable]:
                continue
            known = set(tables[rtable][rcol].dropna())
            t = tables[tname]
            for row, value in t[col].items():
                if value is not None and value not in known:
                    problems.append(
                        Problem(
                            t.attrs.get("source", tname),
                            row,
                            col,
                            value,
                            f"not found in {rtable}.{rcol}",
                            "known values: " + ", ".join(sorted(map(str, known))),
                        )
                    )
    return problems
