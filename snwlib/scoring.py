"""Scoring questionnaires from their codebooks: one engine for every instrument.

A questionnaire codebook (``codebooks/b5_*.yaml`` and the like) lists ``answer_scales`` (ordinal
scales with codes and Dutch labels and missing-value codes; numbers with a range; free text), the
``items`` (id, section, wording, answer scale, scale membership, reverse keying, whether the item
identifies a person) and the ``scales``. This module

1. reads raw answers given as codes *or* as the Dutch labels a survey tool exports (labels are
   matched ignoring case and surrounding spaces, nothing else), turning missing-value answers
   ("Niet van toepassing/weet niet", with or without the explanation in parentheses that the
   questionnaire prints after it) into missing values, never into scores;
2. reports every invalid answer with file, row, column, value and what was expected;
3. splits off the columns that identify people, so they never travel further;
4. reverse-keys items as ``(min + max) - x`` on each item's own answer range;
5. computes scale scores as the mean of the answered items, when at least ``min_answered`` (a
   share of the scale's items, from the codebook) were answered.

Answer scales are ``ordinal`` (codes with an order), ``nominal`` (codes without one: read the same
way, never averaged), ``number`` or ``text``. A cell holding :data:`NOT_IN_SOURCE` is an answer
whose content the source does not give (a reconstruction from a report that publishes only
counts); it is read as missing and marked in :attr:`Scored.unavailable`, so that tables can say
"niet beschikbaar in de bron" instead of counting it as unanswered.

Nothing in here knows a particular questionnaire.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .files import DataFileError, Problem
from .schema import Column, Rule, Schema, isin_codes
from .validate import parse_number, read_column

__all__ = [
    "NOT_IN_SOURCE",
    "CODED",
    "Scored",
    "items_table",
    "labels",
    "answer_range",
    "answers_schema",
    "warnings_schema",
    "extra_header_rows",
    "read_answers",
    "codes",
    "reverse_keyed",
    "scale_items",
    "scale_scores",
]

#: The cell value of an answer that was given but whose content the source does not publish.
NOT_IN_SOURCE = "[niet in de bron]"

#: Scale types whose answers are codes with labels.
CODED = ("ordinal", "nominal")


@dataclass
class Scored:
    """The result of :func:`read_answers`."""

    answers: pd.DataFrame  #: numbers for coded and numeric items, text for text items; index = respondent id
    identifying: pd.DataFrame  #: the identifying columns, kept apart (never written to outputs)
    flags: list  #: warnings (e.g. a 0-100 answer that looks like a 0-10 answer)
    unavailable: pd.DataFrame | None = None  #: True where the cell was :data:`NOT_IN_SOURCE`


def items_table(codebook: dict) -> pd.DataFrame:
    """The codebook's items as a DataFrame (one row per item, in questionnaire order).

    Parameters
    ----------
    codebook : dict
        A questionnaire codebook.

    Returns
    -------
    pandas.DataFrame
        One row per item of ``codebook["items"]``:

        * ``'id'``: the item id (the column of the export)
        * ``'section'``: the question it belongs to (None if the codebook gives none)
        * ``'letter'``: its letter within the question (``""`` if none)
        * ``'text'``: its wording
        * ``'answers'``: the name of its answer scale
        * ``'type'``: the type of that answer scale (``ordinal``, ``nominal``, ``number`` or ``text``)
        * ``'scale'``: the scale it belongs to (None if none)
        * ``'reverse'``: whether it is reverse-keyed
        * ``'identifying'``: whether it identifies a person
    """
    rows = []
    for item in codebook["items"]:
        scale = codebook["answer_scales"][item["answers"]]
        rows.append(
            {
                "id": item["id"],
                "section": item.get("section"),
                "letter": item.get("letter", ""),
                "text": item["text"],
                "answers": item["answers"],
                "type": scale["type"],
                "scale": item.get("scale"),
                "reverse": bool(item.get("reverse", False)),
                "identifying": bool(item.get("identifying", False)),
            }
        )
    return pd.DataFrame(rows)


def labels(scale: dict) -> list:
    """The answer labels of a coded scale, in the order of their codes (missing-value codes left out).

    Parameters
    ----------
    scale : dict
        An answer scale of a codebook (``type`` ordinal or nominal).

    Returns
    -------
    list of str

    Examples
    --------
    >>> labels({"type": "ordinal", "codes": {5: "Zeer mee eens", 1: "Zeer mee oneens", 3: "Neutraal"}})
    ['Zeer mee oneens', 'Neutraal', 'Zeer mee eens']
    """
    return [scale["codes"][c] for c in sorted(scale["codes"], key=int)]


def answer_range(codebook: dict, answers: str) -> tuple:
    """(min, max) of an answer scale: its lowest and highest valid code or number.

    Parameters
    ----------
    codebook : dict
        A questionnaire codebook.
    answers : str
        The name of an answer scale in ``codebook["answer_scales"]``.

    Returns
    -------
    tuple
        ``(min, max)``: the lowest and highest code (int, missing-value codes not counted) of a
        coded scale, the scale's ``min`` and ``max`` of any other.
    """
    scale = codebook["answer_scales"][answers]
    if scale["type"] in CODED:
        codes = [int(c) for c in scale["codes"]]
        return min(codes), max(codes)
    return scale["min"], scale["max"]


def _norm(text) -> str:
    return " ".join(str(text).split()).casefold()


def _label_keys(label: str) -> set:
    """A label matches as printed, or without its explanation in parentheses."""
    full = _norm(label)
    return {full, full.split(" (")[0].strip()}


def _code(value, scale):
    """A coded answer as its code (float; NaN when empty or a missing-value answer).

    A number is returned as it is, valid code or not: the schema checks it. A label that is
    neither a code's nor a missing value's raises ValueError with the reason and, after ``|``,
    a hint.
    """
    codes = {int(c): label for c, label in scale["codes"].items()}
    missing = {int(c): label for c, label in (scale.get("missing") or {}).items()}
    s = str(value).strip()
    if s == "":
        return np.nan
    try:
        number = parse_number(s)
    except ValueError:
        number = None
    if number is not None:
        return np.nan if number in missing else float(number)
    key = _norm(s)
    by_label = {k: c for c, label in codes.items() for k in _label_keys(label)}
    if key in by_label:
        return float(by_label[key])
    if key in {k for label in missing.values() for k in _label_keys(label)}:
        return np.nan
    raise ValueError(
        "unknown answer label|expected one of: "
        + "; ".join(codes.values())
        + "".join(f"; {label}" for label in missing.values())
    )


def _number(value, scale):
    """A numeric answer as float (NaN when empty); ValueError ("reason|hint") when not a number."""
    s = str(value).strip()
    if s == "":
        return np.nan
    try:
        return parse_number(s)
    except ValueError as err:
        raise ValueError(f"{err}|expected a number from {scale['min']} to {scale['max']}") from None


def answers_schema(codebook: dict) -> Schema:
    """The :class:`~snwlib.schema.Schema` of a questionnaire export: the respondent id (filled
    in, unique), one column per item with its valid codes or its range.

    Parameters
    ----------
    codebook : dict
        A questionnaire codebook.

    Returns
    -------
    Schema
        The respondent id column (``codebook["respondent_id"]``, default ``respondent``) as the
        required key, then one column per item: the valid codes of a coded item, the range (and,
        for an ``integer`` scale, whole numbers) of a numeric item, no rule for a text item.
        Any other column is an error.

    Examples
    --------
    >>> cb = {"instrument": "B0", "answer_scales": {"cijfer": {"type": "number", "min": 1, "max": 10}},
    ...       "items": [{"id": "v1", "answers": "cijfer", "text": "Cijfer"}]}
    >>> values = pd.DataFrame({"respondent": ["r1", "r1"], "v1": [8.0, 12.0]}, index=[2, 3])
    >>> for p in answers_schema(cb).problems(values, values.astype(str), "a.csv"):
    ...     print(p)
    a.csv, row 3, column 'respondent': value 'r1': duplicate of row 2 (hint: each respondent once)
    a.csv, row 3, column 'v1': value '12.0': out of range (hint: expected a number from 1 to 10)
    """
    rid = codebook.get("respondent_id", "respondent")
    columns = {rid: Column([], Rule(None, "empty respondent id"))}
    for item in items_table(codebook).itertuples():
        scale = codebook["answer_scales"][item.answers]
        rules = []
        if scale["type"] in CODED:
            codes = {int(c): label for c, label in scale["codes"].items()}
            rules.append(
                Rule(
                    isin_codes(codes),
                    "code out of range",
                    "valid codes: "
                    + ", ".join(f"{c} = {label}" for c, label in sorted(codes.items()))
                    + "".join(f"; {c} = missing ({label})" for c, label in (scale.get("missing") or {}).items()),
                )
            )
        elif scale["type"] == "number":
            span = f"from {scale['min']} to {scale['max']}"
            rules.append(
                Rule(pa.Check.in_range(scale["min"], scale["max"]), "out of range", f"expected a number {span}")
            )
            if scale.get("integer"):
                rules.append(
                    Rule(pa.Check(lambda x: x % 1 == 0), "not a whole number", f"expected a whole number {span}")
                )
        columns[item.id] = Column(rules)
    expected = list(columns)
    return Schema(
        columns,
        key=[rid],
        key_hint="each respondent once",
        missing_hint="the export must have the columns " + ", ".join(expected),
        unknown_hint="no item of this id in " + codebook["instrument"],
    )


def warnings_schema(codebook: dict) -> Schema:
    """The checks whose failures are warnings, not errors: a number that looks like an answer on
    a shorter scale (``suspect_max`` of its answer scale, e.g. 7 on a 0-100 question).

    Parameters
    ----------
    codebook : dict
        A questionnaire codebook.

    Returns
    -------
    Schema
        One column per item whose answer scale has ``suspect_max``, with a rule that an answer
        must exceed it; other columns are allowed and empty cells pass.
    """
    columns = {}
    for item in items_table(codebook).itertuples():
        scale = codebook["answer_scales"][item.answers]
        if "suspect_max" in scale:
            columns[item.id] = Column(
                [
                    Rule(
                        pa.Check.gt(scale["suspect_max"]),
                        f"looks like an answer on a 0-{scale['suspect_max']} scale",
                        f"the question asks for {scale['min']}-{scale['max']}; check before trusting it",
                    )
                ]
            )
    return Schema(columns, strict=False)


def extra_header_rows(raw: pd.DataFrame, items: pd.DataFrame) -> list:
    """The leading rows of an export that are headers, not answers (their spreadsheet numbers).

    Some survey tools write two or three header rows: the question codes (the columns), then the
    question texts, then an import id per column (``{"ImportId":"QID12"}``). A leading row is such
    a header when at least half of its filled item cells hold the item's wording (or contain it)
    or an import id. At most two rows are skipped; the rows after them keep their own numbers.

    Parameters
    ----------
    raw : pandas.DataFrame
        The export as read by :func:`snwlib.rawfiles.read_table` (text cells, spreadsheet row numbers).
    items : pandas.DataFrame
        The codebook's items (:func:`items_table`); ``id`` and ``text`` are used.

    Returns
    -------
    list of int
        The spreadsheet numbers of the header rows after the first, in order; empty when the
        answers start right below the column names.

    Examples
    --------
    >>> items = pd.DataFrame({"id": ["q1", "q2"], "text": ["Mijn werk", "Mijn team"]})
    >>> raw = pd.DataFrame({"q1": ["Q1. Mijn werk", '{"ImportId":"QID1"}', "4"],
    ...                     "q2": ["Mijn team", '{"ImportId":"QID2"}', "5"]}, index=[2, 3, 4])
    >>> extra_header_rows(raw, items)
    [2, 3]
    """
    texts = {i.id: _norm(i.text) for i in items.itertuples() if i.id in raw.columns}
    skipped = []
    for row in raw.index[:2]:
        cells = {c: _norm(raw.at[row, c]) for c in texts if _norm(raw.at[row, c])}
        like_header = [c for c, v in cells.items() if (texts[c] and texts[c] in v) or v.startswith('{"importid"')]
        # a header row fills (nearly) every column; a sparse answer row never counts as one
        if len(cells) < len(texts) / 2 or len(like_header) < len(cells) / 2:
            break
        skipped.append(row)
    return skipped


def read_answers(raw: pd.DataFrame, codebook: dict, file: str | None = None) -> Scored:
    """Turn a raw export (codes or Dutch labels) into answers, checking each against the codebook.

    Parameters
    ----------
    raw : pandas.DataFrame
        As read by :func:`snwlib.rawfiles.read_table`: text cells, index = spreadsheet row number, a
        column with the respondent id (``codebook["respondent_id"]``) and one column per item id.
    codebook : dict
        A questionnaire codebook.
    file : str, optional
        Name of the file for messages; ``raw.attrs["source"]`` by default.

    Returns
    -------
    Scored
        Raises :class:`~snwlib.files.DataFileError` listing every problem if there are any.
    """
    file = file or raw.attrs.get("source", "<answers>")
    items = items_table(codebook)
    header_rows = extra_header_rows(raw, items)
    raw = raw.drop(index=header_rows) if header_rows else raw
    rid = codebook.get("respondent_id", "respondent")
    problems: list[Problem] = []
    if len(raw) == 0:
        problems.append(
            Problem(file, None, None, None, "the export has a header but no respondents", "export the answers again")
        )
    scales = {item.id: codebook["answer_scales"][item.answers] for item in items.itertuples()}
    readers = {"ordinal": _code, "nominal": _code, "number": _number}
    not_in_source = _norm(NOT_IN_SOURCE)
    numeric = [c for c in raw.columns if scales.get(c, {"type": "text"})["type"] != "text"]
    # The numeric answers fill one array, and every frame below is a view of it: a million
    # respondents' answers are never copied column by column.
    block = np.empty((len(numeric), len(raw)))
    present = [i for i in items.id if i in raw.columns]
    unavailable = np.zeros((len(present), len(raw)), dtype=bool)
    text = {}
    for col in raw.columns:
        scale = scales.get(col, {"type": "text"})
        read = readers.get(scale["type"], lambda text, _: str(text).strip() or None)
        item = col in scales  # an item's "[niet in de bron]" is read as an empty answer
        if scale["type"] == "text" and not isinstance(raw[col].dtype, pd.CategoricalDtype):
            values = _texts(raw[col], item)  # texts that hardly repeat (an id), read at once
        else:
            values, found = read_column(
                raw[col],
                lambda text, read=read, scale=scale, item=item: read(
                    "" if item and _norm(text) == not_in_source else text, scale
                ),
                file,
                dtype=object if scale["type"] == "text" else float,
            )
            problems.extend(found)
        if col in numeric:
            block[numeric.index(col)] = values.to_numpy()
        else:
            text[col] = values
        if item:
            distinct = raw[col].cat.categories if isinstance(raw[col].dtype, pd.CategoricalDtype) else raw[col].unique()
            marked = [t for t in distinct if _norm(t) == not_in_source]
            if marked:
                unavailable[present.index(col)] = raw[col].isin(marked).to_numpy()
    out = _frame(block, numeric, text, list(raw.columns), raw.index)
    problems = answers_schema(codebook).problems(out, raw, file, earlier=problems)
    if problems:
        raise DataFileError(problems)
    flags = warnings_schema(codebook).problems(out, raw, file)
    index = pd.Index(out[rid], name=rid)
    identifying = set(items.id[items.identifying])
    keep = [i for i in items.id if i not in identifying]
    present_kept = [i for i in present if i in keep]
    return Scored(
        _frame(block, numeric, text, keep, index),
        out[[i for i in items.id if i in identifying]].set_axis(index, axis=0),
        flags,
        pd.DataFrame(unavailable.T, index=index, columns=present)[present_kept],
    )


def _texts(cells: pd.Series, item: bool) -> pd.Series:
    """Open answers as typed, stripped; empty cells (and an item's :data:`NOT_IN_SOURCE`) None.

    The same as reading each text by itself, with pandas' string methods on the whole column."""
    text = cells.astype(str).str.strip()
    empty = text.eq("").to_numpy(dtype=bool)
    if item:
        bracketed = np.flatnonzero(text.str.startswith("[").to_numpy(dtype=bool))
        empty[bracketed] |= np.array([_norm(t) == _norm(NOT_IN_SOURCE) for t in text.iloc[bracketed]], dtype=bool)
    return text.astype(object).where(~empty, None)


def _frame(block: np.ndarray, numeric: list, text: dict, columns: list, index) -> pd.DataFrame:
    """A frame of ``columns`` from the rows of ``block`` (one per ``numeric`` column, a view when
    they are all there in that order) and the ``text`` columns."""
    frame = pd.DataFrame(block.T, index=index, columns=numeric)
    if [c for c in columns if c in numeric] != numeric:
        frame = frame[[c for c in columns if c in numeric]]
    for at, col in enumerate(columns):
        if col not in numeric:
            frame.insert(at, col, text[col].to_numpy())
    return frame


def codes(answers: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """Processed answers as numbers: coded answers as their codes, numbers as they are.

    Parameters
    ----------
    answers : pandas.DataFrame
        Answers as ingestion stores them (:meth:`snwlib.processed.Wave.answers`): categoricals of
        the Dutch labels for coded items, floats for numbers, text for open questions.
    codebook : dict
        The questionnaire's codebook.

    Returns
    -------
    pandas.DataFrame of float
        The coded and numeric items (open questions left out), same index; missing answers NaN.

    Examples
    --------
    >>> cb = {"answer_scales": {"jn": {"type": "nominal", "codes": {1: "Ja", 2: "Nee"}}},
    ...       "items": [{"id": "q", "answers": "jn", "text": ""}]}
    >>> codes(pd.DataFrame({"q": pd.Categorical(["Nee", None, "Ja"], ["Ja", "Nee"])}), cb).q.tolist()
    [2.0, nan, 1.0]
    """
    out = {}
    for item in items_table(codebook).itertuples():
        if item.id not in answers:
            continue
        scale = codebook["answer_scales"][item.answers]
        if scale["type"] in CODED:
            by_label = {label: float(c) for c, label in scale["codes"].items()}
            x = answers[item.id]
            if isinstance(x.dtype, pd.CategoricalDtype):  # per label, then per cell by its code
                per_label = np.array([by_label.get(v, np.nan) for v in x.cat.categories] + [np.nan])
                out[item.id] = pd.Series(per_label[x.cat.codes.to_numpy()], index=answers.index)
            else:
                out[item.id] = pd.Series(
                    [by_label.get(v, np.nan) for v in x.astype(object)], index=answers.index, dtype=float
                )
        elif scale["type"] == "number":
            out[item.id] = answers[item.id].astype(float)
    return pd.DataFrame(out, index=answers.index)


def reverse_keyed(answers: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """Answers with the reverse-keyed items turned around: ``(min + max) - x`` on each item's range.

    Parameters
    ----------
    answers : pandas.DataFrame
        Numeric answers, one column per item id (as :func:`read_answers` or :func:`codes` give
        them); columns that are not reverse-keyed items are left as they are.
    codebook : dict
        The questionnaire's codebook.

    Returns
    -------
    pandas.DataFrame
        A copy of ``answers`` with the reverse-keyed items turned around (:func:`answer_range`
        of each item's answer scale); missing answers stay missing.

    Examples
    --------
    >>> cb = {"answer_scales": {"a5": {"type": "ordinal", "codes": {1: "x", 2: "x", 3: "x", 4: "x", 5: "x"}}},
    ...       "items": [{"id": "q1", "answers": "a5", "text": "", "reverse": True}]}
    >>> reverse_keyed(pd.DataFrame({"q1": [1.0, 4.0, None]}), cb).q1.tolist()
    [5.0, 2.0, nan]
    """
    out = answers.copy()
    for item, turn in _turns(codebook).items():
        if item in out:
            out[item] = turn - out[item]
    return out


def _turns(codebook: dict) -> dict:
    """``min + max`` of each reverse-keyed item's answer range (its answer x is keyed ``turn - x``)."""
    return {
        item.id: sum(answer_range(codebook, item.answers))
        for item in items_table(codebook).query("reverse").itertuples()
    }


def scale_items(codebook: dict) -> dict:
    """Item ids per scale, in the codebook's order of scales.

    Parameters
    ----------
    codebook : dict
        A questionnaire codebook.

    Returns
    -------
    dict of str to list of str
        For each scale of ``codebook["scales"]``, the ids of its items in questionnaire order.
    """
    items = items_table(codebook)
    return {s: items.id[items.scale == s].tolist() for s in codebook.get("scales", {})}


def scale_scores(answers: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """Scale scores per respondent: mean of the (reverse-keyed) answered items of each scale.

    A respondent who answered fewer than ``codebook["min_answered"]`` (a share, default 0.5) of a
    scale's items gets no score on it.

    Parameters
    ----------
    answers : pandas.DataFrame
        Numeric answers, one column per item id, one row per respondent (as :func:`read_answers`
        or :func:`codes` give them); every item of every scale must be a column.
    codebook : dict
        The questionnaire's codebook.

    Returns
    -------
    pandas.DataFrame
        Same index as ``answers``:

        * one column per scale, named by it, in the codebook's order: the mean of the
          respondent's answered items after reverse keying (:func:`reverse_keyed`); NaN when fewer
          than ``min_answered`` times the number of items (rounded up) were answered
    """
    turns = _turns(codebook)
    share = codebook.get("min_answered", 0.5)
    scores = {}
    for scale, ids in scale_items(codebook).items():
        # the scale's items only, as numbers (respondents x items), keyed as reverse_keyed does
        x = answers[ids].to_numpy(dtype=float, na_value=np.nan, copy=True)
        for j, item in enumerate(ids):
            if item in turns:
                x[:, j] = turns[item] - x[:, j]
        answered = np.count_nonzero(~np.isnan(x), axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.nansum(x, axis=1) / answered
        scores[scale] = np.where(answered >= np.ceil(share * len(ids)), mean, np.nan)
    return pd.DataFrame(scores, index=answers.index)
