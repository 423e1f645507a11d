"""Finding and reading the raw files of a wave, as researchers actually export them.

A raw table arrives as a CSV (or tab-separated text) file, an Excel workbook or an SPSS file,
named after its table in whatever case the researcher typed (:func:`find_sources`). It is read as
text (:func:`read_table`), so that validation (:mod:`snwlib.validate`) sees exactly what the
researcher typed, and every row is indexed by its number *as the user sees it*: the header is
row 1 in Excel, so the first data row is row 2 (an SPSS file numbers its cases from 1).

Before any cell is checked, the file is checked as a whole, and each fault gets its real cause:

- what the file is (a gzip archive, a password-protected workbook or a CSV named .xlsx is named
  as such, never a traceback);
- its encoding: UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode Text") or Windows-1252 for
  the whole file; a row in another encoding than the rest, and text garbled by an earlier wrong
  decoding ("cafÃ©"), are errors that name their row;
- its shape: Excel's ``sep=;`` first line is understood; a title above the header, a duplicated
  or missing column name, a row with fewer or more cells than the header (and a row split in two
  by a line break), a row that repeats the header, a cell longer than a spreadsheet holds (the
  sign of a double quote that is never closed) and a formula without a stored result are errors.

Empty rows, and columns without a name that hold nothing (trailing separators), are harmless and
skipped. A long value is cut in messages (:class:`~snwlib.files.Problem`).
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import os
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .files import DataFileError, Problem

__all__ = [
    "Source",
    "read_table",
    "find_sources",
    "unused_files",
    "READABLE",
    "CELL_LIMIT",
]

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
SPSS_SUFFIXES = (".sav", ".zsav")
#: The file types read as tables, in the order :func:`find_sources` names them.
READABLE = TEXT_SUFFIXES + WORKBOOK_SUFFIXES + SPSS_SUFFIXES
#: File types a researcher may save a table as that cannot be read; what they are.
UNREADABLE = {
    ".xls": "an Excel 97-2003 workbook",
    ".ods": "an OpenDocument spreadsheet",
    ".numbers": "a Numbers spreadsheet",
    ".por": "an SPSS portable file",
    ".dta": "a Stata file",
    ".json": "a JSON file",
    ".xml": "an XML file",
    ".zip": "a zip archive",
    ".gz": "a gzip archive",
    ".pdf": "a PDF document",
    ".docx": "a Word document",
}
SAVE_AS = "save the table as .csv (UTF-8), .xlsx or SPSS .sav"
#: The most characters an Excel cell holds; a longer cell is a sign of a quote that never closes.
CELL_LIMIT = 32_767
#: Files of a wave folder that are not tables.
NOT_TABLES = ("datapackage.json", "metadata.yaml", "privacy_denylist.txt", "readme.md", "readme.txt")
#: Characters that spreadsheets and web pages put around names and that mean nothing.
_INVISIBLE = str.maketrans({"\ufeff": "", "\u200b": "", "\u00a0": " ", "\u2007": " ", "\u202f": " "})
#: Text that UTF-8 bytes read as Windows-1252 turn into ("cafÃ©" for "café").
_MOJIBAKE = re.compile(
    "[\u00c2\u00c3\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)


def _cut(text: str, n: int = 40) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _letter(i: int) -> str:
    """Spreadsheet column letter of the 0-based column ``i`` (0 -> A, 26 -> AA)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _name(cell) -> str:
    return "" if cell is None else str(cell).translate(_INVISIBLE).strip()


def _problem(path, message, hint="", row=None, column=None, value=None) -> Problem:
    return Problem(str(path), row, column, value, message, hint)


def _fail(path, message, hint="", **where):
    raise DataFileError([_problem(path, message, hint, **where)])


# --- what a file is --------------------------------------------------------------------------------
_MAGIC = (
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"\x1f\x8b", "gzip"),
    (b"%PDF", "pdf"),
    (b"$FL2", "sav"),
    (b"$FL3", "sav"),
    (codecs.BOM_UTF8, "text"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WHAT = {
    "zip": "a zip archive (an Excel workbook is one)",
    "ole": "an Excel 97-2003 workbook (.xls) or a password-protected workbook",
    "gzip": "a gzip-compressed file",
    "pdf": "a PDF document",
    "sav": "an SPSS data file",
    "binary": "a binary file",
}


def _magic(head: bytes) -> str:
    """What the first bytes of a file say it is: ``text``, ``utf-16``, or a kind of binary file."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        sample = head[:4096]
        # UTF-16 without a BOM: every other byte of ASCII text is zero
        if sample[1::2].count(0) > 0.4 * len(sample[1::2]) or sample[0::2].count(0) > 0.4 * len(sample[0::2]):
            return "utf-16"
        return "binary"
    return "text"


def _what_instead(path: Path, kind: str) -> Problem:
    """The problem of a file whose content is not what its name says."""
    suffix = path.suffix.lower()
    if kind == "zip" and suffix in TEXT_SUFFIXES:
        hint = "if it is an Excel workbook, name it .xlsx; if it is a zip archive, unpack it into the folder"
    elif kind == "ole":
        hint = "remove the password (Excel: File > Info > Protect Workbook) and save it as .xlsx, or save it as CSV"
    elif kind == "gzip":
        hint = "unpack it (gunzip) and put the table itself in the folder"
    elif kind == "sav":
        hint = "name it .sav"
    elif kind in ("text", "utf-16") and suffix in WORKBOOK_SUFFIXES:
        hint = "the file holds text, probably CSV: name it .csv"
    else:
        hint = SAVE_AS
    what = "text" if kind in ("text", "utf-16") else _WHAT.get(kind, "not a table")
    expected = "an Excel workbook" if suffix in WORKBOOK_SUFFIXES else "a text (CSV) file"
    return _problem(path, f"not {expected}: the file is {what}", hint)


# --- encodings -------------------------------------------------------------------------------------
def _record_of_line(raw_lines: list) -> list:
    """The record (row) number of each line, counting a quoted line break as part of its row."""
    numbers, record, quoted = [], 1, False
    for line in raw_lines:
        numbers.append(record)
        if line.count(b'"') % 2:
            quoted = not quoted
        if not quoted:
            record += 1
    return numbers


def _decode(path: Path, raw: bytes, kind: str) -> str:
    """The text of a CSV file: UTF-16 by its BOM, else UTF-8, else Windows-1252 as a whole.

    A file that is UTF-8 except for some rows (a cell pasted from a Windows-1252 file) raises,
    naming those rows: decoding it as one or the other would garble the rest.
    """
    if kind == "utf-16":
        try:
            return raw.decode("utf-16" if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else _utf16(raw))
        except UnicodeDecodeError as err:
            _fail(path, f"not readable as UTF-16 text ({err.reason})", "save it again from Excel as 'CSV UTF-8'")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    lines = raw.split(b"\n")
    utf8, bad = 0, []
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError as err:
            bad.append((i, err.start))
    if utf8 and bad:
        rows = _record_of_line(lines)
        problems = []
        for i, start in bad:
            line = lines[i]
            excerpt = line[max(0, start - 15) : start + 15].decode("cp1252", errors="replace").strip()
            problems.append(
                _problem(
                    path,
                    "this row is not UTF-8 like the rest of the file (it reads as Windows-1252)",
                    "save the whole file in one encoding: in Excel 'CSV UTF-8'; or retype the special characters "
                    "of this row",
                    row=rows[i],
                    value=excerpt,
                )
            )
        raise DataFileError(problems)
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        # five byte values have no Windows-1252 character; ISO 8859-1 reads every byte
        return raw.decode("latin-1")


def _utf16(raw: bytes) -> str:
    sample = raw[:4096]
    return "utf-16-le" if sample[1::2].count(0) >= sample[0::2].count(0) else "utf-16-be"


# --- text tables -----------------------------------------------------------------------------------
_SEP_LINE = re.compile(r'^\s*"?sep=(.)"?[;,\t]*\s*$', re.IGNORECASE)


def _sniff(first_record: str) -> str:
    # Excel on a Dutch Windows machine writes ';' (the comma is the decimal sign there); "Unicode
    # Text" is tab-separated.
    counts = {sep: first_record.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda s: (counts[s], s == ","))
    return best if counts[best] else ","


def _first_records(text: str, sep: str, n: int = 25) -> list:
    out = []
    try:
        for record in csv.reader(io.StringIO(text[:1_000_000]), delimiter=sep):
            out.append(record)
            if len(out) == n:
                break
    except csv.Error:
        pass
    return out


def _header_index(records: list) -> int:
    """Index of the header among the first records: 0, unless a title stands above it.

    A title row fills far fewer cells than the header; the header is the first row that fills
    (nearly) as many cells as the fullest row, with distinct names that are not numbers.
    """
    filled = [[c for c in r if _name(c)] for r in records]
    if not filled or not filled[0]:
        return 0
    full = max(len(f) for f in filled)
    if len(filled[0]) > full / 2 or full < 3:
        return 0
    for i, cells in enumerate(filled[1:11], start=1):
        names = [_name(c) for c in cells]
        if len(cells) >= 0.8 * full and len(set(names)) == len(names) and not any(_is_number(c) for c in names):
            return i
    return 0


def _is_number(text: str) -> bool:
    return re.fullmatch(r"[-+]?\d+([.,]\d+)?", text) is not None


def _title_problem(path, records: list, at: int, offset: int) -> Problem:
    title = next((_name(c) for r in records[:at] for c in r if _name(c)), "")
    rows = f"row {offset + 1}" if at == 1 else f"rows {offset + 1}-{offset + at}"
    return _problem(
        path,
        f"the column names are on row {offset + at + 1}; {rows} above them {'is' if at == 1 else 'are'} not part of "
        "the table (a title?)",
        "delete the rows above the header, so that the column names are in row 1",
        row=offset + 1,
        value=_cut(title),
    )


def _valid_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8, checked a block at a time (never the whole file as one string)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(view), 1 << 24):
            decoder.decode(view[start : start + (1 << 24)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


class _NotUtf8(Exception):
    """The bytes are not UTF-8 after all: read the file again from its decoded text."""


def _first_line(data: bytes) -> str:
    end = data.find(b"\n")
    return data[: end if end >= 0 else len(data)].decode("utf-8", errors="replace")


def _read_text(path: Path, raw: bytes, kind: str):
    """Header, body (pyarrow table of dictionary-encoded strings), row numbers and problems of a
    CSV or tab-separated file.

    A UTF-8 file (the usual export) goes to the parser as it is, and the parser's own check of
    every value is the encoding check; only when that fails (or the file has faults to report) is
    the file decoded as a whole (:func:`_decode`) and read again from that text.
    """
    if kind == "text":
        data = raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
        try:
            return _parse_text(path, data)
        except _NotUtf8:
            pass
        except DataFileError:
            if _valid_utf8(data):
                raise
    return _parse_text(path, _decode(path, raw, kind).lstrip("\ufeff").encode("utf-8"), decoded=True)


def _parse_text(path: Path, data: bytes, decoded: bool = False):
    """:func:`_read_text` on ``data``, which is UTF-8 if ``decoded`` and meant to be otherwise
    (:class:`_NotUtf8` when it turns out not to be)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if re.search(rb"\S", data) is None:
        _fail(path, "the file is empty", "export the table again, with its header row")
    offset = 0  # rows above the header as Excel numbers them
    sep = None
    m = _SEP_LINE.match(_first_line(data))
    if m:
        # Excel's "sep=;" line: Excel reads it as the separator and does not show it as a row
        sep, data = m.group(1), data[data.find(b"\n") + 1 :]
    if b"\n" not in data:
        data = data.replace(b"\r", b"\n")  # old Mac line endings
    skip = 0
    while True:  # empty rows above the header (perhaps only separators) keep their numbers
        end = data.find(b"\n", skip)
        if end < 0 or data[skip:end].strip(b' \t\r,;"'):
            break
        skip, offset = end + 1, offset + 1
    data = data[skip:] if skip else data
    sep = sep or _sniff(_first_line(data))
    records = _first_records(data[:1_000_000].decode("utf-8", errors="ignore"), sep)
    at = _header_index(records)
    if at:
        raise DataFileError([_title_problem(path, records, at, offset)])
    header = records[0] if records else []
    width = len(header)
    invalid = []

    def handle(row):
        invalid.append((row.number, row.text))
        return "skip"

    # pyarrow cannot even hand such a row to the handler when it is not UTF-8; the error it can
    # only print is caught here instead, and the file read again from its decoded text
    undecodable, unraisablehook = [], sys.unraisablehook
    sys.unraisablehook = undecodable.append
    try:
        # Dictionary-encoded: a survey repeats a handful of answers, so a column of a million
        # cells is a million small integers and a few labels, read and checked per label.
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(
                autogenerate_column_names=True, use_threads=False, block_size=1 << 24, skip_rows=0
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=sep,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=handle,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.dictionary(pa.int32(), pa.string()) for i in range(width)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as err:
        if not decoded and (undecodable or "invalid UTF8" in str(err)):
            raise _NotUtf8 from None
        _fail(path, f"not a readable CSV file ({_cut(err, 120)})", "export the table again as CSV")
    finally:
        sys.unraisablehook = unraisablehook
    if not decoded and (undecodable or (invalid and not _valid_utf8(data))):
        raise _NotUtf8  # the rows to report must be shown as decoded text
    table = _without_header(table)
    numbers = np.arange(2, 2 + table.num_rows + len(invalid)) + offset
    problems, repaired = _shape_problems(path, invalid, width, sep, offset, table.num_rows + len(invalid))
    if invalid:
        numbers = numbers[~np.isin(numbers, [n + offset for n, _ in invalid])]
    if repaired:
        extra = pa.table(
            {f"f{i}": pa.array([r[1][i] for r in repaired]).dictionary_encode() for i in range(width)}
        ).cast(table.schema)
        table = pa.concat_tables([table, extra])
        numbers = np.concatenate([numbers, [r[0] for r in repaired]])
        order = np.argsort(numbers, kind="stable")
        table, numbers = table.take(order), numbers[order]
    return header, table, numbers, problems


def _without_header(table):
    """The parsed table without its first row, the header, whose text is then no value of any
    column (the first chunk's dictionary is made again from its other rows)."""
    import pyarrow as pa

    columns = []
    for column in table.columns:
        first = column.chunk(0).slice(1).dictionary_decode().dictionary_encode()
        columns.append(pa.chunked_array([first, *column.chunks[1:]], type=column.type))
    return pa.table(columns, names=table.column_names)


def _shape_problems(path, invalid: list, width: int, sep: str, offset: int, rows: int):
    """Problems of the ``invalid`` rows (those with fewer or more cells than the header) among
    ``rows`` data rows. When every row has empty cells too many (a separator at the end of every
    row but the header's), they are repaired and returned as ``(row, cells)``."""
    problems, repaired, short = [], [], {}
    for number, text in sorted(invalid):
        row = number + offset
        try:
            cells = next(csv.reader(io.StringIO(text), delimiter=sep, strict=True), [])
        except csv.Error as err:
            # e.g. '"zie bijlage,Ja,"relatie': a quote closes where no cell ends
            problems.append(
                _problem(
                    path,
                    f"the double quotes in this row do not pair up ({err})",
                    "a cell in double quotes must end with a double quote followed by the separator; a double quote "
                    'inside a quoted cell is written twice (""); the rows after it are read again once it is fixed',
                    row=row,
                    value=_cut(text),
                )
            )
            break
        if not any(c.strip() for c in cells):
            continue  # an empty row
        runs_on = next((c for c in cells if "\n" in c), None)
        if runs_on is not None:
            # a wrong number of cells, and a cell that spans lines: a quote opened and closed
            # only by a later cell's quote (or never); the rows after it cannot be trusted
            problems.append(
                _problem(
                    path,
                    f"a cell in double quotes runs on over {runs_on.count(chr(10)) + 1} lines, so this row has "
                    f"{len(cells)} cells where the header has {width}: a double quote that is never closed",
                    'close the quote or remove it (a double quote inside a quoted cell is written twice: ""); '
                    "the rows after it are read again once it is fixed",
                    row=row,
                    value=_cut(runs_on.split("\n")[0]),
                )
            )
            break
        if len(cells) > width:
            if not any(c.strip() for c in cells[width:]):
                repaired.append((row, cells[:width]))
                continue  # accepted only if every row has them (below)
            filled = max(i for i, c in enumerate(cells) if c.strip()) + 1
            problems.append(
                _problem(
                    path,
                    f"{filled} cells where the header has {width}",
                    f"a cell that contains the separator '{sep}' must be in double quotes; or a cell was split in two",
                    row=row,
                )
            )
            continue
        short[row] = len(cells)
    for row in sorted(short):
        if row - 1 in short and short[row - 1] + short[row] - 1 == width:
            continue  # reported with the row before
        if row + 1 in short and short[row] + short[row + 1] - 1 == width:
            problems.append(
                _problem(
                    path,
                    f"this row has {short[row]} cells and the next {short[row + 1]}, where the header has {width}: "
                    "one row split in two by a line break inside a cell",
                    "remove the line break from the cell, or put the cell in double quotes",
                    row=row,
                )
            )
            continue
        problems.append(
            _problem(
                path,
                f"{short[row]} cells where the header has {width}",
                f"a separator '{sep}' is missing or the row was cut off; every row needs a cell for each column, "
                "empty ones too",
                row=row,
            )
        )
    if repaired and len(repaired) < rows:
        # Empty cells too many in some rows only: a separator at the end of the row, or a cell
        # with the separator in it that was not quoted (and shifted the row). Only the first is
        # harmless, and the file does not say which.
        problems += [
            _problem(
                path,
                f"{width + 1} or more cells where the header has {width} (the extra ones empty)",
                f"a separator '{sep}' too many: at the end of the row, or inside a cell that must be in double "
                "quotes (and then the cells after it moved one column)",
                row=row,
            )
            for row, _ in repaired
        ]
        repaired = []
    problems.sort(key=lambda p: p.row)
    return problems, repaired


# --- workbooks -------------------------------------------------------------------------------------
def _choose_sheet(path: Path, sheets: list, sheet: str | None, table: str | None) -> str:
    """The sheet to read: the one asked for (case and spaces aside), else the one named after the
    table, else the first."""
    wanted = sheet or table
    if wanted:
        for s in sheets:
            if _name(s).casefold() == _name(wanted).casefold():
                return s
        if sheet:
            _fail(path, f"no sheet '{sheet}'", "the workbook has the sheets " + ", ".join(repr(s) for s in sheets))
    return sheets[0]


def _read_workbook(path: Path, raw_head: bytes, sheet: str | None, table: str | None):
    """Header, body, row numbers and chosen sheet of an .xlsx workbook (openpyxl reads it)."""
    import openpyxl
    import pyarrow as pa

    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            if "[Content_Types].xml" not in names:
                if "content.xml" in names:
                    _fail(path, "not an Excel workbook: the file is an OpenDocument spreadsheet", SAVE_AS)
                _fail(path, "not an Excel workbook: the file is a zip archive of other files", SAVE_AS)
            bad = z.testzip()
            if bad:
                _fail(
                    path, f"the workbook is damaged (part {bad} is corrupt)", "copy it again, or save it again in Excel"
                )
    except zipfile.BadZipFile:
        _fail(
            path,
            "the workbook is damaged or incomplete (not a complete .xlsx file)",
            "copy it again (the copy may have been cut off), or save it again in Excel",
        )
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except DataFileError:
        raise
    except Exception as err:  # openpyxl raises many kinds for a broken workbook
        _fail(
            path,
            f"the workbook cannot be read ({type(err).__name__}: {_cut(err, 100)})",
            "save it again in Excel as .xlsx",
        )
    try:
        chosen = _choose_sheet(path, list(book.sheetnames), sheet, table)
        ws = book[chosen]
        ws.reset_dimensions()  # some writers store no or wrong dimensions; read every cell
        rows = [list(r) for r in ws.iter_rows(min_row=1, values_only=True)]
    finally:
        book.close()
    source = f"{path} [{chosen}]" if sheet or len(book.sheetnames) > 1 else str(path)
    offset = 0
    while rows and all(_text(c) == "" for c in rows[0]):
        rows.pop(0)
        offset += 1
    if not rows:
        _fail(source, "the sheet is empty", "put the table in it, with its header row in row 1")
    texts = [[_text(c) for c in r] for r in rows]
    at = _header_index(texts[:25])
    if at:
        raise DataFileError([_title_problem(source, texts, at, offset)])
    header = texts[0]
    width = max(len(r) for r in texts)
    header = header + [""] * (width - len(header))
    body = [r + [""] * (width - len(r)) for r in texts[1:]]
    table = pa.table({f"f{i}": pa.array([r[i] for r in body], pa.string()).dictionary_encode() for i in range(width)})
    numbers = np.arange(2, 2 + len(body)) + offset
    problems = _formulas_without_result(path, chosen, header, offset)
    return header, table, numbers, problems, source


def _formulas_without_result(path: Path, sheet: str, header: list, offset: int) -> list:
    """Formula cells with no stored result (a workbook written by a script, never opened in a
    spreadsheet program): reading them would silently give empty cells."""
    import openpyxl

    with zipfile.ZipFile(path) as z:
        if not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")):
            return []
    values = openpyxl.load_workbook(path, read_only=True, data_only=True)[sheet]
    formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)[sheet]
    problems = []
    for i, (vrow, frow) in enumerate(
        zip(values.iter_rows(values_only=True), formulas.iter_rows(values_only=True), strict=False)
    ):
        for j, (v, f) in enumerate(zip(vrow, frow, strict=False)):
            if v is None and isinstance(f, str) and f.startswith("="):
                column = _name(header[j]) if j < len(header) and _name(header[j]) else _letter(j)
                problems.append(
                    _problem(
                        path,
                        f"a formula without a stored result (cell {_letter(j)}{i + 1})",
                        "open the workbook in Excel or LibreOffice and save it, so the results are stored; or "
                        "replace the formulas by their values",
                        row=i + 1,
                        column=column,
                        value=_cut(f),
                    )
                )
    return problems


def _text(v) -> str:
    """A cell as text: empty for missing, whole numbers without '.0', dates as ISO dates."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, pd.Timestamp) or hasattr(v, "isoformat"):
        return pd.Timestamp(v).strftime("%Y-%m-%d")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


# --- SPSS ------------------------------------------------------------------------------------------
def _read_sav(path: Path) -> pd.DataFrame:
    """An SPSS file: value labels applied (so answers reach the codebook as the Dutch labels the
    questionnaire prints), user-missing codes read as missing. The variable labels (question
    texts) are kept in ``df.attrs["labels"]``. pyreadstat does the reading."""
    import pyreadstat

    try:
        df, meta = pyreadstat.read_sav(str(path), apply_value_formats=True, user_missing=False)
    except Exception as err:  # pyreadstat raises its own ReadstatError and others
        _fail(path, f"not a readable SPSS file ({_cut(err, 100)})", "save it again from SPSS as .sav")
    df = df.astype(object).map(_text) if hasattr(df, "map") else df.astype(object).applymap(_text)
    df.attrs["labels"] = dict(meta.column_names_to_labels)
    return df


# --- the table as a whole ----------------------------------------------------------------------------
def _cells(column, fn):
    """``fn`` (a pyarrow compute function of string arrays) of every cell of a dictionary column,
    computed once per distinct value of each chunk."""
    import pyarrow as pa

    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    out = [fn(c.dictionary).take(c.indices) for c in chunks]
    return pa.chunked_array(out, type=out[0].type if out else fn(pa.array([], pa.string())).type)


def _rows_where(table, columns: list, test) -> np.ndarray:
    """Positions of the rows where ``test(column, i)`` holds for every column ``i`` of ``columns``,
    testing the first column on every row and each next one only on the rows still in question."""
    rows = np.arange(table.num_rows)
    for i in columns:
        if not len(rows):
            break
        column = table.column(i) if len(rows) == table.num_rows else table.column(i).take(rows)
        rows = rows[test(column, i).to_numpy(zero_copy_only=False).astype(bool)]
    return rows


def _frame(source: str, header: list, table, numbers, problems: list, workbook: bool) -> pd.DataFrame:
    """Check the header and the cells of a text or workbook table (dictionary-encoded strings)
    and return it as a DataFrame of categoricals."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # each check runs once per distinct value of a chunk (its dictionary), then per cell by index
    empty = pa.chunked_array([], pa.dictionary(pa.int32(), pa.string()))
    column_of = {i: table.column(i) for i in range(table.num_columns)}
    names = [_name(h) for h in header]
    keep = []
    seen: dict = {}
    for i, n in enumerate(names):
        column = column_of.get(i, empty)
        if n == "":
            filled = _cells(column, lambda v: pc.not_equal(pc.utf8_trim_whitespace(v), ""))
            if len(column) and pc.any(filled).as_py():
                first = int(pc.index(filled, True).as_py())
                problems.append(
                    _problem(
                        source,
                        f"column {_letter(i)} holds values but has no name in the header",
                        (
                            "an empty or merged header cell: give each column its name (unmerge merged cells)"
                            if workbook
                            else "give the column its name in the header row; or a separator too many in the rows"
                        ),
                        row=int(numbers[first]),
                        value=_cut(column[first].as_py()),
                    )
                )
            continue  # a column with no name and no values (trailing separators) is skipped
        if n in seen:
            problems.append(
                _problem(
                    source,
                    f"the header has the column '{n}' twice (columns {_letter(seen[n])} and {_letter(i)})",
                    "each column once: delete or rename one of them",
                    row=1,
                )
            )
            continue
        seen[n] = i
        keep.append(i)
    for i in keep:
        column = column_of[i]
        if len(column) == 0:
            continue
        lengths = _cells(column, pc.utf8_length)
        if pc.max(lengths).as_py() > CELL_LIMIT:
            at = int(pc.index(pc.greater(lengths, CELL_LIMIT), True).as_py())
            problems.append(
                _problem(
                    source,
                    f"a cell of {lengths[at].as_py():,} characters, more than a spreadsheet cell holds "
                    f"({CELL_LIMIT:,})",
                    "a double quote that is never closed turns the rows after it into one cell; check the quotes "
                    "from this row on",
                    row=int(numbers[at]),
                    column=names[i],
                    value=column[at].as_py(),
                )
            )
            continue
        suspect = _cells(column, lambda v: pc.match_substring_regex(v, _MOJIBAKE.pattern))
        if pc.any(suspect).as_py():
            for at in np.flatnonzero(suspect.to_numpy(zero_copy_only=False)):
                value = column[int(at)].as_py()
                m = _MOJIBAKE.search(value)
                fragment = value[max(0, m.start() - 10) : m.end() + 12]
                if _unmangle(fragment) != fragment:
                    problems.append(
                        _problem(
                            source,
                            f"garbled text: {fragment!r} reads as {_unmangle(fragment)!r} when repaired",
                            "the file was once opened with the wrong encoding and saved; export it again from the "
                            "source as 'CSV UTF-8' (or correct these characters)",
                            row=int(numbers[int(at)]),
                            column=names[i],
                            value=value,
                        )
                    )
    if keep and table.num_rows:
        repeats = _rows_where(
            table, keep, lambda column, i: _cells(column, lambda v: pc.equal(pc.utf8_trim_whitespace(v), names[i]))
        )
        for at in repeats:
            problems.append(
                _problem(
                    source,
                    "this row repeats the column names (two exports pasted together?)",
                    "delete the row, and check that no respondent appears twice",
                    row=int(numbers[int(at)]),
                )
            )
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise DataFileError(problems)
    blank = []
    if keep and table.num_rows:
        blank = _rows_where(
            table, keep, lambda column, _: _cells(column, lambda v: pc.equal(pc.utf8_trim_whitespace(v), ""))
        )
        if len(blank):
            table = table.filter(~np.isin(np.arange(table.num_rows), blank))
            numbers = np.delete(numbers, blank)
    table = table.select(keep).rename_columns([names[i] for i in keep])
    for i, column in enumerate(table.columns):
        # A column whose texts hardly repeat (a respondent id) becomes plain text: as a categorical
        # it would hold each text twice, and joining the chunks' dictionaries costs more than it saves.
        if 2 * sum(len(c.dictionary) for c in column.chunks) > len(column):
            decoded = pa.chunked_array([c.dictionary_decode() for c in column.chunks], pa.string())
            table = table.set_column(i, table.column_names[i], decoded)
    df = table.to_pandas()
    if len(df) and len(blank):  # blank rows' cells are no values
        df = df.apply(lambda c: c.cat.remove_unused_categories() if isinstance(c.dtype, pd.CategoricalDtype) else c)
    df.index = pd.Index(numbers, name="rij")
    return df


def _unmangle(text: str) -> str:
    """``text`` with UTF-8 that was read as Windows-1252 repaired, where it can be."""

    def fix(m):
        try:
            return m.group(0).encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return m.group(0)

    return re.sub("[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u2122]{1,3}", fix, text)


def read_table(path, sheet: str | None = None, table: str | None = None) -> pd.DataFrame:
    """Read a raw table as text, indexed by spreadsheet row number, after checking it as a whole.

    Parameters
    ----------
    path : str or Path
        A text table (``.csv``, ``.tsv`` or ``.txt``: UTF-8 with or without BOM, UTF-16 or
        Windows-1252; separated by ``;``, ``,`` or tabs, or as a ``sep=`` first line says), an
        Excel workbook (``.xlsx``, ``.xlsm``) or an SPSS file (``.sav``, ``.zsav``; value labels
        applied, user-missing codes missing).
    sheet : str, optional
        Sheet of a workbook (case and surrounding spaces aside).
    table : str, optional
        The table the file should hold: without ``sheet``, a workbook's sheet of that name is
        read if it has one, its first sheet otherwise.

    Returns
    -------
    pandas.DataFrame
        All cells as text (empty cells as ``""``), one column per named header cell (names
        stripped of surrounding and invisible spaces), wholly empty rows dropped. A column whose
        texts repeat is a categorical (each distinct text stored once, in the order the file first
        has it, so a large export of repeated answers stays small); one where most cells differ
        (an id) is plain text. The index, named
        ``rij``, is the row number as Excel shows it (the header is row 1; in an SPSS file, the
        case number). ``df.attrs["source"]`` names the file (and sheet).

    Raises
    ------
    DataFileError
        The file cannot be read as a table, or its shape or encoding is wrong (see the module
        docstring); every such problem of the file at once, each with its row.

    Examples
    --------
    >>> df = read_table("data/raw/2012/c1_activiteiten.csv")  # doctest: +SKIP
    >>> df.index[0]  # doctest: +SKIP
    2
    """
    path = Path(path)
    if not path.exists():
        _fail(path, "file not found" if not path.is_symlink() else "a link to a file that does not exist")
    if path.is_dir():
        _fail(path, "a folder, not a file", "put the table itself in the wave's folder")
    suffix = path.suffix.lower()
    if suffix not in READABLE:
        what = UNREADABLE.get(suffix, f"a file of type '{path.suffix}'")
        _fail(path, f"cannot read {what}", SAVE_AS)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError as err:
        _fail(path, f"the file cannot be opened ({err.strerror or err})", "check that you may read it")
    kind = _magic(head)
    try:
        if suffix in SPSS_SUFFIXES:
            if kind != "sav" and suffix == ".sav":
                raise DataFileError([_what_instead(path, kind)])
            df = _read_sav(path)
            df.columns = [_name(c) for c in df.columns]
            df.index = pd.RangeIndex(1, 1 + len(df), name="rij")
            source = str(path)
        elif suffix in WORKBOOK_SUFFIXES:
            if kind != "zip":
                raise DataFileError([_what_instead(path, kind)])
            header, body, numbers, problems, source = _read_workbook(path, head, sheet, table)
            df = _frame(source, header, body, numbers, problems, workbook=True)
        else:
            if kind not in ("text", "utf-16"):
                raise DataFileError([_what_instead(path, kind)])
            header, body, numbers, problems = _read_text(path, path.read_bytes(), kind)
            source = str(path)
            df = _frame(source, header, body, numbers, problems, workbook=False)
    except DataFileError:
        raise
    except MemoryError:
        _fail(path, "the file is too large to read in memory", "split it, or read it on a machine with more memory")
    except Exception as err:  # the last line of defence: a user's file never ends in a traceback
        _fail(
            path,
            f"the file cannot be read ({type(err).__name__}: {_cut(err, 100)})",
            "check that it is the exported table; export it again",
        )
    if suffix in SPSS_SUFFIXES:
        if len(df):
            df = df[~df.apply(lambda r: all(str(v).strip() == "" for v in r), axis=1)]
        df = df.astype("category")
    df.attrs["source"] = source
    return df


# --- finding files ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """Where a table of a wave is: a file, and the sheet to read from it (None for the file's only
    or first sheet, or a file that has no sheets)."""

    table: str
    path: Path
    sheet: str | None = None

    def __str__(self) -> str:
        return self.path.name + (f" [{self.sheet}]" if self.sheet else "")


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", _name(name)).casefold()


def _outside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return False
    except ValueError:
        return True


def find_sources(raw_dir, tables: dict) -> tuple[dict, list]:
    """Find the file (or workbook sheet) of each table in a wave's folder.

    A file belongs to a table when its name, without the suffix and in any case, is the table's
    name (``C7_Antwoorden.CSV`` is ``c7_antwoorden``); a workbook named in the codebook holds the
    tables whose names its sheets have. Two candidates for one table are an error, not a choice,
    and so are files that cannot be tables (an ``.xls``), links that lead out of the folder and
    links that lead nowhere.

    Parameters
    ----------
    raw_dir : str or Path
        The folder of the raw files of one wave.
    tables : dict of str to str or None
        The tables to look for, each with the file name of the workbook (in the folder) that may
        hold it as a sheet, or None.

    Returns
    -------
    (dict of str to Source, list of Problem)
        The source of each table found (tables without a file are left out: not every wave has
        every table) and the problems, each naming the file(s).
    """
    folder = Path(raw_dir)
    files = sorted(p for p in folder.iterdir() if not p.name.startswith((".", "~$")))
    by_key: dict = {}
    for p in files:
        by_key.setdefault(_key(p.stem), []).append(p)
    books: dict = {}
    sources, problems = {}, []
    for name, workbook in tables.items():
        candidates = [p for p in by_key.get(_key(name), []) if p.is_file() or p.is_symlink() or p.is_dir()]
        found = []
        for p in candidates:
            suffix = p.suffix.lower()
            if p.is_symlink() and not p.exists():
                problems.append(
                    _problem(p, "a link to a file that does not exist", "put the file itself in the folder")
                )
            elif p.is_symlink() and _outside(p, folder):
                problems.append(
                    _problem(
                        p,
                        f"a link to a file outside the wave's folder ({os.readlink(p)})",
                        "copy the file into the folder: the manifest and the pipeline use only the files in it",
                    )
                )
            elif suffix in READABLE or suffix in UNREADABLE:
                found.append(Source(name, p))
        if workbook:
            book = next((p for p in files if _key(p.name) == _key(workbook)), None)
            if book is not None and book.suffix.lower() in WORKBOOK_SUFFIXES and _key(book.stem) != _key(name):
                if book not in books:
                    books[book] = _workbook_sheets(book)
                for sheet in books[book] or []:
                    if _key(sheet) == _key(name):
                        found.append(Source(name, book, sheet))
        if len(found) > 1:
            problems.append(
                _problem(
                    folder,
                    f"{len(found)} files for table '{name}': " + ", ".join(str(s) for s in found),
                    "keep one and move the others out of the folder; the pipeline does not choose",
                )
            )
        elif found:
            sources[name] = found[0]
    return sources, problems


def _workbook_sheets(path: Path):
    """The sheet names of a workbook, or None when it cannot be opened (reading it says why)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True)
        try:
            return list(book.sheetnames)
        finally:
            book.close()
    except Exception:  # reported when the workbook is read
        return None


def _near(name: str, names, cutoff: float = 0.6) -> list:
    """The table name ``name`` was most likely meant to be: the same words in another order
    (``respons_c8``), else the closest spelling."""
    words = sorted(re.split(r"[_\s-]+", _key(name)))
    same = [n for n in names if sorted(re.split(r"[_\s-]+", _key(n))) == words]
    return same[:1] or difflib.get_close_matches(_key(name), list(names), n=1, cutoff=cutoff)


def unused_files(raw_dir, sources: dict, tables) -> tuple[list, list]:
    """The files of a wave's folder that no table uses.

    Parameters
    ----------
    raw_dir : str or Path
        The folder of the raw files of one wave.
    sources : dict of str to Source
        What :func:`find_sources` found.
    tables : iterable of str
        The names of all tables the codebooks describe.

    Returns
    -------
    (list of Problem, list of Problem)
        The files whose name is close to a table's that has no file (``c7_antwoord.csv``): most
        likely that table misnamed, a problem; and the other unused files, as warnings. The
        manifest, metadata, deny-list, README and hidden files are not tables and not listed.
    """
    folder = Path(raw_dir)
    used = {s.path.name for s in sources.values()}
    known = {_key(t) for t in tables}
    missing = sorted(_key(t) for t in tables if t not in sources)
    misnamed, other = [], []
    for p in sorted(folder.iterdir()):
        if p.name.startswith((".", "~$")) or p.name in used or p.name.lower() in NOT_TABLES or p.is_dir():
            continue
        if _key(p.stem) in known:
            continue  # named after a table: find_sources said why it is not used
        near = _near(p.stem, missing, cutoff=0.75)
        if near and p.suffix.lower() in READABLE:
            misnamed.append(
                _problem(
                    p,
                    f"not named after a table; table '{near[0]}' has no file",
                    f"if this is table '{near[0]}', name it {near[0]}{p.suffix.lower()}",
                )
            )
        else:
            other.append(_problem(p, "not used: no codebook describes a table of this name"))
    return misnamed, other
