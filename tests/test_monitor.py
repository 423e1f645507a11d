"""The monitor across waves: C1's channels, C2's Doetanks and C8/C9's grades per wave, from a
DATA_DIR holding 2012 and a 2013 made from it with known changes."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from snwlib import doetanks, evaluation, figures, inventory
from snwlib.alttext import describe
from snwlib.ingest import ingest
from snwlib.manifest import accept
from snwlib.processed import open_wave

from .conftest import RAW_2012, edit_csv


@pytest.fixture(scope="module")
def waves(tmp_path_factory):
    """Processed 2012 and 2013. 2013 is 2012 with: the next period, Café VI on 10 April 2013
    instead of Café IV, LinkedIn at 4,100 members in December 2013, the rekenkamer Doetank a phase
    on, Jong in Zicht stopped, Mobimarkt-cafés gone and a new Doetank."""
    data = tmp_path_factory.mktemp("monitor-raw")
    shutil.copytree(RAW_2012, data / "2012")
    new = data / "2013"
    shutil.copytree(RAW_2012, new)
    meta = new / "metadata.yaml"
    text = meta.read_text(encoding="utf-8").replace('wave: "2012"', 'wave: "2013"')
    text = text.replace("{begin: 2012-01-01, eind: 2012-12-31}", "{begin: 2013-01-01, eind: 2013-12-31}")
    text = text.replace("datum: 2012-09-05", "datum: 2013-04-10").replace("kort: Café IV", "kort: Café VI")
    text = text.replace("datum: 2012-11-22", "datum: 2013-11-20")  # an event lies in its wave's period
    # a second café with the same form: appendix C8b, its own files c8b_*
    second = "  - bijlage: C8b\n    naam: het zevende café\n    kort: Café VII\n    datum: 2013-06-12\n"
    second += "    codebook: b7_cafevragenlijst\n"
    text = text.replace("  - bijlage: C9\n", second + "  - bijlage: C9\n")
    meta.write_text(text, encoding="utf-8")
    for table in ("antwoorden", "respons", "afwezigen", "prioriteiten"):
        shutil.copy(new / f"c8_{table}.csv", new / f"c8b_{table}.csv")
    edit_csv(new / "c8b_respons.csv", "reacties,reacties op de evaluatie,13,", "reacties,reacties op de evaluatie,11,")
    edit_csv(
        new / "c1_kengetallen.csv",
        "linkedin,leden,leden,3082,leden,exact,2012-12-12,2012-12-12",
        "linkedin,leden,leden,4100,leden,exact,2013-12-12,2013-12-12",
    )
    path = new / "c2_doetanks.csv"
    reg = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("id")
    reg.at["rekenkameronderzoek", "tabel4_fase"] = "2"
    reg.at["jong_in_zicht", "c2_status"] = "gestopt"
    reg = reg.drop(index="mobimarkt_cafes")
    reg.loc["nieuwe_doetank"] = ""
    reg.loc["nieuwe_doetank", ["c2_nr", "c2_naam", "c2_status", "c2_bron", "managers_doetank"]] = [
        "16",
        "Nieuwe Doetank",
        "idee",
        "synthetisch",
        "nee",
    ]
    reg.reset_index().to_csv(path, index=False, encoding="utf-8")
    out = tmp_path_factory.mktemp("monitor-out")
    for wave in ("2012", "2013"):
        accept(data / wave)
        ingest(data, wave, out)
    processed = out / "data" / "processed"
    return open_wave(processed, "2012"), open_wave(processed, "2013")


def test_channels_per_wave(waves):
    first, second = waves
    inv, earlier = inventory.load(second), inventory.eerdere(second)
    assert [i.wave for i in earlier] == ["2012"] and inventory.eerdere(first) == []
    m = inventory.monitor(inv, earlier).set_index("sleutel")
    assert m.at["linkedin.leden@2012", "waarde"] == 3082 and pd.isna(m.at["linkedin.leden@2012", "verschil"])
    assert m.at["linkedin.leden@2013", "waarde"] == 4100 and m.at["linkedin.leden@2013", "verschil"] == 1018
    assert m.at["linkedin.leden@2013", "peildatum"] == pd.Timestamp("2013-12-12")
    text = inventory.monitor_tekst(inv, earlier)
    assert text.startswith("Meting 2013 naast meting 2012: gegroeid: LinkedIn groep (leden).")
    one = inventory.monitor_tekst(inventory.load(first))
    assert one.startswith("Er is één meting (2012): het verloop van de kanalen")
    # the growth figure's series: 2011, 2012 and 2013 LinkedIn counts, each period once
    s = inventory.kanalen(inv, earlier)
    assert s[s.activiteit == "linkedin"].waarde.tolist() == [1450, 3082, 4100]
    assert s[s.activiteit == "linkedin"].meting.tolist() == ["2013", "2012", "2013"]


def test_doetanks_per_wave(waves):
    first, second = waves
    v = doetanks.verloop(second).set_index("sleutel")
    assert v.at["rekenkameronderzoek@2013", "verandering"] == "fase verder"
    assert v.at["jong_in_zicht@2013", "verandering"] == "gestopt"
    assert (v.at["mobimarkt_cafes@2013", "status"], v.at["mobimarkt_cafes@2013", "verandering"]) == (
        "niet genoemd",
        "niet meer genoemd",
    )
    assert v.at["nieuwe_doetank@2013", "verandering"] == "nieuw" and "nieuwe_doetank@2012" not in v.index
    assert v.at["kennisbehoud@2013", "verandering"] == "gelijk" and v.at["kennisbehoud@2012", "verandering"] == ""
    text = doetanks.verloop_tekst(doetanks.verloop(second))
    assert text == (
        "Meting 2013 noemt vijftien Doetanks. Sinds meting 2012: één nieuw, één fase verder, één gestopt, "
        "één niet meer genoemd en twaalf gelijk."
    )
    assert doetanks.verloop_tekst(doetanks.verloop(first)).startswith("Er is één meting (2012)")
    alt = describe(figures.doetank_course, doetanks.verloop(second), "Doetanks per meting")
    assert "Fase en status van de Doetanks per meting (2012, 2013); meting 2013 noemt er 15." in alt
    assert "fase verder 1" in alt


def test_grades_per_event_and_wave(waves, tmp_path):
    from snwlib.disclosure import protect

    first, second = waves
    g = evaluation.cijfers_per_meting(second, "C8")
    cafe = g[g.onderdeel == "Rapportcijfer SNW café IV"]
    assert cafe.evenement.tolist() == ["Café IV", "Café VI", "Café VII"]
    assert cafe.meting.tolist() == ["2012", "2013", "2013"]
    assert cafe.datum.tolist() == [pd.Timestamp(d) for d in ("2012-09-05", "2013-04-10", "2013-06-12")]
    assert cafe.gemiddelde.round(2).tolist() == [7.83] * 3 and cafe.n.tolist() == [6] * 3
    assert len(evaluation.cijfers_per_meting(second, "C9")) == 2  # one grade question, two Grand Cafés
    assert evaluation.verloop_tekst(g).startswith(
        "De rapportcijfers van drie bijeenkomsten in twee metingen (2012 en 2013)"
    )
    assert evaluation.verloop_tekst(evaluation.cijfers_per_meting(first, "C8")).startswith("Er is één meting (2012)")
    # the steering group's figure hides what the small-group rule hides, and says so in its text
    p = protect(g, 5)
    shown = p.shown()
    alt = describe(figures.grades_over_time, shown, "Rapportcijfers")
    assert (
        "Café IV (2012) verborgen" in alt and "Rapportcijfer website: Café IV (2012) 7,00; Café VI (2013) 7,00" in alt
    )
    fig = figures.grades_over_time(shown, "Rapportcijfers", hidden=shown.isna(), min_cell=5)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert texts.count("verborgen") == 3 and "7,00\nn = 6" in texts


def test_a_second_event_of_the_same_form_has_its_own_files_and_appendix(waves):
    import subprocess
    import sys

    _, second = waves
    assert [e["bijlage"] for e in evaluation.evenementen(second, "C8")] == ["C8", "C8b"]
    event = evaluation.evenement(second, "C8b")
    assert (event["notebook"], event["bestanden"]) == ("C8", "c8b")
    f = evaluation.formulier(second, event)
    assert f.codebook["export"] == "c8b_antwoorden"
    assert sorted(f.tables) == ["c8b_afwezigen", "c8b_prioriteiten", "c8b_respons"]
    assert "11 reacties op van de 65 à 70" in evaluation.tekst(f, "respons")
    assert evaluation.tekst(f, "afwezigen").startswith("Vijf aangemelde personen")
    assert evaluation.tabel(f, "afwezigen").shape[0] == 5
    assert second.provenance["tables"]["c8b_antwoorden"]["codebook"] == "b7_cafevragenlijst@c8b"
    assert second.codebook("c8b_respons")["export"] == "c8b_antwoorden"
    # the build's list of the wave's event appendices (appendix:notebook)
    data_dir = Path(second.provenance["raw"]["folder"]).parent
    line = subprocess.run(
        [sys.executable, "-m", "snwlib", "appendices", "--data-dir", str(data_dir), "--wave", "2013"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert line == "APPENDICES_2013 := C8:C8 C8b:C8 C9:C9\n"  # by date
