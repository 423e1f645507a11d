"""Appendix C2: the Doetank registry, Tabel 4 and the phase funnel.

The registry (``c2_doetanks``, schema in ``codebooks/c2_doetanks.yaml``) keeps Tabel 4 and
Bijlage C2 side by side, because they list different Doetanks under different names and numbers.
This module combines them into one status per Doetank (C2's description where it gives one,
Tabel 4's grouping otherwise), rebuilds Tabel 4, and counts Doetanks per phase and status.
"""
from __future__ import annotations

import pandas as pd

from .codebook import load_codebook
from .validate import load_validated

CODEBOOK = "c2_doetanks"


def load_registry(raw_dir, codebook: dict | None = None) -> pd.DataFrame:
    """Read and validate the registry and add the combined columns.

    Added columns: ``naam`` (C2's name, else Tabel 4's), ``fase`` (Tabel 4, the only source
    that gives phases), ``status`` (``lopend``, ``afgerond``, ``gestopt`` or, where only Tabel 4
    speaks, ``afgerond of gestopt``) and ``status_bron`` (which source the status comes from).

    Examples
    --------
    >>> reg = load_registry("data/raw/2012")
    >>> len(reg), reg.set_index("id").at["train_je_collega", "status"]
    (15, 'afgerond')
    """
    codebook = codebook or load_codebook(CODEBOOK)
    reg = load_validated(raw_dir, codebook)["c2_doetanks"].reset_index(drop=True)
    rules = codebook["status"]
    reg["naam"] = reg.c2_naam.where(reg.c2_naam.notna(), reg.tabel4_naam)
    reg["fase"] = reg.tabel4_fase
    from_c2 = reg.c2_status.map(rules["from_c2"])
    from_t4 = reg.tabel4_groep.map(rules["from_tabel4"])
    reg["status"] = from_c2.where(from_c2.notna(), from_t4)
    reg["status_bron"] = pd.Series("Bijlage C2", index=reg.index).where(from_c2.notna(), "Tabel 4")
    reg.attrs["codebook"] = codebook
    return reg


def tabel4(reg: pd.DataFrame) -> pd.DataFrame:
    """Rebuild Tabel 4 ("Samenvatting overzicht Doetanks") from the registry: Tabel 4's rows, in
    its order, running Doetanks first, then "Afgerond/gestopt"; an asterisk marks a managers' Doetank."""
    t = reg[reg.tabel4_nr.notna()].sort_values("tabel4_nr")
    return pd.DataFrame({
        "groep": t.tabel4_groep.values,
        "Doetank": [f"{int(n)}. {naam}{'*' if m == 'ja' else ''}" for n, naam, m in zip(t.tabel4_nr, t.tabel4_naam, t.managers_doetank)],
        "onderwerp": t.tabel4_onderwerp.values,
        "fase": t.tabel4_fase.fillna("").values,
    })


def registry_table(reg: pd.DataFrame) -> pd.DataFrame:
    """The registry for reading: both names and numbers, phase, status with its source, particulars."""
    def nr(x):
        return "" if pd.isna(x) else str(int(x))

    return pd.DataFrame({
        "Doetank": reg.naam,
        "Tabel 4": [f"{nr(n)}. {t}" if isinstance(t, str) else "–" for n, t in zip(reg.tabel4_nr, reg.tabel4_naam)],
        "Bijlage C2": [f"{nr(n)}. {t}" if isinstance(t, str) else "–" for n, t in zip(reg.c2_nr, reg.c2_naam)],
        "fase": reg.fase.fillna(""),
        "status": reg.status + " (" + reg.status_bron + ")",
        "managers": reg.managers_doetank,
        "stand van zaken (C2)": reg.c2_stand.fillna(""),
        "toelichting": reg.toelichting.fillna(""),
    })


def funnel_counts(reg: pd.DataFrame) -> pd.DataFrame:
    """Doetanks per stage: the running ones per phase (funnel order), then completed and stopped."""
    labels = reg.attrs["codebook"]["fasen"]
    running = reg[reg.status == "lopend"]
    rows = [{"stadium": label, "aantal": int((running.fase == code).sum())} for code, label in labels.items()]
    for status in ("afgerond", "gestopt", "afgerond of gestopt"):
        n = int((reg.status == status).sum())
        if n or status != "afgerond of gestopt":
            rows.append({"stadium": status, "aantal": n})
    return pd.DataFrame(rows)


def quantities(reg: pd.DataFrame) -> pd.Series:
    """Numbers for the ledger: Doetanks in Tabel 4 and in C2, running per phase, completed, stopped."""
    running = reg[reg.status == "lopend"]
    out = {"aantal.tabel4": reg.tabel4_nr.notna().sum(), "aantal.c2": reg.c2_nr.notna().sum(),
           "aantal.totaal": len(reg), "aantal.lopend": len(running),
           "aantal.afgerond_of_gestopt": int(reg.status.isin(["afgerond", "gestopt", "afgerond of gestopt"]).sum())}
    for code in reg.attrs["codebook"]["fasen"]:
        out[f"fase.{code}"] = int((running.fase == code).sum())
    return pd.Series(out, dtype=float)
