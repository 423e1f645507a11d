"""What a table is: its key and what each of its numeric columns counts or summarises.

Every table function of snwlib (one per table or figure the report publishes, e.g.
:func:`snwlib.questionnaire.tabel3`) returns a numeric tidy :class:`pandas.DataFrame`: one row per
thing described, the first column a unique key (the ledger names rows by it), numbers as numbers.
It also declares, with :func:`declare`, the *structure* of the table: which columns count
respondents, which counts add up to a total that is shown, which columns are statistics of a group
and how large that group is. The table function knows this, because it computed the table; the
disclosure policy (:mod:`snwlib.disclosure`) decides from it what the steering group may see, and
the presentation layer (:mod:`snwlib.present`) how numbers are printed.

The structure travels with the frame in ``DataFrame.attrs``, which pandas documents as
experimental and which some operations drop (``pivot_table``, ``melt``). Nothing depends on it
surviving: a frame without a structure is treated by the disclosure policy as if every number in
it described a small group (it is hidden from the steering group, see
:func:`snwlib.disclosure.protect`). Declaring a table opts it *out* of that, never in.

Examples
--------
>>> import pandas as pd
>>> t = declare(pd.DataFrame({"antwoord": ["Ja", "Nee"], "aantal": [12, 3]}),
...             counts=["aantal"], column_totals=["aantal"])
>>> structure_of(t).counts
('aantal',)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields

import pandas as pd

__all__ = ["Structure", "declare", "declare_ratings", "structure_of", "shown", "TableError"]

ATTR = "snwlib_structure"


class TableError(ValueError):
    """A table does not fit its declared structure (a fault in snwlib, not in the data)."""


@dataclass(frozen=True)
class Structure:
    """The declared structure of a numeric table.

    Parameters
    ----------
    key : str
        The first column; its values are unique and name the rows (as text).
    counts : tuple of str
        Columns whose cells count respondents (or forms).
    derived : mapping of str to tuple of str
        For a count column, the columns computed from it (its percentage): they are hidden with it.
    column_totals : tuple of str
        Count columns whose cells add up to a total that readers see (the number of forms in a
        caption, all respondents).
    row_totals : tuple of tuple of str
        Groups of count columns that add up, within each row, to a total that readers see or can
        work out (answers adding up to ``n``; ``n`` and the unanswered to all respondents).
    groups : mapping of str to tuple of str
        A column of group sizes (``n``) and the statistics computed on that group in the same row
        (mean, standard deviation, extremes).
    extremes : mapping of str to str
        A column with the lowest or highest answer of a group and the column that counts the
        respondents who gave it.
    domain : mapping of str to tuple
        For a mean column: ``(lowest, highest, step)`` of the answers it averages, each a number
        or the name of a column holding it per row.
    values : mapping of str to float
        For a row that shows a distribution beside its mean (grades): each count column and the
        answer value it counts. The disclosure policy checks that the mean and the visible counts
        do not pin down the hidden ones.
    internal : tuple of str
        Columns that only the disclosure policy needs (counts behind extremes); researchers see
        them, the steering group never.
    other : tuple of str
        Numeric columns that say nothing about respondents: row numbers, answer ranges, values
        quoted from the literature, Doetanks.
    public : str
        Why the table needs no disclosure control at all (e.g. "telt Doetanks, geen
        respondenten"); empty for a table that describes respondents.
    percent : tuple of str
        Columns holding percentages (printed with a ``%`` sign).
    decimals : mapping of str to int
        Decimals to print per column (presentation; the CSV keeps every digit); a negative number
        means at most that many, trailing zeros dropped. By default whole numbers get none,
        percentages none and other numbers two.
    """

    key: str
    counts: tuple = ()
    derived: Mapping = field(default_factory=dict)
    column_totals: tuple = ()
    row_totals: tuple = ()
    groups: Mapping = field(default_factory=dict)
    extremes: Mapping = field(default_factory=dict)
    domain: Mapping = field(default_factory=dict)
    values: Mapping = field(default_factory=dict)
    internal: tuple = ()
    other: tuple = ()
    public: str = ""
    percent: tuple = ()
    decimals: Mapping = field(default_factory=dict)

    def columns_with_a_role(self) -> set:
        """The columns whose meaning for disclosure the structure declares: the key, counts and
        what is derived from them, group sizes and their statistics, extremes, internal and other
        columns. A numeric column outside this set is hidden from the steering group.

        Returns
        -------
        set of str
        """
        named = {self.key, *self.counts, *self.internal, *self.other}
        named |= {c for cols in self.derived.values() for c in cols}
        named |= set(self.groups) | {c for cols in self.groups.values() for c in cols}
        named |= set(self.extremes) | set(self.extremes.values())
        return named

    def columns_named(self) -> set:
        """Every column the structure names anywhere, the key included.

        Returns
        -------
        set of str
        """
        named = self.columns_with_a_role() | set(self.column_totals) | set(self.derived)
        named |= {c for cols in self.row_totals for c in cols}
        named |= set(self.domain) | set(self.decimals) | set(self.values) | set(self.percent)
        for spec in self.domain.values():
            named |= {v for v in spec if isinstance(v, str)}
        return named

    def as_dict(self) -> dict:
        """The structure as plain JSON-ready data (lists and dicts).

        Returns
        -------
        dict
        """

        def plain(v):
            if isinstance(v, Mapping):
                return {str(k): plain(x) for k, x in v.items()}
            if isinstance(v, (tuple, list)):
                return [plain(x) for x in v]
            return v

        return {f.name: plain(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict) -> Structure:
        """The inverse of :meth:`as_dict`.

        Parameters
        ----------
        data : dict

        Returns
        -------
        Structure
        """

        def tup(v):
            return tuple(tup(x) if isinstance(x, list) else x for x in v)

        kw = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            v = data[f.name]
            if isinstance(v, dict):
                v = {k: tup(x) if isinstance(x, list) else x for k, x in v.items()}
            elif isinstance(v, list):
                v = tup(v)
            kw[f.name] = v
        return cls(**kw)


def _tuple(v) -> tuple:
    return tuple(v) if v is not None and not isinstance(v, str) else ((v,) if v else ())


def declare(frame: pd.DataFrame, key: str | None = None, **roles) -> pd.DataFrame:
    """Attach a :class:`Structure` to ``frame`` after checking that it fits, and return the frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; its first column is the key unless ``key`` names another.
    key : str, optional
        The key column (default: the first column).
    **roles
        The other fields of :class:`Structure`.

    Returns
    -------
    pandas.DataFrame
        ``frame`` itself, with the structure in ``frame.attrs``.

    Raises
    ------
    TableError
        A named column is missing, or the key is not unique.

    Examples
    --------
    >>> t = declare(pd.DataFrame({"k": ["a", "a"], "n": [1, 2]}), counts=["n"])
    Traceback (most recent call last):
    ...
    snwlib.tables.TableError: key column 'k' is not unique: 'a'
    """
    key = key or str(frame.columns[0])
    for name in ("counts", "column_totals", "internal", "other", "percent"):
        if name in roles:
            roles[name] = _tuple(roles[name])
    if "row_totals" in roles:
        roles["row_totals"] = tuple(tuple(g) for g in roles["row_totals"])
    for name in ("derived", "groups"):
        if name in roles:
            roles[name] = {k: _tuple(v) for k, v in roles[name].items()}
    structure = Structure(key=key, **roles)
    missing = sorted(structure.columns_named() - set(frame.columns))
    if missing:
        raise TableError(f"the structure names columns the table does not have: {missing}")
    totals = set(structure.column_totals) | {c for cols in structure.row_totals for c in cols}
    values = set(structure.values)
    if not (totals | values) <= set(structure.counts):
        raise TableError(
            f"columns that add up or count answers must be counts: {sorted((totals | values) - set(structure.counts))}"
        )
    dup = frame[key].astype(str)[frame[key].astype(str).duplicated()]
    if len(dup):
        raise TableError(f"key column {key!r} is not unique: {dup.iloc[0]!r}")
    frame.attrs[ATTR] = structure
    return frame


def structure_of(frame: pd.DataFrame) -> Structure | None:
    """The structure :func:`declare` attached to ``frame``, or None.

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    Structure or None
    """
    s = frame.attrs.get(ATTR)
    return s if isinstance(s, Structure) else None


def shown(value) -> bool:
    """Whether a cell of a table as the steering group gets it is shown: a hidden cell is
    missing there (None, NaN or ``pd.NA``).

    Parameters
    ----------
    value : object
        One cell.

    Returns
    -------
    bool

    Examples
    --------
    >>> shown(0), shown(float("nan")), shown(None), shown("Ja")
    (True, False, False, True)
    """
    return value is not None and not (isinstance(value, float) and value != value) and value is not pd.NA


def declare_ratings(frame: pd.DataFrame, **roles) -> pd.DataFrame:
    """Declare a table of ratings (grades, 0-100 scores): per row ``n`` and the ``gemiddelde``,
    ``laagste`` and ``hoogste`` of its ratings, ``aantal laagste``/``aantal hoogste`` (how many
    gave them, for the small-group rule, never shown) and ``schaal_min``, ``schaal_max``, ``stap``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table, with those columns (its first column the key).
    **roles
        Further or other roles (:func:`declare`), e.g. ``decimals``.

    Returns
    -------
    pandas.DataFrame
        ``frame`` itself, declared.
    """
    return declare(
        frame,
        **{
            "counts": ["n"],
            "groups": {"n": ["gemiddelde", "laagste", "hoogste"]},
            "extremes": {"laagste": "aantal laagste", "hoogste": "aantal hoogste"},
            "domain": {"gemiddelde": ("schaal_min", "schaal_max", "stap")},
            "internal": ["aantal laagste", "aantal hoogste"],
            "other": ["schaal_min", "schaal_max", "stap"],
            **roles,
        },
    )
