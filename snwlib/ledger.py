"""The replication ledger: every published number next to the value recomputed from raw data.

Each notebook records the numbers of its appendix that it reproduces. A row holds the appendix,
the quantity, the value *as printed in the report*, where it is printed, the recomputed value, the
tolerance that the printed precision implies, a status and a note. ``make`` collects the rows of
all notebooks into ``reports/replication.csv`` and fails on any ``mismatch``.

Statuses
--------
match
    The recomputed value agrees with the printed one within the printed precision.
mismatch
    It does not, and nothing explains why. The build fails.
report-inconsistent
    The report gives two different numbers for one thing. Both are recorded with this status and
    a note that gives the reason and says which one the data support.
not-in-source
    The report does not give the number (e.g. it was in a chart the text lacks), or gives it but
    the data hold nothing it could be counted from (answers the report summarises without
    printing them; Doetankers, whom the registry does not count); nothing is invented for it, and
    the note says which.

The published numbers of a wave, with their places in the report, are data: one CSV per appendix
in ``references/<wave>/`` (see that folder's README). Each names the cell it is checked against:
a table the notebook writes under ``data/processed/`` (``table``), the row whose first column
holds ``row``, and the ``column``. The recomputed value is read from that very cell, so the ledger
checks the numbers readers see, not a parallel computation. A wave the report does not cover
simply has no rows.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import nl
from .files import write_csv
from .tables import declare

__all__ = [
    "Ledger",
    "Published",
    "parse_published",
    "replicate",
    "load_reference",
    "collect",
    "counts",
    "counts_table",
    "tegenspraken",
    "tegenspraken_tekst",
    "read_cell",
    "COLUMNS",
    "STATUSES",
]

COLUMNS = [
    "appendix",
    "quantity",
    "published",
    "source",
    "recomputed",
    "tolerance",
    "status",
    "note",
    "table",
    "row",
    "column",
]
#: The columns of a file of published numbers (``references/<wave>/<appendix>.csv``).
REFERENCE_COLUMNS = ["quantity", "published", "source", "table", "row", "column", "tolerance", "status", "note"]
STATUSES = ("match", "mismatch", "report-inconsistent", "not-in-source")

_APPROX = ("ca.", "circa", "ongeveer", "rond de", "zo'n", "zo’n", "+/-", "±", "bijna")
_MORE = ("meer dan", "ruim", ">")
_LESS = ("minder dan", "<")


@dataclass(frozen=True)
class Published:
    """A number as printed, read for comparison.

    ``comparator`` is ``"="`` for a value (match within ``tolerance``), ``">"`` for a lower bound
    ("> 3.000", "ruim 800") and ``"<"`` for an upper bound.
    """

    text: str
    value: float | None
    tolerance: float
    comparator: str = "="
    approximate: bool = False

    def agrees(self, recomputed) -> bool:
        """Whether ``recomputed`` is what the printed text says, at the printed precision.

        Bounds are checked inclusively: the raw values behind a bound are often bounds themselves
        ("ruim 800" is stored as 800).

        Parameters
        ----------
        recomputed : float or None
            The value computed from the data.

        Returns
        -------
        bool
            False when either number is missing (no printed value, or ``recomputed`` None/NaN);
            otherwise whether ``recomputed`` is within ``tolerance`` of ``value`` (``"="``), at
            least ``value`` (``">"``) or at most ``value`` (``"<"``).
        """
        if self.value is None or recomputed is None or pd.isna(recomputed):
            return False
        x = float(recomputed)
        if self.comparator == ">":
            return x >= self.value
        if self.comparator == "<":
            return x <= self.value
        return abs(x - self.value) <= self.tolerance + 1e-9


def _parse_number(s: str) -> tuple[float, int, int]:
    """Parse a printed number; return (value, decimals, trailing zeros of a whole number)."""
    if "," in s:  # Dutch decimal comma; dots group thousands
        whole, frac = s.replace(".", "").split(",", 1)
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", s):  # "10.553", "3.000": Dutch thousands
        whole, frac = s.replace(".", ""), ""
    elif "." in s:  # "7.769231", "4.09": decimal point, as C7 prints some numbers
        whole, frac = s.split(".", 1)
    else:
        whole, frac = s, ""
    if not re.fullmatch(r"[-+]?\d+", whole) or (frac and not frac.isdigit()):
        raise ValueError(s)
    value = float(f"{whole}.{frac}" if frac else whole)
    zeros = len(whole) - len(whole.rstrip("0")) if not frac and value != 0 else 0
    return value, len(frac), zeros


def parse_published(text, tolerance: float | None = None) -> Published:
    """Read a number as the report prints it and derive the tolerance from its precision.

    Understands the Dutch decimal comma ("7,8") and thousands dot ("10.553"), decimal points
    with other than three decimals ("7.769231"), percentages ("72%"), minutes:seconds ("3:41",
    read as seconds), a trailing "x" ("4x"), bounds ("> 3.000", "ruim 800", "meer dan 3000") and
    approximations ("ca. 700", "ongeveer 1500", "zo'n 20", "+/- 1450").

    The tolerance is half a unit of the last printed digit (7,8 → 0.05; 10.553 → 0.5). For an
    approximate whole number it is half a unit of its last non-zero digit ("ca. 700" → 50).
    An explicit ``tolerance`` overrides this.

    Parameters
    ----------
    text : str or None
        The number as printed. None, NaN or an empty text is a number the report does not give.
    tolerance : float, optional
        Overrides the derived tolerance (NaN counts as not given).

    Returns
    -------
    Published
        ``text`` (stripped), ``value`` (None when the report gives no number), ``tolerance`` (0
        for a bound, unless given), ``comparator`` and ``approximate``.

    Raises
    ------
    ValueError
        The text is not a number in any of these forms.

    Examples
    --------
    >>> p = parse_published("7,8"); (p.value, p.tolerance)
    (7.8, 0.05)
    >>> p = parse_published("10.553"); (p.value, p.tolerance)
    (10553.0, 0.5)
    >>> p = parse_published("ca. 700"); (p.value, p.tolerance, p.approximate)
    (700.0, 50.0, True)
    >>> p = parse_published("zo’n 20"); (p.value, p.tolerance, p.approximate)
    (20.0, 5.0, True)
    >>> p = parse_published("> 3.000"); (p.value, p.comparator)
    (3000.0, '>')
    >>> parse_published("3:41").value
    221.0
    """
    if text is None or (isinstance(text, float) and math.isnan(text)) or str(text).strip() == "":
        return Published("", None, 0.0)
    original = str(text).strip()
    s = original.lower()
    comparator, approximate = "=", False
    changed = True
    while changed:
        changed = False
        for words, kind in ((_MORE, ">"), (_LESS, "<"), (_APPROX, "~")):
            for w in words:
                if s.startswith(w):
                    s = s[len(w) :].strip()
                    changed = True
                    if kind == "~":
                        approximate = True
                    else:
                        comparator = kind
    s = s.rstrip("x×").strip()
    if s.endswith("%"):
        s = s[:-1].strip()
    m = re.fullmatch(r"(\d+):(\d{2})", s)
    if m:
        value, tol = 60 * int(m.group(1)) + int(m.group(2)), 0.5
    else:
        try:
            value, decimals, zeros = _parse_number(s)
        except ValueError:
            raise ValueError(f"cannot read the published number {original!r}") from None
        tol = 0.5 * 10 ** (-decimals)
        if approximate and zeros:
            tol = 0.5 * 10**zeros
    if comparator != "=":
        tol = 0.0
    if tolerance is not None and not pd.isna(tolerance):
        tol = float(tolerance)
    return Published(original, float(value), float(tol), comparator, approximate)


class Ledger:
    """Collects the replication rows of one appendix.

    Parameters
    ----------
    appendix : str
        E.g. ``"C1"``.

    Examples
    --------
    >>> led = Ledger("C1")
    >>> led.record("SNW cafés: aantal", "4x", "Tabel 2 (r. 761)", 4)
    'match'
    >>> led.record("Grand café: cijfer", "7,4", "Bijlage C1", 7.43)
    'match'
    >>> led.table().status.tolist()
    ['match', 'match']
    """

    def __init__(self, appendix: str):
        self.appendix = appendix
        self.rows: list[dict] = []

    def record(
        self,
        quantity: str,
        published,
        source: str,
        recomputed,
        *,
        tolerance: float | None = None,
        status: str | None = None,
        note: str = "",
        table: str = "",
        row: str = "",
        column: str = "",
    ) -> str:
        """Add one row and return its status.

        Parameters
        ----------
        quantity : str
            What the number is, in Dutch.
        published : str
            The number as printed.
        source : str
            Where it is printed (section and lines of the report's text).
        recomputed : float or None
            The value computed from the data.
        tolerance : float, optional
            Overrides the tolerance derived from the printed precision.
        status : str, optional
            Only ``"report-inconsistent"`` (with a ``note`` giving the reason) or
            ``"not-in-source"``; ``match``/``mismatch`` are always computed.
        note : str
            Explanation, in Dutch.
        table, row, column : str
            The cell ``recomputed`` was read from (see :meth:`check_reference`).

        Returns
        -------
        str
            The row's status.
        """
        note = "" if note is None or (isinstance(note, float) and math.isnan(note)) else str(note)
        if recomputed is not None and not pd.isna(recomputed):
            recomputed = float(recomputed)
        else:
            recomputed = None
        p = parse_published(published, tolerance)
        if status in (None, "", "match", "mismatch") or (isinstance(status, float) and math.isnan(status)):
            if p.value is None:
                status = "not-in-source"
            elif recomputed is None:
                status = "mismatch"
                note = (note + " " if note else "") + "Niet herberekend: het getal ontbreekt in de ruwe gegevens."
            else:
                status = "match" if p.agrees(recomputed) else "mismatch"
        elif status == "report-inconsistent":
            if not note:
                raise ValueError(f"{quantity}: a report-inconsistent row needs a note giving the reason")
            verdict = "komt overeen met" if p.agrees(recomputed) else "wijkt af van"
            note = f"{note} [De herberekende waarde {verdict} dit gedrukte getal.]"
        elif status != "not-in-source":
            raise ValueError(f"{quantity}: unknown status {status!r}; use one of {STATUSES}")
        self.rows.append(
            {
                "appendix": self.appendix,
                "quantity": quantity,
                "published": p.text,
                "source": source,
                "recomputed": None if recomputed is None else round(recomputed, 6),
                "tolerance": p.tolerance if p.value is not None else None,
                "status": status,
                "note": note,
                "table": table or "",
                "row": row or "",
                "column": column or "",
            }
        )
        return status

    def check_reference(self, reference: pd.DataFrame, tables_dir) -> pd.DataFrame:
        """Record every row of a file of published numbers against the cells it names.

        Parameters
        ----------
        reference : pandas.DataFrame
            As :func:`load_reference` returns it: ``quantity``, ``published``, ``source``,
            ``table``, ``row``, ``column``, and optionally ``tolerance``, ``status``, ``note``.
        tables_dir : str or Path
            The folder the notebook wrote its tables to (``data/processed``); the recomputed value
            of a row is the cell ``row``, ``column`` of ``<tables_dir>/<table>``, the row being
            the one whose first column holds ``row``. A row without a table has no recomputed
            value (a number the report gives but the data cannot).

        Returns
        -------
        pandas.DataFrame
            :meth:`table`.

        Raises
        ------
        LookupError
            A named table, row or column does not exist: the reference file and the tables
            disagree, which is a fault to mend, not a mismatch of numbers.
        """
        cache: dict = {}
        for r in reference.to_dict("records"):
            table = r.get("table") or ""
            value = read_cell(tables_dir, table, r.get("row"), r.get("column"), cache) if table else None
            self.record(
                r["quantity"],
                r["published"],
                r["source"],
                value,
                tolerance=r.get("tolerance"),
                status=r.get("status"),
                note=r.get("note", ""),
                table=table,
                row=r.get("row") or "",
                column=r.get("column") or "",
            )
        return self.table()

    def table(self) -> pd.DataFrame:
        """The rows as a tidy DataFrame with the ledger's columns.

        Returns
        -------
        pandas.DataFrame
            One row per recorded number, in the order recorded (columns :data:`COLUMNS`):

            * ``'appendix'``: the appendix, e.g. ``"C1"``
            * ``'quantity'``: what the number is, in Dutch
            * ``'published'``: the number as printed
            * ``'source'``: where it is printed
            * ``'recomputed'``: the value computed from the data (6 decimals), None if there is none
            * ``'tolerance'``: the tolerance it was checked with, None when the report gives no number
            * ``'status'``: one of :data:`STATUSES`
            * ``'note'``: the explanation, in Dutch
            * ``'table'``: the table the recomputed value was read from (``""`` if none)
            * ``'row'``: the row of that table (``""`` if none)
            * ``'column'``: the column of that table (``""`` if none)
        """
        return pd.DataFrame(self.rows, columns=COLUMNS)

    def save(self, directory) -> Path:
        """Write the rows to ``<directory>/<appendix>.csv`` (atomically).

        Parameters
        ----------
        directory : str or Path
            The ledger folder of the run (``data/processed/ledger``); created if needed.

        Returns
        -------
        Path
            The file written.
        """
        return write_csv(self.table(), Path(directory) / f"{self.appendix}.csv")


def load_reference(appendix: str, wave: str, directory=None) -> pd.DataFrame:
    """The published numbers of ``appendix`` for ``wave``; empty if the report has none.

    Parameters
    ----------
    appendix : str
        E.g. ``"C1"``.
    wave : str
        E.g. ``"2012"``.
    directory : str or Path, optional
        The folder of published numbers (default: the repository's ``references/``); the file
        read is ``<directory>/<wave>/<appendix>.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per published number (no rows when there is no file), all cells text (empty
        cells ``""``, a column the file lacks NaN) except ``tolerance``:

        * ``'quantity'``: what the number is, in Dutch
        * ``'published'``: the number as printed
        * ``'source'``: where it is printed
        * ``'table'``: the table under ``data/processed`` it is checked against
        * ``'row'``: the value of the first column of the row it is checked against
        * ``'column'``: the column it is checked against
        * ``'tolerance'``: an explicit tolerance (float), NaN for the one the printed precision implies
        * ``'status'``: an explicit status (``report-inconsistent``, ``not-in-source``) or empty
        * ``'note'``: the explanation, in Dutch

    Examples
    --------
    >>> len(load_reference("C1", "2012")) > 30, len(load_reference("C1", "2031"))
    (True, 0)
    """
    from .config import REFERENCE_DIR

    path = Path(directory or REFERENCE_DIR) / str(wave) / f"{appendix}.csv"
    if not path.exists():
        return pd.DataFrame(columns=REFERENCE_COLUMNS)
    text = {c: str for c in REFERENCE_COLUMNS if c != "tolerance"}
    ref = pd.read_csv(path, dtype=text, keep_default_na=False, na_values={"tolerance": [""]})
    return ref.reindex(columns=REFERENCE_COLUMNS)


def replicate(appendix: str, wave: str, tables_dir, references=None) -> pd.DataFrame:
    """Check the published numbers of ``appendix`` against the tables a notebook wrote.

    Loads ``references/<wave>/<appendix>.csv`` (:func:`load_reference`), reads each row's
    recomputed value from the cell it names in ``tables_dir`` (:meth:`Ledger.check_reference`)
    and writes the rows to ``<tables_dir>/ledger/<appendix>.csv``, which ``make`` collects into
    ``reports/replication.csv``.

    Parameters
    ----------
    appendix : str
        E.g. ``"C7"``.
    wave : str
    tables_dir : str or Path
        Where the notebook wrote its tables (``data/processed`` of the run).
    references : str or Path, optional
        The folder of published numbers (default: the repository's ``references/``).

    Returns
    -------
    pandas.DataFrame
        The ledger rows (columns :data:`COLUMNS`).
    """
    led = Ledger(appendix)
    table = led.check_reference(load_reference(appendix, wave, references), tables_dir)
    led.save(Path(tables_dir) / "ledger")
    return table


def collect(files, out_path) -> pd.DataFrame:
    """Concatenate ledger files into ``out_path``; raise ValueError listing any mismatches.

    The combined file is written only when there is no mismatch, so a stale or failing ledger is
    never taken for a current one.

    Parameters
    ----------
    files : iterable of str or Path
        Ledger files (:meth:`Ledger.save`); empty ones are skipped.
    out_path : str or Path
        The combined file (``reports/replication.csv``), written atomically.

    Returns
    -------
    pandas.DataFrame
        The rows of all files in their order, with the columns of :meth:`Ledger.table`
        (:data:`COLUMNS`), as written to ``out_path``.

    Raises
    ------
    ValueError
        Some row has the status ``mismatch``; the message lists each one, and nothing is written.
    """
    frames = [pd.read_csv(f, dtype={"published": str}, keep_default_na=False) for f in files]
    frames = [f for f in frames if len(f)]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    table = table.reindex(columns=COLUMNS)
    bad = table[table.status == "mismatch"]
    if len(bad):
        lines = [
            f"  - {r.appendix}: {r.quantity}: published {r.published} ({r.source}), recomputed {r.recomputed}"
            for r in bad.itertuples()
        ]
        raise ValueError(f"{len(bad)} unexplained mismatch(es) in the replication ledger:\n" + "\n".join(lines))
    write_csv(table, out_path)
    return table


def counts(table: pd.DataFrame) -> dict:
    """Number of rows per status (all four statuses, zeros included).

    Parameters
    ----------
    table : pandas.DataFrame
        Ledger rows, with a ``status`` column.

    Returns
    -------
    dict of str to int
        The number of rows of each status, in the order of :data:`STATUSES`.
    """
    vc = table["status"].value_counts() if len(table) else pd.Series(dtype=int)
    return {s: int(vc.get(s, 0)) for s in STATUSES}


def counts_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`counts` as a table for display.

    Parameters
    ----------
    table : pandas.DataFrame
        Ledger rows.

    Returns
    -------
    pandas.DataFrame
        * ``'status'``: one of :data:`STATUSES`
        * ``'aantal'``: the number of rows with it
    """
    out = pd.DataFrame(list(counts(table).items()), columns=["status", "aantal"])
    return declare(out, public="telt gepubliceerde getallen, geen respondenten")


def tegenspraken(table: pd.DataFrame) -> pd.DataFrame:
    """The places where the report contradicts itself: the ``report-inconsistent`` rows, grouped.

    Rows whose notes begin with the same sentence describe one contradiction (e.g. a count
    printed in two places).

    Parameters
    ----------
    table : pandas.DataFrame
        Ledger rows (:func:`replicate`).

    Returns
    -------
    pandas.DataFrame
        One row per contradiction, in the order of the ledger:

        * ``'getallen'``: the quantities it concerns, joined (Dutch)
        * ``'rijen'``: how many ledger rows it marks
        * ``'toelichting'``: the first sentence of its note (what disagrees with what)
    """
    bad = table[table.status == "report-inconsistent"]
    first = bad.note.astype(str).str.strip().str.split(r"(?<=\.)\s+(?=[A-Z\[])", n=1, regex=True).str[0]
    rows = []
    for sentence, group in bad.groupby(first, sort=False):
        quantities = list(dict.fromkeys(group.quantity))
        rows.append({"getallen": nl.join(quantities), "rijen": len(group), "toelichting": sentence})
    return pd.DataFrame(rows, columns=["getallen", "rijen", "toelichting"])


def tegenspraken_tekst(table: pd.DataFrame, min_cell: int = 0) -> str:
    """Dutch text: how often the report contradicts itself here, and where (Markdown).

    Parameters
    ----------
    table : pandas.DataFrame
        Ledger rows (:func:`replicate`).
    min_cell : int, optional
        Unused: the ledger holds published numbers, shown to both audiences alike.

    Returns
    -------
    str
    """
    if table.empty:
        return (
            "Over deze meting is (nog) geen rapport met getallen verschenen: er is niets na te rekenen. "
            "Zodra er een is, komen de gepubliceerde getallen in `references/<meting>/`."
        )
    found = tegenspraken(table)
    if found.empty:
        return "Het rapport spreekt zichzelf hier nergens tegen."
    items = "\n".join(f"- *{r.getallen}*: {r.toelichting}" for r in found.itertuples())
    return (
        f"Het rapport spreekt zichzelf hier {nl.times(len(found))} tegen (status *report-inconsistent*; de "
        f"toelichting bij het getal zegt welke kant de gegevens steunen):\n\n{items}"
    )


def read_cell(tables_dir, table: str, row, column: str, cache: dict | None = None) -> float | None:
    """The number in one cell of a table a notebook wrote (``<tables_dir>/<table>``).

    Parameters
    ----------
    tables_dir : str or Path
        The folder of the table files (``data/processed``).
    table : str
        The file name, e.g. ``"C7_tabel3.csv"``.
    row : str
        The value of the row's first column (compared as text).
    column : str
        The column's name.
    cache : dict, optional
        Tables already read, by path.

    Returns
    -------
    float or None
        None for an empty cell.

    Raises
    ------
    LookupError
        No such table, row or column.
    """
    path = Path(tables_dir) / table
    cache = {} if cache is None else cache
    if path not in cache:
        if not path.exists():
            raise LookupError(f"the ledger names a table that was not written: {path}")
        # write_csv puts a ' before text that a spreadsheet would run as a formula: take it off
        cache[path] = pd.read_csv(path, dtype=str, keep_default_na=False).replace(r"^'(?=[=+\-@\t\r])", "", regex=True)
    df = cache[path]
    if column not in df.columns:
        raise LookupError(f"{table} has no column {column!r} (it has {list(df.columns)})")
    hits = df.index[df.iloc[:, 0] == str(row)]
    if len(hits) != 1:
        raise LookupError(f"{table} has {len(hits)} rows whose {df.columns[0]!r} is {str(row)!r}, not one")
    text = df.at[hits[0], column].strip()
    if text == "":
        return None
    try:
        return float(text)
    except ValueError:
        raise LookupError(f"{table}, row {row!r}, column {column!r} holds {text!r}, not a number") from None
