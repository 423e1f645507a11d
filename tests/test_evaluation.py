"""Appendices C8 and C9: evaluation forms, their reconstruction from tallies, and the ledger."""
import pandas as pd
import pytest

from snwlib import evaluation as ev
from snwlib.codebook import load_codebook
from snwlib.io import DataFileError
from snwlib.ledger import Ledger, counts, load_reference
from snwlib.reconstruct import from_tallies, load_targets, write_reconstruction
from snwlib.scoring import NOT_IN_SOURCE, read_answers

from .conftest import RAW_2012, REPO, edit_csv

RECON = REPO / "data" / "reconstruction"


@pytest.fixture(scope="module")
def c8():
    return ev.load_form(RAW_2012, "b7_cafevragenlijst")


@pytest.fixture(scope="module")
def c9():
    return ev.load_form(RAW_2012, "b8_grandcafevragenlijst")


@pytest.mark.parametrize("targets, export", [("c8_cafe4.yaml", "c8_antwoorden.csv"), ("c9_grandcafe.yaml", "c9_antwoorden.csv")])
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
    cb = {"instrument": "x", "respondent_id": "r",
          "answer_scales": {"jn": {"type": "nominal", "codes": {1: "Ja", 2: "Nee"}}, "t": {"type": "text"}},
          "items": [{"id": "q", "answers": "jn", "text": ""}, {"id": "u", "answers": "t", "text": ""}]}
    raw = pd.DataFrame({"r": ["a", "b", "c"], "q": ["Ja", " [Niet in de bron] ", ""], "u": [NOT_IN_SOURCE, "x", ""]}, index=[2, 3, 4])
    s = read_answers(raw, cb)
    assert s.answers.q.isna().tolist() == [False, True, True]
    assert s.unavailable.q.tolist() == [False, True, False]
    assert s.unavailable.u.tolist() == [True, False, False] and s.answers.u.tolist() == [None, "x", None]


def test_c8_tallies_as_published(c8):
    assert c8.n == 7
    assert ev.choice_table(c8, "v3").aantal.tolist() == [3, 1, 1, 2, 0]
    assert ev.named_counts(c8, "v3_doetank").values.tolist() == [["Kennisbehoud", 3]]
    assert ev.multi_table(c8, 4).aantal.tolist() == [0, 0, 1, 6]
    grid = ev.grid_table(c8, 9).set_index("")
    assert grid.loc["Kennis en vaardigheden delen", ["te weinig aandacht", "precies genoeg aandacht",
                                                     "te veel aandacht", "geen mening", "n"]].tolist() == [1, 3, 0, 2, 6]
    assert list(grid.index) == ["Netwerken", "Inspiratie opdoen", "Kennis en vaardigheden opdoen",
                                "Kennis en vaardigheden delen", "Werken aan concrete (doetank)-vraagstukken"]
    assert ev.choice_table(c8, "v16").aantal.tolist() == [0, 4, 1, 2]
    assert round(c8.answers.v10.mean(), 2) == 7.83 and c8.answers.v10.notna().sum() == 6


def test_c8_ranking_is_shown_as_published_not_invented(c8):
    t = ev.rank_table(c8, 8)
    assert t["rangorde (gepubliceerd)"].tolist() == [4, 1, 3, 2, 5]
    assert (t["rangorde (berekend)"] == ev.NOT_AVAILABLE).all()
    assert c8.answers.filter(like="v8_").select_dtypes("number").notna().sum().sum() == 0


def test_rank_table_computes_when_individual_priorities_exist(raw_copy):
    path = raw_copy / "c8_antwoorden.csv"
    text = path.read_text(encoding="utf-8")
    first = "[niet in de bron],[niet in de bron],[niet in de bron],[niet in de bron],[niet in de bron]"
    ranks = ["2,1,3,4,5", "3,1,2,5,4", "4,1,3,2,5"]
    for r in ranks:
        text = text.replace(first, r, 1)
    path.write_text(text, encoding="utf-8")
    t = ev.rank_table(ev.load_form(raw_copy, "b7_cafevragenlijst"), 8)
    assert t.n.tolist() == [3] * 5
    assert t["gemiddelde prioriteit"].tolist() == ["3,00", "1,00", "2,67", "3,67", "4,67"]
    assert t["rangorde (berekend)"].tolist() == [3, 1, 2, 4, 5]


def test_c9_counts_grade_and_unavailable(c9):
    assert c9.n == 32
    assert ev.choice_table(c9, "v3").aantal.tolist() == [26, 3, 2, 1, 0]
    t = ev.choice_table(c9, "v10")
    assert t.values.tolist() == [["Ja", 23, "72%"], ["Nee", 0, "0%"], [ev.NOT_AVAILABLE, 6, "19%"], [ev.NO_ANSWER, 3, "9%"]]
    assert ev.question_table(c9, 8).antwoord.tolist() == [ev.NOT_AVAILABLE]
    g = c9.answers.v6.dropna()
    assert (len(g), g.sum(), g.min(), g.max()) == (30, 223, 4, 9) and f"{g.mean():.2f}" == "7.43"
    assert ev.text_answers(c9, "v5_sterk").antwoord.tolist() == [f"[26 antwoord(en): {ev.NOT_AVAILABLE}]"]


def test_c9_addendum_lists_the_15_issues_in_the_reports_order(c9):
    lines = ev.text_lines(c9, "v4_toelichting").antwoord.tolist()
    assert len(lines) == 15
    assert lines[0] == "ik kom hier later op terug" and lines[9] == "relatie burger-uitvoering"
    assert lines[14] == "mobiliteit in opbouwende (transitie) van organisatie"


def test_percent_base_is_printed_and_counts_stand_beside_percentages(c9):
    t = ev.choice_table(c9, "v4")
    assert list(t.columns) == ["antwoord", "aantal", "% (van 32)"]
    assert t.values.tolist() == [["Ja", 12, "38%"], ["Nee", 18, "56%"], [ev.NO_ANSWER, 2, "6%"]]


def test_views_cover_every_question_and_skip_unused_open_fields(c8, c9):
    for form in (c8, c9):
        for section in form.codebook["sections"]:
            assert ev.views(form, section), section
    captions = [c for c, _ in ev.views(c8, 8)]
    assert captions[1:] == ["8. Anders, namelijk"], "the unused second 'Anders' field is left out"


def test_identifying_columns_never_leave_ingestion(raw_copy):
    path = raw_copy / "c9_antwoorden.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1].endswith(",,,")
    lines[1] = lines[1][:-3] + ",Anna Pietersma,06-98765432,a.pietersma@example.nl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    form = ev.load_form(raw_copy, "b8_grandcafevragenlijst")
    assert not {"v11_naam", "v11_telefoon", "v11_email"} & set(form.answers.columns)
    shown = pd.concat([t.astype(str) for s in form.codebook["sections"] for _, t in ev.views(form, s)]).to_string()
    assert "Pietersma" not in shown and "98765432" not in shown
    assert "Pietersma" not in ev.quantities(form).to_string()


def test_free_text_is_scrubbed_on_display(c8, raw_copy):
    reasons = ev.scrubbed_table(c8, "c8_afwezigen", "reden").reden.tolist()
    assert "mijn collega ([naam]) er alleen" in reasons[3]
    assert "Kamp" not in " ".join(reasons)
    edit_csv(raw_copy / "c8_antwoorden.csv", "Ligging accommodatie", "Ligging accommodatie; vraag Joke Smit (joke@smit.nl)")
    (raw_copy / "privacy_denylist.txt").write_text("# extra names\nAtlantis\n", encoding="utf-8")
    form = ev.load_form(raw_copy, "b7_cafevragenlijst")
    weak = ev.text_answers(form, "v5_zwak").antwoord.tolist()
    assert weak[2] == "Ligging accommodatie; vraag [naam] ([e-mailadres])"
    assert ev.text_answers(form, "v1").antwoord.tolist()[5] == "[naam] Advies"


@pytest.mark.parametrize("appendix, codebook, expected", [
    ("C8", "b7_cafevragenlijst", {"match": 65, "mismatch": 0, "report-inconsistent": 1, "not-in-source": 0}),
    ("C9", "b8_grandcafevragenlijst", {"match": 32, "mismatch": 0, "report-inconsistent": 2, "not-in-source": 4}),
])
def test_every_published_number_is_in_the_ledger(appendix, codebook, expected):
    led = Ledger(appendix)
    table = led.check_reference(load_reference(appendix, "2012"), ev.quantities(ev.load_form(RAW_2012, codebook)))
    assert counts(table) == expected


def test_a_wrong_tally_is_a_mismatch(raw_copy):
    edit_csv(raw_copy / "c8_antwoorden.csv", "C8-03,Waterschap De Dommel,Adviseur Kennismanagement,\"Ja, namelijk\"",
             "C8-03,Waterschap De Dommel,Adviseur Kennismanagement,Nee")
    table = Ledger("C8").check_reference(load_reference("C8", "2012"),
                                         ev.quantities(ev.load_form(raw_copy, "b7_cafevragenlijst")))
    bad = table[table.status == "mismatch"].quantity.tolist()
    assert bad == ["Vraag 3: in een Doetank (ja, namelijk)", "Vraag 3: nee"]


def test_small_groups_are_hidden_for_the_steering_group_only(c8, c9):
    from snwlib.report import SUPPRESSED, TwoViews, keep_view, suppress_small, tabel

    small, hidden = suppress_small(ev.choice_table(c8, "v7"), 5)
    assert small.aantal.tolist() == [SUPPRESSED, 0, SUPPRESSED, SUPPRESSED, SUPPRESSED]
    assert small["% (van 7)"].tolist() == [SUPPRESSED, "0%", SUPPRESSED, SUPPRESSED, SUPPRESSED] and hidden == 8
    big, hidden = suppress_small(ev.choice_table(c9, "v4"), 5)
    assert big.aantal.tolist() == [SUPPRESSED, 18, SUPPRESSED] and hidden == 4, \
        "2 without an answer is hidden; 12 goes too, or 32 - 12 - 18 would give the 2 away"
    bars = ev.choice_figure(c9, "v4", "4.", min_cell=5).axes[0]
    assert [t.get_text() for t in bars.texts] == ["*", "18 (56%)", "*"], "the figure hides what the table hides"
    assert "af te leiden" in bars.get_xlabel()
    shown = suppress_small(ev.grid_table(c8, 9), 5)[0]
    labels = ["te weinig aandacht", "precies genoeg aandacht", "te veel aandacht", "geen mening"]
    grid = ev.grid_figure(c8, 9, min_cell=5).axes[0]
    assert len(grid.patches) == int((shown[labels] != SUPPRESSED).sum().sum()), "segments the table hides are not drawn"
    assert [t.get_text().endswith("(n=*)") for t in grid.get_yticklabels()] == (shown.n == SUPPRESSED).tolist()
    assert (shown.n == SUPPRESSED).sum() == 4 and shown.n.iloc[0] == 7
    grades, _ = suppress_small(ev.grade_table(c8, ["v10", "v17"]), 6)
    assert grades.gemiddelde.tolist() == ["7,83", SUPPRESSED], "LinkedIn: 5 grades, fewer than 6"
    assert grades.n.tolist() == [6, 5], "group sizes stay visible"
    view = tabel(ev.choice_table(c8, "v7"), "7.")
    assert isinstance(view, TwoViews)
    page = view._repr_html_()
    researchers, steering = keep_view(page, "onderzoekers"), keep_view(page, "stuurgroep")
    assert ">3<" in researchers and "minder dan 5 respondenten" not in researchers
    assert ">3<" not in steering and "minder dan 5 respondenten" in steering
    assert not isinstance(tabel(ev.choice_table(c9, "v2")), TwoViews), "no small group, one table"
