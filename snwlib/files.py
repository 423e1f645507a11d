"""Problems in raw data, as the user will look for them, and writing outputs safely.

A :class:`Problem` names the file, the row as the user sees it (Excel's row number: the header is
row 1), the column and the value; raw files are found and read by :mod:`snwlib.rawfiles`.

Outputs are written to a temporary name in the destination folder and renamed when complete, so
that a crash never leaves a half-written file that looks valid.
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

__all__ = ["Problem", "DataFileError", "atomic_path", "write_csv", "read_json"]


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
            text += f"value {_shown(self.value)}: "
        text += self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


def _shown(value) -> str:
    """A value as a message quotes it: its repr, cut to a readable length."""
    text = repr(value)
    if len(text) <= 80:
        return text
    return f"{text[:60]}…{text[-1]} ({len(str(value)):,} characters)"


#: How many problems the message of a :class:`DataFileError` lists (all are in ``.problems``).
SHOWN = 100


class DataFileError(ValueError):
    """Raised when raw data cannot be used; carries every problem found, not just the first. Its
    message lists the first :data:`SHOWN` of them."""

    def __init__(self, problems):
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the raw data:"
        shown = [f"  - {p}" for p in self.problems[:SHOWN]]
        if n > SHOWN:
            shown.append(f"  ... and {n - SHOWN} more")
        super().__init__("\n".join([head] + shown))


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


def _neutralised(value):
    """``value`` with a ``'`` in front if it is text that a spreadsheet would run as a formula.

    A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
    Excel, LibreOffice and Google Sheets (OWASP, "CSV Injection"). Numbers, and text that is a plain
    number ("-0.5", "-1,5", "+31"), are left as they are: no spreadsheet runs them.

    >>> [_neutralised(v) for v in ["=1+1", "-neg", "\\tx", "-0.5", "ja", -1.5, None]]
    ["'=1+1", "'-neg", "'\\tx", '-0.5', 'ja', -1.5, None]
    """
    import re

    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        number = r"[+-](\d[\d.,]*([eE][+-]?\d+)?|[.,]\d+([eE][+-]?\d+)?|inf|infinity|nan)"
        if not re.fullmatch(number, value, flags=re.IGNORECASE):
            return "'" + value
    return value


def write_csv(df: pd.DataFrame, path, index: bool = False) -> Path:
    """Write ``df`` as UTF-8 CSV atomically and return the path.

    Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
    a tab or a carriage return) get a ``'`` in front and are quoted, as OWASP advises against CSV
    injection; numbers, text that is a plain number, and all other cells are written as they are.

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
    import uuid

    # A neutralised cell goes to pandas as a unique token, which it writes bare, and is then put in
    # quoted in its place: the csv module quotes only what holds a separator, quote or line break.
    out, quoted, prefix = df.copy(), {}, f"snw{uuid.uuid4().hex}n"

    def neutralised(value):
        safe = _neutralised(value)
        if safe is value:
            return value
        token = f"{prefix}{len(quoted)}x"
        quoted[token] = '"' + safe.replace('"', '""') + '"'
        return token

    for i, dtype in enumerate(df.dtypes):
        if pd.api.types.is_object_dtype(dtype) or isinstance(dtype, (pd.CategoricalDtype, pd.StringDtype)):
            out.isetitem(i, df.iloc[:, i].astype(object).map(neutralised))
    if index and not isinstance(out.index, pd.MultiIndex) and pd.api.types.is_object_dtype(out.index.dtype):
        out.index = out.index.map(neutralised)
    text = out.to_csv(index=index, lineterminator="\n")
    for token, cell in quoted.items():
        text = text.replace(token, cell)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8", newline="")
    return Path(path)


def read_json(path):
    """The JSON document in ``path``, read once per version of the file.

    The index and the summary page read each executed notebook (megabytes, mostly embedded
    figures) in several places; this reads it once as long as its date and size stay the same.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    object
        The parsed document, shared between callers: do not change it.
    """
    st = os.stat(path)
    return _read_json(str(Path(path).resolve()), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=16)
def _read_json(path: str, mtime_ns: int, size: int):
    return json.loads(Path(path).read_text(encoding="utf-8"))
