"""Appendices C8 and C9: evaluation forms, their reconstruction from tallies, and their tables."""

import pandas as pd
import pytest

from snwlib import evaluation as ev
from snwlib.codebook import load_codebook
from snwlib.files import DataFileError
from snwlib.reconstruct import from_tallies, load_targets, write_reconstruction
from snwlib.scoring import NOT_IN_SOURCE, read_answers

from .conftest import RAW_2012, REPO, edit_csv, ingested

RECON = REPO / "data" / "reconstruction"


@pytest.fixture(scope="module")
def c8(wave):
    return ev.load(wave, "b7_cafevragenlijst")


@pytest.fixture(scope="module")
def c9(wave):
    return ev.load(wave, "b8_grandcafevragenlijst")


@pytest.mark.parametrize(
    "targets, export", [("c8_cafe4.yaml", "c8_antwoorden.csv"), ("c9_grandcafe.yaml", "c9_antwoorden.csv")]
)
def test_reconstructions_are_reproduced_byte_for_byte(tmp_path, targets, export):
    out = write_reconstruction(RECON / targets, tmp_path / export)
    assert out.read_bytes() == (RAW_2012 / export).read_bytes()


def test_from_tallies_refuses_too_many_answers_and_unknown_items_and_labels():
    cb = load_codebook("b8_grandcafevragenlijst")
    spec = load_targets(RECON / "c9_grandcafe.yaml")
    too_many = {**spec, "columns": {"v2": {"counts": [["Ja", 30], ["Nee", 3]]}}}
    with pytest.raises(ValueError, match="v2: 33 cells for 32 respondents"):
        from_tallies(too_many, cb)
    with pytest.raises(ValueError, match="no item"):
        from_tallies({**spec, "columns": {"v99": {"counts": []}}}, cb)
    with pytest.raises(DataFileError, match="unknown answer label"):
        from_tallies({**spec, "columns": {"v2": {"counts": [["Jawel", 1]]}}}, cb)


def test_not_in_source_is_missing_but_marked():
    cb = {
        "instrument": "x",
        "respondent_id": "r",
        "answer_scales": {"jn": {"type": "nominal", "codes": {1: "Ja", 2: "Nee"}}, "t": {"type": "text"}},
        "items": [{"id": "q", "answers": "jn", "text": ""}, {"id": "u", "answers": "t", "text": ""}],
    }
    raw = pd.DataFrame(
        {"r": ["a", "b", "c"], "q": ["Ja", " [Niet in de bron] ", ""], "u": [NOT_IN_SOURCE, "x", ""]}, index=[2, 3, 4]
    )
    s = read_answers(raw, cb)
    assert s.answers.q.isna().tolist() == [False, True, True]
    assert s.unavailable.q.tolist() == [False, True, False]
    assert s.unavailable.u.tolist() == [True, False, False] and s.answers.u.tolist() == [None, "x", None]


def test_c8_tallies_as_published(c8):
    assert c8.n == 7
    assert ev.keuze(c8, 3).aantal.tolist() == [3, 1, 1, 2, 0]
    assert ev.genoemd(c8, 3).values.tolist() == [["Kennisbehoud", 3], [ev.NAMED_TOTAL, 3]]
    assert ev.meerkeuze(c8, 4).aantal.tolist() == [0, 0, 1, 6]
    grid = ev.raster(c8, 9).set_index("onderdeel")
    cols = ["te weinig aandacht", "precies genoeg aandacht", "te veel aandacht", "geen mening", "n"]
    assert grid.loc["Kennis en vaardigheden delen", cols].tolist() == [1, 3, 0, 2, 6]
    assert list(grid.index) == [
        "Netwerken",
        "Inspiratie opdoen",
        "Kennis en vaardigheden opdoen",
        "Kennis en vaardigheden delen",
        "Werken aan concrete (doetank)-vraagstukken",
    ]
    assert ev.keuze(c8, 16).aantal.tolist() == [0, 4, 1, 2]
    g = ev.cijfers(c8, 10).iloc[0]
    assert (round(g.gemiddelde, 2), g.n, g["7"], g["8"]) == (7.83, 6, 1, 5)


def test_c8_ranking_is_shown_as_published_not_invented(c8):
    t = ev.rangorde(c8, 8)
    assert t["rangorde (gepubliceerd)"].tolist() == [4, 1, 3, 2, 5]
    assert t["rangorde (berekend)"].isna().all() and (t.n == 0).all()


def test_rank_table_computes_when_individual_priorities_exist(raw_copy, tmp_path):
    path = raw_copy / "c8_antwoorden.csv"
    text = path.read_text(encoding="utf-8")
    first = "[niet in de bron],[niet in de bron],[niet in de bron],[niet in de bron],[niet in de bron]"
    for r in ["2,1,3,4,5", "3,1,2,5,4", "4,1,3,2,5"]:
        text = text.replace(first, r, 1)
    path.write_text(text, encoding="utf-8")
    t = ev.rangorde(ev.load(ingested(raw_copy, tmp_path / "out"), "b7_cafevragenlijst"), 8)
    assert t.n.tolist() == [3] * 5
    assert t["gemiddelde prioriteit"].round(2).tolist() == [3.00, 1.00, 2.67, 3.67, 4.67]
    assert t["rangorde (berekend)"].tolist() == [3, 1, 2, 4, 5]


def test_c9_counts_grade_and_unavailable(c9):
    assert c9.n == 32
    assert ev.keuze(c9, 3).aantal.tolist() == [26, 3, 2, 1, 0]
    t = ev.keuze(c9, 10)
    assert t.antwoord.tolist() == ["Ja", "Nee", ev.NOT_AVAILABLE, ev.NO_ANSWER] and t.aantal.tolist() == [23, 0, 6, 3]
    assert t.percentage.round(1).tolist() == [71.9, 0.0, 18.8, 9.4]
    q8 = ev.keuze(c9, 8)
    assert q8.set_index("antwoord").aantal.drop([ev.NOT_AVAILABLE, ev.NO_ANSWER]).isna().all(), "unknown, not zero"
    g = ev.cijfers(c9, 6).iloc[0]
    assert (g.n, g.laagste, g.hoogste, f"{g.gemiddelde:.2f}") == (30, 4, 9, "7.43")
    assert ev.open_antwoorden(c9, 5)["v5_sterk"][1].antwoord.tolist() == [f"[26 antwoord(en): {ev.NOT_AVAILABLE}]"]


def test_c9_addendum_lists_the_15_issues_in_alphabetical_order(c9):
    lines = ev.regels(c9, 4).antwoord.tolist()
    assert len(lines) == 15 and lines == sorted(lines, key=str.casefold)
    assert "ik kom hier later op terug" in lines and "relatie burger-uitvoering" in lines
    assert "mobiliteit in opbouwende (transitie) van organisatie" in lines


def test_open_answers_cannot_be_linked_across_questions_by_their_position(c8):
    """In the export's order, C8's answers to questions 1 and 2 pair an organisation with a job."""
    organisations = ev.open_antwoorden(c8, 1)["v1"][1].antwoord.tolist()
    jobs = ev.open_antwoorden(c8, 2)["v2"][1].antwoord.tolist()
    assert organisations == sorted(organisations, key=str.casefold) and jobs == sorted(jobs, key=str.casefold)
    exported = list(zip(c8.answers.v1.dropna(), c8.answers.v2.dropna(), strict=False))
    assert sum(pair in exported for pair in zip(organisations, jobs, strict=False)) < len(exported) // 2


def test_open_overview_counts_what_the_report_counts(c8, c9):
    o = ev.open_overzicht(c9).set_index("item")
    assert "v2_doetank" not in o.index, "counted by name, under the small-group rule"
    named = ev.genoemd(c9, 2).set_index("antwoord").aantal
    assert (named[ev.NAMED_TOTAL], named[ev.NOT_AVAILABLE]) == (8, 1)
    assert o.at["v4_toelichting", "regels"] == 15 and o.at["v5_sterk", "gegeven"] == 26
    assert ev.open_overzicht(c8).set_index("item").at["v1", "gegeven"] == 6


def test_open_overview_counts_the_numbered_lines_of_the_appendix_dashes_included(c8):
    """C8 numbers every listed form, printing a dash for one that left the question open: question
    13 has six numbered lines, one of them a dash (r. 5216-5223)."""
    o = ev.open_overzicht(c8).set_index("item")
    assert o.loc["v13", ["gegeven", "in de lijst"]].tolist() == [5, 6]
    assert o.loc[["v14", "v18", "v19"], "in de lijst"].tolist() == [6, 6, 6]
    assert o.loc[["v14", "v18", "v19"], "gegeven"].tolist() == [3, 3, 4]
    assert (o["in de lijst"] >= o["gegeven"]).all()


def test_unused_open_fields_are_left_out(c8):
    assert [c for c, _ in ev.open_antwoorden(c8, 8).values()] == ["8. Anders, namelijk"]


def test_response_table_with_the_forms_and_the_absentees(c8):
    r = ev.respons(c8).set_index("categorie").aantal
    assert (r["formulieren"], r["c8_afwezigen"], r["reacties"]) == (7, 5, 13)


def test_identifying_columns_never_leave_ingestion(raw_copy, tmp_path):
    path = raw_copy / "c9_antwoorden.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1].endswith(",,,")
    lines[1] = lines[1][:-3] + ",Anna Pietersma,06-98765432,a.pietersma@example.nl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    w = ingested(raw_copy, tmp_path / "out")
    form = ev.load(w, "b8_grandcafevragenlijst")
    assert not {"v11_naam", "v11_telefoon", "v11_email"} & set(form.answers.columns)
    assert w.provenance["tables"]["c9_antwoorden"]["dropped"] == ["v11_naam", "v11_telefoon", "v11_email"]
    for p in (tmp_path / "out").rglob("*.parquet"):
        text = pd.read_parquet(p).astype(str).to_string()
        assert "Pietersma" not in text and "98765432" not in text, p


def test_free_text_is_scrubbed_at_ingestion(c8, raw_copy, tmp_path):
    reasons = ev.tabel(c8, "c8_afwezigen").reden.tolist()
    assert "mijn collega ([naam]) er alleen" in reasons[3]
    assert "Kamp" not in " ".join(reasons)
    edit_csv(
        raw_copy / "c8_antwoorden.csv", "Ligging accommodatie", "Ligging accommodatie; vraag Joke Smit (joke@smit.nl)"
    )
    (raw_copy / "privacy_denylist.txt").write_text("# extra names\nAtlantis\n", encoding="utf-8")
    w = ingested(raw_copy, tmp_path / "out")
    form = ev.load(w, "b7_cafevragenlijst")
    weak = ev.open_antwoorden(form, 5)["v5_zwak"][1].antwoord.tolist()
    assert "Ligging accommodatie; vraag [naam] ([e-mailadres])" in weak
    assert "[naam] Advies" in ev.open_antwoorden(form, 1)["v1"][1].antwoord.tolist()
    assert w.provenance["tables"]["c8_antwoorden"]["scrubbed"] == {"v1": 1, "v5_zwak": 1}
    assert "Atlantis" not in (tmp_path / "out" / "data" / "processed" / "2012" / "provenance.json").read_text()
