"""Narrative computed from the data: every number and judging word in a notebook's text follows
from the wave it describes, and the wave's facts (its period, its events, remarks on its tables)
come from its metadata.yaml, not from code."""

import re

import pandas as pd
import pytest
import yaml

from snwlib import doetanks, evaluation, inventory, ledger, nl, present, questionnaire
from snwlib.files import DataFileError
from snwlib.ingest import wave_metadata

from .conftest import ingested

# ---- Dutch words


def test_counts_are_words_up_to_twenty_and_sentences_start_with_a_capital():
    assert [nl.count(n) for n in (0, 1, 5, 14, 20, 21)] == ["geen", "één", "vijf", "veertien", "twintig", "21"]
    assert nl.sentence(nl.count(1) + " respondent") == "Eén respondent"
    assert nl.join(["a", "b", "c"]) == "a, b en c"


# ---- the ledger's contradictions


def test_contradictions_are_counted_once_per_disagreement_not_per_row():
    rows = pd.DataFrame(
        {
            "quantity": ["A in Tabel 3", "A in C7", "B", "C"],
            "status": ["report-inconsistent", "report-inconsistent", "report-inconsistent", "match"],
            "note": [
                "Tabel 3 geeft 4,7, C7 4,95. Meer uitleg.",
                "Tabel 3 geeft 4,7, C7 4,95. Andere uitleg.",
                "C7 zet [N=14] bij 3A. Uitleg.",
                "",
            ],
        }
    )
    found = ledger.tegenspraken(rows)
    assert found.rijen.tolist() == [2, 1]
    assert found.getallen.tolist() == ["A in Tabel 3 en A in C7", "B"]
    text = ledger.tegenspraken_tekst(rows)
    assert text.startswith("Het rapport spreekt zichzelf hier twee keer tegen")
    assert "- *B*: C7 zet [N=14] bij 3A." in text
    assert ledger.tegenspraken_tekst(rows[rows.status == "match"]) == "Het rapport spreekt zichzelf hier nergens tegen."
    assert "geen rapport" in ledger.tegenspraken_tekst(rows.iloc[0:0])


# ---- C7


def test_alpha_text_follows_the_number_of_respondents(wave):
    q = questionnaire.load(wave)
    text = questionnaire.alfa_tekst(q)
    assert "Met veertien respondenten per schaal is alfa zeer onzeker" in text
    assert "Professionalisering (0,80) met 95% zekerheid tussen 0,55 en 0,93" in text
    assert "matig betrouwbaar" in text
    assert "veertien" not in questionnaire.alfa_tekst(q, min_cell=20)
    # ten times the respondents: narrow intervals, another judgement, no caveat about a small group
    many = questionnaire.Questionnaire(q.wave, q.codebook, pd.concat([q.answers] * 10, ignore_index=True), q.response)
    big = questionnaire.alfa_tekst(many)
    assert "Met 140 respondenten per schaal is alfa redelijk nauwkeurig" in big
    assert "honderden tot duizenden" not in big


def test_detectable_effect_is_judged_by_its_size(wave):
    q = questionnaire.load(wave)
    assert questionnaire.detecteerbaar_tekst(q).endswith("is d = 0,81: een groot effect.")
    many = questionnaire.Questionnaire(q.wave, q.codebook, pd.concat([q.answers] * 10, ignore_index=True), q.response)
    assert "een klein effect" in questionnaire.detecteerbaar_tekst(many)  # n = 140: d = 0.24


# ---- C8, C9: events and their texts


def test_events_come_from_the_wave_metadata(wave):
    (cafe,) = evaluation.evenementen(wave, "C8")
    assert evaluation.evenement(wave, "C8") == cafe and evaluation.evenementen(wave, "C5") == []
    assert (cafe["kort"], cafe["datum"], cafe["codebook"]) == ("Café IV", "2012-09-05", "b7_cafevragenlijst")
    f = evaluation.load(wave, cafe["codebook"])
    assert evaluation.evenement_tekst(cafe, f).startswith(
        "Op 5 september 2012 was het vierde Slimmernetwerk-café, “Doetanks aan zet!”. Er kwamen zeven ingevulde"
    )
    with pytest.raises(LookupError, match="lists no event for appendix C5"):
        evaluation.evenement(wave, "C5")


def test_response_texts_are_filled_in_from_the_response_table(wave):
    f = evaluation.load(wave, "b7_cafevragenlijst")
    assert "13 reacties op van de 65 à 70 aangemelde personen" in evaluation.tekst(f, "respons")
    assert evaluation.tekst(f, "afwezigen") == "Vijf aangemelde personen die niet kwamen, lieten weten waarom."
    assert "spoedklussen" in evaluation.toelichting(f, "c8_afwezigen")
    assert evaluation.toelichting(f, "prioriteiten").startswith("Het rapport geeft alleen de rangorde van de groep")
    assert evaluation.toelichting(f, "antwoorden") == ""
    fewer = evaluation.Form(
        f.wave, f.codebook, f.answers, f.unavailable, {**f.tables, "c8_afwezigen": f.tables["c8_afwezigen"].iloc[:2]}
    )
    assert evaluation.tekst(fewer, "afwezigen").startswith("Twee aangemelde personen")


def test_answers_not_on_the_form_are_named_with_counts_only_for_researchers(wave):
    f = evaluation.load(wave, "b8_grandcafevragenlijst")
    counts = evaluation.keuze(f, 3).set_index("antwoord").aantal
    full = evaluation.bijgeschreven_tekst(f, 3)
    assert full.startswith(
        f"“Ja, deels” ({nl.times(counts['Ja, deels'])}) en “N.v.t.” ({nl.times(counts['N.v.t.'])}) stonden niet op"
    )
    assert evaluation.bijgeschreven_tekst(f, 3, min_cell=5).startswith("“Ja, deels” en “N.v.t.” stonden niet op")
    assert evaluation.bijgeschreven_tekst(f, 2) == ""  # question 2 has only the form's own answers


def test_report_text_gives_the_steering_group_its_own_version(tmp_path, wave):
    f = evaluation.load(wave, "b8_grandcafevragenlijst")
    view = present.Report(tmp_path, 5).text(evaluation.bijgeschreven_tekst, f, 3)
    assert "twee keer" in view.full and "keer" not in view.small
    assert view.small.startswith("<p>") and "“Ja, deels”" in view.small
    same = present.Report(tmp_path, 5).text("Vaste tekst met *nadruk*.")
    assert same.full == same.small == "<p>Vaste tekst met <em>nadruk</em>.</p>\n"


# ---- C1, C2


def test_monthly_levels_text(wave):
    text = inventory.maandniveaus_tekst(inventory.load(wave))
    assert text.startswith("Het ‘ca. 700 per maand’ van Tabel 2 is het gemiddelde van de twee maandniveaus")
    assert "ongeveer 600 (1 januari 2012 – 31 maart 2012) en ongeveer 800" in text


def test_status_departures_are_named_from_the_registry(wave):
    text = doetanks.afwijkingen_tekst(doetanks.load(wave))
    assert text == "Zo geldt Train je collega als afgerond, hoewel Tabel 4 haar bij de Doetanks zet die lopend zijn."


# ---- the wave's metadata


def _meta(raw, **changes):
    path = raw / "metadata.yaml"
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    meta.update(changes)
    path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_wave_period_and_events_are_read_and_checked(raw_copy):
    meta = wave_metadata(raw_copy)["meting"]
    assert meta["periode"] == {"begin": "2012-01-01", "eind": "2012-12-31"}
    assert [e["bijlage"] for e in meta["evenementen"]] == ["C8", "C9"]
    _meta(raw_copy, periode={"begin": "2012-12-31", "eind": "2012-01-01"})
    with pytest.raises(DataFileError, match=r"metadata.yaml, column 'periode'.*ends before it begins"):
        wave_metadata(raw_copy)
    _meta(raw_copy, periode={"begin": "2012-01-01", "eind": "2012-12-31"}, evenementen=[{"bijlage": "C8", "naam": "x"}])
    with pytest.raises(DataFileError, match=r"evenementen, event 1.*needs bijlage, naam, kort, datum, codebook"):
        wave_metadata(raw_copy)
    event = {"bijlage": "C8", "naam": "het vijfde café", "kort": "Café V", "datum": "2012-03-01", "codebook": "b7_cafe"}
    _meta(raw_copy, evenementen=[event])
    with pytest.raises(DataFileError, match=r"value 'b7_cafe': no such codebook"):
        wave_metadata(raw_copy)
    good = {**event, "codebook": "b7_cafevragenlijst"}
    _meta(raw_copy, evenementen=[good, {**good, "datum": "2012-05-01"}])
    with pytest.raises(DataFileError, match=r"event 2': value 'C8': bijlage appears twice"):
        wave_metadata(raw_copy)
    _meta(raw_copy, evenementen=[{**good, "bijlage": "C8 b"}])
    with pytest.raises(DataFileError, match=r"bijlage is not a plain appendix name"):
        wave_metadata(raw_copy)
    _meta(raw_copy, evenementen=[{**good, "bijlage": "X1", "notebook": "X1"}])
    with pytest.raises(
        DataFileError, match=r"form b7_cafevragenlijst is not shown by notebook X1 \(hint: its notebook is C8\)"
    ):
        wave_metadata(raw_copy)
    _meta(raw_copy, evenementen=[{**good, "bijlage": "C8b"}])
    (second,) = wave_metadata(raw_copy)["meting"]["evenementen"]
    assert (second["notebook"], second["bestanden"], second["datum"]) == ("C8", "c8b", "2012-03-01")
    (raw_copy / "metadata.yaml").write_text("wave: 2012\ndatasets: [\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="not valid YAML"):
        wave_metadata(raw_copy)


def test_a_wave_without_a_period_averages_every_level(raw_copy, tmp_path):
    path = raw_copy / "metadata.yaml"
    path.write_text(re.sub(r"(?m)^periode:.*\n", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    w = ingested(raw_copy, tmp_path / "out")
    assert w.periode is None
    assert (
        inventory.afgeleid(inventory.load(w)).set_index("sleutel").waarde["website.bezoekers_per_maand_gemiddeld"]
        == 700
    )
    assert "in de meetperiode" not in inventory.maandniveaus_tekst(inventory.load(w))


def test_a_steering_text_leaves_out_what_its_table_hides(wave, tmp_path):
    q = questionnaire.load(wave)
    assert questionnaire.alfa_tekst(q, min_cell=15).startswith(
        "Elke schaal is door minder dan vijftien respondenten ingevuld: alfa staat niet in deze versie."
    )
    assert "0,80" not in questionnaire.alfa_tekst(q, min_cell=15)


def test_a_doetank_named_again_is_not_new():
    from snwlib.doetanks import _change

    order = {"0": 0, "1": 1, "1 of 2": 2, "2": 3}
    gone = {"fase": None, "status": "niet meer genoemd"}
    assert _change(gone, {"fase": "1", "status": "lopend"}, order) == "weer genoemd"
    assert _change(gone, {"fase": None, "status": "afgerond"}, order) == "weer genoemd"
    assert _change({"fase": None, "status": "gestopt"}, {"fase": "0", "status": "lopend"}, order) == "weer lopend"
    assert _change(None, {"fase": "0", "status": "lopend"}, order) == "nieuw"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"codebook": "b8_grandcafevragenlijst"}, "form b8_grandcafevragenlijst is not shown by notebook C8"),
        ({"bijlage": "C7", "notebook": "C8"}, "value 'C7': bijlage is another instrument's appendix"),
        ({"datum": "2011-05-01"}, "datum lies outside the wave's period (2012-01-01 to 2012-12-31)"),
        ({"datum": ""}, "datum is not a date"),
        ({"codebook": ["b7_cafevragenlijst"]}, "codebook must be one value"),
    ],
)
def test_an_event_that_cannot_be_shown_is_refused(raw_copy, change, message):
    good = {
        "bijlage": "C8",
        "naam": "het café",
        "kort": "Café",
        "datum": "2012-03-01",
        "codebook": "b7_cafevragenlijst",
    }
    _meta(raw_copy, evenementen=[{**good, **change}])
    with pytest.raises(DataFileError, match=re.escape(message)):
        wave_metadata(raw_copy)


def test_a_remark_is_in_status_json_so_that_changing_it_reruns_the_appendix(processed):
    import json

    status = json.loads((processed / "2012" / "status.json").read_text(encoding="utf-8"))
    assert status["toelichting"]["c8_afwezigen"].startswith("De conclusie van het rapport")
