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

__all__ = ["Inventory", "load", "kengetallen", "afgeleid", "tabel2", "kanalen", "CODEBOOK"]

CODEBOOK = "c1_inventaris"
PUBLIC = "kengetallen van activiteiten, geen antwoorden van respondenten"


@dataclass
class Inventory:
    """The inventory of one wave, as ingestion stored it.

    Attributes
    ----------
    wave : str
    activiteiten : pandas.DataFrame
        ``c1_activiteiten``: one row per kind of activity.
    kengetallen : pandas.DataFrame
        ``c1_kengetallen``: one row per key figure.
    codebook : dict
    """

    wave: str
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
        wave.name, wave.table("c1_activiteiten"), wave.table("c1_kengetallen"), wave.codebook("c1_kengetallen")
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

        * ``'sleutel'``: ``activiteit.kengetal``, unique (the ledger's row key)
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
            "sleutel": k.activiteit + "." + k.kengetal,
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

    - ``masterclasses.aantal_totaal``: regular plus extra masterclasses;
    - ``website.bezoekers_per_maand_gemiddeld_2012``: mean of the monthly levels of 2012 (start
      and second half of the year), the "ca. 700 p/mnd" of Tabel 2;
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
    k = kengetallen(inv).set_index("sleutel")
    q = k.waarde

    def have(*keys):
        return all(key in q.index for key in keys)

    derived = {}
    if have("masterclasses.aantal_regulier", "masterclasses.aantal_extra"):
        derived["masterclasses.aantal_totaal"] = q["masterclasses.aantal_regulier"] + q["masterclasses.aantal_extra"]
    if have("website.bezoekers_per_maand_begin_2012", "website.bezoekers_per_maand_eind_2012"):
        derived["website.bezoekers_per_maand_gemiddeld_2012"] = (
            q["website.bezoekers_per_maand_begin_2012"] + q["website.bezoekers_per_maand_eind_2012"]
        ) / 2
    if have("website.bezoekers_totaal"):
        row = k.loc["website.bezoekers_totaal"]
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
    values = pd.concat([kengetallen(inv).set_index("sleutel").waarde, afgeleid(inv).set_index("sleutel").waarde])
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


def kanalen(inv: Inventory) -> pd.DataFrame:
    """The time series of the inventory (key figures with a ``reeks``), for the growth figure.

    Parameters
    ----------
    inv : Inventory

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
    k = inv.kengetallen[inv.kengetallen.reeks.notna()].copy()
    k.insert(0, "sleutel", k.activiteit + "." + k.kengetal)
    k["kanaal"] = [inv.naam(a) for a in k.activiteit]
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
    ]
    out = k[cols].sort_values(["activiteit", "midden"]).reset_index(drop=True)
    return declare(out, public=PUBLIC)
