"""Appendix C2: the Doetank registry, Tabel 4 and the Doetanks per phase.

The registry (``c2_doetanks``, schema in ``codebooks/c2_doetanks.yaml``) keeps Tabel 4 and
Bijlage C2 side by side, because they list different Doetanks under different names and numbers.
This module reads it from a wave's processed data and makes the appendix's tables: every Doetank
with one status (C2's description where it gives one, Tabel 4's grouping otherwise,
:func:`registratie`), Tabel 4 rebuilt (:func:`tabel4`), the Doetanks per phase and status
(:func:`fasen`) and the counts the report gives about them (:func:`aantallen`): how many each list
holds, how many run, and the numbers of C2's text (``c2_kengetallen``).

The tables count Doetanks, not respondents: they are declared public.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .processed import Wave
from .tables import declare

__all__ = [
    "Registry",
    "load",
    "registratie",
    "afwijkingen_tekst",
    "tabel4",
    "fasen",
    "aantallen",
    "verloop",
    "verloop_tekst",
    "CODEBOOK",
]

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
    kengetallen : pandas.DataFrame
        ``c2_kengetallen``: the other numbers C2 gives about a Doetank, one per row (empty when the
        wave has none).
    """

    wave: str
    doetanks: pd.DataFrame
    codebook: dict
    kengetallen: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["id", "kengetal", "omschrijving", "waarde", "bron"])
    )


def load(wave: Wave) -> Registry:
    """The registry of a wave, from its processed data (nothing is computed).

    Parameters
    ----------
    wave : Wave

    Returns
    -------
    Registry
    """
    reg = Registry(wave.name, wave.table("c2_doetanks"), wave.codebook("c2_doetanks"))
    if wave.has("c2_kengetallen"):
        reg.kengetallen = wave.table("c2_kengetallen")
    return reg


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


def _phase_bounds(fase) -> tuple[float, float]:
    """A phase as printed ("0", "2", "1 of 2") as its lowest and highest phase; NaN for none."""
    if not isinstance(fase, str) or not fase.strip():
        return float("nan"), float("nan")
    numbers = [float(x) for x in fase.split(" of ")]
    return min(numbers), max(numbers)


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
        * ``'fase (C2)'``: the phase number C2 names (only where it names one; NaN otherwise)
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
            "fase (C2)": [_phase_bounds(f)[0] for f in d.c2_fase.astype(object)],
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
        * ``'fase'``: the phase as printed (``"1 of 2"`` for between phases 1 and 2)
        * ``'fase van'``, ``'fase tot'``: the lowest and highest phase it names, as numbers (equal
          for one phase; NaN for a Doetank without phase)
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
            "fase van": [_phase_bounds(f)[0] for f in t.tabel4_fase.astype(object)],
            "fase tot": [_phase_bounds(f)[1] for f in t.tabel4_fase.astype(object)],
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
    """The counts the report gives about the Doetanks: how many each list holds, how many run, the
    phases of the method, and the numbers of C2's text about single Doetanks.

    Parameters
    ----------
    reg : Registry

    Returns
    -------
    pandas.DataFrame
        * ``'telling'``: ``tabel4``, ``c2``, ``totaal``, ``lopend``, ``afgerond_of_gestopt``,
          ``fasen`` (the phases the method distinguishes, from the codebook), then
          ``<id>.<kengetal>`` for each row of ``c2_kengetallen``
        * ``'omschrijving'``: Dutch
        * ``'aantal'``: the number

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"id": ["a", "b"], "tabel4_nr": [1, None], "c2_nr": [1, 2],
    ...                   "tabel4_naam": ["A", None], "c2_naam": ["A", "B"],
    ...                   "tabel4_fase": ["0", None], "c2_fase": [None, None],
    ...                   "tabel4_groep": ["actief", None], "c2_status": ["actief", "gestopt"]})
    >>> codebook = {"status": {"from_c2": {"actief": "lopend", "gestopt": "gestopt"}, "from_tabel4": {}},
    ...             "fasen": {"0": "fase 0", "1": "fase 1", "1 of 2": "tussen 1 en 2", "2": "fase 2"}}
    >>> k = pd.DataFrame({"id": ["b"], "kengetal": ["interviews"], "omschrijving": ["interviews"], "waarde": [7]})
    >>> aantallen(Registry("2012", d, codebook, k)).set_index("telling").aantal.to_dict()
    {'tabel4': 1, 'c2': 2, 'totaal': 2, 'lopend': 1, 'afgerond_of_gestopt': 1, 'fasen': 3, 'b.interviews': 7}
    """
    d = _combined(reg)
    phases = [code for code in reg.codebook["fasen"] if str(code).isdigit()]
    rows = [
        ("tabel4", "Doetanks in Tabel 4", d.tabel4_nr.notna().sum()),
        ("c2", "Doetanks in Bijlage C2", d.c2_nr.notna().sum()),
        ("totaal", "Doetanks in een van beide", len(d)),
        ("lopend", "lopende Doetanks", (d.status == "lopend").sum()),
        ("afgerond_of_gestopt", "afgeronde of gestopte Doetanks", (d.status != "lopend").sum()),
        ("fasen", "fasen van de Doetank-methode", len(phases)),
    ]
    names = dict(zip(d.id, d.naam, strict=True))
    rows += [
        (f"{k.id}.{k.kengetal}", f"{names.get(k.id, k.id)}: {k.omschrijving}", k.waarde)
        for k in reg.kengetallen.itertuples()
    ]
    out = pd.DataFrame(rows, columns=["telling", "omschrijving", "aantal"])
    aantal = pd.to_numeric(out["aantal"])
    out["aantal"] = aantal.astype(int) if (aantal == aantal.round()).all() else aantal
    return declare(out, public=PUBLIC)


#: What became of a Doetank since the previous wave (:func:`verloop`), in the order the figure
#: and the text list them.
CHANGES = [
    "nieuw",
    "weer genoemd",
    "weer lopend",
    "fase verder",
    "fase terug",
    "afgerond",
    "gestopt",
    "niet meer genoemd",
    "gelijk",
]


def _change(before, now, order: dict) -> str:
    if before is None:
        return "nieuw"
    if now is None:
        return "" if before["status"] == "niet meer genoemd" else "niet meer genoemd"
    if before["status"] == "niet meer genoemd":
        return "weer genoemd"
    if now["status"] != "lopend":
        return now["status"] if before["status"] == "lopend" else "gelijk"
    if before["status"] != "lopend":
        return "weer lopend"
    b, n = order.get(str(before["fase"])), order.get(str(now["fase"]))
    if b is None or n is None or b == n:
        return "gelijk"
    return "fase verder" if n > b else "fase terug"


def verloop(wave: Wave) -> pd.DataFrame:
    """Each Doetank's phase and status per wave: this wave and the earlier ones beside it.

    The monitor of C2 (the registry is a progress table by design). A Doetank is followed by its
    ``id`` across waves.

    Parameters
    ----------
    wave : Wave

    Returns
    -------
    pandas.DataFrame
        One row per Doetank and wave (oldest wave first; Doetanks in the order of the latest
        wave that names them):

        * ``'sleutel'``: ``id@meting``, unique (the row's key)
        * ``'id'``: the registry's id
        * ``'Doetank'``: its name in the latest wave that names it
        * ``'meting'``: the wave
        * ``'fase'``: its phase in that wave (empty if none)
        * ``'status'``: ``lopend``, ``afgerond``, ``gestopt``, ``afgerond of gestopt``, or
          ``niet genoemd`` when the wave does not list it after an earlier one did
        * ``'verandering'``: since the previous wave, one of :data:`CHANGES` (``""`` in the first
          wave, and for a Doetank no longer named in the waves after the one that stopped naming it)
    """
    regs = [load(w) for w in [*wave.earlier(CODEBOOK), wave]]
    order = {str(code): k for k, code in enumerate(regs[-1].codebook["fasen"])}
    per_wave = {}
    names: dict = {}
    for reg in regs:
        d = _combined(reg)
        per_wave[reg.wave] = {i: {"fase": f, "status": s} for i, f, s in zip(d.id, d.fase, d.status, strict=True)}
        names.update(dict(zip(d.id, d.naam, strict=True)))
    ids = list(dict.fromkeys(i for reg in reversed(regs) for i in _combined(reg).id))
    rows = []
    for i in ids:
        before = None
        for k, reg in enumerate(regs):
            now = per_wave[reg.wave].get(i)
            if now is None and before is None:
                continue
            shown = now or {"fase": None, "status": "niet genoemd"}
            change = "" if k == 0 else _change(before, now, order)
            rows.append(
                {
                    "id": i,
                    "Doetank": names[i],
                    "meting": reg.wave,
                    "fase": "" if shown["fase"] is None or pd.isna(shown["fase"]) else str(shown["fase"]),
                    "status": shown["status"],
                    "verandering": change,
                }
            )
            before = shown if now is not None else {"fase": None, "status": "niet meer genoemd"}
    out = pd.DataFrame(rows, columns=["id", "Doetank", "meting", "fase", "status", "verandering"])
    out.insert(0, "sleutel", out["id"].astype(str) + "@" + out.meting.astype(str))
    return declare(out, public=PUBLIC)


def verloop_tekst(table: pd.DataFrame, min_cell: int = 0) -> str:
    """Dutch text: what became of the Doetanks since the previous wave (from :func:`verloop`).

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`verloop`.
    min_cell : int, optional
        Unused: the registry counts Doetanks, not respondents.

    Returns
    -------
    str
    """
    from . import nl

    waves = list(dict.fromkeys(table.meting))
    if len(waves) <= 1:
        return nl.one_wave(waves[0] if waves else None, "de Doetanks")
    last = table[table.meting == waves[-1]]
    counts = last.verandering.value_counts()
    parts = [f"{nl.count(counts[c])} {c}" for c in CHANGES if counts.get(c, 0)]
    listed = int((last.status != "niet genoemd").sum())
    return (
        f"Meting {waves[-1]} noemt {nl.count(listed)} Doetanks. Sinds meting {waves[-2]}: {nl.join(parts)}."
        if parts
        else f"Meting {waves[-1]} noemt {nl.count(listed)} Doetanks, alle zoals in meting {waves[-2]}."
    )
