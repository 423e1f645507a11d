"""A new wave: data-entry templates made from the codebooks (``make new-wave WAVE=2013``).

:func:`new_wave` creates ``DATA_DIR/<wave>/`` with

- an Excel workbook per table a researcher enters (each codebook's ``export`` and its other
  ``tables``), named after the table (``c7_antwoorden.xlsx``), so that ingestion finds it. Its first
  sheet, named after the table too, has the column names the validator expects in row 1, each with
  its Dutch question text (or the column's rules) as a comment and as the input message Excel and
  LibreOffice show when a cell of the column is selected. Coded answers and categories get a
  dropdown list (data validation of type *list*) holding exactly the labels the validator accepts,
  read from a hidden sheet (:data:`LISTS_SHEET`) through a defined name, since a list typed into
  the validation itself is limited to 255 characters and cannot hold a comma; numbers get a
  whole-number or decimal range and dates a date check, each with a Dutch error message. The
  workbook holds no formulas, and the reader (:func:`snwlib.rawfiles.read_table`) reads the sheet
  named after the table, never the lists;
- the tables that a codebook marks as carried from wave to wave (``remeasure:``, a list of
  columns, in the table's spec) pre-filled with the rows of the previous wave (the latest wave
  folder with a manifest whose name sorts before the new one), those columns left empty: they are
  measured again. Without a previous wave, these templates are empty too;
- a ``metadata.yaml`` with every table, ``status: real`` and a description and source to complete,
  plus any other key the previous wave's metadata has (copied, marked to update);
- a short ``README.md`` in Dutch: how to fill in, check, accept and build the wave.

The wave is written in a hidden folder beside it and renamed into place when complete, so an
interrupted run leaves nothing that looks like a wave; an existing wave folder that holds anything
is never touched. Until ``make accept-data`` writes its manifest, the Makefile does not count the
folder as a wave.

Nothing here knows an instrument: every column, label, range and text comes from the codebooks.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .codebook import all_codebooks, load_yaml
from .files import DataFileError, Problem
from .manifest import MANIFEST
from .nl import number as nl_number
from .scoring import CODED, items_table
from .validate import read_cell

__all__ = [
    "Field",
    "Created",
    "LISTS_SHEET",
    "entry_tables",
    "fields",
    "template",
    "previous_wave",
    "new_wave",
    "main",
]

#: The hidden sheet that holds the dropdown lists of a template.
LISTS_SHEET = "lijsten"
#: The last row of a sheet in Excel and LibreOffice: the checks cover every row one may fill in.
LAST_ROW = 1_048_576
#: Excel's limits on an input or error message and on its title.
MESSAGE_MAX, TITLE_MAX = 255, 32
#: Cell formats: text (so that "1-2" or "007" stay as typed), dates as the validator reads them.
TEXT_FORMAT, DATE_FORMAT = "@", "yyyy-mm-dd"
#: A wave's folder name: a plain word, as the Makefile requires.
WAVE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_AUTHOR = "Slimmernetwerk"


@dataclass(frozen=True)
class Field:
    """One column of a template: what the researcher sees and what Excel checks.

    ``kind`` is ``"list"`` (a dropdown of ``options``), ``"whole"`` or ``"decimal"`` (a number,
    from ``low`` to ``high`` where given), ``"date"`` (not before the column ``not_before``, where
    given) or ``"any"`` (text; only the input message). ``list_name`` names the list on the
    hidden sheet (an answer scale, or the column itself). ``title`` and ``prompt`` are the input
    message, ``note`` the header's comment, ``error`` the message of a value Excel refuses;
    ``text`` says that the column is formatted as text (so Excel keeps what is typed as typed).
    """

    name: str
    kind: str
    title: str
    prompt: str
    note: str
    error: str = ""
    options: tuple = ()
    list_name: str = ""
    low: float | None = None
    high: float | None = None
    not_before: str | None = None
    required: bool = False
    text: bool = True


@dataclass
class Created:
    """What :func:`new_wave` wrote."""

    folder: Path  #: the new wave's folder
    previous: str | None  #: the wave its registries were pre-filled from, or None
    templates: dict = field(default_factory=dict)  #: table name -> number of pre-filled rows
    seconds: float = 0.0  #: how long it took


# --- what each column is ---------------------------------------------------------------------------
def entry_tables(codebooks: dict) -> dict:
    """Every table a researcher enters, in the codebooks' order: each export and other table.

    Parameters
    ----------
    codebooks : dict
        The codebooks by name (:func:`snwlib.codebook.all_codebooks`).

    Returns
    -------
    dict of str to str
        Table name -> the name of the codebook that describes it.

    Examples
    --------
    >>> list(entry_tables(all_codebooks()))[:3]
    ['c7_antwoorden', 'c7_respons', 'c8_antwoorden']
    """
    out = {}
    for cb_name, cb in codebooks.items():
        for name in [*([cb["export"]] if cb.get("export") else []), *(cb.get("tables") or {})]:
            out[name] = cb_name
    return out


def _fit(text: str, room: int) -> str:
    """``text`` on one line, cut to ``room`` characters (with an ellipsis) if longer."""
    text = " ".join(str(text).split())
    return text if len(text) <= room else text[: max(room - 1, 0)].rstrip() + "…"


def _message(text: str, hint: str) -> str:
    """An input message: the text, cut so that the hint after it fits Excel's limit."""
    if not text:
        return _fit(hint, MESSAGE_MAX)
    return _fit(text, MESSAGE_MAX - len(hint) - 1) + "\n" + hint


def _n(x) -> str:
    return nl_number(x)


def _range_words(low, high) -> str:
    if low is not None and high is not None:
        return f"van {_n(low)} tot en met {_n(high)}"
    if low is not None:
        return f"van minimaal {_n(low)}"
    if high is not None:
        return f"van hoogstens {_n(high)}"
    return ""


def _number_texts(whole: bool, low, high) -> tuple:
    """(hint, error) of a number column, in Dutch."""
    what = "een geheel getal" if whole else "een getal"
    span = _range_words(low, high)
    hint = f"Vul {what} in{' ' + span if span else ''}" + ("." if whole else " (decimalen met een komma).")
    return hint, f"Deze waarde is geen geldig antwoord. {hint}"


_DROPPED = "Persoonsgegevens: deze kolom wordt bij het inlezen verwijderd."
_SCRUBBED = "Namen, e-mailadressen en telefoonnummers worden bij het inlezen verwijderd."
_LIST_ERROR = "Deze waarde staat niet in de lijst. Kies een antwoord met het pijltje naast de cel, of laat de cel leeg."


def _missing_option(label: str) -> str:
    """The dropdown entry of a missing-value answer: its label without the explanation in
    parentheses that the questionnaire prints after it (the validator accepts the label either
    way: :func:`snwlib.scoring.read_answers`); the explanation goes into the comment."""
    return label.split(" (")[0].strip()


def _item_fields(codebook: dict) -> list:
    """The fields of a questionnaire export: the respondent id, then one per item."""
    rid = codebook.get("respondent_id", "respondent")
    hint = "Verplicht: een nummer of code per respondent (formulier), elke rij een andere."
    out = [Field(rid, "any", rid, hint, hint, required=True)]
    sections = codebook.get("sections") or {}
    for item in items_table(codebook).itertuples():
        scale = codebook["answer_scales"][item.answers]
        section = sections.get(item.section) or sections.get(str(item.section)) or {}
        where = f"vraag {item.section}{item.letter}" if item.section is not None else ""
        title = _fit(f"{item.id} ({where})" if where else item.id, TITLE_MAX)
        context = section.get("question") or section.get("title") or ""
        lead = f"{where[0].upper() + where[1:]}. " if where else ""
        shown = context and _norm(context) != _norm(item.text)
        head = lead + (f"{' '.join(str(context).split())}\n\n" if shown else "")
        extra = f"\n\n{_DROPPED}" if item.identifying and scale["type"] != "text" else ""
        if scale["type"] in CODED:
            options = [str(label) for label in scale["codes"].values()]
            missing = {str(label): _missing_option(str(label)) for label in (scale.get("missing") or {}).values()}
            options += list(missing.values())
            hint = "Kies een antwoord uit de lijst (pijltje naast de cel)."
            codes = "\n".join(f"{c} = {label}" for c, label in scale["codes"].items())
            codes += "".join(
                f"\n{short}: telt niet mee" + (f" (in de vragenlijst: {label})" if short != label else "")
                for label, short in missing.items()
            )
            out.append(
                Field(
                    item.id,
                    "list",
                    title,
                    _message(item.text, hint),
                    f"{head}{item.text}\n\n{hint}\n{codes}{extra}",
                    _LIST_ERROR,
                    tuple(options),
                    list_name=item.answers,
                )
            )
        elif scale["type"] == "number":
            whole = bool(scale.get("integer"))
            hint, error = _number_texts(whole, scale.get("min"), scale.get("max"))
            out.append(
                Field(
                    item.id,
                    "whole" if whole else "decimal",
                    title,
                    _message(item.text, hint),
                    f"{head}{item.text}\n\n{hint}{extra}",
                    error,
                    low=scale.get("min"),
                    high=scale.get("max"),
                    text=False,
                )
            )
        else:
            hint = "Vrije tekst. " + (_DROPPED if item.identifying else _SCRUBBED)
            out.append(Field(item.id, "any", title, _message(item.text, hint), f"{head}{item.text}\n\n{hint}{extra}"))
    return out


def _norm(text) -> str:
    return " ".join(str(text).split()).casefold()


def _column_fields(spec: dict, remeasure=()) -> list:
    """The fields of a table: one per column of its spec, with its rules in Dutch."""
    out = []
    key = list(spec.get("key") or [])
    for name, cspec in spec["columns"].items():
        cspec = cspec or {}
        kind = cspec.get("type", "string")
        rules = []
        if kind == "category":
            values = [str(v) for v in cspec.get("values", [])]
            hint = "Kies uit de lijst: " + ", ".join(values) + "."
        elif kind in ("number", "integer"):
            hint, error = _number_texts(kind == "integer", cspec.get("min"), cspec.get("max"))
        elif kind == "date":
            hint = "Een datum, JJJJ-MM-DD (bijvoorbeeld 2013-12-31)"
            hint += f", niet vóór {cspec['not_before']}." if cspec.get("not_before") else "."
        else:
            hint = "Tekst."
            if cspec.get("pattern"):
                rules.append(f"Alleen kleine letters, cijfers en _ (patroon {cspec['pattern']}).")
        if cspec.get("references"):
            table, column = cspec["references"].split(".")
            rules.append(f"Moet voorkomen in {table}, kolom {column}.")
        if name in key:
            others = [k for k in key if k != name]
            rules.append("Uniek per rij" + (f" (samen met {', '.join(others)})." if others else "."))
        if cspec.get("free_text"):
            rules.append(_SCRUBBED)
        if cspec.get("identifying"):
            rules.append(_DROPPED)
        rules.append("Verplicht." if cspec.get("required") else "Mag leeg blijven.")
        if name in remeasure:
            rules.append("Opnieuw invullen voor deze meting.")
        prompt = _message("", " ".join([hint, *rules]))
        note = "\n".join([hint, *rules])
        title = _fit(name, TITLE_MAX)
        required = bool(cspec.get("required"))
        if kind == "category":
            out.append(Field(name, "list", title, prompt, note, _LIST_ERROR, tuple(values), name, required=required))
        elif kind in ("number", "integer"):
            whole = kind == "integer"
            out.append(
                Field(
                    name,
                    "whole" if whole else "decimal",
                    title,
                    prompt,
                    note,
                    error,
                    low=cspec.get("min"),
                    high=cspec.get("max"),
                    required=required,
                    text=False,
                )
            )
        elif kind == "date":
            error = "Vul een datum in, bijvoorbeeld 2013-12-31" + (
                f", niet vóór de datum in kolom {cspec['not_before']}." if cspec.get("not_before") else "."
            )
            out.append(
                Field(
                    name,
                    "date",
                    title,
                    prompt,
                    note,
                    error,
                    not_before=cspec.get("not_before"),
                    required=required,
                    text=False,
                )
            )
        else:
            out.append(Field(name, "any", title, prompt, note, required=required))
    return out


def fields(codebook: dict, table: str) -> list:
    """The columns of the template of ``table``, in the order the validator expects them.

    Parameters
    ----------
    codebook : dict
        The codebook that describes ``table``.
    table : str
        The codebook's ``export`` (a questionnaire's answers) or one of its ``tables``.

    Returns
    -------
    list of Field
        The export: the respondent id, then one field per item (its answer scale's labels, range
        or free text, and the question's Dutch wording). A table: one field per column of its
        spec (its categories, range or date, and its rules in Dutch; the columns of the table's
        ``remeasure`` list say that they are to be filled in again).

    Examples
    --------
    >>> from snwlib.codebook import load_codebook
    >>> f = fields(load_codebook("c1_inventaris"), "c1_kengetallen")
    >>> [(x.name, x.kind) for x in f][3:6]
    [('waarde', 'decimal'), ('eenheid', 'any'), ('kwalificatie', 'list')]
    """
    if table == codebook.get("export"):
        return _item_fields(codebook)
    spec = codebook["tables"][table]
    return _column_fields(spec, spec.get("remeasure") or ())


# --- one workbook --------------------------------------------------------------------------------
def _list_names(flds: list) -> dict:
    """A defined name per distinct list (``lijst_<scale or column>``, valid in Excel)."""
    names: dict = {}
    for f in flds:
        if f.kind == "list" and f.list_name not in names:
            base = "lijst_" + re.sub(r"[^A-Za-z0-9_]", "_", f.list_name)
            name, i = base, 2
            while name in names.values():
                name, i = f"{base}_{i}", i + 1
            names[f.list_name] = name
    return names


def _validation(f: Field, column: str, flds: list):
    """The data validation of one field over its column, from row 2 to the last row."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(
        allow_blank=True,
        showInputMessage=True,
        promptTitle=f.title,
        prompt=f.prompt,
        showErrorMessage=f.kind != "any",
        errorStyle="stop" if f.kind != "any" else None,
        errorTitle=_fit("Ongeldige invoer", TITLE_MAX) if f.kind != "any" else None,
        error=_fit(f.error, MESSAGE_MAX) if f.error else None,
    )
    if f.kind == "list":
        dv.type = "list"
    elif f.kind in ("whole", "decimal"):
        dv.type = f.kind
        low, high = f.low, f.high
        if low is not None and high is not None:
            dv.operator, dv.formula1, dv.formula2 = "between", _formula_number(low), _formula_number(high)
        elif low is not None:
            dv.operator, dv.formula1 = "greaterThanOrEqual", _formula_number(low)
        elif high is not None:
            dv.operator, dv.formula1 = "lessThanOrEqual", _formula_number(high)
        else:
            dv.operator, dv.formula1, dv.formula2 = "between", "-9.99E+307", "9.99E+307"
    elif f.kind == "date":
        dv.type = "date"
        other = [g.name for g in flds].index(f.not_before) if f.not_before in [g.name for g in flds] else None
        if other is not None:
            # relative to the first cell of the range: each row compares with its own cell
            dv.operator, dv.formula1 = "greaterThanOrEqual", f"{get_column_letter(other + 1)}2"
        else:  # any date Excel knows: 1900-01-01 to 9999-12-31
            dv.operator, dv.formula1, dv.formula2 = "between", "1", "2958465"
    dv.add(f"{column}2:{column}{LAST_ROW}")
    return dv


def _formula_number(x) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _cell_value(text, f: Field):
    """A previous wave's cell (text as typed) as a spreadsheet would hold it: numbers as numbers,
    dates as dates, everything else as text."""
    if text is None or str(text).strip() == "":
        return None
    kind = {"whole": "number", "decimal": "number", "date": "date"}.get(f.kind)
    if kind:
        try:
            value = read_cell(text, kind)
        except ValueError:
            return str(text)  # as it was: the validator will name it
        if kind == "date":
            return value.date()
        return int(value) if float(value).is_integer() else value
    return str(text)


def template(codebook: dict, table: str, rows=None):
    """The data-entry workbook of one table.

    Parameters
    ----------
    codebook : dict
        The codebook that describes ``table``.
    table : str
        The codebook's ``export`` or one of its ``tables``.
    rows : pandas.DataFrame, optional
        Rows to pre-fill (text cells as :func:`snwlib.rawfiles.read_table` reads them); only the
        template's columns are copied, and the table's ``remeasure`` columns are left empty.

    Returns
    -------
    openpyxl.Workbook
        The sheet ``table`` first (the one ingestion reads): the columns of :func:`fields` in row
        1, bold and frozen, each with its note as a comment, its input message and its check on
        every row below; text columns formatted as text, dates as ``yyyy-mm-dd``. If a column has
        a dropdown, a hidden sheet :data:`LISTS_SHEET` holds one list per answer scale or
        category column (its name in row 1), each under a defined name ``lijst_<name>``.

    Examples
    --------
    >>> from snwlib.codebook import load_codebook
    >>> wb = template(load_codebook("c2_doetanks"), "c2_doetanks")
    >>> wb.sheetnames, wb["c2_doetanks"]["E1"].value
    (['c2_doetanks', 'lijsten'], 'tabel4_fase')
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.workbook.defined_name import DefinedName

    flds = fields(codebook, table)
    wb = Workbook()
    ws = wb.active
    ws.title = table
    names = _list_names(flds)
    if names:
        lists = wb.create_sheet(LISTS_SHEET)
        lists.sheet_state = "hidden"
        options: dict = {}
        for f in flds:
            if f.kind == "list":
                options.setdefault(f.list_name, f.options)
        for col, (list_name, entries) in enumerate(options.items(), 1):
            letter = get_column_letter(col)
            lists.cell(1, col, list_name)
            for i, option in enumerate(entries, 2):
                lists.cell(i, col, option).number_format = TEXT_FORMAT
            ref = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(entries) + 1}"
            wb.defined_names[names[list_name]] = DefinedName(names[list_name], attr_text=ref)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for j, f in enumerate(flds, 1):
        letter = get_column_letter(j)
        cell = ws.cell(1, j, f.name)
        cell.font, cell.fill, cell.number_format = bold, fill, TEXT_FORMAT
        cell.alignment = Alignment(vertical="top")
        lines = f.note.count("\n") + 1 + len(f.note) // 40
        cell.comment = Comment(f.note, _AUTHOR, height=min(40 + 15 * lines, 600), width=320)
        dim = ws.column_dimensions[letter]
        dim.number_format = TEXT_FORMAT if f.text else (DATE_FORMAT if f.kind == "date" else "General")
        dv = _validation(f, letter, flds)
        if f.kind == "list":
            dv.formula1 = names[f.list_name]
        ws.add_data_validation(dv)
    ws.freeze_panes = "B2"
    if rows is not None and len(rows):
        empty = set((codebook.get("tables") or {}).get(table, {}).get("remeasure") or ())
        for i, (_, row) in enumerate(rows.iterrows(), 2):
            for j, f in enumerate(flds, 1):
                if f.name in empty or f.name not in row.index:
                    continue
                value = _cell_value(row[f.name], f)
                if value is None:
                    continue
                cell = ws.cell(i, j, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # a text starting with "=" is text, never a formula
                    cell.number_format = TEXT_FORMAT
                elif f.kind == "date":
                    cell.number_format = DATE_FORMAT
    for j, f in enumerate(flds, 1):
        shown = [len(f.name), *map(len, f.options), 20 if f.kind == "any" else 0]
        shown += [len(str(c.value)) for c in ws[get_column_letter(j)][1:] if c.value is not None]
        ws.column_dimensions[get_column_letter(j)].width = min(40, max(shown) + 4)
    # printed: landscape, as wide as the page
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    return wb


# --- the wave ------------------------------------------------------------------------------------
def previous_wave(data_dir, wave: str) -> str | None:
    """The wave before ``wave``: the last wave folder of ``data_dir`` in name order that comes
    before it and has a manifest (the Makefile's waves).

    Parameters
    ----------
    data_dir : str or Path
        The folder with one sub-folder per wave.
    wave : str
        The new wave.

    Returns
    -------
    str or None
        The previous wave's folder name, or None when there is none.

    Examples
    --------
    >>> previous_wave("data/raw", "2013"), previous_wave("data/raw", "2012")
    ('2012', None)
    """
    folder = Path(data_dir)
    if not folder.is_dir():
        return None
    waves = sorted(
        p.name
        for p in folder.iterdir()
        if p.is_dir() and not p.name.startswith(".") and (p / MANIFEST).is_file() and p.name < str(wave)
    )
    return waves[-1] if waves else None


def _stop(path, message: str, hint: str = ""):
    raise DataFileError([Problem(str(path), None, None, None, message, hint)])


def _carried(codebooks: dict, tables: dict) -> dict:
    """The tables carried from wave to wave (a ``remeasure`` list in their spec): name -> that list."""
    out = {}
    for name, cb_name in tables.items():
        cb = codebooks[cb_name]
        spec = (cb.get("tables") or {}).get(name) if name != cb.get("export") else None
        if spec and "remeasure" in spec:
            out[name] = list(spec["remeasure"] or [])
    return out


def _previous_rows(folder: Path, codebooks: dict, tables: dict) -> dict:
    """The previous wave's rows of each table to carry over, read as ingestion reads them."""
    from .rawfiles import find_sources, read_table

    carried = _carried(codebooks, tables)
    sources, problems = find_sources(folder, {n: codebooks[tables[n]].get("workbook") for n in carried})
    if problems:
        raise DataFileError(problems)
    return {name: read_table(s.path, s.sheet, name) for name, s in sources.items()}


_METADATA_HEAD = """\
# What the raw files of this wave are and where they come from. snwlib reads this file to put the
# data's status in the banner of every HTML report. One entry per table (file name without suffix).
# Made by `make new-wave`: complete every description and source ("AANVULLEN"), and delete the
# entry of a table this wave does not have (with its workbook).
#
# status: real          -- an export of the real measurement
#         transcribed   -- numbers copied from the published report (aggregates that are the data)
#         reconstructed -- respondent rows made up so that they reproduce the report's aggregates;
#                          NOT real answers
#         synthetic     -- made-up test data, no measurement (tests/fixtures/waves/)
"""


def _metadata(wave: str, codebooks: dict, tables: dict, previous: str | None, before: dict) -> str:
    datasets = {}
    for name, cb_name in tables.items():
        cb = codebooks[cb_name]
        if name == cb.get("export"):
            what = f"answers to {cb.get('title', cb_name)} ({cb_name}), one row per respondent"
        else:
            what = cb["tables"][name].get("description", name)
        datasets[name] = {
            "status": "real",
            "description": f"AANVULLEN: {' '.join(str(what).split())}",
            "source": "AANVULLEN",
        }
    text = _METADATA_HEAD + yaml.safe_dump(
        {"wave": str(wave), "datasets": datasets}, allow_unicode=True, sort_keys=False, width=100
    )
    other = {k: v for k, v in (before or {}).items() if k not in ("wave", "datasets")}
    period = _next_period(other.pop("periode", None))
    events = other.pop("evenementen", None)
    if period:
        text += (
            f"\n# The period this wave measures: the one after wave {previous}'s, as long (check it).\n"
            + yaml.safe_dump({"periode": period}, allow_unicode=True, sort_keys=False, default_flow_style=None)
        )
    if events:
        text += (
            f"\n# The evaluated events of wave {previous}: replace them by this wave's (each with bijlage,\n"
            "# naam, kort, datum and the codebook of its form), or delete the list if there were none.\n"
            + yaml.safe_dump({"evenementen": events}, allow_unicode=True, sort_keys=False, width=100)
        )
    if other:
        text += f"\n# Copied from wave {previous}: update for wave {wave}.\n"
        text += yaml.safe_dump(other, allow_unicode=True, sort_keys=False, width=100)
    return text


def _next_period(period) -> dict | None:
    """The period after ``period`` (a wave's ``periode``), as long, or None if it is not two dates."""
    import pandas as pd

    try:
        begin, end = (pd.Timestamp(str(period[k])) for k in ("begin", "eind"))
    except (TypeError, KeyError, ValueError):
        return None
    # a whole number of months stays one (a year is followed by the next year)
    months = (end.year - begin.year) * 12 + end.month - begin.month + 1
    start = end + pd.Timedelta(days=1)
    if begin.day == 1 and end == end + pd.offsets.MonthEnd(0):
        stop = start + pd.DateOffset(months=months) - pd.Timedelta(days=1)
    else:
        stop = start + (end - begin)
    return {"begin": start.date(), "eind": stop.date()}


def _command(target: str, data_dir, wave: str) -> str:
    """The make command of ``target`` ("" for the build) for this wave and data folder."""
    extra = "" if Path(data_dir) == Path("data/raw") else f" DATA_DIR={shlex.quote(str(data_dir))}"
    return " ".join(["make", *([target] if target else []), f"WAVE={wave}"]) + extra


def _readme(wave: str, data_dir, codebooks: dict, tables: dict, previous: str | None, filled: dict) -> str:
    """The wave's README, in Dutch, step by step."""
    carried = _carried(codebooks, tables)
    lines = [
        f"# Meting {wave}",
        "",
        f"Deze map is gemaakt met `{_command('new-wave', data_dir, wave)}`. Per tabel staat er een",
        "Excel-werkmap klaar (`<tabel>.xlsx`). De kolommen, keuzelijsten en grenzen komen uit de",
        "codeboeken (`codebooks/`), dezelfde waartegen de gegevens later worden gecontroleerd.",
        "",
        "## Stap voor stap",
        "",
        "1. **Invullen.** Vul in elke werkmap het eerste tabblad in: één rij per respondent, formulier of",
        "   record, vanaf rij 2. Verander rij 1 (de kolomnamen) niet. Ga op een kolomnaam staan voor de",
        "   vraag en de toelichting; bij een cel met een pijltje kiest u het antwoord uit de lijst.",
        "   Het verborgen tabblad `lijsten` bevat die keuzelijsten: laat het staan.",
    ]
    if carried:
        lines += [
            "2. **Bijwerken.** "
            + (
                f"Deze werkmappen bevatten de rijen van meting {previous}, om bij te werken:"
                if previous
                else "Deze werkmappen worden bij een volgende meting voorgevuld; nu zijn ze leeg:"
            ),
        ]
        for name, empty in carried.items():
            rows = f" ({filled.get(name, 0)} rijen)" if previous else ""
            lines.append(f"   - `{name}.xlsx`{rows}: opnieuw invullen: {', '.join(f'`{c}`' for c in empty)}.")
        lines += [
            "   Verwijder rijen die niet meer gelden en voeg nieuwe rijen toe.",
        ]
    else:
        lines.append("2. **Bijwerken.** Geen tabel wordt voorgevuld.")
    lines += [
        "3. **Niet gemeten?** Verwijder de werkmap van een tabel die deze meting niet heeft, en haar",
        "   regel in `metadata.yaml`: een werkmap met alleen kolomnamen geeft een foutmelding.",
        "   Een export uit een enquêtetool mag ook, in plaats van de werkmap: zelfde naam, bijvoorbeeld",
        "   `c7_antwoorden.csv` (zie de README van de repository, *How an export should look*); verwijder",
        "   dan de werkmap, want twee bestanden voor één tabel is een fout.",
        "4. **Opslaan** als Excel-werkmap (`.xlsx`) onder dezelfde naam; niet als `.xls` of `.ods`.",
        "5. **Beschrijven.** Vul in `metadata.yaml` bij elke tabel `description` en `source` aan (waar",
        "   staat nu `AANVULLEN`). `status: real` betekent: echte meetgegevens. Controleer de `periode`",
        "   van de meting en zet onder `evenementen` de bijeenkomsten van deze meting die met een",
        "   formulier zijn geëvalueerd (bijlage, naam, korte naam, datum, codeboek van het formulier).",
        f"6. **Controleren:** `{_command('check-data', data_dir, wave)}`. Elke fout noemt bestand, rij,",
        "   kolom en waarde, met een hint; herstel ze tot alleen de melding over het ontbrekende",
        "   manifest (`datapackage.json`) over is: dat maakt de volgende stap.",
        f"7. **Vastleggen:** `{_command('accept-data', data_dir, wave)}`. Dit schrijft `datapackage.json`",
        "   met de controlegetallen van alle bestanden; pas daarna telt deze map als meting. Verandert",
        "   er later iets, voer dan stap 6 en 7 opnieuw uit.",
        f"8. **Rapporten maken:** `{_command('', data_dir, wave)}`; met",
        "   `OUT_DIR=...` blijven de rapporten van eerdere metingen apart staan.",
        "",
        "Namen van personen die de automatische verwijdering mist, kunnen in `privacy_denylist.txt` in",
        "deze map (één per regel).",
        "",
    ]
    return "\n".join(lines)


def new_wave(data_dir, wave: str, codebooks: dict | None = None) -> Created:
    """Create ``data_dir/wave`` with the data-entry templates of every table, its ``metadata.yaml``
    and its ``README.md`` (see the module docstring).

    Parameters
    ----------
    data_dir : str or Path
        The folder with one sub-folder per wave (created if missing).
    wave : str
        The new wave's name, a plain word such as ``"2013"``.
    codebooks : dict, optional
        The codebooks by name; by default all of ``codebooks/``, plus those of the previous wave's
        events with files of their own (a second café: ``c8b_*``, see
        :func:`snwlib.ingest.wave_codebooks`).

    Returns
    -------
    Created
        The folder, the wave its registries were pre-filled from, the templates with their number
        of pre-filled rows, and the time it took.

    Raises
    ------
    DataFileError
        The wave's name is not a plain word; its folder exists and holds anything (a wave is never
        overwritten); or a table of the previous wave cannot be read. Nothing is written then.
    """
    t0 = time.monotonic()
    given = codebooks
    codebooks = all_codebooks() if codebooks is None else codebooks
    data_dir, wave = Path(data_dir), str(wave)
    target = data_dir / wave
    if not WAVE_NAME.fullmatch(wave):
        _stop(target, f"'{wave}' is not a wave name", "name a wave with letters, digits, - _ or ., e.g. WAVE=2013")
    if target.exists() or target.is_symlink():
        if not target.is_dir() or target.is_symlink():
            _stop(target, "exists and is not a folder: a wave is never overwritten", "choose another WAVE")
        held = sorted(p.name for p in target.iterdir())
        if held:
            shown = ", ".join(held[:3]) + (", ..." if len(held) > 3 else "")
            _stop(
                target,
                f"already exists and holds {len(held)} file(s) ({shown}): a wave is never overwritten",
                "choose another WAVE, or move the folder away first",
            )
    previous = previous_wave(data_dir, wave)
    if previous and given is None:
        # the previous wave's events keep their files (a second café's c8b_*): templates for them too
        from .ingest import wave_codebooks

        try:
            codebooks = wave_codebooks(data_dir / previous)
        except DataFileError:
            pass  # its metadata is read (and its problems named) below
    tables = entry_tables(codebooks)
    rows, before = {}, {}
    if previous:
        rows = _previous_rows(data_dir / previous, codebooks, tables)
        meta = data_dir / previous / "metadata.yaml"
        if meta.is_file():
            try:
                before = load_yaml(meta.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as err:
                _stop(meta, f"cannot be read ({_fit(err, 100)})", "correct the YAML of the previous wave's metadata")
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{wave}.new-", dir=data_dir))
    created = Created(target, previous)
    try:
        for name, cb_name in tables.items():
            wb = template(codebooks[cb_name], name, rows.get(name))
            wb.save(staging / f"{name}.xlsx")
            created.templates[name] = len(rows[name]) if name in rows else 0
        (staging / "metadata.yaml").write_text(_metadata(wave, codebooks, tables, previous, before), encoding="utf-8")
        (staging / "README.md").write_text(
            _readme(wave, data_dir, codebooks, tables, previous, created.templates), encoding="utf-8"
        )
        os.chmod(staging, 0o777 & ~_umask())
        try:
            # POSIX rename replaces an empty folder and refuses one that has files in it
            os.rename(staging, target)
        except OSError as err:
            _stop(target, f"cannot be created ({err.strerror or err})", "check that the folder is empty and writable")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    created.seconds = time.monotonic() - t0
    return created


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def main(data_dir, wave: str) -> int:
    """Create a new wave and print what was written (``python -m snwlib new-wave``).

    Parameters
    ----------
    data_dir : str or Path
        The folder with one sub-folder per wave.
    wave : str
        The new wave.

    Returns
    -------
    int
        The exit status: 0, or 1 with one line per problem on stderr (nothing written then).
    """
    import sys

    try:
        created = new_wave(data_dir, wave)
    except DataFileError as err:
        for problem in err.problems:
            print(f"new-wave {wave}: {problem}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"new-wave {wave}: {err.filename or data_dir}: {err.strerror or err}", file=sys.stderr)
        return 1
    folder = created.folder
    print(
        f"new-wave {wave}: wrote {folder} ({len(created.templates)} workbooks, metadata.yaml, README.md) "
        f"in {created.seconds:.1f} s"
    )
    filled = {n: k for n, k in created.templates.items() if k}
    if filled:
        listed = ", ".join(f"{n} ({k} rows)" for n, k in filled.items())
        print(f"  pre-filled from wave {created.previous}: {listed}")
    else:
        print("  no earlier wave with a manifest: every workbook is empty")
    print(f"  next: fill them in as {folder / 'README.md'} says, then {_command('check-data', data_dir, wave)}")
    return 0
