"""Appendix C2: the registry of Doetanks (Tabel 4 and Bijlage C2 side by side)."""

import pandas as pd
import pytest

from snwlib import doetanks
from snwlib.files import DataFileError

from .conftest import edit_csv, ingested


@pytest.fixture(scope="module")
def reg(wave):
    return doetanks.load(wave)


def test_both_sources_are_kept(reg):
    d = doetanks.registratie(reg).set_index("id")
    assert len(d) == 15
    assert (d["Tabel 4"] != "–").sum() == 15 and (d["Bijlage C2"] != "–").sum() == 13
    row = d.loc["schuldhulpverlening"]
    assert (row["Tabel 4"], row["Bijlage C2"], row.Doetank) == (
        "3. Schuldhulpverlening",
        "3. Slim en verantwoord innen",
        "Slim en verantwoord innen",
    )
    assert (d.loc[["rol_in_regiegemeente", "mobimarkt_cafes"], "Bijlage C2"] == "–").all()
    assert d.index[d.managers == "ja"].tolist() == ["gemeente_zonder_huis", "nieuwe_leidinggevende"]


def test_status_prefers_c2_and_says_where_it_comes_from(reg):
    r = doetanks.registratie(reg).set_index("id")
    assert (r.at["train_je_collega", "status"], r.at["train_je_collega", "status volgens"]) == (
        "afgerond",
        "Bijlage C2",
    )
    assert (r.at["mobimarkt_cafes", "status"], r.at["mobimarkt_cafes", "status volgens"]) == ("lopend", "Tabel 4")
    assert r.at["gemeente_zonder_huis", "status"] == "lopend"  # C2: "vooral een idee"
    gestopt = ["groene_mug", "nieuwe_leidinggevende", "nieuwe_publieke_werker", "vaktherapie"]
    assert sorted(r.index[r.status == "gestopt"]) == gestopt


def test_tabel4_rebuilt_in_its_own_order(reg):
    t = doetanks.tabel4(reg)
    assert len(t) == 15 and t.nr.tolist() == list(range(1, 16))
    assert t.Doetank.iloc[7] == "8. Gemeente zonder Huis*" and t.Doetank.iloc[12] == "13. De Nieuwe Leidinggevende*"
    assert t.fase.tolist()[:9] == ["2", "1", "2", "1 of 2", "2", "0", "0", "0", "0"]
    assert (t.groep == "actief").sum() == 10


def test_phases_and_the_sentence_under_tabel4(reg):
    f = doetanks.fasen(reg)
    assert dict(zip(f.fase, f.aantal, strict=True)) == {
        "0": 5,
        "1": 1,
        "1 of 2": 1,
        "2": 2,
        "afgerond": 2,
        "gestopt": 4,
    }
    assert f.stadium.iloc[0] == "fase 0: ontdekken"
    a = doetanks.aantallen(reg).set_index("telling").aantal
    assert (a["tabel4"], a["c2"], a["totaal"], a["lopend"], a["afgerond_of_gestopt"]) == (15, 13, 15, 9, 6)
    # The report's "14 Doetanks: 4 in fase 0, 1, 2, 1 tussen 1 en 2" is Tabel 4 without Mobimarkt-cafés:
    without = doetanks.Registry(reg.wave, reg.doetanks[reg.doetanks.id != "mobimarkt_cafes"], reg.codebook)
    f = doetanks.fasen(without).set_index("fase").aantal
    assert (doetanks.aantallen(without).aantal.iloc[0], f["0"], f["1"], f["2"], f["1 of 2"]) == (14, 4, 1, 2, 1)


def test_a_bad_phase_is_refused(raw_copy, tmp_path):
    edit_csv(
        raw_copy / "c2_doetanks.csv",
        "Jonge ambtenaren inzetten bij vernieuwingsprocessen,0,",
        "Jonge ambtenaren inzetten bij vernieuwingsprocessen,3,",
    )
    with pytest.raises(
        DataFileError, match=r"c2_doetanks.csv, row 8, column 'tabel4_fase': value '3': not one of the allowed values"
    ):
        ingested(raw_copy, tmp_path / "out")


def test_tabel4_gives_each_phase_as_numbers_for_the_ledger(reg):
    t = doetanks.tabel4(reg).set_index("nr")
    assert (t.at[4, "fase"], t.at[4, "fase van"], t.at[4, "fase tot"]) == ("1 of 2", 1.0, 2.0)
    assert (t.at[5, "fase van"], t.at[5, "fase tot"]) == (2.0, 2.0)
    assert t.loc[[6, 7, 8, 9, 15], "fase van"].tolist() == [0.0] * 5
    assert t.loc[10:14, "fase van"].isna().all(), "the completed and stopped Doetanks have no phase"


def test_registratie_keeps_the_phase_c2_names(reg):
    r = doetanks.registratie(reg).set_index("id")
    assert r["fase (C2)"].dropna().to_dict() == {"arbeidsmobiliteit": 0.0, "groene_mug": 0.0}
    # Groene Mug: phase 0 in C2, stopped in Tabel 4; the registry's status follows Tabel 4
    assert pd.isna(r.at["groene_mug", "fase"]) and r.at["groene_mug", "status"] == "gestopt"


def test_aantallen_holds_the_list_lengths_and_the_numbers_of_c2s_text(reg):
    a = doetanks.aantallen(reg).set_index("telling")
    assert a.aantal.iloc[:6].tolist() == [15, 13, 15, 9, 6, 3]
    assert a.at["fasen", "omschrijving"] == "fasen van de Doetank-methode"
    assert a.at["voor_je_buurt.pilot_gemeenten", "aantal"] == 7
    assert a.at["voor_je_buurt.pilot_gemeenten", "omschrijving"].startswith("Crowdfunding/ Crowdsourcingplatform")
    assert a.at["arbeidsmobiliteit.interviews", "aantal"] == 7
    assert (
        a.at["nieuwe_publieke_werker.projectduur_min", "aantal"],
        a.at["nieuwe_publieke_werker.projectduur_max", "aantal"],
    ) == (2, 3)
    jong = [a.at[f"jong_in_zicht.leden_{k}", "aantal"] for k in ("gemeente_delft", "bzk", "jeugdzorg")]
    assert jong == [3, 1, 1]
    assert len(a) == 6 + 11 and a.index.is_unique


def test_a_number_of_c2_about_an_unknown_doetank_is_refused(raw_copy, tmp_path):
    edit_csv(raw_copy / "c2_kengetallen.csv", "arbeidsmobiliteit,interviews", "arbeidsmobilitiet,interviews")
    with pytest.raises(DataFileError, match=r"c2_kengetallen.csv, row 7, column 'id': value 'arbeidsmobilitiet'"):
        ingested(raw_copy, tmp_path / "out")
