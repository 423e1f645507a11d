"""Appendix C2: the Doetank registry, Tabel 4 and the Doetanks per phase.

The registry (``c2_doetanks``, schema in ``codebooks/c2_doetanks.yaml``) keeps Tabel 4 and
Bijlage C2 side by side, because they list different Doetanks under different names and numbers.
This module reads it from a wave's processed data and makes the appendix's tables: every Doetank
with one status (C2's description where it gives one, Tabel 4's grouping otherwise,
:func:`registratie`), Tabel 4 rebuilt (:func:`tabel4`), the Doetanks per phase and status
(:func:`fasen`) and the counts the report gives under Tabel 4 (:func:`aantallen`).

The tables count Doetanks, not respondents: they are declared public.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .processed import Wave
from .tables import declare

__all__ = ["Registry", "load", "registratie", "afwijkingen_tekst", "tabel4", "fasen", "aantallen", "CODEBOOK"]

CODEBOOK = "c2_doetanks"
PUBLIC = "telt Doetanks, geen respondenten"


@dataclass
class Registry:
    """The Doetank registry of one wave, as ingestion stored it.

    Attributes
    ----------
    wave : str
    doetanks : pandas.DataFrame
        ``c2_doetanks``: one row per Doetank named in Tabel 4 or Bijlage C2.
    codebook : dict
    """

    wave: str
    doetanks: pd.DataFrame
    codebook: dict


def load(wave: Wave) -> Registry:
    """The registry of a wave, from its processed data (nothing is computed).

    Parameters
    ----------
    wave : Wave

    Returns
    -------
    Registry
    """
    return Registry(wave.name, wave.table("c2_doetanks"), wave.codebook("c2_doetanks"))


def _combined(reg: Registry) -> pd.DataFrame:
    d = reg.doetanks.copy()
    rules = reg.codebook["status"]
    d["naam"] = d.c2_naam.where(d.c2_naam.notna(), d.tabel4_naam)
    d["fase"] = d.tabel4_fase.astype(object)
    from_c2 = d.c2_status.astype(object).map(rules["from_c2"])
    from_t4 = d.tabel4_groep.astype(object).map(rules["from_tabel4"])
    d["status"] = from_c2.where(from_c2.notna(), from_t4)
    d["status_bron"] = pd.Series("Bijlage C2", index=d.index).where(from_c2.notna(), "Tabel 4")
    return d


def _nr_naam(nr, naam) -> str:
    return f"{int(nr)}. {naam}" if isinstance(naam, str) else "–"


def registratie(reg: Registry) -> pd.DataFrame:
    """Every Doetank with both its names and numbers, its phase and one status.

    The status comes from Bijlage C2 where C2 describes it (``lopend``, ``afgerond``, ``gestopt``;
    C2's "idee" counts as running), else from Tabel 4's grouping (``lopend`` or ``afgerond of
    gestopt``); the phase only Tabel 4 gives.

    Parameters
    ----------
    reg : Registry

    Returns
    -------
    pandas.DataFrame
        One row per Doetank:

        * ``'id'``: the registry's id
        * ``'Doetank'``: C2's name, else Tabel 4's
        * ``'Tabel 4'``, ``'Bijlage C2'``: number and name in each source ("–" if absent)
        * ``'fase'``: the phase in Tabel 4
        * ``'status'``: ``lopend``, ``afgerond``, ``gestopt`` or ``afgerond of gestopt``
        * ``'status volgens'``: the source of the status
        * ``'managers'``: whether it is a managers' Doetank (ja/nee)
        * ``'stand van zaken (C2)'``, ``'toelichting'``: text
    """
    d = _combined(reg)
    out = pd.DataFrame(
        {
            "id": d.id,
            "Doetank": d.naam,
            "Tabel 4": [_nr_naam(n, t) for n, t in zip(d.tabel4_nr, d.tabel4_naam, strict=True)],
            "Bijlage C2": [_nr_naam(n, t) for n, t in zip(d.c2_nr, d.c2_naam, strict=True)],
            "fase": d.fase,
            "status": d.status,
            "status volgens": d.status_bron,
            "managers": d.managers_doetank.astype(str),
            "stand van zaken (C2)": d.c2_stand,
            "toelichting": d.toelichting,
        }
    )
    return declare(out, public=PUBLIC)


def afwijkingen_tekst(reg: Registry, min_cell: int = 0) -> str:
    """Dutch sentence: the Doetanks whose status in Bijlage C2 departs from Tabel 4's grouping.

    Parameters
    ----------
    reg : Registry
    min_cell : int, optional
        Unused: the registry describes Doetanks, not respondents.

    Returns
    -------
    str
        ``""`` when the two sources agree.
    """
    from . import nl

    d = _combined(reg)
    rules = reg.codebook["status"]
    from_t4 = d.tabel4_groep.astype(object).map(rules["from_tabel4"])
    # C2 refines Tabel 4's "afgerond of gestopt"; it departs from it when it says something else
    within = [s in str(g).split(" of ") for s, g in zip(d.status, from_t4, strict=True)]
    differ = d[(d.status_bron == "Bijlage C2") & from_t4.notna() & ~pd.Series(within, index=d.index)]
    sentences = []
    for (status, group), rows in differ.groupby(["status", from_t4[differ.index]], sort=False):
        one = len(rows) == 1
        sentences.append(
            f"Zo {'geldt' if one else 'gelden'} {nl.join(rows.naam)} als {status}, hoewel Tabel 4 "
            f"{'haar' if one else 'ze'} bij de Doetanks zet die {group} zijn."
        )
    return " ".join(sentences)


def tabel4(reg: Registry) -> pd.DataFrame:
    """Tabel 4 "Samenvatting overzicht Doetanks", rebuilt from the registry.

    Parameters
    ----------
    reg : Registry

    Returns
    -------
    pandas.DataFrame
        Tabel 4's rows in its order (running Doetanks first, then "Afgerond/gestopt"):

        * ``'nr'``: the number in Tabel 4
        * ``'groep'``: ``actief`` or ``afgerond/gestopt``
        * ``'Doetank'``: number and name; an asterisk marks a managers' Doetank
        * ``'onderwerp'``: the topic
        * ``'fase'``: the phase
    """
    t = reg.doetanks[reg.doetanks.tabel4_nr.notna()].sort_values("tabel4_nr")
    out = pd.DataFrame(
        {
            "nr": t.tabel4_nr.astype(int).values,
            "groep": t.tabel4_groep.astype(str).values,
            "Doetank": [
                f"{int(n)}. {naam}{'*' if m == 'ja' else ''}"
                for n, naam, m in zip(t.tabel4_nr, t.tabel4_naam, t.managers_doetank, strict=True)
            ],
            "onderwerp": t.tabel4_onderwerp.values,
            "fase": t.tabel4_fase.astype(object).values,
        }
    )
    return declare(out, public=PUBLIC)


def fasen(reg: Registry) -> pd.DataFrame:
    """Doetanks per stage: the running ones per phase (in the funnel's order), then completed and
    stopped.

    Parameters
    ----------
    reg : Registry

    Returns
    -------
    pandas.DataFrame
        * ``'fase'``: the phase code of the codebook (``"0"``, ``"1"``, ``"1 of 2"``, ``"2"``) or
          the status (``afgerond``, ``gestopt``, ``afgerond of gestopt``, the last only when
          some Doetank has it)
        * ``'stadium'``: the Dutch label
        * ``'aantal'``: the number of Doetanks
    """
    d = _combined(reg)
    running = d[d.status == "lopend"]
    rows = [
        {"fase": str(code), "stadium": label, "aantal": int((running.fase == code).sum())}
        for code, label in reg.codebook["fasen"].items()
    ]
    for status in ("afgerond", "gestopt", "afgerond of gestopt"):
        n = int((d.status == status).sum())
        if n or status != "afgerond of gestopt":
            rows.append({"fase": status, "stadium": status, "aantal": n})
    return declare(pd.DataFrame(rows), public=PUBLIC)


def aantallen(reg: Registry) -> pd.DataFrame:
    """How many Doetanks each list holds, and how many run.

    Parameters
    ----------
    reg : Registry

    Returns
    -------
    pandas.DataFrame
        * ``'telling'``: ``tabel4``, ``c2``, ``totaal``, ``lopend``, ``afgerond_of_gestopt``
        * ``'omschrijving'``: Dutch
        * ``'aantal'``: the number of Doetanks
    """
    d = _combined(reg)
    rows = [
        ("tabel4", "Doetanks in Tabel 4", d.tabel4_nr.notna().sum()),
        ("c2", "Doetanks in Bijlage C2", d.c2_nr.notna().sum()),
        ("totaal", "Doetanks in een van beide", len(d)),
        ("lopend", "lopende Doetanks", (d.status == "lopend").sum()),
        ("afgerond_of_gestopt", "afgeronde of gestopte Doetanks", (d.status != "lopend").sum()),
    ]
    out = pd.DataFrame([(k, o, int(n)) for k, o, n in rows], columns=["telling", "omschrijving", "aantal"])
    return declare(out, public=PUBLIC)
