"""Reading raw tables and writing outputs safely.

Raw tables are read as text, so that validation (:mod:`snwlib.validate`) sees exactly what the
researcher typed. The index of every table read here is the row number *as the user sees it* in
the file: the first data row of a CSV or sheet with one header row is row 2. Error messages quote
that number so it can be found in Excel or a text editor.

Outputs are written to a temporary name in the destination folder and renamed when complete, so
that a crash never leaves a half-written file that looks valid.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["Problem", "DataFileError", "read_table", "find_table", "atomic_path", "write_csv", "TABLE_SUFFIXES"]

TABLE_SUFFIXES = (".csv", ".xlsx", ".sav")


@dataclass(frozen=True)
class Problem:
    """One problem in a data file, located the way the user will look for it.

    ``row`` is the spreadsheet row number (header rows counted), or None for a problem of the
    whole file or column.
    """

    file: str
    row: int | None
    column: str | None
    value: object
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            # SPSS shows case numbers, spreadsheets row numbers
            where.append(f"{'case' if self.file.lower().endswith('.sav') else 'row'} {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = ", ".join(where) + ": "
        if self.value is not None:
            text += f"value {self.value!r}: "
        text += self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class DataFileError(ValueError):
    """Raised when raw data cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems):
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the raw data:"
        super().__init__("\n".join([head] + [f"  - {p}" for p in self.problems]))


def _sniff_separator(first_line: str) -> str:
    # Excel on a Dutch Windows machine writes ';' (the comma is the decimal sign there).
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _read_csv(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if not text.strip():
        raise DataFileError(
            [Problem(str(path), None, None, None, "the file is empty", "export the table again, with its header row")]
        )
    sep = _sniff_separator(text.splitlines()[0])
    from io import StringIO

    try:
        return pd.read_csv(StringIO(text), sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=False)
    except pd.errors.ParserError as err:
        # pandas says e.g. "Expected 40 fields in line 4, saw 41": line 4 is spreadsheet row 4.
        import re

        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        if not m:
            raise DataFileError([Problem(str(path), None, None, None, f"not a readable CSV file ({err})")]) from None
        raise DataFileError(
            [
                Problem(
                    str(path),
                    int(m.group(2)),
                    None,
                    None,
                    f"{m.group(3)} cells where the header has {m.group(1)}",
                    f"a cell that contains the separator '{sep}' must be in double quotes; or a cell was split in two",
                )
            ]
        ) from None


def _read_xlsx(path: Path, sheet: str | None) -> pd.DataFrame:
    sheets = pd.ExcelFile(path, engine="openpyxl").sheet_names
    if sheet is None:
        sheet = sheets[0]
    elif sheet not in sheets:
        raise DataFileError(
            [Problem(str(path), None, None, sheet, "no sheet of that name", f"the workbook has the sheets {sheets}")]
        )
    df = pd.read_excel(path, sheet_name=sheet, dtype=object, engine="openpyxl")
    # Excel gives numbers and dates as such; keep them as text like the CSV reader does.
    return df.map(_text) if hasattr(df, "map") else df.applymap(_text)


def _text(v) -> str:
    """A cell as text: empty for missing, whole numbers without '.0', dates as ISO dates."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, pd.Timestamp) or hasattr(v, "isoformat"):
        return pd.Timestamp(v).strftime("%Y-%m-%d")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _read_sav(path: Path) -> pd.DataFrame:
    """An SPSS file: value labels applied (so answers reach the codebook as the Dutch labels the
    questionnaire prints), user-missing codes read as missing. The variable labels (question
    texts) are kept in ``df.attrs["labels"]``. pyreadstat does the reading."""
    import pyreadstat

    try:
        df, meta = pyreadstat.read_sav(str(path), apply_value_formats=True, user_missing=False)
    except Exception as err:  # pyreadstat raises its own ReadstatError and others
        raise DataFileError(
            [
                Problem(
                    str(path), None, None, None, f"not a readable SPSS file ({err})", "save it again from SPSS as .sav"
                )
            ]
        ) from None
    df = df.astype(object).map(_text) if hasattr(df, "map") else df.astype(object).applymap(_text)
    df.attrs["labels"] = dict(meta.column_names_to_labels)
    return df


def read_table(path, sheet: str | None = None) -> pd.DataFrame:
    """Read a raw table (CSV or .xlsx) as text, indexed by spreadsheet row number.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` file (UTF-8, UTF-8 with BOM or cp1252; ``,`` or ``;`` separated), an ``.xlsx``
        workbook or an SPSS ``.sav`` file (value labels applied, user-missing codes missing).
    sheet : str, optional
        Sheet of a workbook; the first sheet when not given.

    Returns
    -------
    pandas.DataFrame
        All cells as strings (empty cells as ``""``), column names stripped of surrounding spaces,
        wholly empty rows dropped. The index, named ``rij``, is the row number in the file (the
        header is row 1; in an SPSS file, the case number). ``df.attrs["source"]`` names the file.

    Examples
    --------
    >>> df = read_table("data/raw/2012/c1_activiteiten.csv")  # doctest: +SKIP
    >>> df.index[0]  # doctest: +SKIP
    2
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError([Problem(str(path), None, None, None, "file not found")])
    if path.suffix.lower() == ".csv":
        df = _read_csv(path)
    elif path.suffix.lower() == ".xlsx":
        df = _read_xlsx(path, sheet)
    elif path.suffix.lower() == ".sav":
        df = _read_sav(path)
    else:
        raise DataFileError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    None,
                    f"cannot read files of type '{path.suffix}'",
                    "save the table as .csv, .xlsx or SPSS .sav",
                )
            ]
        )
    df.columns = [str(c).strip() for c in df.columns]
    # SPSS numbers cases from 1 (no header row); spreadsheets count the header as row 1.
    first = 1 if path.suffix.lower() == ".sav" else 2
    df.index = pd.RangeIndex(first, first + len(df), name="rij")
    df = df[~(df.apply(lambda r: all(str(v).strip() == "" for v in r), axis=1))] if len(df) else df
    df.attrs["source"] = str(path) if sheet is None else f"{path} [{sheet}]"
    return df


def find_table(raw_dir, name: str, workbook: str | None = None) -> tuple[Path, str | None]:
    """Locate the file of table ``name`` in ``raw_dir``.

    Looks for ``name.csv``, then ``name.xlsx``, then a sheet ``name`` of ``workbook`` (.xlsx).
    Returns ``(path, sheet)``; raises :class:`DataFileError` saying what was looked for.

    Parameters
    ----------
    raw_dir : str or Path
        The folder of the raw files of one wave.
    name : str
        The table's name, e.g. ``"c1_activiteiten"``; also the file name without suffix.
    workbook : str, optional
        File name of an .xlsx workbook in ``raw_dir`` that may hold the table as a sheet named
        ``name``; tried only when no file ``name.csv``, ``name.xlsx`` or ``name.sav`` exists.

    Returns
    -------
    (Path, str or None)
        The file, and the sheet to read from it (None for a file of its own).

    Raises
    ------
    DataFileError
        Neither a file nor (with ``workbook``) the workbook exists; the problem lists the names
        looked for.
    """
    raw_dir = Path(raw_dir)
    for suffix in TABLE_SUFFIXES:
        candidate = raw_dir / f"{name}{suffix}"
        if candidate.exists():
            return candidate, None
    if workbook:
        book = raw_dir / workbook
        if book.exists():
            return book, name
    looked = [f"{name}{s}" for s in TABLE_SUFFIXES] + ([f"sheet '{name}' of {workbook}"] if workbook else [])
    raise DataFileError(
        [
            Problem(
                str(raw_dir), None, None, None, f"no file for table '{name}'", "expected one of: " + ", ".join(looked)
            )
        ]
    )


@contextmanager
def atomic_path(path):
    """Yield a temporary path next to ``path``; rename it to ``path`` only if the block succeeds.

    The folder of ``path`` is created if needed. The temporary file is deleted when the block
    fails, so ``path`` is either the old file or the complete new one.

    Parameters
    ----------
    path : str or Path
        The file to write.

    Yields
    ------
    Path
        A temporary (hidden) file in the folder of ``path``, to be written by the block. It is
        renamed to ``path`` (with the usual permissions) when the block ends without an error.

    Examples
    --------
    >>> with atomic_path("out.csv") as tmp:  # doctest: +SKIP
    ...     df.to_csv(tmp)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}")
    os.close(fd)
    try:
        yield Path(tmp)
        # mkstemp creates the file readable by its owner only; give it the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_csv(df: pd.DataFrame, path, index: bool = False) -> Path:
    """Write ``df`` as UTF-8 CSV atomically and return the path.

    Parameters
    ----------
    df : pandas.DataFrame
        The table to write.
    path : str or Path
        The CSV file; written through :func:`atomic_path`, with Unix line endings. Its folder is
        created if needed.
    index : bool
        Whether to write the index as the first column(s).

    Returns
    -------
    Path
        ``path``.
    """
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=index, encoding="utf-8", lineterminator="\n")
    return Path(path)
