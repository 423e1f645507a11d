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

from .io import DataFileError, Problem
from .validate import parse_number


#: The cell value of an answer that was given but whose content the source does not publish.
NOT_IN_SOURCE = "[niet in de bron]"

#: Scale types whose answers are codes with labels.
CODED = ("ordinal", "nominal")


@dataclass
class Scored:
    """The result of :func:`read_answers`."""

    answers: pd.DataFrame        #: numbers for coded and numeric items, text for text items; index = respondent id
    identifying: pd.DataFrame    #: the identifying columns, kept apart (never written to outputs)
    flags: list                  #: warnings (e.g. a 0-100 answer that looks like a 0-10 answer)
    unavailable: pd.DataFrame | None = None  #: True where the cell was :data:`NOT_IN_SOURCE`


def items_table(codebook: dict) -> pd.DataFrame:
    """The codebook's items as a DataFrame (one row per item, in questionnaire order)."""
    rows = []
    for item in codebook["items"]:
        scale = codebook["answer_scales"][item["answers"]]
        rows.append({
            "id": item["id"], "section": item.get("section"), "letter": item.get("letter", ""),
            "text": item["text"], "answers": item["answers"], "type": scale["type"],
            "scale": item.get("scale"), "reverse": bool(item.get("reverse", False)),
            "identifying": bool(item.get("identifying", False)),
        })
    return pd.DataFrame(rows)


def answer_range(codebook: dict, answers: str) -> tuple:
    """(min, max) of an answer scale: its lowest and highest valid code or number."""
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


def _ordinal(value, scale, where, problems):
    codes = {int(c): label for c, label in scale["codes"].items()}
    missing = {int(c): label for c, label in (scale.get("missing") or {}).items()}
    by_label = {key: c for c, label in codes.items() for key in _label_keys(label)}
    missing_labels = {key for label in missing.values() for key in _label_keys(label)}
    s = str(value).strip()
    if s == "":
        return np.nan
    try:
        number = parse_number(s)
    except ValueError:
        number = None
    if number is not None:
        if number in codes:
            return float(number)
        if number in missing:
            return np.nan
        problems.append(Problem(*where, value, "code out of range",
                                "valid codes: " + ", ".join(f"{c} = {l}" for c, l in sorted(codes.items()))
                                + "".join(f"; {c} = missing ({l})" for c, l in missing.items())))
        return np.nan
    key = _norm(s)
    if key in by_label:
        return float(by_label[key])
    if key in missing_labels:
        return np.nan
    problems.append(Problem(*where, value, "unknown answer label",
                            "expected one of: " + "; ".join(codes.values())
                            + "".join(f"; {l}" for l in missing.values())))
    return np.nan


def _number(value, scale, where, problems, flags):
    s = str(value).strip()
    if s == "":
        return np.nan
    try:
        x = parse_number(s)
    except ValueError as err:
        problems.append(Problem(*where, value, f"{err}", f"expected a number from {scale['min']} to {scale['max']}"))
        return np.nan
    if x < scale["min"] or x > scale["max"]:
        problems.append(Problem(*where, value, "out of range", f"expected a number from {scale['min']} to {scale['max']}"))
        return np.nan
    if scale.get("integer") and not float(x).is_integer():
        problems.append(Problem(*where, value, "not a whole number", f"expected a whole number from {scale['min']} to {scale['max']}"))
        return np.nan
    if "suspect_max" in scale and x <= scale["suspect_max"]:
        flags.append(Problem(*where, value, f"looks like an answer on a 0-{scale['suspect_max']} scale",
                             f"the question asks for {scale['min']}-{scale['max']}; check before trusting it"))
    return float(x)


def extra_header_rows(raw: pd.DataFrame, items: pd.DataFrame) -> list:
    """The leading rows of an export that are headers, not answers (their spreadsheet numbers).

    Some survey tools write two or three header rows: the question codes (the columns), then the
    question texts, then an import id per column (``{"ImportId":"QID12"}``). A leading row is such
    a header when at least half of its filled item cells hold the item's wording (or contain it)
    or an import id. At most two rows are skipped; the rows after them keep their own numbers.

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
        like_header = [c for c, v in cells.items()
                       if (texts[c] and texts[c] in v) or v.startswith('{"importid"')]
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
        As read by :func:`snwlib.io.read_table`: text cells, index = spreadsheet row number, a
        column with the respondent id (``codebook["respondent_id"]``) and one column per item id.
    codebook : dict
        A questionnaire codebook.

    Returns
    -------
    Scored
        Raises :class:`~snwlib.io.DataFileError` listing every problem if there are any.
    """
    file = file or raw.attrs.get("source", "<answers>")
    items = items_table(codebook)
    raw = raw.drop(index=extra_header_rows(raw, items))
    rid = codebook.get("respondent_id", "respondent")
    problems: list[Problem] = []
    flags: list[Problem] = []
    expected = [rid] + items.id.tolist()
    for col in expected:
        if col not in raw.columns:
            problems.append(Problem(file, 1, col, None, "column missing", "the export must have the columns " + ", ".join(expected)))
    for col in raw.columns:
        if col not in expected:
            problems.append(Problem(file, 1, col, None, "unknown column", "no item of this id in " + codebook["instrument"]))
    if len(raw) == 0:
        problems.append(Problem(file, None, None, None, "the export has a header but no respondents",
                                "export the answers again"))
    if rid in raw.columns:
        ids = raw[rid].astype(str).str.strip()
        for row in ids.index[ids == ""]:
            problems.append(Problem(file, row, rid, "", "empty respondent id"))
        for row in ids.index[ids.duplicated() & (ids != "")]:
            first = ids.index[ids == ids[row]][0]
            problems.append(Problem(file, row, rid, ids[row], f"duplicate of row {first}", "each respondent once"))
    out = pd.DataFrame(index=raw.index)
    unavailable = pd.DataFrame(False, index=raw.index, columns=[i for i in items.id if i in raw.columns])
    for item in items.itertuples():
        if item.id not in raw.columns:
            continue
        scale = codebook["answer_scales"][item.answers]
        values = []
        for row, value in raw[item.id].items():
            where = (file, row, item.id)
            if _norm(value) == _norm(NOT_IN_SOURCE):
                unavailable.at[row, item.id] = True
                values.append(np.nan if scale["type"] != "text" else None)
            elif scale["type"] in CODED:
                values.append(_ordinal(value, scale, where, problems))
            elif scale["type"] == "number":
                values.append(_number(value, scale, where, problems, flags))
            else:
                values.append(str(value).strip() or None)
        out[item.id] = pd.Series(values, index=raw.index, dtype=object if scale["type"] == "text" else float)
    if problems:
        raise DataFileError(problems)
    out.index = unavailable.index = raw[rid].astype(str).str.strip().values
    out.index.name = unavailable.index.name = rid
    identifying = items.id[items.identifying].tolist()
    return Scored(out.drop(columns=identifying), out[identifying].copy(), flags,
                  unavailable.drop(columns=identifying, errors="ignore"))


def reverse_keyed(answers: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """Answers with the reverse-keyed items turned around: ``(min + max) - x`` on each item's range.

    Examples
    --------
    >>> cb = {"answer_scales": {"a5": {"type": "ordinal", "codes": {1: "x", 2: "x", 3: "x", 4: "x", 5: "x"}}},
    ...       "items": [{"id": "q1", "answers": "a5", "text": "", "reverse": True}]}
    >>> reverse_keyed(pd.DataFrame({"q1": [1.0, 4.0, None]}), cb).q1.tolist()
    [5.0, 2.0, nan]
    """
    out = answers.copy()
    for item in items_table(codebook).query("reverse").itertuples():
        if item.id in out:
            lo, hi = answer_range(codebook, item.answers)
            out[item.id] = lo + hi - out[item.id]
    return out


def scale_items(codebook: dict) -> dict:
    """Item ids per scale, in the codebook's order of scales."""
    items = items_table(codebook)
    return {s: items.id[items.scale == s].tolist() for s in codebook.get("scales", {})}


def scale_scores(answers: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """Scale scores per respondent: mean of the (reverse-keyed) answered items of each scale.

    A respondent who answered fewer than ``codebook["min_answered"]`` (a share, default 0.5) of a
    scale's items gets no score on it.
    """
    keyed = reverse_keyed(answers, codebook)
    share = codebook.get("min_answered", 0.5)
    scores = {}
    for scale, ids in scale_items(codebook).items():
        block = keyed[ids].astype(float)
        enough = block.notna().sum(axis=1) >= np.ceil(share * len(ids))
        scores[scale] = block.mean(axis=1).where(enough)
    return pd.DataFrame(scores, index=answers.index)
