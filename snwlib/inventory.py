"""Appendix C1: the activity inventory of the Slimmernetwerk and Tabel 2 of the report.

The inventory (report Bijlage B1, kept by the project team as a spreadsheet) has two tables,
described in ``codebooks/c1_inventaris.yaml``: ``c1_activiteiten`` (one row per kind of activity,
with Tabel 2's text) and ``c1_kengetallen`` (one row per number, tidy). This module loads them,
derives the few quantities the report computes from them, fills in Tabel 2 and prepares the
channels' growth over time for the figure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from . import nl
from .codebook import load_codebook
from .validate import load_validated

CODEBOOK = "c1_inventaris"
WORKBOOK = "c1_inventaris.xlsx"


@dataclass
class Inventory:
    """The validated inventory of one wave."""

    activiteiten: pd.DataFrame
    kengetallen: pd.DataFrame
    codebook: dict

    def naam(self, activiteit: str) -> str:
        """The activity's Dutch name as in Tabel 2."""
        return self.activiteiten.set_index("activiteit").at[activiteit, "naam"]


def load_inventory(raw_dir, codebook: dict | None = None) -> Inventory:
    """Read and validate the inventory tables of one wave.

    Parameters
    ----------
    raw_dir : str or Path
        The wave's raw folder. Each table is ``<name>.csv`` or ``<name>.xlsx``, or a sheet of
        ``c1_inventaris.xlsx``.

    Returns
    -------
    Inventory
        Typed tables; raises :class:`snwlib.io.DataFileError` listing every problem otherwise.

    Examples
    --------
    >>> inv = load_inventory("data/raw/2012")
    >>> int(inv.kengetallen.query("kengetal == 'bezoekers_totaal'").waarde.iloc[0])
    10553
    """
    codebook = codebook or load_codebook(CODEBOOK)
    tables = load_validated(raw_dir, codebook, workbook=WORKBOOK)
    return Inventory(tables["c1_activiteiten"], tables["c1_kengetallen"], codebook)


def _months(begin, end) -> float:
    """Length of a period in months (days / mean month length), both ends included."""
    return ((pd.Timestamp(end) - pd.Timestamp(begin)).days + 1) / (365.25 / 12)


def quantities(inv: Inventory) -> pd.Series:
    """Every number of the inventory by key ``activiteit.kengetal``, plus the derived ones.

    Derived quantities (present only when their inputs are):

    - ``masterclasses.aantal_totaal``: regular plus extra masterclasses;
    - ``website.bezoekers_per_maand_gemiddeld_2012``: mean of the monthly levels of 2012
      (start and second half of the year), the "ca. 700 p/mnd" of Tabel 2;
    - ``website.bezoekers_per_maand_periode``: total visitors divided by the months of the
      period they were counted over;
    - ``website.pct_nieuw_plus_terugkerend``: should be 100;
    - ``grand_cafe.pct_evaluaties``: evaluations as a percentage of visitors.

    Examples
    --------
    >>> q = quantities(load_inventory("data/raw/2012"))
    >>> float(q["masterclasses.aantal_totaal"]), float(q["website.bezoekers_per_maand_gemiddeld_2012"])
    (4.0, 700.0)
    """
    k = inv.kengetallen
    q = pd.Series(k["waarde"].astype(float).values, index=k["activiteit"] + "." + k["kengetal"])
    q.index.name = "sleutel"

    def have(*keys):
        return all(key in q.index for key in keys)

    derived = {}
    if have("masterclasses.aantal_regulier", "masterclasses.aantal_extra"):
        derived["masterclasses.aantal_totaal"] = q["masterclasses.aantal_regulier"] + q["masterclasses.aantal_extra"]
    if have("website.bezoekers_per_maand_begin_2012", "website.bezoekers_per_maand_eind_2012"):
        derived["website.bezoekers_per_maand_gemiddeld_2012"] = (
            q["website.bezoekers_per_maand_begin_2012"] + q["website.bezoekers_per_maand_eind_2012"]) / 2
    if have("website.bezoekers_totaal"):
        row = k[(k.activiteit == "website") & (k.kengetal == "bezoekers_totaal")].iloc[0]
        derived["website.bezoekers_per_maand_periode"] = row.waarde / _months(row.periode_begin, row.periode_eind)
    if have("website.pct_nieuwe_bezoekers", "website.pct_terugkerende_bezoekers"):
        derived["website.pct_nieuw_plus_terugkerend"] = (
            q["website.pct_nieuwe_bezoekers"] + q["website.pct_terugkerende_bezoekers"])
    if have("grand_cafe.evaluaties", "grand_cafe.aanwezigen"):
        derived["grand_cafe.pct_evaluaties"] = 100 * q["grand_cafe.evaluaties"] / q["grand_cafe.aanwezigen"]
    return pd.concat([q, pd.Series(derived, dtype=float)])


def fill_template(template: str, q: pd.Series) -> str:
    """Replace each ``{key}`` in ``template`` by quantity ``q[key]`` in Dutch format ("?" if absent).

    Examples
    --------
    >>> fill_template("{a.b}x, {a.c} bezoekers", pd.Series({"a.b": 4.0, "a.c": 10553.0}))
    '4x, 10.553 bezoekers'
    """
    def one(match):
        key = match.group(1)
        return nl.number(round(float(q[key]), 2)) if key in q.index else "?"

    return re.sub(r"\{([^{}]+)\}", one, template)


def tabel2(inv: Inventory) -> pd.DataFrame:
    """Rebuild Tabel 2 ("Activiteiten van het Slimmernetwerk (samengevat)").

    The ``aantallen`` cells are filled in from the key figures with the templates of the codebook
    (a "?" marks a number the raw data lacks); the text columns come from ``c1_activiteiten``.

    Returns
    -------
    pandas.DataFrame
        One row per activity with the table's Dutch column headers.
    """
    spec = inv.codebook["tabel2"]
    q = quantities(inv)
    rows = [{
        "activiteit": act.naam,
        "aantallen": fill_template(spec["aantallen"].get(act.activiteit, ""), q),
        "onderwerpen_doel": act.onderwerpen_doel,
        "resultaat_leerpunten": act.resultaat_leerpunten,
    } for act in inv.activiteiten.itertuples()]
    return pd.DataFrame(rows).rename(columns=spec["columns"])


def afgeleide_tabel(inv: Inventory) -> pd.DataFrame:
    """The derived quantities with their Dutch labels from the codebook (``afgeleid``)."""
    q = quantities(inv)
    labels = inv.codebook.get("afgeleid", {})
    rows = [{"kengetal": label, "waarde": nl.number(round(float(q[key]), 1))}
            for key, label in labels.items() if key in q.index]
    return pd.DataFrame(rows, columns=["kengetal", "waarde"])


def kengetallen_tabel(inv: Inventory) -> pd.DataFrame:
    """The key figures as a readable Dutch table (activity, what, value, period, source)."""
    k = inv.kengetallen
    labels = inv.codebook.get("labels", {})
    qual = {"exact": "", "ongeveer": "ca. ", "meer dan": "> ", "minder dan": "< "}
    return pd.DataFrame({
        "activiteit": [inv.naam(a) for a in k.activiteit],
        "kengetal": [labels.get(x, x.replace("_", " ")) for x in k.kengetal],
        "waarde": [qual[q] + nl.number(v) for q, v in zip(k.kwalificatie, k.waarde)],
        "eenheid": k.eenheid,
        "periode": [nl.period(b, e) for b, e in zip(k.periode_begin, k.periode_eind)],
        "bron": k.bron,
    }).reset_index(drop=True)


def channel_series(inv: Inventory) -> pd.DataFrame:
    """The time series of the inventory (rows with a ``reeks``), tidy, for the growth figure.

    Returns one row per measurement with the activity's name, the series, the period, its
    midpoint (where a point is drawn), the value and whether it is approximate or a lower bound.
    """
    k = inv.kengetallen[inv.kengetallen.reeks.notna()].copy()
    k["kanaal"] = [inv.naam(a) for a in k.activiteit]
    k["midden"] = k.periode_begin + (k.periode_eind - k.periode_begin) / 2
    k["benaderd"] = k.kwalificatie != "exact"
    cols = ["activiteit", "kanaal", "reeks", "periode_begin", "periode_eind", "midden",
            "waarde", "kwalificatie", "benaderd", "bron"]
    return k[cols].sort_values(["activiteit", "midden"]).reset_index(drop=True)
