"""Appendix C7: the Doetank questionnaire (report Bijlage B5, Tabel 3 and Bijlage C7).

Reads a wave's answers from its processed data (:func:`load`) and makes the appendix's tables,
one function each: the response (:func:`respons`), Tabel 3 (:func:`tabel3`), reliability per
scale and per item (:func:`alfa`, :func:`alfa_items`), answers per section (:func:`frequenties`),
the two ratings (:func:`beoordelingen`, :func:`verdeling`, :func:`vermoedelijk_0_10`), the scale
profile (:func:`profiel`), the comparison with the reference values (:func:`referentie`) and with
the previous wave (:func:`metingen`), and the open answers (:func:`open_antwoorden`). The
instrument itself, items, scales and which sections Tabel 3 shows, lives in
``codebooks/b5_doetankvragenlijst.yaml``.

Scale scores are computed where a table needs them (:func:`scores`), from the answers as codes
(:func:`snwlib.scoring.codes`), never stored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import nl
from .comparison import between_waves, mean_ci, versus_reference
from .config import REFERENCE_DIR
from .processed import Wave
from .scoring import answer_range, codes, items_table, reverse_keyed, scale_items, scale_scores
from .scoring import labels as scale_labels
from .tables import declare, declare_ratings

__all__ = [
    "Questionnaire",
    "load",
    "previous",
    "scores",
    "respons",
    "tabel3",
    "alfa",
    "alfa_tekst",
    "detecteerbaar_tekst",
    "alfa_items",
    "frequenties",
    "frequenties_per_sectie",
    "beoordelingen",
    "vermoedelijk_0_10",
    "verdeling",
    "verdelingen",
    "profiel",
    "referentie",
    "metingen",
    "vergelijking_tekst",
    "open_antwoorden",
    "open_vragen",
    "CODEBOOK",
]

CODEBOOK = "b5_doetankvragenlijst"
RESPONSE_PUBLIC = "respons: uitgenodigden en invullers, geen antwoorden"


@dataclass
class Questionnaire:
    """One wave of the questionnaire as ingestion stored it (identifying answers are not there).

    Attributes
    ----------
    wave : str
    codebook : dict
    answers : pandas.DataFrame
        Per respondent: categoricals of the answer labels, floats for numbers, scrubbed text.
    response : pandas.DataFrame or None
        The response table (``c7_respons``), when the wave has one.
    """

    wave: str
    codebook: dict
    answers: pd.DataFrame
    response: pd.DataFrame | None

    @property
    def items(self) -> pd.DataFrame:
        """The codebook's items (:func:`snwlib.scoring.items_table`), without identifying ones."""
        items = items_table(self.codebook)
        return items[~items.identifying].reset_index(drop=True)

    @property
    def n(self) -> int:
        """The number of respondents."""
        return len(self.answers)

    def label(self, item: str) -> str:
        """An item's short name, section and letter (``"7A"``), or its id when it has no letter.

        Parameters
        ----------
        item : str

        Returns
        -------
        str
        """
        row = self.items.set_index("id").loc[item]
        return f"{row.section}{row.letter}" if row.letter else item

    def scale_label(self, scale: str) -> str:
        """A scale's Dutch name.

        Parameters
        ----------
        scale : str

        Returns
        -------
        str
        """
        return self.codebook["scales"][scale]["label"]


def load(wave: Wave, codebook: str = CODEBOOK) -> Questionnaire:
    """The questionnaire of a wave, from its processed data (nothing is computed).

    Parameters
    ----------
    wave : Wave
    codebook : str
        The questionnaire's codebook.

    Returns
    -------
    Questionnaire
    """
    from .codebook import load_codebook

    cb = load_codebook(codebook)
    response = next((wave.table(t) for t in cb.get("tables", {}) if wave.has(t)), None)
    return Questionnaire(wave.name, cb, wave.answers(cb["export"]), response)


def previous(wave: Wave, codebook: str = CODEBOOK) -> Questionnaire | None:
    """The questionnaire of the latest earlier wave ingested beside ``wave``, or None.

    Parameters
    ----------
    wave : Wave
    codebook : str

    Returns
    -------
    Questionnaire or None
    """
    from .codebook import load_codebook

    earlier = wave.earlier(load_codebook(codebook)["export"])
    return load(earlier[-1], codebook) if earlier else None


def scores(q: Questionnaire) -> pd.DataFrame:
    """Scale scores per respondent (:func:`snwlib.scoring.scale_scores` on the answers' codes).

    Parameters
    ----------
    q : Questionnaire

    Returns
    -------
    pandas.DataFrame
        One column per scale of the codebook, one row per respondent; NaN where a respondent
        answered too few of a scale's items.
    """
    return scale_scores(codes(q.answers, q.codebook), q.codebook)


def respons(q: Questionnaire) -> pd.DataFrame:
    """The response as C7 reports it, with the derived numbers and the respondents in the data.

    Parameters
    ----------
    q : Questionnaire

    Returns
    -------
    pandas.DataFrame
        One row per category of the response table, then ``konden_invullen`` (invited minus
        excluded, codebook ``response_rate``) and ``respondenten`` (in the data):

        * ``'categorie'``: the category's id
        * ``'omschrijving'``: Dutch
        * ``'aantal'``: the number of people
        * ``'percentage'``: for the completed questionnaires, their percentage of those who could
          fill it in
    """
    rows = []
    if q.response is not None:
        r = q.response.set_index("categorie")
        rule = q.codebook.get("response_rate", {})
        for cat, row in r.iterrows():
            rows.append(
                {"categorie": cat, "omschrijving": row.omschrijving, "aantal": row.aantal, "percentage": np.nan}
            )
        if rule.get("invited") in r.index:
            eligible = r.aantal[rule["invited"]] - sum(r.aantal.get(x, 0) for x in rule.get("excluded", []))
            rows.append(
                {
                    "categorie": "konden_invullen",
                    "omschrijving": "konden de vragenlijst invullen (afgeleid)",
                    "aantal": eligible,
                    "percentage": np.nan,
                }
            )
            for row in rows:
                if row["categorie"] == rule.get("completed") and eligible:
                    row["percentage"] = 100 * row["aantal"] / eligible
    rows.append(
        {
            "categorie": "respondenten",
            "omschrijving": "respondenten in de gegevens",
            "aantal": q.n,
            "percentage": np.nan,
        }
    )
    out = pd.DataFrame(rows, columns=["categorie", "omschrijving", "aantal", "percentage"])
    return declare(out, public=RESPONSE_PUBLIC, percent=["percentage"], decimals={"percentage": 1})


def tabel3(q: Questionnaire) -> pd.DataFrame:
    """Tabel 3 "Samenvatting uitkomsten Doetankvragenlijst": scale means and the single items.

    A scale mean is the mean of the respondents' scale scores (reverse-keyed items turned
    around); a single item's mean is the mean of the answers given ("niet van toepassing" is
    missing). The single items are the closed items of the sections the codebook names under
    ``tabel3``.

    Parameters
    ----------
    q : Questionnaire

    Returns
    -------
    pandas.DataFrame
        * ``'vraag'``: the scale's name, or the item's section and letter (``"7A"``)
        * ``'onderdeel'``: ``schaalgemiddelden`` or ``losse vragen``
        * ``'omschrijving'``: name with the number of items and the answer range, or the item's text
        * ``'items'``: items in the scale
        * ``'n'``: respondents with a score or answer
        * ``'gemiddelde'``, ``'sd'``: their mean and standard deviation
        * ``'schaal_min'``, ``'schaal_max'``: the answer range
        * ``'stap'``: the smallest step between two scores (1 / items; 1 for an item)
    """
    items = q.items.set_index("id")
    sc = scores(q)
    rows = []
    for scale, ids in scale_items(q.codebook).items():
        lo, hi = answer_range(q.codebook, items.at[ids[0], "answers"])
        s = sc[scale].dropna()
        label = q.scale_label(scale)
        rows.append(
            {
                "vraag": label,
                "onderdeel": "schaalgemiddelden",
                "omschrijving": f"{label} ({len(ids)} items) ({lo}-{hi})",
                "items": len(ids),
                "n": len(s),
                "gemiddelde": s.mean(),
                "sd": s.std(),
                "schaal_min": lo,
                "schaal_max": hi,
                "stap": 1 / len(ids),
            }
        )
    numbers = codes(q.answers, q.codebook)
    sections = q.codebook.get("tabel3", {}).get("single_item_sections", [])
    for item in q.items[q.items.section.isin(sections) & (q.items.type != "text")].itertuples():
        x = numbers[item.id].dropna()
        lo, hi = answer_range(q.codebook, item.answers)
        rows.append(
            {
                "vraag": q.label(item.id),
                "onderdeel": "losse vragen",
                "omschrijving": f"{item.letter}. {item.text}",
                "items": np.nan,
                "n": len(x),
                "gemiddelde": x.mean(),
                "sd": x.std(),
                "schaal_min": lo,
                "schaal_max": hi,
                "stap": 1.0,
            }
        )
    return declare(
        pd.DataFrame(rows),
        counts=["n"],
        groups={"n": ["gemiddelde", "sd"]},
        domain={"gemiddelde": ("schaal_min", "schaal_max", "stap")},
        other=["items", "schaal_min", "schaal_max", "stap"],
    )


def _alphas(q: Questionnaire) -> list:
    from .reliability import alpha

    items = q.items.set_index("id")
    numbers = codes(q.answers, q.codebook)
    out = []
    for scale, ids in scale_items(q.codebook).items():
        rev = [i for i in ids if items.at[i, "reverse"]]
        ranges = {i: answer_range(q.codebook, items.at[i, "answers"]) for i in ids}
        out.append((scale, ids, ranges, alpha(numbers[ids], reverse=rev, scale_range=ranges)))
    return out


def alfa(q: Questionnaire) -> pd.DataFrame:
    """Cronbach's alpha per scale, with its Feldt interval (:func:`snwlib.alpha`).

    Parameters
    ----------
    q : Questionnaire

    Returns
    -------
    pandas.DataFrame
        * ``'schaal'``: the scale's name
        * ``'n'``: respondents
        * ``'items'``: items in the scale
        * ``'alfa'``: raw alpha
        * ``'gestandaardiseerde alfa'``
        * ``'95%-BI laag'``, ``'95%-BI hoog'``: Feldt's interval
    """
    rows = [
        {
            "schaal": q.scale_label(scale),
            "n": res.n,
            "items": res.n_items,
            "alfa": res.alpha,
            "gestandaardiseerde alfa": res.std_alpha,
            "95%-BI laag": res.ci[0],
            "95%-BI hoog": res.ci[1],
        }
        for scale, _, _, res in _alphas(q)
    ]
    stats = ["alfa", "gestandaardiseerde alfa", "95%-BI laag", "95%-BI hoog"]
    return declare(pd.DataFrame(rows), counts=["n"], groups={"n": stats}, other=["items"])


def alfa_tekst(q: Questionnaire, min_cell: int = 0) -> str:
    """Dutch text: how precise the alphas of :func:`alfa` are with this many respondents (Markdown).

    The judgement follows from the values: the mean width of the Feldt intervals ("zeer onzeker"
    above 0.3, "onzeker" above 0.15, else "redelijk nauwkeurig"), an example scale (the one whose
    interval reaches lowest among those with alpha of at least 0.8, else the widest), and whether
    its interval reaches below 0.7, the usual lower bound of acceptable reliability.

    Parameters
    ----------
    q : Questionnaire
    min_cell : int, optional
        Respondent counts below it are not written (the steering group's version).

    Returns
    -------
    str
    """
    a = alfa(q)
    if a.empty:
        return "Deze vragenlijst heeft geen schalen met meer dan één vraag: er is geen alfa te berekenen."
    # the steering group's table hides the alpha of a scale answered by fewer than min_cell: so does the text
    small = int((a["n"] < min_cell).sum())
    a = a[a["n"] >= min_cell].reset_index(drop=True)
    if a.empty:
        return (
            f"Elke schaal is door minder dan {nl.count(min_cell)} respondenten ingevuld: alfa staat niet in "
            "deze versie."
        )
    lo, hi, n = a["95%-BI laag"], a["95%-BI hoog"], a["n"]
    width = float((hi - lo).mean())
    if n.min() == n.max():
        who = f"{nl.count(n.min())} respondenten per schaal"
    else:
        who = f"{nl.count(n.min())} tot {nl.count(n.max())} respondenten per schaal"
    judged = "zeer onzeker" if width > 0.3 else "onzeker" if width > 0.15 else "redelijk nauwkeurig"
    good = a[a.alfa >= 0.8]
    example = good.loc[good["95%-BI laag"].idxmin()] if len(good) else a.loc[(hi - lo).idxmax()]
    text = (
        f"**Hoe nauwkeurig alfa hier is.** Met {who} is alfa {judged}: de 95%-intervallen hieronder zijn "
        f"gemiddeld {nl.number(width, 2)} breed. Zo ligt de alfa van {example.schaal} ({nl.number(example.alfa, 2)}) "
        f"met 95% zekerheid tussen {nl.number(example['95%-BI laag'], 2)} en {nl.number(example['95%-BI hoog'], 2)}"
    )
    text += (
        ": de schaal kan in werkelijkheid matig betrouwbaar zijn (onder 0,7)." if example["95%-BI laag"] < 0.7 else "."
    )
    if small:
        scales = "schaal" if small == 1 else "schalen"
        text += (
            f" {nl.sentence(nl.count(small))} {scales} met minder dan {nl.count(min_cell)} respondenten "
            "blijven hier buiten."
        )
    if n.max() < 100:
        text += (
            " De cijfers laten zien of de vragen in deze groep samenhangen zoals bedoeld en of er een vraag uit "
            "de toon valt; ze zijn geen nieuwe validering van de schalen, waarvoor de oorspronkelijke studies met "
            "honderden tot duizenden respondenten de maat blijven."
        )
    return text


def alfa_items(q: Questionnaire) -> pd.DataFrame:
    """The item statistics of every scale (psych's ``alpha`` output), reverse-keyed items turned.

    Parameters
    ----------
    q : Questionnaire

    Returns
    -------
    pandas.DataFrame
        One row per item of a scale:

        * ``'vraag'``: section and letter (``"2A"``)
        * ``'schaal'``: the scale's name
        * ``'stelling'``: the item's text
        * ``'omgekeerd'``: ``ja`` for a reverse-keyed item
        * ``'n'``, ``'gemiddelde'``, ``'sd'``: answers (after reverse keying)
        * ``'samenhang met rest'``: item-rest correlation (psych's ``r.drop``)
        * ``'alfa zonder vraag'``: alpha if the item were dropped
        * ``'schaal_min'``, ``'schaal_max'``: the answer range
    """
    items = q.items.set_index("id")
    frames = []
    for scale, _, ranges, res in _alphas(q):
        t = res.table()
        frames.append(
            pd.DataFrame(
                {
                    "vraag": [q.label(i) for i in t["item"]],
                    "schaal": q.scale_label(scale),
                    "stelling": [items.at[i, "text"] for i in t["item"]],
                    "omgekeerd": t["reversed"].map({True: "ja", False: ""}),
                    "n": t["n"].astype(int),
                    "gemiddelde": t["mean"],
                    "sd": t["sd"],
                    "samenhang met rest": t["item_rest_r"],
                    "alfa zonder vraag": t["alpha_if_deleted"],
                    "schaal_min": [ranges[i][0] for i in t["item"]],
                    "schaal_max": [ranges[i][1] for i in t["item"]],
                }
            )
        )
    stats = ["gemiddelde", "sd", "samenhang met rest", "alfa zonder vraag"]
    return declare(
        pd.concat(frames, ignore_index=True),
        counts=["n"],
        groups={"n": stats},
        domain={"gemiddelde": ("schaal_min", "schaal_max", 1)},
        other=["schaal_min", "schaal_max"],
    )


def _ordinal(q: Questionnaire, section) -> pd.DataFrame:
    return q.items[(q.items.section == section) & (q.items.type == "ordinal")]


def frequenties(q: Questionnaire, section, grouped: bool = False) -> pd.DataFrame | None:
    """Answer counts per item of a section with ordinal items.

    Parameters
    ----------
    q : Questionnaire
    section : int
        A section of the codebook.
    grouped : bool
        Count the answers per group of the answer scale's ``groups`` in the codebook (e.g.
        oneens / neutraal / eens), which the steering group is shown where single answers would
        be too few to show.

    Returns
    -------
    pandas.DataFrame or None
        One row per item:

        * ``'vraag'``: section and letter (``"1A"``)
        * ``'stelling'``: the item's text
        * one column per answer label in code order (``grouped``: per group, in the codebook's
          order): the number who gave it
        * ``'n.v.t./weet niet of leeg'`` (a scale with a missing-value answer) or
          ``'geen antwoord'``: the others
        * ``'n'``: those who answered

        None when ``grouped`` and the answer scale has no groups.
    """
    items = _ordinal(q, section)
    scale = q.codebook["answer_scales"][items.answers.iloc[0]]
    labels = scale_labels(scale)
    columns = {label: [label] for label in labels}
    if grouped:
        if not scale.get("groups"):
            return None
        columns = {g: [scale["codes"][c] for c in codes] for g, codes in scale["groups"].items()}
    rest = "n.v.t./weet niet of leeg" if scale.get("missing") else "geen antwoord"
    rows = []
    for item in items.itertuples():
        x = q.answers[item.id]
        row = {"vraag": q.label(item.id), "stelling": item.text}
        counts = x.value_counts()
        row.update({column: int(sum(counts.get(label, 0) for label in of)) for column, of in columns.items()})
        row[rest] = int(x.isna().sum())
        row["n"] = int(x.notna().sum())
        rows.append(row)
    # The answers add up to n; answers and the rest to all respondents; so do n and the rest.
    return declare(
        pd.DataFrame(rows),
        counts=[*columns, rest, "n"],
        row_totals=[list(columns), [*columns, rest], ["n", rest]],
    )


def section_title(q: Questionnaire, section) -> str:
    """A figure or table title for a section: its name, the wave and the respondents.

    Parameters
    ----------
    q : Questionnaire
    section : int

    Returns
    -------
    str
    """
    return (
        f"{q.codebook['sections'][section]['title']}: antwoorden per stelling (meting {q.wave}, n = {q.n} respondenten)"
    )


def frequenties_per_sectie(q: Questionnaire, grouped: bool = False) -> dict:
    """:func:`frequenties` of every section with ordinal items, with its title.

    Parameters
    ----------
    q : Questionnaire
    grouped : bool
        The answers counted per group of their scale (see :func:`frequenties`); a section whose
        scale has no groups is left out.

    Returns
    -------
    dict
        Section number to ``(title, table)``, in the codebook's order.
    """
    sections = [s for s in q.codebook["sections"] if len(_ordinal(q, s))]
    tables = {s: (section_title(q, s), frequenties(q, s, grouped)) for s in sections}
    return {s: (title, t) for s, (title, t) in tables.items() if t is not None}


def _extremes(x: pd.Series) -> dict:
    if x.empty:
        return {"laagste": np.nan, "hoogste": np.nan, "aantal laagste": 0, "aantal hoogste": 0}
    return {
        "laagste": x.min(),
        "hoogste": x.max(),
        "aantal laagste": int((x == x.min()).sum()),
        "aantal hoogste": int((x == x.max()).sum()),
    }


def _number_items(q: Questionnaire) -> pd.DataFrame:
    return q.items[q.items.type == "number"]


def beoordelingen(q: Questionnaire) -> pd.DataFrame:
    """The questions answered with a number (the 0-100 rating, the 1-10 grade): n, mean, extremes.

    Parameters
    ----------
    q : Questionnaire

    Returns
    -------
    pandas.DataFrame
        One row per numeric item:

        * ``'vraag'``: section and letter (``"7K"``)
        * ``'omschrijving'``: the item's text
        * ``'n'``, ``'gemiddelde'``: answers and their mean
        * ``'laagste'``, ``'hoogste'``: the lowest and highest answer
        * ``'aantal laagste'``, ``'aantal hoogste'``: how many gave them (for the small-group
          rule; the steering group never sees these)
        * ``'schaal_min'``, ``'schaal_max'``, ``'stap'``: the answer range and its step
    """
    numbers = codes(q.answers, q.codebook)
    rows = []
    for item in _number_items(q).itertuples():
        x = numbers[item.id].dropna()
        scale = q.codebook["answer_scales"][item.answers]
        rows.append(
            {
                "vraag": q.label(item.id),
                "omschrijving": item.text,
                "n": len(x),
                "gemiddelde": x.mean(),
                **_extremes(x),
                "schaal_min": scale["min"],
                "schaal_max": scale["max"],
                "stap": 1.0 if scale.get("integer") else scale.get("step", 1.0),
            }
        )
    return declare_ratings(pd.DataFrame(rows))


def vermoedelijk_0_10(q: Questionnaire) -> pd.DataFrame:
    """Each numeric item whose answer scale flags suspect answers (``suspect_max``: on the 0-100
    rating, answers up to 10 were probably given on a 0-10 scale), with and without them.

    Parameters
    ----------
    q : Questionnaire

    Returns
    -------
    pandas.DataFrame
        Two rows per such item (``'<item>: alle antwoorden'`` and ``'<item>: zonder ...'``),
        columns as :func:`beoordelingen`.
    """
    numbers = codes(q.answers, q.codebook)
    rows = []
    for item in _number_items(q).itertuples():
        scale = q.codebook["answer_scales"][item.answers]
        if "suspect_max" not in scale:
            continue
        x = numbers[item.id].dropna()
        rest = x[x > scale["suspect_max"]]
        for name, values in (
            ("alle antwoorden", x),
            (f"zonder antwoorden ≤ {scale['suspect_max']} (vermoedelijk op een 0-10-schaal gegeven)", rest),
        ):
            rows.append(
                {
                    "vraag": f"{q.label(item.id)}: {name}",
                    "omschrijving": item.text,
                    "n": len(values),
                    "gemiddelde": values.mean(),
                    **_extremes(values),
                    "schaal_min": scale["min"],
                    "schaal_max": scale["max"],
                    "stap": 1.0 if scale.get("integer") else scale.get("step", 1.0),
                }
            )
    columns = ["vraag", "omschrijving", "n", "gemiddelde", "laagste", "hoogste", "aantal laagste", "aantal hoogste"]
    return declare_ratings(pd.DataFrame(rows, columns=[*columns, "schaal_min", "schaal_max", "stap"]))


def verdeling(q: Questionnaire, item: str) -> pd.DataFrame:
    """How the answers to a numeric item are spread: one row per value (a scale of up to 20
    steps) or per 5 points (a longer scale), with the answers flagged as suspect (``suspect_max``).

    Parameters
    ----------
    q : Questionnaire
    item : str
        A numeric item's id.

    Returns
    -------
    pandas.DataFrame
        * ``'waarde'``: the value or range (``"7"``, ``"75-79"``)
        * ``'ondergrens'``, ``'bovengrens'``: its bounds
        * ``'aantal'``: answers in it
        * ``'waarvan vermoedelijk 0-10'``: of those, answers at or below ``suspect_max``
    """
    scale = q.codebook["answer_scales"][q.items.set_index("id").at[item, "answers"]]
    lo, hi = scale["min"], scale["max"]
    width = 1 if hi - lo <= 20 else 5
    x = codes(q.answers, q.codebook)[item].dropna()
    suspect = x[x <= scale["suspect_max"]] if "suspect_max" in scale else x.iloc[:0]
    starts = list(range(int(lo), int(hi) + 1)) if width == 1 else list(range(int(lo), int(hi), width))
    rows = []
    for i, start in enumerate(starts):
        last = i == len(starts) - 1
        end = hi if last else starts[i + 1] - 1
        upper = (x <= hi) if last else (x < starts[i + 1])
        upper_s = (suspect <= hi) if last else (suspect < starts[i + 1])
        rows.append(
            {
                "waarde": f"{start:g}" if start == end else f"{start:g}-{end:g}",
                "ondergrens": float(start),
                "bovengrens": float(end),
                "aantal": int(((x >= start) & upper).sum()),
                "waarvan vermoedelijk 0-10": int(((suspect >= start) & upper_s).sum()),
            }
        )
    return declare(
        pd.DataFrame(rows),
        counts=["aantal", "waarvan vermoedelijk 0-10"],
        column_totals=["aantal"],
        other=["ondergrens", "bovengrens"],
    )


def verdelingen(q: Questionnaire) -> dict:
    """:func:`verdeling` of every numeric item, with a title.

    Parameters
    ----------
    q : Questionnaire

    Returns
    -------
    dict
        The item's section and letter (``"3D"``) to ``(title, table)``.
    """
    out = {}
    for item in _number_items(q).itertuples():
        t = verdeling(q, item.id)
        out[q.label(item.id)] = (f"{q.label(item.id)}. {item.text} (meting {q.wave}, n = {int(t.aantal.sum())})", t)
    return out


def profiel(q: Questionnaire, *others: Questionnaire) -> pd.DataFrame:
    """Mean scale scores with their 95% confidence intervals, for the profile figure.

    Parameters
    ----------
    q : Questionnaire
    *others : Questionnaire
        Other waves to put beside it (oldest first); their rows come first.

    Returns
    -------
    pandas.DataFrame
        One row per scale (and wave):

        * ``'schaal'``: the scale's name, with the wave when there are several (``"2012: ..."``)
        * ``'meting'``: the wave
        * ``'naam'``: the scale's name
        * ``'n'``, ``'gemiddelde'``, ``'ci_laag'``, ``'ci_hoog'``: respondents with a score, their
          mean and its 95% interval
        * ``'min'``, ``'max'``: the answer range
        * ``'stap'``: 1 / items
    """
    rows = []
    for w in (*others, q):
        sc = scores(w)
        items = w.items.set_index("id")
        for scale, ids in scale_items(w.codebook).items():
            m, lo, hi = mean_ci(sc[scale])
            rmin, rmax = answer_range(w.codebook, items.at[ids[0], "answers"])
            name = w.scale_label(scale)
            rows.append(
                {
                    "schaal": f"{w.wave}: {name}" if others else name,
                    "meting": w.wave,
                    "naam": name,
                    "n": int(sc[scale].notna().sum()),
                    "gemiddelde": m,
                    "ci_laag": lo,
                    "ci_hoog": hi,
                    "min": rmin,
                    "max": rmax,
                    "stap": 1 / len(ids),
                }
            )
    return declare(
        pd.DataFrame(rows),
        counts=["n"],
        groups={"n": ["gemiddelde", "ci_laag", "ci_hoog"]},
        domain={"gemiddelde": ("min", "max", "stap")},
        other=["min", "max", "stap"],
    )


def load_reference_values(path=None) -> pd.DataFrame:
    """The reference means of Kraan et al. (2008) as quoted in C7 (``references/kraan2008.csv``).

    Parameters
    ----------
    path : str or Path, optional

    Returns
    -------
    pandas.DataFrame
        ``measure`` (a scale or item id), ``reference_wording``, ``n``, ``mean``, ``scale``, ``year``
        (of the publication), ``source``.
    """
    return pd.read_csv(path or REFERENCE_DIR / "kraan2008.csv")


def referentie(q: Questionnaire, reference: pd.DataFrame | None = None) -> pd.DataFrame:
    """This wave against the reference values (one-sample tests, :func:`snwlib.comparison.versus_reference`).

    Parameters
    ----------
    q : Questionnaire
    reference : pandas.DataFrame, optional
        Default :func:`load_reference_values`.

    Returns
    -------
    pandas.DataFrame
        One row per measure of the reference:

        * ``'maat'``: the scale's name, or the item's section and letter
        * ``'omschrijving'``: the scale's name or the item's text
        * ``'n'``, ``'gemiddelde'``, ``'sd'``: this wave
        * ``'referentie'``, ``'referentie n'``: the reference mean and its N
        * ``'referentie jaar'``: the year of the reference's publication (NaN when the reference
          does not give it)
        * ``'verschil'``, ``'verschil laag'``, ``'verschil hoog'``: mean minus reference, 95% interval
        * ``'t'``, ``'vrijheidsgraden'``, ``'p'``: the one-sample t-test
        * ``'Hedges g'``, ``'g laag'``, ``'g hoog'``: effect size with its 95% interval
        * ``'BF10'``: Bayes factor for a difference
        * ``'schaal_min'``, ``'schaal_max'``, ``'stap'``: the answer range
    """
    reference = load_reference_values() if reference is None else reference
    data = pd.concat([scores(q), codes(q.answers, q.codebook)], axis=1)
    items = q.items.set_index("id")
    rows = []
    for ref in reference.itertuples():
        is_scale = ref.measure in q.codebook["scales"]
        first = scale_items(q.codebook)[ref.measure][0] if is_scale else ref.measure
        lo, hi = answer_range(q.codebook, items.at[first, "answers"])
        r = versus_reference(data[ref.measure], ref.mean)
        rows.append(
            {
                "maat": q.scale_label(ref.measure) if is_scale else q.label(ref.measure),
                "omschrijving": q.scale_label(ref.measure) + " (schaal)" if is_scale else items.at[ref.measure, "text"],
                "n": r["n"],
                "gemiddelde": r["mean"],
                "sd": r["sd"],
                "referentie": ref.mean,
                "referentie n": ref.n,
                "referentie jaar": getattr(ref, "year", float("nan")),
                "verschil": r["difference"],
                "verschil laag": r["diff_low"],
                "verschil hoog": r["diff_high"],
                "t": r["t"],
                "vrijheidsgraden": r["dof"],
                "p": r["p"],
                "Hedges g": r["hedges_g"],
                "g laag": r["g_low"],
                "g hoog": r["g_high"],
                "BF10": r["bf10"],
                "schaal_min": lo,
                "schaal_max": hi,
                "stap": 1 / len(scale_items(q.codebook)[ref.measure]) if is_scale else 1.0,
            }
        )
    stats = ["gemiddelde", "sd", "verschil", "verschil laag", "verschil hoog", "t", "vrijheidsgraden", "p"]
    stats += ["Hedges g", "g laag", "g hoog", "BF10"]
    return declare(
        pd.DataFrame(rows),
        counts=["n"],
        groups={"n": stats},
        domain={"gemiddelde": ("schaal_min", "schaal_max", "stap")},
        other=["referentie", "referentie n", "referentie jaar", "schaal_min", "schaal_max", "stap"],
        decimals={"p": 3, "BF10": 2, "referentie n": 0, "referentie jaar": 0},
    )


def metingen(q: Questionnaire, earlier: Questionnaire | None) -> pd.DataFrame:
    """Scale means of this wave against an earlier one (Welch's test, :func:`snwlib.comparison.between_waves`).

    Parameters
    ----------
    q : Questionnaire
    earlier : Questionnaire or None
        The earlier wave (:func:`previous`); None gives an empty table.

    Returns
    -------
    pandas.DataFrame
        One row per scale:

        * ``'schaal'``: the scale's name
        * ``'n eerder'``, ``'gemiddelde eerder'``, ``'n later'``, ``'gemiddelde later'``
        * ``'verschil'``, ``'verschil laag'``, ``'verschil hoog'``: later minus earlier, 95% interval
        * ``'t'``, ``'vrijheidsgraden'``, ``'p'``: Welch's test
        * ``'Hedges g'``, ``'g laag'``, ``'g hoog'``: effect size with its 95% interval
        * ``'BF10'``: Bayes factor for a difference
        * ``'schaal_min'``, ``'schaal_max'``, ``'stap'``: the answer range and the step of a scale score
    """
    names = {
        "n_earlier": "n eerder",
        "mean_earlier": "gemiddelde eerder",
        "n_later": "n later",
        "mean_later": "gemiddelde later",
        "difference": "verschil",
        "diff_low": "verschil laag",
        "diff_high": "verschil hoog",
        "t": "t",
        "dof": "vrijheidsgraden",
        "p": "p",
        "hedges_g": "Hedges g",
        "g_low": "g laag",
        "g_high": "g hoog",
        "bf10": "BF10",
    }
    columns = ["schaal", *names.values(), "schaal_min", "schaal_max", "stap"]
    t = between_waves(scores(earlier), scores(q)) if earlier is not None else pd.DataFrame()
    if t.empty:
        return declare(pd.DataFrame(columns=columns), public="leeg: geen eerdere meting om mee te vergelijken")
    out = t.rename(columns=names)
    items = q.items.set_index("id")
    ids = scale_items(q.codebook)
    out.insert(0, "schaal", [q.scale_label(s) for s in t.measure])
    out["schaal_min"] = [answer_range(q.codebook, items.at[ids[s][0], "answers"])[0] for s in t.measure]
    out["schaal_max"] = [answer_range(q.codebook, items.at[ids[s][0], "answers"])[1] for s in t.measure]
    out["stap"] = [1 / len(ids[s]) for s in t.measure]
    both = ["verschil", "verschil laag", "verschil hoog", "t", "vrijheidsgraden", "p", "Hedges g", "g laag", "g hoog"]
    return declare(
        out[columns],
        counts=["n eerder", "n later"],
        groups={"n eerder": ["gemiddelde eerder", *both, "BF10"], "n later": ["gemiddelde later", *both, "BF10"]},
        domain={
            "gemiddelde eerder": ("schaal_min", "schaal_max", "stap"),
            "gemiddelde later": ("schaal_min", "schaal_max", "stap"),
        },
        other=["schaal_min", "schaal_max", "stap"],
        decimals={"p": 3},
    )


def detecteerbaar_tekst(q: Questionnaire, min_cell: int = 0) -> str:
    """Dutch sentence: the smallest effect this many respondents detect, and how big it is.

    :func:`snwlib.comparison.detectable_effect` (80% power, two-sided alpha 0.05), judged in
    Cohen's words (:func:`snwlib.comparison.effect_words`).

    Parameters
    ----------
    q : Questionnaire
    min_cell : int, optional
        Unused: the number of respondents is a response figure, shown to both audiences.

    Returns
    -------
    str
    """
    from .comparison import detectable_effect, effect_words

    d = detectable_effect(q.n)
    return (
        f"Het kleinste effect dat met n = {q.n} met 80% kans (alfa 0,05) wordt gevonden, is "
        f"d = {nl.number(round(d, 2), 2)}: een {effect_words(d)} effect."
    )


def vergelijking_tekst(q: Questionnaire, earlier: Questionnaire | None, min_cell: int = 0) -> str:
    """One Dutch sentence saying what :func:`metingen` compares, or that there is nothing yet.

    Parameters
    ----------
    q : Questionnaire
    earlier : Questionnaire or None
    min_cell : int, optional
        Unused: respondent counts of whole waves are shown to both audiences.

    Returns
    -------
    str
    """
    if earlier is None:
        return (
            "Er is geen eerdere meting van deze vragenlijst; een vergelijking tussen metingen is pas "
            "mogelijk vanaf de volgende meting."
        )
    return (
        f"Meting {q.wave} (n = {q.n}) vergeleken met meting {earlier.wave} (n = {earlier.n}): "
        "verschil later min eerder, Welch-toets voor onafhankelijke steekproeven."
    )


def open_antwoorden(q: Questionnaire, item: str) -> pd.DataFrame:
    """The answers to an open question, in the order of the export, as ingestion scrubbed them.

    Parameters
    ----------
    q : Questionnaire
    item : str
        An open item's id.

    Returns
    -------
    pandas.DataFrame
        * ``'nr'``: 1, 2, ...
        * ``'antwoord'``: the answer (names, e-mail addresses and phone numbers replaced)
    """
    x = q.answers[item].dropna()
    x = x[x.str.strip() != ""]
    out = pd.DataFrame({"nr": range(1, len(x) + 1), "antwoord": x.tolist()})
    return declare(out)


def open_vragen(q: Questionnaire) -> dict:
    """:func:`open_antwoorden` of every open question, with the question as title.

    Parameters
    ----------
    q : Questionnaire

    Returns
    -------
    dict
        Item id to ``(title, table)``.
    """
    return {i.id: (i.text, open_antwoorden(q, i.id)) for i in q.items[q.items.type == "text"].itertuples()}


def mean_of_item_means(q: Questionnaire, scale: str) -> float:
    """The mean of a scale's item means after reverse keying (a check on a published scale mean).

    Parameters
    ----------
    q : Questionnaire
    scale : str

    Returns
    -------
    float
    """
    return float(reverse_keyed(codes(q.answers, q.codebook), q.codebook)[scale_items(q.codebook)[scale]].mean().mean())
