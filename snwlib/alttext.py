"""Text alternatives for the figures, written from the tables they are drawn from (Dutch).

A screen-reader user, or anyone whose browser shows no image, reads the ``alt`` text of a figure
instead of the figure. Reports for Dutch public bodies must meet WCAG 2.1 AA
(digitoegankelijkheid), which asks for a text that serves the same purpose: what the figure shows
and what it shows *about the data*. :func:`describe` gives one or two sentences of that kind for
every drawing function of :mod:`snwlib.figures`, from the same table the figure is drawn from. For
the steering group it is given the protected table, so it says nothing the figure hides: a hidden
cell is ``NaN`` there and counts as unknown.

Each description starts from the figure's title (which names the question and the wave) and
adds what it shows and its main finding, with Dutch numbers (:func:`snwlib.nl.number`).
"""

from __future__ import annotations

import pandas as pd

from . import nl
from .tables import shown as _shown

__all__ = ["describe"]


def _pct(part: float, whole: float) -> str:
    return f"{nl.number(round(100 * part / whole))}%"


def _sentence(text: str) -> str:
    text = " ".join(str(text).split()).rstrip(" .:")
    return text + "." if text else ""


def _diverging_bars(table: pd.DataFrame) -> str:
    labels = list(table.columns[2:-2])
    k = len(labels)
    positive = labels[k // 2 + (1 if k % 2 else 0) :]
    shares = []
    hidden = 0
    for i in table.index:
        n = table.at[i, "n"]
        if not _shown(n) or not n:
            hidden += 1
            continue
        if any(not _shown(table.at[i, c]) for c in positive):
            hidden += 1
            continue
        shares.append((sum(table.at[i, c] for c in positive) / n, table.at[i, "vraag"]))
    text = (
        f"Staafdiagram van de antwoorden op {len(table)} stellingen, van {labels[0].lower()} (links) tot "
        f"{labels[-1].lower()} (rechts), in procenten van wie de stelling beantwoordde."
    )
    if shares:
        high, low = max(shares), min(shares)
        text += (
            f" Het vaakst {positive[0].lower() if len(positive) == 1 else 'positief'} bij {high[1]} "
            f"({_pct(high[0], 1)})"
        )
        text += f", het minst vaak bij {low[1]} ({_pct(low[0], 1)})." if low[1] != high[1] else "."
    if hidden:
        text += (
            f" Bij {hidden} van de {len(table)} stellingen is een deel van de antwoorden verborgen (kleine groepen)."
        )
    return text


def _grades(table: pd.DataFrame) -> str:
    parts = []
    for i in table.index:
        n, mean = table.at[i, "n"], table.at[i, "gemiddelde"]
        if _shown(n) and not n:
            continue
        item = str(table.iloc[i, 0])
        n_text = f"{int(n)} respondenten" if _shown(n) else "een verborgen aantal respondenten"
        mean_text = f"gemiddeld {nl.number(round(mean, 2), 2)}" if _shown(mean) else "gemiddelde verborgen"
        parts.append(f"{item}: {mean_text} ({n_text})")
    return "Rapportcijfers van 1 tot 10, elk cijfer een punt. " + _sentence("; ".join(parts))


def _grades_over_time(table: pd.DataFrame) -> str:
    parts = []
    for item, g in table.groupby("onderdeel", sort=False):
        means = [
            f"{r.evenement} ({pd.Timestamp(r.datum).year}) "
            + (nl.number(round(r.gemiddelde, 2), 2) if _shown(r.gemiddelde) else "verborgen")
            for r in g.itertuples()
        ]
        parts.append(f"{item}: {'; '.join(means)}")
    return "Gemiddeld rapportcijfer (1 tot 10) per bijeenkomst, in de tijd. " + _sentence(". ".join(parts))


def _doetank_course(table: pd.DataFrame) -> str:
    waves = list(dict.fromkeys(table.meting))
    last = table[table.meting == waves[-1]]
    listed = int((last.status != "niet genoemd").sum())
    head = f"Fase en status van de Doetanks per meting ({', '.join(waves)}); meting {waves[-1]} noemt er {listed}."
    if len(waves) < 2:
        return head
    counts = last.verandering.value_counts()
    return head + " Sinds de vorige meting: " + "; ".join(f"{c} {n}" for c, n in counts.items() if c) + "."


def _stacked_counts(table: pd.DataFrame) -> str:
    from .evaluation import NO_ANSWER, NOT_AVAILABLE

    categories = [c for c in table.columns[1:] if c not in (NOT_AVAILABLE, NO_ANSWER, "n")]
    best = []
    for i in table.index:
        n = table.at[i, "n"]
        item = f"{table.iloc[i, 0]} ({int(n)} antwoorden)" if _shown(n) else str(table.iloc[i, 0])
        counts = {c: table.at[i, c] for c in categories if _shown(table.at[i, c])}
        if counts and max(counts.values()) > 0:
            top = max(counts, key=counts.get)
            best.append(f"{item}: meestal ‘{top}’ ({int(counts[top])})")
        else:
            best.append(f"{item}: aantallen verborgen")
    return f"Gestapelde staven met het aantal antwoorden per onderdeel ({', '.join(categories)}). " + _sentence(
        "; ".join(best)
    )


def _count_bars(table: pd.DataFrame) -> str:
    shown = [(table.at[i, "aantal"], str(table.iloc[i, 0])) for i in table.index if _shown(table.at[i, "aantal"])]
    text = f"Staafdiagram van het aantal antwoorden per keuze ({len(table)} keuzes)."
    if shown:
        n, label = max(shown)
        text += f" Het vaakst gekozen: ‘{label}’ ({int(n)} keer)."
    gone = len(table) - len(shown)
    if gone:
        text += f" {gone} {'aantal is' if gone == 1 else 'aantallen zijn'} verborgen (kleine groepen)."
    return text


def _histogram(table: pd.DataFrame) -> str:
    shown = table[table["aantal"].map(_shown)]
    text = f"Staafdiagram van hoe vaak elk antwoord is gegeven, van {table.waarde.iloc[0]} tot {table.waarde.iloc[-1]}."
    if len(shown) and shown["aantal"].max() > 0:
        top = shown.loc[shown["aantal"].idxmax()]
        text += f" Het vaakst: {top.waarde} ({int(top.aantal)} keer)."
    if len(shown) < len(table):
        text += " Kleine aantallen zijn verborgen en gemarkeerd met een sterretje."
    return text


def _scale_profile(table: pd.DataFrame) -> str:
    shown = table[table["gemiddelde"].map(_shown)]
    parts = [
        f"{r.naam} {nl.number(round(r.gemiddelde, 2), 2)} (schaal {int(r.min)}-{int(r.max)})"
        for r in shown.itertuples()
    ]
    return "Gemiddelde schaalscores met hun 95%-betrouwbaarheidsinterval. " + _sentence("; ".join(parts))


def _reference_comparison(table: pd.DataFrame) -> str:
    parts = []
    for r in table.itertuples():
        if not _shown(r.gemiddelde):
            parts.append(f"{r.maat}: gemiddelde verborgen")
            continue
        side = (
            "lager dan" if r.gemiddelde < r.referentie else "hoger dan" if r.gemiddelde > r.referentie else "gelijk aan"
        )
        parts.append(
            f"{r.maat}: {nl.number(round(r.gemiddelde, 2), 2)}, {side} de referentie "
            f"{nl.number(round(r.referentie, 2), 2)}"
        )
    return "Gemiddelden van deze meting met 95%-interval naast de referentiewaarden. " + _sentence("; ".join(parts))


def _funnel(table: pd.DataFrame) -> str:
    parts = [f"{r.stadium} ({int(r.aantal)})" for r in table.itertuples() if _shown(r.aantal)]
    return "Aantal Doetanks per fase. " + _sentence("; ".join(parts))


def _channel_growth(table: pd.DataFrame) -> str:
    parts = []
    for channel, rows in table.groupby("kanaal", sort=False):
        rows = rows.dropna(subset=["waarde"]).sort_values("midden")
        if len(rows) >= 2:
            first, last = rows.iloc[0], rows.iloc[-1]
            parts.append(
                f"{channel}: van {nl.number(first.waarde)} naar {nl.number(last.waarde)} {first.reeks}".rstrip()
            )
        elif len(rows):
            parts.append(f"{channel}: {nl.number(rows.iloc[0].waarde)} {rows.iloc[0].reeks}".rstrip())
    return "Per kanaal de groei tussen de peilmomenten. " + _sentence("; ".join(parts))


_DESCRIBERS = {
    "diverging_bars": _diverging_bars,
    "grades": _grades,
    "grades_over_time": _grades_over_time,
    "doetank_course": _doetank_course,
    "stacked_counts": _stacked_counts,
    "count_bars": _count_bars,
    "histogram": _histogram,
    "scale_profile": _scale_profile,
    "reference_comparison": _reference_comparison,
    "funnel": _funnel,
    "channel_growth": _channel_growth,
}


def describe(draw, table: pd.DataFrame, title: str = "") -> str:
    """A text alternative for the figure ``draw(table, ...)``: its title, what it shows and its
    main finding, in one to three Dutch sentences.

    Parameters
    ----------
    draw : callable
        A drawing function of :mod:`snwlib.figures` (by its name, so a wrapped one works too).
    table : pandas.DataFrame
        The table it is drawn from; for the steering group the protected table (hidden cells NaN),
        so the text reveals nothing the figure hides.
    title : str
        The figure's title.

    Returns
    -------
    str
        The text; the title alone for a drawing function this module does not know.

    Examples
    --------
    >>> t = pd.DataFrame({"fase": [0, 1], "stadium": ["ontdekken", "uitproberen"], "aantal": [5, 3]})
    >>> from snwlib.figures import funnel
    >>> describe(funnel, t, "Doetanks per fase")
    'Doetanks per fase. Aantal Doetanks per fase. ontdekken (5); uitproberen (3).'
    """
    head = _sentence(title)
    describer = _DESCRIBERS.get(getattr(draw, "__name__", ""))
    if describer is None:
        return head
    try:
        body = describer(table)
    except (KeyError, AttributeError, ValueError, TypeError, IndexError):  # a table of another shape
        return head
    return f"{head} {body}".strip()
