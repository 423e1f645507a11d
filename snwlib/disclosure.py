"""Disclosure control: what the steering group may see of a table, decided by one policy.

The researchers' HTML shows everything. The steering group's HTML travels by e-mail and USB
stick, and must never let a reader work out one respondent's answer. Every table and figure that
goes to the steering group passes :func:`protect` (the presentation layer does this by default,
:mod:`snwlib.present`); a table opts out only by declaring why it needs no control
(``public=...`` in :func:`snwlib.tables.declare`, e.g. a table that counts Doetanks).

The policy, for a threshold ``min_cell`` (5 by default, ``make MIN_CELL=...``):

1. **Small counts.** A count of 1 to ``min_cell - 1`` respondents is hidden, with the cells
   computed from it (its percentage). A count of 0 describes nobody and stays.
2. **Complementary counts.** Where counts add up to a total that readers see (the number of
   forms, a row's ``n``), one hidden count could be worked out from the others; and so could
   several hidden counts that add up to no more than their number, since a reader knows each is
   at least 1 (zeros are shown). In every such group, the smallest other non-zero count is hidden
   too (a zero if there is none), until no group gives a hidden count away. This is the usual rule of statistical
   offices (Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, §4.2).
3. **Statistics of small groups.** A mean, standard deviation or extreme of a group of fewer
   than ``min_cell`` respondents is hidden.
4. **Extremes.** A lowest or highest answer describes the respondents who gave it: it is shown
   only when at least ``min_cell`` respondents gave it (and never when that is unknown).
5. **Means that give answers away.** A mean with its ``n`` fixes the sum of the answers. If the
   answers lie between a floor and a ceiling that readers know (the answer scale, or an extreme
   that is shown), the sum says how far the group falls short of the ceiling, in steps of the
   answer scale: with a shortfall of 1 to ``min_cell - 1`` steps, between one and a few
   respondents answered below the ceiling, which is a small group as surely as a count would
   be. Example: six grades (whole or half) with mean 7,83 and highest grade 8 add up to 47, one
   step below 6 x 8, so exactly one respondent gave a 7 (or two a 7,5). Such a mean, and the
   other statistics of its group except the extremes, are hidden. The same holds at the floor.
   Where the row also shows how many gave each answer and the mean, with the counts that are
   shown (a hidden count is at least 1), leaves only one possible count for a hidden cell, the
   smallest count shown is hidden too, until the mean pins nothing down.
6. **Undeclared tables.** A table without a declared structure (:mod:`snwlib.tables`) shows the
   steering group no numbers at all.

What it does not audit: a number shown in two tables, or derivable across tables, is not
cross-checked; nor are several means of overlapping groups. The auditor (:func:`audit`) applies
the same rules to a table as it is shown and lists every cell they would still hide.

Examples
--------
>>> import pandas as pd
>>> from snwlib.tables import declare
>>> t = declare(pd.DataFrame({"antwoord": ["Ja", "Nee", "geen antwoord"], "aantal": [12, 18, 2]}),
...             counts=["aantal"], column_totals=["aantal"])
>>> p = protect(t, 5)
>>> p.shown().aantal.tolist()
[nan, 18.0, nan]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .tables import Structure, structure_of

__all__ = ["Protected", "protect", "audit", "Finding", "DEFAULT_MIN_CELL"]

#: The threshold when none is given (the Makefile's ``MIN_CELL``).
DEFAULT_MIN_CELL = 5


@dataclass(frozen=True)
class Finding:
    """A cell the policy hides, and why (Dutch, for the footnote and the audit's message)."""

    row: object
    column: str
    reason: str


@dataclass
class Protected:
    """A table as the steering group may see it.

    Attributes
    ----------
    values : pandas.DataFrame
        The full table (as the table function returned it).
    hidden : dict
        ``(row label, column) -> reason`` for every hidden cell.
    structure : Structure or None
        The table's declared structure (None: undeclared, every number hidden).
    min_cell : int
        The threshold applied.
    """

    values: pd.DataFrame
    hidden: dict
    structure: Structure | None
    min_cell: int

    def shown(self) -> pd.DataFrame:
        """The table with every hidden cell set to NaN (numeric columns stay numeric).

        Returns
        -------
        pandas.DataFrame
        """
        out = self.values.copy()
        for row, col in self.hidden:
            if pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
                out[col] = out[col].astype(float)
            else:
                out[col] = out[col].astype(object)
            out.at[row, col] = np.nan
        out.attrs = dict(self.values.attrs)
        return out

    def mask(self) -> pd.DataFrame:
        """True where a cell is hidden.

        Returns
        -------
        pandas.DataFrame of bool
        """
        m = pd.DataFrame(False, index=self.values.index, columns=self.values.columns)
        for row, col in self.hidden:
            m.at[row, col] = True
        return m


def _number(v) -> float | None:
    if isinstance(v, (bool, np.bool_)) or v is None:
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(x) else x


def _per_row(spec, df: pd.DataFrame, row):
    return _number(df.at[row, spec]) if isinstance(spec, str) else _number(spec)


def _numeric_columns(df: pd.DataFrame, skip: str) -> list:
    return [
        c
        for c in df.columns
        if c != skip and pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
    ]


def _groups_of_cells(df: pd.DataFrame, s: Structure) -> list:
    groups = [[(row, col) for row in df.index] for col in s.column_totals]
    groups += [[(row, col) for col in cols] for cols in s.row_totals for row in df.index]
    return groups


def _feasible_counts(values: list, low: int, m: int, sums: tuple) -> list:
    """For hidden counts of answers with the given (integer) values, each at least ``low``,
    adding up to ``m`` answers whose values add up to a total in ``sums`` (inclusive): the set
    of counts each hidden cell can have. An empty set for every cell means no solution.

    Examples
    --------
    >>> [sorted(x) for x in _feasible_counts([4, 6, 9], 1, 5, (34, 34))]
    [[1], [2], [2]]
    """
    h = len(values)
    forward = [{(0, 0)}]
    for v in values:
        forward.append({(a + c, t + c * v) for a, t in forward[-1] for c in range(low, m - a + 1)})
    backward = [{(0, 0)}]
    for v in reversed(values):
        backward.append({(a + c, t + c * v) for a, t in backward[-1] for c in range(low, m - a + 1)})
    backward.reverse()
    out = []
    for j, v in enumerate(values):
        after = {}
        for b, t in backward[j + 1]:
            after.setdefault(b, set()).add(t)
        feasible = set()
        for a, t in forward[j]:
            for c in range(low, m - a + 1):
                rest = after.get(m - a - c)
                if rest and any(sums[0] <= t + c * v + u <= sums[1] for u in rest):
                    feasible.add(c)
        out.append(feasible)
    return out if h else []


#: Above this many hidden answers, :func:`_pins_down` does not search (the search grows with it,
#: and a mean of so many hidden answers does not pin their counts down in practice).
MAX_SEARCH = 200


def _pins_down(df, row, s: Structure, gone, n: float, mean: float, step: float, mean_col: str) -> bool:
    """Whether a mean shown beside some counts of its distribution fixes a hidden count: the
    answers not shown must add up to what the mean says, and each hidden count is at least 1."""
    shown = {c: _number(df.at[row, c]) for c in s.values if (row, c) not in gone}
    hidden = [c for c in s.values if (row, c) in gone and _number(df.at[row, c]) is not None]
    if not hidden:
        return False
    m = n - sum(v for v in shown.values() if v is not None)
    if m <= 0 or m > MAX_SEARCH:
        return False
    scale = 1 / step
    decimals = s.decimals.get(mean_col, 2)
    total = n * mean - sum(s.values[c] * shown[c] for c in shown if shown[c] is not None)
    slack = n * 0.5 * 10 ** -(decimals if decimals >= 0 else -decimals)
    sums = (int(np.ceil((total - slack) * scale - 1e-9)), int(np.floor((total + slack) * scale + 1e-9)))
    values = [int(round(s.values[c] * scale)) for c in hidden]
    low = 0 if any(_number(df.at[row, c]) == 0 for c in hidden) else 1
    feasible = _feasible_counts(values, low, int(round(m)), sums)
    return any(len(f) == 1 for f in feasible)


def _findings(df: pd.DataFrame, hidden: dict, s: Structure | None, k: int) -> list:
    """The cells the policy hides that ``hidden`` does not yet hide (one pass)."""
    new: dict = {}

    def hide(row, col, reason):
        if (row, col) not in hidden and (row, col) not in new:
            new[(row, col)] = reason

    if s is None:
        for col in _numeric_columns(df, str(df.columns[0])):
            for row in df.index:
                if _number(df.at[row, col]) is not None:
                    hide(row, col, "geen regel voor kleine groepen vastgelegd")
        return [Finding(r, c, why) for (r, c), why in new.items()]
    if s.public:
        return []
    known = s.columns_with_a_role()
    for col in _numeric_columns(df, s.key):
        if col not in known:  # a number the structure does not account for: hidden, to be safe
            for row in df.index:
                if _number(df.at[row, col]) is not None:
                    hide(row, col, "kolom zonder vastgelegde betekenis")
    for col in s.internal:
        for row in df.index:
            hide(row, col, "alleen voor de regel voor kleine groepen")
    for col in s.counts:
        for row in df.index:
            v = _number(df.at[row, col])
            if v is not None and 0 < v < k:
                hide(row, col, f"minder dan {k} respondenten")
    for n_col, stats in s.groups.items():
        for row in df.index:
            n = _number(df.at[row, n_col])
            if n is not None and n < k:
                for col in stats:
                    if _number(df.at[row, col]) is not None:
                        hide(row, col, f"groep van minder dan {k} respondenten")
    for ext, count_col in s.extremes.items():
        for row in df.index:
            c = _number(df.at[row, count_col])
            if _number(df.at[row, ext]) is not None and (c is None or c < k):
                hide(row, ext, f"door minder dan {k} respondenten gegeven")
    gone = hidden.keys() | new.keys()
    for mean_col, (lo_spec, hi_spec, step_spec) in s.domain.items():
        n_col = next((n for n, stats in s.groups.items() if mean_col in stats), None)
        if n_col is None:
            continue
        stats = s.groups[n_col]
        for row in df.index:
            n, mean = _number(df.at[row, n_col]), _number(df.at[row, mean_col])
            lo, hi, step = (_per_row(x, df, row) for x in (lo_spec, hi_spec, step_spec))
            if (row, mean_col) in gone or None in (n, mean, lo, hi, step) or n < k or step <= 0:
                continue
            for ext in (e for e in s.extremes if e in stats and (row, e) not in gone):
                x = _number(df.at[row, ext])
                if x is not None and x >= mean:
                    hi = min(hi, x)
                if x is not None and x <= mean:
                    lo = max(lo, x)
            total = n * mean
            short = round((n * hi - total) / step, 6), round((total - n * lo) / step, 6)
            if any(0 < x < k for x in short):
                for col in (mean_col, *[c for c in stats if c not in s.extremes]):
                    if _number(df.at[row, col]) is not None:
                        hide(row, col, f"het gemiddelde verraadt een groep van minder dan {k} respondenten")
            elif s.values and _pins_down(df, row, s, gone, n, mean, step, mean_col):
                # keep the mean: hide the smallest count shown beside it instead
                counts = [c for c in s.values if (row, c) not in gone and (_number(df.at[row, c]) or 0) > 0]
                if counts:
                    hide(row, min(counts, key=lambda c: _number(df.at[row, c])), "af te leiden uit het gemiddelde")
                else:
                    hide(row, mean_col, f"het gemiddelde verraadt een groep van minder dan {k} respondenten")
    gone = hidden.keys() | new.keys()
    for count, derived in s.derived.items():
        for row in df.index:
            if (row, count) in gone:
                for col in derived:
                    hide(row, col, "afgeleid van een verborgen aantal")
    for group in _groups_of_cells(df, s):
        cells = [c for c in group if _number(df.at[c]) is not None]
        hidden_here = [c for c in cells if c in gone]
        values = [_number(df.at[c]) for c in hidden_here]
        # One hidden count follows from the total; several hidden counts that are all 1 follow
        # from it too, since a reader knows a hidden count is at least 1 (zeros are shown).
        determined = len(hidden_here) == 1 or (hidden_here and 0 not in values and sum(values) == len(values))
        others = [c for c in cells if c not in gone]
        if determined and others:
            nonzero = [c for c in others if _number(df.at[c]) > 0] or others
            hide(*min(nonzero, key=lambda c: _number(df.at[c])), "af te leiden uit de getoonde aantallen en totalen")
    return [Finding(r, c, why) for (r, c), why in new.items()]


def protect(table: pd.DataFrame, min_cell: int = DEFAULT_MIN_CELL) -> Protected:
    """Apply the policy to ``table``: hide what the steering group may not see.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from a table function, with its structure (:func:`snwlib.tables.declare`); a table
        without one is treated as if every number in it described a small group.
    min_cell : int
        The smallest group that may be shown.

    Returns
    -------
    Protected
        The table, the hidden cells with their reasons, the structure and the threshold.

    Examples
    --------
    The Café IV grade (six grades of 7 or 8, five of them an 8) shows its n and its highest grade,
    not its mean or lowest grade:

    >>> from snwlib.tables import declare
    >>> g = declare(pd.DataFrame({"item": ["v10"], "n": [6], "gemiddelde": [47 / 6], "laagste": [7],
    ...                           "hoogste": [8], "aantal laagste": [1], "aantal hoogste": [5]}),
    ...             counts=["n"], groups={"n": ["gemiddelde", "laagste", "hoogste"]},
    ...             extremes={"laagste": "aantal laagste", "hoogste": "aantal hoogste"},
    ...             domain={"gemiddelde": (1, 10, 0.5)}, internal=["aantal laagste", "aantal hoogste"])
    >>> sorted(c for _, c in protect(g, 5).hidden)
    ['aantal hoogste', 'aantal laagste', 'gemiddelde', 'laagste']
    """
    k = int(min_cell)
    s = structure_of(table)
    df = table.reset_index(drop=True)
    hidden: dict = {}
    while True:
        found = _findings(df, hidden, s, k)
        if not found:
            break
        hidden.update({(f.row, f.column): f.reason for f in found})
    return Protected(df, hidden, s, k)


def audit(values: pd.DataFrame, hidden, structure: Structure | None, min_cell: int) -> list:
    """The cells a table as shown still gives away, by the rules of :func:`protect`.

    Parameters
    ----------
    values : pandas.DataFrame
        The table's full values (what researchers see).
    hidden : iterable of (row position, column)
        The cells hidden in what the steering group sees.
    structure : Structure or None
        The table's structure.
    min_cell : int
        The threshold the table was shown with.

    Returns
    -------
    list of Finding
        Empty when what is shown is safe.

    Examples
    --------
    Hiding only the small count of a column whose total is shown is not enough:

    >>> from snwlib.tables import declare
    >>> t = declare(pd.DataFrame({"antwoord": ["Ja", "Nee"], "aantal": [12, 3]}),
    ...             counts=["aantal"], column_totals=["aantal"])
    >>> audit(t, {(1, "aantal")}, structure_of(t), 5)
    [Finding(row=0, column='aantal', reason='af te leiden uit de getoonde aantallen en totalen')]
    """
    df = values.reset_index(drop=True)
    return _findings(df, dict.fromkeys(hidden, ""), structure, int(min_cell))
