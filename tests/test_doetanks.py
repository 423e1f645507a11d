"""Appendix C2: the registry of Doetanks (Tabel 4 and Bijlage C2 side by side)."""
import pandas as pd
import pytest

from snwlib import doetanks
from snwlib.io import DataFileError

from .conftest import RAW_2012, edit_csv


@pytest.fixture(scope="module")
def reg():
    return doetanks.load_registry(RAW_2012)


def test_both_sources_are_kept(reg):
    assert len(reg) == 15
    assert reg.tabel4_nr.notna().sum() == 15 and reg.c2_nr.notna().sum() == 13
    row = reg.set_index("id").loc["schuldhulpverlening"]
    assert (row.tabel4_naam, row.c2_naam, row.naam) == ("Schuldhulpverlening", "Slim en verantwoord innen", "Slim en verantwoord innen")
    assert reg.set_index("id").loc[["rol_in_regiegemeente", "mobimarkt_cafes"], "c2_nr"].isna().all()
    assert reg.id[reg.managers_doetank == "ja"].tolist() == ["gemeente_zonder_huis", "nieuwe_leidinggevende"]


def test_status_prefers_c2_and_says_where_it_comes_from(reg):
    r = reg.set_index("id")
    assert (r.at["train_je_collega", "status"], r.at["train_je_collega", "status_bron"]) == ("afgerond", "Bijlage C2")
    assert (r.at["mobimarkt_cafes", "status"], r.at["mobimarkt_cafes", "status_bron"]) == ("lopend", "Tabel 4")
    assert r.at["gemeente_zonder_huis", "status"] == "lopend"     # C2: "vooral een idee"
    assert sorted(r.index[r.status == "gestopt"]) == ["groene_mug", "nieuwe_leidinggevende", "nieuwe_publieke_werker", "vaktherapie"]


def test_tabel4_rebuilt_in_its_own_order(reg):
    t = doetanks.tabel4(reg)
    assert len(t) == 15
    assert t.Doetank.iloc[7] == "8. Gemeente zonder Huis*" and t.Doetank.iloc[12] == "13. De Nieuwe Leidinggevende*"
    assert t.fase.tolist()[:9] == ["2", "1", "2", "1 of 2", "2", "0", "0", "0", "0"]
    assert (t.groep == "actief").sum() == 10


def test_funnel_and_the_sentence_under_tabel4(reg):
    f = doetanks.funnel_counts(reg)
    assert dict(zip(f.stadium, f.aantal)) == {"fase 0: ontdekken": 5, "fase 1: ontwerpen & uitproberen": 1,
                                              "tussen fase 1 en 2": 1, "fase 2: reflectie & diffusie": 2,
                                              "afgerond": 2, "gestopt": 4}
    q = doetanks.quantities(reg)
    # The report's "14 Doetanks: 4 in fase 0, 1, 2, 1 tussen 1 en 2" is Tabel 4 without Mobimarkt-cafés:
    sub = reg[reg.id != "mobimarkt_cafes"].copy()
    sub.attrs = reg.attrs
    without = doetanks.quantities(sub)
    assert (q["aantal.tabel4"], q["fase.0"]) == (15, 5)
    assert (without["aantal.tabel4"], without["fase.0"], without["fase.1"], without["fase.2"], without["fase.1 of 2"]) == (14, 4, 1, 2, 1)


def test_a_bad_phase_is_refused(tmp_path):
    import shutil
    shutil.copytree(RAW_2012, tmp_path / "2012")
    edit_csv(tmp_path / "2012/c2_doetanks.csv", "Jonge ambtenaren inzetten bij vernieuwingsprocessen,0,", "Jonge ambtenaren inzetten bij vernieuwingsprocessen,3,")
    with pytest.raises(DataFileError, match=r"c2_doetanks.csv, row 8, column 'tabel4_fase': value '3': not one of the allowed values"):
        doetanks.load_registry(tmp_path / "2012")
