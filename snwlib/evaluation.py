"""Appendices C8 and C9: evaluation forms of events (Café IV, Grand Café).

An evaluation form (report Bijlagen B7, B8) asks a handful of questions of different kinds: one
answer from a list, several answers, a priority per item, a grid of items with the same answers,
a grade 1-10, free text. Its codebook (``codebooks/b7_*.yaml``, ``b8_*.yaml``) lists the questions
as ``sections`` with their wording and ``kind``, and the items of each question. This module reads
a form's answers from a wave's processed data (:func:`load`) and has one table function per kind
of question, each called with the question's number as the form prints it: :func:`keuze` (one
answer), :func:`meerkeuze` (several answers), :func:`raster` (a grid), :func:`rangorde`
(priorities), :func:`cijfers` (grades), :func:`genoemd` (names written in, counted),
:func:`open_antwoorden` and :func:`regels` (free text); :func:`respons` and :func:`open_overzicht`
give the form's counts.

Conventions of the tables (the report's own, made explicit):

- counts come with the percentage of *all* forms (the base is in the caption, :func:`titel`), so
  a percentage never stands without its count, and people who skipped a question are a row
  ("geen antwoord"), as in C9 ("missing value 2");
- answers whose content the source does not give (:data:`snwlib.scoring.NOT_IN_SOURCE`) are a row
  of their own, "niet beschikbaar in de bron", never counted as an answer or as unanswered; a
  question none of whose answers are in the source has no counts (NaN), not zeros;
- free text is shown as ingestion scrubbed it (:func:`snwlib.privacy.scrub`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .codebook import load_codebook
from .processed import Wave
from .scoring import CODED, items_table
from .scoring import labels as scale_labels
from .tables import declare, declare_ratings

__all__ = [
    "Form",
    "load",
    "evenementen",
    "evenement",
    "formulier",
    "evenement_tekst",
    "tekst",
    "toelichting",
    "bijgeschreven_tekst",
    "cijfers_per_meting",
    "verloop_tekst",
    "titel",
    "respons",
    "keuze",
    "meerkeuze",
    "raster",
    "rangorde",
    "cijfers",
    "genoemd",
    "open_antwoorden",
    "regels",
    "open_overzicht",
    "tabel",
    "is_content",
    "NOT_AVAILABLE",
    "NO_ANSWER",
    "NAMED_TOTAL",
]

NOT_AVAILABLE = "niet beschikbaar in de bron"
NO_ANSWER = "geen antwoord"
#: The last row of :func:`genoemd`.
NAMED_TOTAL = "totaal (met naam)"
RESPONSE_PUBLIC = "respons: aanmeldingen, bezoekers en formulieren, geen antwoorden"


@dataclass
class Form:
    """One wave of an evaluation form as ingestion stored it (identifying answers are not there).

    Attributes
    ----------
    wave : str
    codebook : dict
    answers : pandas.DataFrame
        Per form: categoricals of the answer labels, floats for numbers, scrubbed text.
    unavailable : pandas.DataFrame of bool
        True where an answer was given but the source does not give its content.
    tables : dict
        The instrument's other tables present in the wave, by name.
    remarks : dict
        The wave's remarks on the form's tables (``toelichting`` in ``metadata.yaml``), by table.
    """

    wave: str
    codebook: dict
    answers: pd.DataFrame
    unavailable: pd.DataFrame
    tables: dict = field(default_factory=dict)
    remarks: dict = field(default_factory=dict)

    @property
    def items(self) -> pd.DataFrame:
        """The codebook's items, without the identifying ones (dropped at ingestion)."""
        items = items_table(self.codebook)
        return items[~items.identifying].reset_index(drop=True)

    @property
    def n(self) -> int:
        """Number of forms in the export."""
        return len(self.answers)

    def table_name(self, name: str) -> str:
        """The full name of one of the form's tables: ``"afwezigen"`` is ``c8_afwezigen`` for
        Café IV's files and ``c8b_afwezigen`` for a second café's; a full name stays as it is.

        Parameters
        ----------
        name : str

        Returns
        -------
        str
        """
        full = [self.codebook.get("export"), *self.codebook.get("tables", {})]
        if name in full:
            return name
        return next((n for n in full if n and n.split("_", 1)[-1] == name), name)

    def question(self, section) -> dict:
        """The codebook's entry of question ``section``.

        Parameters
        ----------
        section : int
            The question's number, a key of the codebook's ``sections``.

        Returns
        -------
        dict
            Its entry: ``title`` (as the form prints it), ``kind`` and any further keys the
            codebook gives.
        """
        return self.codebook["sections"][section]

    def section_items(self, section, types=None) -> pd.DataFrame:
        """The items of question ``section``, optionally only those of answer types ``types``.

        Parameters
        ----------
        section : int
            The question's number.
        types : collection of str, optional
            Answer-scale types to keep (e.g. ``["ordinal", "nominal"]``); all items by default.

        Returns
        -------
        pandas.DataFrame
            The rows of :attr:`items` for the question, in questionnaire order (index kept), with
            the columns of :func:`snwlib.scoring.items_table`:

            * ``'id'``: the item id
            * ``'section'``: the question (``section``)
            * ``'letter'``: the item's letter within the question (``""`` if none)
            * ``'text'``: its wording
            * ``'answers'``: the name of its answer scale
            * ``'type'``: the type of that answer scale
            * ``'scale'``: the scale it belongs to (None if none)
            * ``'reverse'``: whether it is reverse-keyed
            * ``'identifying'``: whether it identifies a person (always False here)
        """
        sub = self.items[self.items.section == section]
        return sub if types is None else sub[sub.type.isin(types)]

    def scale(self, item: str) -> dict:
        """The answer scale of ``item``.

        Parameters
        ----------
        item : str
            An item id (not an identifying one).

        Returns
        -------
        dict
            The codebook's entry of the item's answer scale: its ``type`` and the keys of that type
            (e.g. ``codes`` and ``missing``, or ``min`` and ``max``).
        """
        return self.codebook["answer_scales"][self.items.set_index("id").at[item, "answers"]]


def load(wave: Wave, codebook: str) -> Form:
    """A form's answers and other tables in a wave, from its processed data (nothing computed).

    Parameters
    ----------
    wave : Wave
    codebook : str
        The form's codebook, e.g. ``"b7_cafevragenlijst"``.

    Returns
    -------
    Form
    """
    cb = load_codebook(codebook)
    export = cb["export"]
    tables = {name: wave.table(name) for name in cb.get("tables", {}) if wave.has(name)}
    remarks = {
        name: rec["toelichting"]
        for name, rec in wave.provenance["tables"].items()
        if rec.get("toelichting") and (name == export or name in tables)
    }
    return Form(wave.name, cb, wave.answers(export), wave.unavailable(export), tables, remarks)


def evenementen(wave: Wave, notebook: str) -> list:
    """The events of a wave that a notebook shows (``evenementen`` in ``metadata.yaml``).

    Parameters
    ----------
    wave : Wave
    notebook : str
        The notebook that renders the events' kind of form, e.g. ``"C8"`` (cafés).

    Returns
    -------
    list of dict
        In date order, each with ``bijlage`` (its appendix: ``C8``, or ``C8b`` for a second
        café), ``notebook``, ``naam`` (as a Dutch sentence names it), ``kort`` (for captions),
        ``datum`` (ISO date), ``codebook`` (its form's codebook) and ``bestanden`` (the prefix of
        its files, ``c8b`` for ``c8b_antwoorden``), plus any further keys the metadata give.
    """
    found = [e for e in wave.meting.get("evenementen", []) if e.get("notebook", e["bijlage"]) == notebook]
    return sorted(found, key=lambda e: e["datum"])


def evenement(wave: Wave, bijlage: str) -> dict:
    """The event that appendix ``bijlage`` of a wave shows.

    Parameters
    ----------
    wave : Wave
    bijlage : str
        E.g. ``"C8"``.

    Returns
    -------
    dict
        As in :func:`evenementen`.

    Raises
    ------
    MissingData
        The wave lists no event for the appendix; the message says where to add it.
    """
    from .processed import MissingData

    for e in wave.meting.get("evenementen", []):
        if e["bijlage"] == bijlage:
            return e
    raise MissingData(
        f"wave {wave.name} lists no event for appendix {bijlage}: add it under 'evenementen' in the "
        "wave's metadata.yaml (see data/raw/2012/metadata.yaml)"
    )


def formulier(wave: Wave, event: dict) -> Form:
    """The answers to an event's form (:func:`load` with the codebook for the event's files).

    Parameters
    ----------
    wave : Wave
    event : dict
        One of :func:`evenementen`.

    Returns
    -------
    Form
    """
    from .codebook import files_prefix, load_codebook
    from .config import CODEBOOK_DIR
    from .processed import MissingData

    name = event["codebook"]
    if not (CODEBOOK_DIR / f"{name}.yaml").exists():
        raise MissingData(
            f"wave {wave.name}: the form of {event['kort']} ({event['bijlage']}) has codebook {name}, which "
            "codebooks/ no longer has; put it back (git log -- codebooks/) to show that wave's event"
        )
    prefix = event.get("bestanden")
    if prefix and files_prefix(load_codebook(name)) != prefix:
        name = f"{name}@{prefix}"
    return load(wave, name)


def evenement_tekst(event: dict, f: Form, min_cell: int = 0) -> str:
    """Dutch sentence: which event this is, when, and how many forms came back (Markdown).

    Parameters
    ----------
    event : dict
        One of :func:`evenementen`.
    f : Form
        Its form's answers.
    min_cell : int, optional
        Unused: the number of forms is a response figure, shown to both audiences.

    Returns
    -------
    str
    """
    from . import nl

    return (
        f"Op {nl.date(event['datum'])} was {event['naam']}. Er kwamen {nl.count(f.n)} ingevulde "
        f"evaluatieformulieren terug (meting {f.wave}). Het formulier staat met elke vraag en de letterlijke "
        f"tekst in het codeboek `codebooks/{event['codebook']}.yaml`."
    )


def tekst(f: Form, name: str, min_cell: int = 0) -> str:
    """A Dutch text of the form's codebook (``teksten``), filled in from the data (Markdown).

    A placeholder ``{x}`` is the number of response category ``x`` (:func:`respons`: the form's
    response table, ``formulieren`` for the forms in the data, a table's name for its rows);
    ``{x:woord}`` writes it in words (:func:`snwlib.nl.count`). The text starts with a capital.

    Parameters
    ----------
    f : Form
    name : str
        The text's key under ``teksten`` in the codebook.
    min_cell : int, optional
        Unused: response figures are shown to both audiences.

    Returns
    -------
    str
        With "?" for a number the data lack.
    """
    from . import nl

    values = dict(zip(respons(f).categorie, respons(f).aantal, strict=True))

    def one(match):
        key, words = match.group(1), match.group(2)
        if key not in values:
            return "?"
        return nl.count(values[key]) if words else nl.number(values[key])

    return nl.sentence(re.sub(r"\{([a-z0-9_]+)(:woord)?\}", one, f.codebook["teksten"][name]))


def toelichting(f: Form, table: str, min_cell: int = 0) -> str:
    """The wave's remark on one of the form's tables (``toelichting`` in ``metadata.yaml``), or "".

    Parameters
    ----------
    f : Form
    table : str
        E.g. ``"afwezigen"`` (or in full, ``"c8_afwezigen"``, see :meth:`Form.table_name`).
    min_cell : int, optional
        Unused: remarks are about the source, shown to both audiences.

    Returns
    -------
    str
    """
    return f.remarks.get(f.table_name(table), "")


def titel(f: Form, section) -> str:
    """The question as the form prints it, with the number of forms (the base of percentages).

    Parameters
    ----------
    f : Form
    section : int

    Returns
    -------
    str
    """
    return f"{f.question(section)['title']} ({f.n} formulieren)"


def is_content(text) -> bool:
    """Whether an answer says anything: a letter or digit, not just a dash.

    Parameters
    ----------
    text : str or None

    Returns
    -------
    bool

    Examples
    --------
    >>> is_content("—"), is_content(" n.v.t. "), is_content(None)
    (False, True, False)
    """
    return isinstance(text, str) and re.search(r"\w", text) is not None


def _pct(count, base):
    return 100 * count / base if base else np.nan


def respons(f: Form) -> pd.DataFrame:
    """The form's response table as the report gives it, with the forms in the data and the rows
    of the form's other tables whose codebook entry has a ``count_label``.

    Parameters
    ----------
    f : Form

    Returns
    -------
    pandas.DataFrame
        * ``'categorie'``: the category's id; ``formulieren``; a table's name
        * ``'omschrijving'``: Dutch
        * ``'aantal'``: the number
        * ``'bron'``: where the report gives it
    """
    rows = []
    for t in f.tables.values():
        if {"categorie", "omschrijving", "aantal"} <= set(t.columns):
            rows += [
                {"categorie": c, "omschrijving": o, "aantal": a, "bron": b}
                for c, o, a, b in zip(t.categorie, t.omschrijving, t.aantal, t.get("bron", ""), strict=True)
            ]
    rows.append(
        {"categorie": "formulieren", "omschrijving": "ingevulde formulieren in de gegevens", "aantal": f.n, "bron": ""}
    )
    for name, spec in f.codebook.get("tables", {}).items():
        if spec.get("count_label") and name in f.tables:
            rows.append(
                {"categorie": name, "omschrijving": spec["count_label"], "aantal": len(f.tables[name]), "bron": ""}
            )
    out = pd.DataFrame(rows, columns=["categorie", "omschrijving", "aantal", "bron"])
    return declare(out, public=RESPONSE_PUBLIC)


def _the(f: Form, section, types) -> str:
    items = f.section_items(section, types)
    if len(items) != 1:
        raise ValueError(f"question {section} has {len(items)} items of type {types}, not one")
    return items.id.iloc[0]


def keuze(f: Form, section) -> pd.DataFrame:
    """Counts of a one-answer question: each answer of the codebook, then the unavailable and the
    unanswered, with the percentage of all forms.

    Parameters
    ----------
    f : Form
    section : int
        The question's number.

    Returns
    -------
    pandas.DataFrame
        * ``'antwoord'``: the answer's label, ``niet beschikbaar in de bron``, ``geen antwoord``
        * ``'aantal'``: forms with it (NaN for every answer when none is in the source)
        * ``'percentage'``: of all forms
    """
    item = _the(f, section, CODED)
    x, u = f.answers[item], f.unavailable[item]
    labels = scale_labels(f.scale(item))
    counts = x.value_counts()
    all_unavailable = bool(u.any()) and x.notna().sum() == 0
    rows = [(label, np.nan if all_unavailable else int(counts.get(label, 0))) for label in labels]
    if u.any():
        rows.append((NOT_AVAILABLE, int(u.sum())))
    rows.append((NO_ANSWER, int((x.isna() & ~u).sum())))
    out = pd.DataFrame(rows, columns=["antwoord", "aantal"])
    out["percentage"] = [_pct(c, f.n) for c in out.aantal]
    # the counts add up to all forms, whose number the caption shows
    return declare(
        out, counts=["aantal"], derived={"aantal": ["percentage"]}, column_totals=["aantal"], percent=["percentage"]
    )


def bijgeschreven_tekst(f: Form, section, min_cell: int = 0) -> str:
    """Dutch sentence: which answers of a one-answer question were not on the form (Markdown).

    The codebook marks them in the answer scale (``not_on_form``: codes that record what
    respondents wrote or ticked beside the boxes). Each is named with how often it was given;
    a count the steering group's table hides (:func:`snwlib.disclosure.protect` with ``min_cell``)
    is not written.

    Parameters
    ----------
    f : Form
    section : int
        The question's number.
    min_cell : int, optional

    Returns
    -------
    str
        ``""`` when no such answer was given.
    """
    from . import nl

    item = _the(f, section, CODED)
    scale = f.scale(item)
    extra = [scale["codes"][c] for c in scale.get("not_on_form", [])]
    from .disclosure import protect

    table = keuze(f, section)
    counts = table.set_index("antwoord").aantal
    # a count is written only where the steering group's table shows it (the small-group rule,
    # and the counts it hides so that no other can be worked out)
    hidden = dict(zip(table.antwoord, protect(table, min_cell).mask().aantal, strict=True)) if min_cell else {}
    given = [(label, counts[label]) for label in extra if counts.get(label, 0) > 0]
    if not given:
        return ""
    named = nl.join(f"“{label}”" if hidden.get(label) else f"“{label}” ({nl.times(n)})" for label, n in given)
    verb = "stond" if len(given) == 1 else "stonden"
    return f"{nl.sentence(named)} {verb} niet op het formulier: respondenten schreven of kruisten het zo aan."


def meerkeuze(f: Form, section) -> pd.DataFrame:
    """A question with several answers possible (one item per option): how many ticked each
    option, of the forms that answered the question (ticked or left unticked any option). An
    option counts as ticked when its answer is its scale's highest code (``1 = aangevinkt``).

    Parameters
    ----------
    f : Form
    section : int

    Returns
    -------
    pandas.DataFrame
        * ``'antwoord'``: the option's text
        * ``'aantal'``: forms that ticked it
        * ``'niet aangevinkt'``: forms that answered the question but did not tick it
        * ``'percentage'``: ``aantal`` as a percentage of the forms that answered the question
        * ``'beantwoord'``: forms that answered the question (the base)
    """
    items = f.section_items(section, CODED)
    block = f.answers[items.id]
    answered = int(block.notna().any(axis=1).sum())
    rows = []
    for item in items.itertuples():
        ticked = f.scale(item.id)["codes"][max(int(c) for c in f.scale(item.id)["codes"])]
        rows.append({"antwoord": item.text, "aantal": int((block[item.id] == ticked).sum())})
    out = pd.DataFrame(rows, columns=["antwoord", "aantal"])
    out["niet aangevinkt"] = answered - out.aantal
    out["percentage"] = [_pct(c, answered) for c in out.aantal]
    out["beantwoord"] = answered
    # ticked and not ticked add up to the forms that answered, which the reader sees
    return declare(
        out,
        counts=["aantal", "niet aangevinkt"],
        derived={"aantal": ["percentage"]},
        row_totals=[["aantal", "niet aangevinkt"]],
        percent=["percentage"],
        other=["beantwoord"],
    )


def raster(f: Form, section) -> pd.DataFrame:
    """Items sharing one answer list (e.g. attention per café function): one row per item,
    counts per answer, the unavailable, the unanswered, and n. Items nobody answered ("Anders,
    namelijk…") are left out.

    Parameters
    ----------
    f : Form
    section : int

    Returns
    -------
    pandas.DataFrame
        * ``'onderdeel'``: the item's text
        * one column per answer label: forms that gave it
        * ``'niet beschikbaar in de bron'`` (when some are), ``'geen antwoord'``
        * ``'n'``: forms that answered the item
    """
    items = f.section_items(section, CODED)
    scale = f.scale(items.id.iloc[0])
    labels = scale_labels(scale)
    with_unavailable = bool(f.unavailable[items.id].any().any())
    rows = []
    for item in items.itertuples():
        x, u = f.answers[item.id], f.unavailable[item.id]
        if x.notna().sum() == 0 and not u.any():
            continue
        counts = x.value_counts()
        row = {"onderdeel": item.text, **{label: int(counts.get(label, 0)) for label in labels}}
        if with_unavailable:
            row[NOT_AVAILABLE] = int(u.sum())
        row[NO_ANSWER] = int((x.isna() & ~u).sum())
        row["n"] = int(x.notna().sum())
        rows.append(row)
    rest = [NOT_AVAILABLE, NO_ANSWER] if with_unavailable else [NO_ANSWER]
    # answers add up to n; answers and the rest to all forms; so do n and the rest
    return declare(
        pd.DataFrame(rows),
        counts=[*labels, *rest, "n"],
        row_totals=[labels, [*labels, *rest], ["n", *rest]],
    )


def rangorde(f: Form, section) -> pd.DataFrame:
    """Priorities (1 = most important): the mean priority per function and the order it gives,
    from the forms' answers; next to it the order the report publishes, if the codebook names a
    table holding it (``published``). Without individual answers the computed columns are empty.

    Parameters
    ----------
    f : Form
    section : int

    Returns
    -------
    pandas.DataFrame
        * ``'functie'``: the function's text
        * ``'n'``: forms that gave it a priority
        * ``'gemiddelde prioriteit'``: their mean
        * ``'rangorde (berekend)'``: the order of those means (1 = most important)
        * ``'rangorde (gepubliceerd)'``: the group's order as the report publishes it
        * ``'schaal_min'``, ``'schaal_max'``: the priorities' range
    """
    items = f.section_items(section, ["number"])
    published = f.question(section).get("published")
    pub = f.tables[published].set_index("item").prioriteit if published in f.tables else pd.Series(dtype=float)
    # the functions the form names (and the published ranking covers); write-ins have no text here
    items = items[items.id.isin(pub.index)] if len(pub) else items
    block = f.answers[items.id].astype(float)
    means = block.mean()
    scale = f.scale(items.id.iloc[0])
    out = pd.DataFrame(
        {
            "functie": items.text.values,
            "n": block.notna().sum().values.astype(int),
            "gemiddelde prioriteit": means.values,
            "rangorde (berekend)": means.rank(method="min").values,
            "rangorde (gepubliceerd)": [pub.get(i, np.nan) for i in items.id],
            "schaal_min": scale["min"],
            "schaal_max": scale["max"],
        }
    )
    return declare(
        out,
        counts=["n"],
        groups={"n": ["gemiddelde prioriteit", "rangorde (berekend)"]},
        domain={"gemiddelde prioriteit": ("schaal_min", "schaal_max", 1)},
        other=["rangorde (gepubliceerd)", "schaal_min", "schaal_max"],
        decimals={"rangorde (berekend)": 0, "rangorde (gepubliceerd)": 0},
    )


def _grade_label(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v).replace(".", ",")


def cijfers(f: Form, *sections) -> pd.DataFrame:
    """Grades: per grade question, n, mean, lowest and highest, and how many gave each grade.

    Parameters
    ----------
    f : Form
    *sections : int
        Grade questions.

    Returns
    -------
    pandas.DataFrame
        One row per grade item:

        * ``'onderdeel'``: the item's text
        * ``'n'``: forms with a grade (0 with none, also when the source does not give them)
        * ``'gemiddelde'``, ``'laagste'``, ``'hoogste'``
        * ``'aantal laagste'``, ``'aantal hoogste'``: how many gave the lowest and the highest
          (for the small-group rule; the steering group never sees these)
        * ``'niet beschikbaar in de bron'``: grades given but not in the source
        * ``'schaal_min'``, ``'schaal_max'``, ``'stap'``: the grade's range and step
        * ``'1'`` ... ``'10'`` (and any half grade given, ``'7,5'``): how many gave it
    """
    ids = [i for s in sections for i in f.section_items(s, ["number"]).id]
    values = sorted({float(v) for i in ids for v in f.answers[i].dropna()} | {float(v) for v in range(1, 11)})
    grade_cols = [_grade_label(v) for v in values]
    rows = []
    for item in ids:
        x = f.answers[item].astype(float).dropna()
        scale = f.scale(item)
        extremes = (
            {
                "laagste": x.min(),
                "hoogste": x.max(),
                "aantal laagste": int((x == x.min()).sum()),
                "aantal hoogste": int((x == x.max()).sum()),
            }
            if len(x)
            else {"laagste": np.nan, "hoogste": np.nan, "aantal laagste": 0, "aantal hoogste": 0}
        )
        counts = x.value_counts()
        rows.append(
            {
                "onderdeel": f.items.set_index("id").at[item, "text"],
                "n": len(x),
                "gemiddelde": x.mean() if len(x) else np.nan,
                **extremes,
                NOT_AVAILABLE: int(f.unavailable[item].sum()),
                "schaal_min": scale["min"],
                "schaal_max": scale["max"],
                "stap": 1.0 if scale.get("integer") else float(scale.get("step", 1.0)),
                **{label: int(counts.get(v, 0)) for v, label in zip(values, grade_cols, strict=True)},
            }
        )
    return declare(
        pd.DataFrame(rows),
        counts=["n", NOT_AVAILABLE, *grade_cols],
        row_totals=[grade_cols],
        groups={"n": ["gemiddelde", "laagste", "hoogste"]},
        extremes={"laagste": "aantal laagste", "hoogste": "aantal hoogste"},
        domain={"gemiddelde": ("schaal_min", "schaal_max", "stap")},
        values={label: v for v, label in zip(values, grade_cols, strict=True)},
        internal=["aantal laagste", "aantal hoogste"],
        other=["schaal_min", "schaal_max", "stap"],
        decimals={"gemiddelde": 2},
    )


def cijfers_per_meting(wave: Wave, notebook: str) -> pd.DataFrame:
    """The grades of every event of a kind, in this wave and the earlier ones beside it.

    The monitor of the events: for each wave (oldest first) and each of its events that
    ``notebook`` shows (:func:`evenementen`), every grade question of the event's form
    (``kind: grade`` in its codebook), as :func:`cijfers` gives it.

    Parameters
    ----------
    wave : Wave
    notebook : str
        The notebook of the events' kind, e.g. ``"C8"`` (cafés: C8, C8b, ...).

    Returns
    -------
    pandas.DataFrame
        One row per wave, event and grade item, by date:

        * ``'sleutel'``: ``"<meting> <evenement>: <onderdeel>"``, unique (the row's key)
        * ``'meting'``: the wave
        * ``'evenement'``: the event's short name (``kort``)
        * ``'datum'``: its date
        * ``'onderdeel'``: the grade item's text
        * ``'n'``: forms with a grade
        * ``'gemiddelde'``, ``'laagste'``, ``'hoogste'``
        * ``'aantal laagste'``, ``'aantal hoogste'``: how many gave the lowest and the highest
          (for the small-group rule; the steering group never sees these)
        * ``'schaal_min'``, ``'schaal_max'``, ``'stap'``: the grade's range and step
    """
    rows = []
    for w in [*wave.earlier(), wave]:
        for event in evenementen(w, notebook):
            f = formulier(w, event)
            grades = [s for s, q in f.codebook["sections"].items() if q.get("kind") == "grade"]
            c = cijfers(f, *grades)
            c.insert(0, "datum", pd.Timestamp(event["datum"]))
            c.insert(0, "evenement", event["kort"])
            c.insert(0, "meting", w.name)
            rows.append(c)
    columns = ["meting", "evenement", "datum", "onderdeel", "n", "gemiddelde", "laagste", "hoogste"]
    columns += ["aantal laagste", "aantal hoogste", "schaal_min", "schaal_max", "stap"]
    out = pd.concat(rows, ignore_index=True)[columns] if rows else pd.DataFrame(columns=columns)
    out = out.sort_values(["datum", "meting"], kind="stable").reset_index(drop=True)
    out.insert(0, "sleutel", out.meting.astype(str) + " " + out.evenement + ": " + out.onderdeel.astype(str))
    return declare_ratings(out, decimals={"gemiddelde": 2})


def verloop_tekst(table: pd.DataFrame, min_cell: int = 0) -> str:
    """Dutch sentence on the monitor of the events' grades: which waves it spans, or that there is one.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`cijfers_per_meting`.
    min_cell : int, optional
        Unused: the sentence names waves and events, no counts.

    Returns
    -------
    str
    """
    from . import nl

    waves = list(dict.fromkeys(table.meting))
    events = table.drop_duplicates(["meting", "evenement"])
    if len(waves) <= 1:
        return nl.one_wave(waves[0] if waves else None, "de rapportcijfers")
    return (
        f"De rapportcijfers van {nl.count(len(events))} bijeenkomsten in {nl.count(len(waves))} metingen "
        f"({nl.join(waves)}), in de volgorde waarin ze plaatsvonden. Een gemiddelde van minder respondenten "
        "dan de ondergrens van de stuurgroepversie staat daar niet in."
    )


def genoemd(f: Form, section) -> pd.DataFrame:
    """How often each answer to the question's short open item (``count_names`` in the
    codebook: e.g. the Doetank someone is in) was given, in order of first appearance; answers
    are compared ignoring case and surrounding spaces.

    Parameters
    ----------
    f : Form
    section : int

    Returns
    -------
    pandas.DataFrame
        * ``'antwoord'``: the answer as first written (``niet beschikbaar in de bron`` for those
          whose text the source does not give), then ``totaal (met naam)``
        * ``'aantal'``: how often; the total counts the answers with a name
    """
    item = f.question(section)["count_names"]
    x = f.answers[item]
    keys = x[x.map(is_content)].map(lambda t: " ".join(t.split()))
    first = keys.groupby(keys.str.casefold(), sort=False).first()
    counts = keys.str.casefold().value_counts(sort=False)
    rows = [{"antwoord": first[k], "aantal": int(counts[k])} for k in first.index]
    named = sum(r["aantal"] for r in rows)
    if f.unavailable[item].any():
        rows.append({"antwoord": NOT_AVAILABLE, "aantal": int(f.unavailable[item].sum())})
    rows.append({"antwoord": NAMED_TOTAL, "aantal": named})
    # the names add up to the total shown in the last row
    return declare(pd.DataFrame(rows, columns=["antwoord", "aantal"]), counts=["aantal"], column_totals=["aantal"])


def _text_items(f: Form, section) -> pd.DataFrame:
    spec = f.question(section)
    texts = f.section_items(section, ["text"])
    return texts[~texts.id.isin([spec.get("count_names"), spec.get("list_lines")])]


def _sorted(texts) -> list:
    """Answers in alphabetical order (ignoring case): in the export's order, the answers of one
    respondent to different questions could be linked by their position."""
    return sorted(texts, key=lambda t: (t.casefold(), t))


def _answers_table(f: Form, item: str) -> pd.DataFrame:
    given = _sorted(t for t in f.answers[item] if is_content(t))
    rows = [{"nr": i, "antwoord": t} for i, t in enumerate(given, 1)]
    hidden = int(f.unavailable[item].sum())
    if hidden:
        rows.append({"nr": np.nan, "antwoord": f"[{hidden} antwoord(en): {NOT_AVAILABLE}]"})
    out = pd.DataFrame(rows, columns=["nr", "antwoord"])
    out["nr"] = out["nr"].astype("Int64")
    return declare(out)


def open_antwoorden(f: Form, section) -> dict:
    """The answers to the open items of a question, in alphabetical order (so that answers of
    one respondent to different questions cannot be linked by their position), as ingestion
    scrubbed them; dashes and empty answers left out. Answers whose text the source does not give
    are one line saying how many there are. An open field beside a closed question that nobody
    used is left out.

    Parameters
    ----------
    f : Form
    section : int

    Returns
    -------
    dict
        Item id to ``(caption, table)``; each table has ``'nr'`` and ``'antwoord'``.
    """
    spec = f.question(section)
    texts = _text_items(f, section)
    out = {}
    for item in texts.itertuples():
        x = f.answers[item.id]
        if spec["kind"] != "text" and not (x.map(is_content).any() or f.unavailable[item.id].any()):
            continue
        if spec["kind"] == "text" and len(texts) == 1:
            caption = spec["title"]
        elif spec["kind"] == "text":
            caption = f"{spec['title']} – {item.text}"
        else:
            caption = f"{section}. {item.text}"
        out[item.id] = (caption, _answers_table(f, item.id))
    return out


def regels(f: Form, section) -> pd.DataFrame:
    """The question's open item that lists issues (``list_lines`` in the codebook), one row per
    line: one person may write several (C9's addendum numbers the issues, not the people). The
    lines are in alphabetical order, so that the lines of one person cannot be told apart.

    Parameters
    ----------
    f : Form
    section : int

    Returns
    -------
    pandas.DataFrame
        * ``'nr'``: 1, 2, ...
        * ``'antwoord'``: the line
    """
    item = f.question(section)["list_lines"]
    lines = _sorted(
        line.strip() for t in f.answers[item] if is_content(t) for line in t.splitlines() if is_content(line)
    )
    return declare(pd.DataFrame({"nr": range(1, len(lines) + 1), "antwoord": lines}))


def open_overzicht(f: Form) -> pd.DataFrame:
    """How many answered each open item whose answers the appendix lists: given, with text, and
    lines. Items whose answers are counted by name (:func:`genoemd`) are left out: their counts
    are in that table, under the small-group rule.

    Parameters
    ----------
    f : Form

    Returns
    -------
    pandas.DataFrame
        One row per open item of the form:

        * ``'item'``: its id
        * ``'vraag'``: its question's number and the item's text
        * ``'gegeven'``: forms with an answer (with text, or given but not in the source)
        * ``'met tekst'``: answers whose text is here
        * ``'regels'``: lines with content in those answers
        * ``'in de lijst'``: forms with any entry, a dash included (the appendix numbers these,
          printing a dash where a form left the question open), or not in the source
    """
    counted = {spec.get("count_names") for spec in f.codebook["sections"].values()}
    rows = []
    for item in f.items[(f.items.type == "text") & ~f.items.id.isin(counted)].itertuples():
        x, u = f.answers[item.id], f.unavailable[item.id]
        with_text = int(x.map(is_content).sum())
        rows.append(
            {
                "item": item.id,
                "vraag": f"{item.section}. {item.text}",
                "gegeven": with_text + int(u.sum()),
                "met tekst": with_text,
                "regels": sum(is_content(line) for t in x if is_content(t) for line in t.splitlines()),
                "in de lijst": int((x.notna() | u).sum()),
            }
        )
    # the answers themselves are listed, verbatim and countable, beside this overview
    return declare(pd.DataFrame(rows), public="de antwoorden zelf staan letterlijk in de tabellen per vraag")


def tabel(f: Form, name: str) -> pd.DataFrame:
    """One of the form's other tables (e.g. the reasons of absentees), as ingestion stored it
    (free text scrubbed).

    Parameters
    ----------
    f : Form
    name : str

    Returns
    -------
    pandas.DataFrame
        The table's columns (codebook); its first column is the key.
    """
    t = f.tables[f.table_name(name)].reset_index(drop=True)
    numeric = [c for c in t.columns[1:] if pd.api.types.is_numeric_dtype(t[c])]
    return declare(t, other=numeric)
