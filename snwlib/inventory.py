"""Appendix C1: the activity inventory of the Slimmernetwerk and Tabel 2 of the report.

The inventory (report Bijlage B1, kept by the project team as a spreadsheet) has two tables,
described in ``codebooks/c1_inventaris.yaml``: ``c1_activiteiten`` (one row per kind of activity,
with Tabel 2's text) and ``c1_kengetallen`` (one row per number, tidy). Ingestion checks and
stores them; this module reads them from a wave's processed data and makes the appendix's tables:
the key figures (:func:`kengetallen`), the numbers the report derives from them
(:func:`afgeleid`), Tabel 2 filled in from those two (:func:`tabel2`) and the channels' growth
(:func:`kanalen`).

The inventory describes activities, not respondents: its tables are declared public (the few
numbers about evaluations in it are the report's own published aggregates).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import nl
from .processed import Wave
from .tables import declare

__all__ = [
    "Inventory",
    "load",
    "kengetallen",
    "afgeleid",
    "maandniveaus",
    "maandniveaus_tekst",
    "tabel2",
    "kanalen",
    "CODEBOOK",
]

CODEBOOK = "c1_inventaris"
PUBLIC = "kengetallen van activiteiten, geen antwoorden van respondenten"


@dataclass
class Inventory:
    """The inventory of one wave, as ingestion stored it.

    Attributes
    ----------
    wave : str
    periode : tuple or None
        The period the wave measures (``metadata.yaml``), ``(begin, eind)``.
    activiteiten : pandas.DataFrame
        ``c1_activiteiten``: one row per kind of activity.
    kengetallen : pandas.DataFrame
        ``c1_kengetallen``: one row per key figure.
    codebook : dict
    """

    wave: str
    periode: tuple | None
    activiteiten: pd.DataFrame
    kengetallen: pd.DataFrame
    codebook: dict

    def naam(self, activiteit: str) -> str:
        """The activity's Dutch name as in Tabel 2.

        Parameters
        ----------
        activiteit : str
            The activity's id, e.g. ``"cafes"``.

        Returns
        -------
        str
        """
        return self.activiteiten.set_index("activiteit").at[activiteit, "naam"]


def load(wave: Wave) -> Inventory:
    """The inventory of a wave, from its processed data (nothing is computed).

    Parameters
    ----------
    wave : Wave
        From :func:`snwlib.processed.open_wave`.

    Returns
    -------
    Inventory
    """
    return Inventory(
        wave.name,
        wave.periode,
        wave.table("c1_activiteiten"),
        wave.table("c1_kengetallen"),
        wave.codebook("c1_kengetallen"),
    )


def _keys(k: pd.DataFrame) -> pd.Series:
    """``activiteit.kengetal@periode_eind``: a key figure is named by what it counts and when."""
    return k.activiteit.astype(str) + "." + k.kengetal.astype(str) + "@" + k.periode_eind.dt.strftime("%Y-%m-%d")


def _values(inv: Inventory) -> pd.Series:
    """Every key figure by its key, and by ``activiteit.kengetal`` its latest value (the current one)."""
    k = inv.kengetallen.sort_values("periode_eind", kind="stable")
    latest = k.drop_duplicates(["activiteit", "kengetal"], keep="last")
    return pd.concat(
        [
            pd.Series(k.waarde.astype(float).to_numpy(), index=_keys(k)),
            pd.Series(latest.waarde.astype(float).to_numpy(), index=latest.activiteit + "." + latest.kengetal),
        ]
    )


def kengetallen(inv: Inventory) -> pd.DataFrame:
    """Every key figure of the inventory (the numbers of Bijlage C1 and Tabel 2).

    Parameters
    ----------
    inv : Inventory

    Returns
    -------
    pandas.DataFrame
        One row per key figure, in the inventory's order:

        * ``'sleutel'``: ``activiteit.kengetal@periode_eind`` (e.g. ``linkedin.leden@2012-12-12``),
          unique (the ledger's row key)
        * ``'activiteit'``: the activity's name as in Tabel 2
        * ``'kengetal'``: what is counted (Dutch label from the codebook)
        * ``'waarde'``: the number
        * ``'eenheid'``: its unit
        * ``'kwalificatie'``: exact, ongeveer, meer dan, minder dan
        * ``'periode_begin'``, ``'periode_eind'``: the period it covers
        * ``'bron'``: where it is printed in the report
    """
    k = inv.kengetallen
    labels = inv.codebook.get("labels", {})
    out = pd.DataFrame(
        {
            "sleutel": _keys(k),
            "activiteit": [inv.naam(a) for a in k.activiteit],
            "kengetal": [labels.get(x, x.replace("_", " ")) for x in k.kengetal],
            "waarde": k.waarde.astype(float),
            "eenheid": k.eenheid,
            "kwalificatie": k.kwalificatie.astype(str),
            "periode_begin": k.periode_begin,
            "periode_eind": k.periode_eind,
            "bron": k.bron,
        }
    ).reset_index(drop=True)
    return declare(out, public=PUBLIC, decimals={"waarde": -2})


def _months(begin, end) -> float:
    """Length of a period in months (days / mean month length), both ends included."""
    return ((pd.Timestamp(end) - pd.Timestamp(begin)).days + 1) / (365.25 / 12)


def afgeleid(inv: Inventory) -> pd.DataFrame:
    """The numbers the report derives from the key figures (present only when their inputs are).

    Each uses the current (latest) value of a key figure, except where said.

    - ``masterclasses.aantal_totaal``: regular plus extra masterclasses;
    - ``website.bezoekers_per_maand_gemiddeld``: mean of the monthly levels
      (``website.bezoekers_per_maand``) that lie in the wave's period (all of them if the wave's
      metadata gives no period), the "ca. 700 p/mnd" of Tabel 2 in 2012;
    - ``website.bezoekers_per_maand_periode``: total visitors divided by the months of the period
      they were counted over;
    - ``website.pct_nieuw_plus_terugkerend``: should be 100;
    - ``grand_cafe.pct_evaluaties``: evaluations as a percentage of visitors.

    Parameters
    ----------
    inv : Inventory

    Returns
    -------
    pandas.DataFrame
        * ``'sleutel'``: the derived quantity's key (as above)
        * ``'kengetal'``: its Dutch label (codebook ``afgeleid``)
        * ``'waarde'``: the number

    Examples
    --------
    >>> from snwlib.processed import open_wave  # doctest: +SKIP
    >>> afgeleid(load(open_wave(processed, "2012"))).waarde.tolist()[:2]  # doctest: +SKIP
    [4.0, 700.0]
    """
    q = _values(inv)
    k = inv.kengetallen

    def have(*keys):
        return all(key in q.index for key in keys)

    derived = {}
    if have("masterclasses.aantal_regulier", "masterclasses.aantal_extra"):
        derived["masterclasses.aantal_totaal"] = q["masterclasses.aantal_regulier"] + q["masterclasses.aantal_extra"]
    levels = maandniveaus(inv)
    if len(levels):
        derived["website.bezoekers_per_maand_gemiddeld"] = levels.waarde.mean()
    if have("website.bezoekers_totaal"):
        row = k[(k.activiteit == "website") & (k.kengetal == "bezoekers_totaal")].sort_values("periode_eind").iloc[-1]
        derived["website.bezoekers_per_maand_periode"] = row.waarde / _months(row.periode_begin, row.periode_eind)
    if have("website.pct_nieuwe_bezoekers", "website.pct_terugkerende_bezoekers"):
        derived["website.pct_nieuw_plus_terugkerend"] = (
            q["website.pct_nieuwe_bezoekers"] + q["website.pct_terugkerende_bezoekers"]
        )
    if have("grand_cafe.evaluaties", "grand_cafe.aanwezigen"):
        derived["grand_cafe.pct_evaluaties"] = 100 * q["grand_cafe.evaluaties"] / q["grand_cafe.aanwezigen"]
    labels = inv.codebook.get("afgeleid", {})
    out = pd.DataFrame(
        {
            "sleutel": list(derived),
            "kengetal": [labels.get(key, key) for key in derived],
            "waarde": [float(v) for v in derived.values()],
        }
    )
    return declare(out, public=PUBLIC, decimals={"waarde": -1})


def maandniveaus(inv: Inventory) -> pd.DataFrame:
    """The website's monthly visitor levels of the wave: the key figures behind Tabel 2's "p/mnd".

    A level counts when its period lies within the wave's period (``metadata.yaml``); all levels
    count when the wave gives no period.

    Parameters
    ----------
    inv : Inventory

    Returns
    -------
    pandas.DataFrame
        One row per level, oldest first:

        * ``'periode_begin'``, ``'periode_eind'``: the months it describes
        * ``'waarde'``: visitors per month
        * ``'kwalificatie'``: exact, ongeveer, meer dan, minder dan
    """
    k = inv.kengetallen
    levels = k[(k.activiteit == "website") & (k.kengetal == "bezoekers_per_maand")]
    if inv.periode is not None:
        begin, end = inv.periode
        levels = levels[(levels.periode_begin >= begin) & (levels.periode_eind <= end)]
    out = levels.sort_values("periode_begin")[["periode_begin", "periode_eind", "waarde", "kwalificatie"]]
    out = out.assign(waarde=out.waarde.astype(float), kwalificatie=out.kwalificatie.astype(str))
    return declare(out.reset_index(drop=True), public=PUBLIC, decimals={"waarde": -2})


def maandniveaus_tekst(inv: Inventory, min_cell: int = 0) -> str:
    """Dutch sentence: how Tabel 2's monthly visitors follow from :func:`maandniveaus`.

    Parameters
    ----------
    inv : Inventory
    min_cell : int, optional
        Unused: the inventory counts activities, not respondents.

    Returns
    -------
    str
    """
    levels = maandniveaus(inv)
    if levels.empty:
        return "De inventarisatie noemt geen maandniveaus van de websitebezoekers in de meetperiode."
    where = f" in de meetperiode ({nl.period(*inv.periode)})" if inv.periode is not None else ""
    each = nl.join(
        f"{'ongeveer ' if k == 'ongeveer' else ''}{nl.number(v)} ({nl.period(b, e)})"
        for b, e, v, k in zip(
            levels.periode_begin, levels.periode_eind, levels.waarde, levels.kwalificatie, strict=True
        )
    )
    mean = nl.number(round(levels.waarde.mean()))
    if len(levels) == 1:
        return (
            f"Het ‘ca. {mean} per maand’ van Tabel 2 is het enige maandniveau{where} dat de inventarisatie "
            f"noemt: {each}."
        )
    return (
        f"Het ‘ca. {mean} per maand’ van Tabel 2 is het gemiddelde van de {nl.count(len(levels))} maandniveaus"
        f"{where} die de inventarisatie noemt: {each}."
    )


def tabel2(inv: Inventory) -> pd.DataFrame:
    """Tabel 2 "Activiteiten van het Slimmernetwerk (samengevat)", as the report prints it.

    Tabel 2 is a table of text: its ``aantallen`` cells are the codebook's templates filled in
    (:func:`snwlib.nl.fill_template`) with the values of :func:`kengetallen` and :func:`afgeleid`
    (a "?" marks a number the data lack); the other columns come from ``c1_activiteiten``. The
    ledger checks the numbers in those two tables.

    Parameters
    ----------
    inv : Inventory

    Returns
    -------
    pandas.DataFrame
        One row per activity, with the table's Dutch headers:

        * ``'activiteit'``: the activity's name
        * ``'aantallen'``: the numbers, as text
        * ``'onderwerpen/doel'``, ``'resultaat/leerpunten'``: the project group's summary
    """
    spec = inv.codebook["tabel2"]
    values = pd.concat([_values(inv), afgeleid(inv).set_index("sleutel").waarde])
    rows = [
        {
            "activiteit": act.naam,
            "aantallen": nl.fill_template(spec["aantallen"].get(act.activiteit, ""), values),
            "onderwerpen_doel": act.onderwerpen_doel,
            "resultaat_leerpunten": act.resultaat_leerpunten,
        }
        for act in inv.activiteiten.itertuples()
    ]
    return declare(pd.DataFrame(rows).rename(columns=spec["columns"]), public=PUBLIC)


def eerdere(wave: Wave) -> list:
    """The inventories of the earlier waves beside ``wave``, oldest first (for the monitor).

    Parameters
    ----------
    wave : Wave

    Returns
    -------
    list of Inventory
    """
    return [load(w) for w in wave.earlier("c1_kengetallen")]


def kanalen(inv: Inventory, earlier=()) -> pd.DataFrame:
    """The time series of the inventory (key figures with a ``reeks``), for the growth figure.

    With earlier waves' inventories, their measurements come first; a number measured for the
    same period in two waves is taken from the later wave (it may have been corrected).

    Parameters
    ----------
    inv : Inventory
    earlier : sequence of Inventory, optional
        :func:`eerdere`.

    Returns
    -------
    pandas.DataFrame
        One row per measurement, by channel and date:

        * ``'sleutel'``: ``activiteit.kengetal``
        * ``'activiteit'``: the activity's id
        * ``'kanaal'``: its name
        * ``'reeks'``: what the series counts
        * ``'periode_begin'``, ``'periode_eind'``: the period the number covers
        * ``'midden'``: its midpoint (where the figure draws the point)
        * ``'waarde'``: the number
        * ``'kwalificatie'``: exact, ongeveer, meer dan, minder dan
        * ``'benaderd'``: whether it is approximate or a bound
        * ``'bron'``: where it is printed
    """
    waves = [*earlier, inv]
    k = pd.concat([i.kengetallen.assign(meting=i.wave) for i in waves], ignore_index=True)
    k = k[k.reeks.notna()].drop_duplicates(["activiteit", "kengetal", "periode_eind"], keep="last")
    k.insert(0, "sleutel", _keys(k))
    names = {a: n for i in waves for a, n in zip(i.activiteiten.activiteit, i.activiteiten.naam, strict=True)}
    k["kanaal"] = k.activiteit.map(names)
    k["midden"] = k.periode_begin + (k.periode_eind - k.periode_begin) / 2
    k["kwalificatie"] = k.kwalificatie.astype(str)
    k["benaderd"] = k.kwalificatie != "exact"
    cols = [
        "sleutel",
        "activiteit",
        "kanaal",
        "reeks",
        "periode_begin",
        "periode_eind",
        "midden",
        "waarde",
        "kwalificatie",
        "benaderd",
        "bron",
        "meting",
    ]
    out = k[cols].sort_values(["activiteit", "midden"], kind="stable").reset_index(drop=True)
    return declare(out, public=PUBLIC)


def monitor(inv: Inventory, earlier=()) -> pd.DataFrame:
    """Each channel's number at the end of each wave: the monitor of C1 over the waves.

    Per series (key figures with a ``reeks``) and wave, the wave's latest measurement of it.

    Parameters
    ----------
    inv : Inventory
    earlier : sequence of Inventory, optional
        :func:`eerdere`.

    Returns
    -------
    pandas.DataFrame
        One row per channel, series and wave (oldest first):

        * ``'sleutel'``: ``activiteit.reeks@meting``, unique (the row's key)
        * ``'kanaal'``: the channel's name
        * ``'reeks'``: what the series counts
        * ``'meting'``: the wave
        * ``'peildatum'``: the end of the period the number covers
        * ``'waarde'``: the number
        * ``'kwalificatie'``: exact, ongeveer, meer dan, minder dan
        * ``'verschil'``: the change since the previous wave's number (NaN in the first)
    """
    rows = []
    for i in [*earlier, inv]:
        k = i.kengetallen[i.kengetallen.reeks.notna()].sort_values("periode_eind", kind="stable")
        for (act, series), g in k.groupby(["activiteit", "reeks"], sort=False):
            last = g.iloc[-1]
            rows.append(
                {
                    "activiteit": act,
                    "kanaal": i.naam(act),
                    "reeks": series,
                    "meting": i.wave,
                    "peildatum": last.periode_eind,
                    "waarde": float(last.waarde),
                    "kwalificatie": str(last.kwalificatie),
                }
            )
    out = pd.DataFrame(rows, columns=["activiteit", "kanaal", "reeks", "meting", "peildatum", "waarde", "kwalificatie"])
    out = out.sort_values(["activiteit", "reeks", "meting"], kind="stable")
    out["verschil"] = out.groupby(["activiteit", "reeks"]).waarde.diff()
    out.insert(0, "sleutel", out.activiteit + "." + out.reeks + "@" + out.meting.astype(str))
    out = out.drop(columns="activiteit").reset_index(drop=True)
    return declare(out, public=PUBLIC, decimals={"waarde": -2, "verschil": -2})


def monitor_tekst(inv: Inventory, earlier=(), min_cell: int = 0) -> str:
    """Dutch text: how the channels changed since the previous wave, or that there is one wave.

    Parameters
    ----------
    inv : Inventory
    earlier : sequence of Inventory, optional
    min_cell : int, optional
        Unused: the inventory counts activities, not respondents.

    Returns
    -------
    str
    """
    if not earlier:
        return nl.one_wave(inv.wave, "de kanalen")
    m = monitor(inv, earlier)
    now = m[m.meting == inv.wave].dropna(subset=["verschil"])
    grew = [f"{r.kanaal} ({r.reeks})" for r in now.itertuples() if r.verschil > 0]
    fell = [f"{r.kanaal} ({r.reeks})" for r in now.itertuples() if r.verschil < 0]
    text = f"Meting {inv.wave} naast meting {earlier[-1].wave}: "
    parts = []
    if grew:
        parts.append(f"gegroeid: {nl.join(grew)}")
    if fell:
        parts.append(f"gedaald: {nl.join(fell)}")
    if not parts:
        parts.append("geen kanaal is veranderd")
    return text + "; ".join(parts) + ". Een deel van de getallen is bij benadering (zie de kolom kwalificatie)."
