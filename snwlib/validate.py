"""Checking raw tables against the schema in their codebook.

Each table spec in a codebook lists its columns with a ``type`` (``string``, ``number``, ``date``,
``category``) and optional rules: ``required`` (no empty cells), ``pattern`` (a regular
expression), ``min``/``max``, ``values`` (for categories), ``not_before`` (a date column that must
not come later), ``references`` (``table.column`` whose values this column must use) and the
table's ``key`` (columns that together identify a row).

Every problem of a file is collected in one pass and reported together, each with the file, the
row as the user sees it, the column, the value and what was expected.

A small validator of our own rather than pandera or frictionless: the rules are few, and the
messages must carry spreadsheet row numbers and Dutch-format hints that neither library gives
without a translation layer of about the same size as this module.
"""
from __future__ import annotations

import re

import pandas as pd

from .io import DataFileError, Problem


def parse_number(text: str) -> float:
    """Parse a number as typed in a Dutch or English spreadsheet ("7,8", "7.8", "10553").

    Raises ValueError, with the reason as its message, for anything else. Thousands separators
    are refused: in raw data they are ambiguous ("10.553" is ten thousand in Dutch, ten in
    English), so "10.553" is an error rather than a silent 10.553.

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


def _check_column(df, name, spec, file, problems):
    kind = spec.get("type", "string")
    if kind not in KINDS:
        raise ValueError(f"codebook error: column '{name}' has type {kind!r}; known types: {', '.join(KINDS)}")
    out = pd.Series(index=df.index, dtype=object)
    for row, raw in df[name].items():
        value = str(raw).strip()
        if value == "":
            if spec.get("required"):
                problems.append(Problem(file, row, name, raw, "empty cell", "this column is required"))
            out[row] = None
            continue
        if kind in ("number", "integer"):
            try:
                number = parse_number(value)
            except ValueError as err:
                problems.append(Problem(file, row, name, raw, str(err),
                                        "write digits with ',' or '.' as decimal sign and no thousands separator, "
                                        "e.g. 10553 or 7,8"))
                continue
            if kind == "integer" and not float(number).is_integer():
                problems.append(Problem(file, row, name, raw, "not a whole number"))
                continue
            if "min" in spec and number < spec["min"]:
                problems.append(Problem(file, row, name, raw, f"below the minimum {spec['min']}"))
            if "max" in spec and number > spec["max"]:
                problems.append(Problem(file, row, name, raw, f"above the maximum {spec['max']}"))
            out[row] = int(number) if kind == "integer" else number
        elif kind == "date":
            try:
                out[row] = pd.Timestamp(pd.to_datetime(value, format="%Y-%m-%d"))
            except (ValueError, TypeError):
                problems.append(Problem(file, row, name, raw, "not a date",
                                        "write dates as YYYY-MM-DD, e.g. 2012-12-12"))
        elif kind == "category":
            allowed = [str(v) for v in spec.get("values", [])]
            if value not in allowed:
                problems.append(Problem(file, row, name, raw, "not one of the allowed values",
                                        "use one of: " + ", ".join(repr(a) for a in allowed)))
                continue
            out[row] = value
        else:
            if "pattern" in spec and re.fullmatch(spec["pattern"], value) is None:
                problems.append(Problem(file, row, name, raw, f"does not match the pattern {spec['pattern']}",
                                        "use lower-case letters, digits and '_'"))
            out[row] = value
    return out


def validate_table(df: pd.DataFrame, spec: dict, file: str | None = None):
    """Validate and type one raw table against its codebook spec.

    Parameters
    ----------
    df : pandas.DataFrame
        A table as read by :func:`snwlib.io.read_table` (text cells, spreadsheet row numbers).
    spec : dict
        The table's entry under ``tables`` in a codebook.
    file : str, optional
        Name of the file for messages; ``df.attrs["source"]`` by default.

    Returns
    -------
    (pandas.DataFrame, list of Problem)
        The typed table (numbers as float, dates as Timestamp, empty cells as None) and the
        problems found. The caller raises :class:`~snwlib.io.DataFileError` if there are any.
    """
    file = file or df.attrs.get("source", "<table>")
    problems: list[Problem] = []
    columns = spec["columns"]
    if len(df) == 0:
        problems.append(Problem(file, None, None, None, "the table has a header but no rows",
                                "export the table again, with its data"))
    present = list(df.columns)
    for name in columns:
        if name not in present:
            problems.append(Problem(file, 1, name, None, "column missing",
                                    "the header row must have the columns " + ", ".join(columns)))
    for name in present:
        if name not in columns:
            problems.append(Problem(file, 1, name, None, "unknown column",
                                    "expected only " + ", ".join(columns)))
    typed = pd.DataFrame(index=df.index)
    for name, cspec in columns.items():
        if name in present:
            typed[name] = _check_column(df, name, cspec or {}, file, problems)
    for name, cspec in columns.items():
        other = (cspec or {}).get("not_before")
        if other and name in typed and other in typed:
            for row in typed.index:
                a, b = typed.at[row, other], typed.at[row, name]
                if a is not None and b is not None and not pd.isna(a) and not pd.isna(b) and b < a:
                    problems.append(Problem(file, row, name, df.at[row, name],
                                            f"comes before {other} ({df.at[row, other]})"))
    key = [k for k in spec.get("key", []) if k in typed]
    if key and len(key) == len(spec.get("key", [])):
        dup = typed.duplicated(subset=key, keep="first")
        for row in typed.index[dup]:
            first = typed.index[(typed[key] == typed.loc[row, key]).all(axis=1)][0]
            problems.append(Problem(file, row, ", ".join(key),
                                    " / ".join(str(typed.at[row, k]) for k in key),
                                    f"duplicate of row {first}", "each row must have a unique " + " + ".join(key)))
    typed.attrs = dict(df.attrs)
    return typed, problems


def check_references(tables: dict, specs: dict) -> list[Problem]:
    """Check ``references: table.column`` rules across the tables of one instrument."""
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
                    problems.append(Problem(t.attrs.get("source", tname), row, col, value,
                                            f"not found in {rtable}.{rcol}",
                                            "known values: " + ", ".join(sorted(map(str, known)))))
    return problems


def load_validated(raw_dir, codebook: dict, workbook: str | None = None) -> dict:
    """Read, validate and type every table of a codebook from ``raw_dir``.

    All problems of all tables are reported together in one :class:`DataFileError`.
    """
    from .io import find_table, read_table

    tables, problems = {}, []
    for name, spec in codebook["tables"].items():
        try:
            path, sheet = find_table(raw_dir, name, workbook)
            df = read_table(path, sheet)
        except DataFileError as err:
            problems.extend(err.problems)
            continue
        typed, found = validate_table(df, spec)
        tables[name] = typed
        problems.extend(found)
    problems.extend(check_references(tables, codebook["tables"]))
    if problems:
        raise DataFileError(problems)
    return tables
