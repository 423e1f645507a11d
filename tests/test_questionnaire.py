"""Appendix C7: reconstruction, Tabel 3, reliability, reference comparison and waves."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from snwlib import comparison, questionnaire
from snwlib.codebook import load_codebook
from snwlib.reconstruct import load_targets, reconstruct, verify, write_reconstruction
from snwlib.scoring import codes

from .conftest import RAW_2012, REPO, ingested

TARGETS = REPO / "data" / "reconstruction" / "c7_doetankvragenlijst.yaml"


@pytest.fixture(scope="module")
def q(wave):
    return questionnaire.load(wave)


def test_reconstruction_is_reproduced_byte_for_byte(tmp_path):
    out = write_reconstruction(TARGETS, tmp_path / "c7_antwoorden.csv")
    assert out.read_bytes() == (RAW_2012 / "c7_antwoorden.csv").read_bytes()


def test_reconstruction_refuses_targets_it_cannot_meet():
    targets = load_targets(TARGETS)
    cb = load_codebook("b5_doetankvragenlijst")
    export = reconstruct(targets, cb)
    assert verify(export, targets, cb) == []
    targets["items"]["v3a"] = {"n": 11, "sum": 46}
    assert verify(export, targets, cb) == ["v3a: sum 45.0, not 46"]


def test_the_processed_answers_hold_no_identifying_item(q):
    assert q.n == 14 and "v10" not in q.answers.columns
    assert q.answers.v1a.dtype == "category" and q.answers.v1a.cat.ordered


def test_response_and_published_counts(q):
    r = questionnaire.respons(q).set_index("categorie")
    assert (r.at["respondenten", "aantal"], r.at["konden_invullen", "aantal"]) == (14, 35)
    assert r.at["volledig_ingevuld", "percentage"] == pytest.approx(40)
    b = questionnaire.beoordelingen(q).set_index("vraag")
    assert (b.at["7K", "n"], b.at["7K", "gemiddelde"], b.at["7K", "laagste"], b.at["7K", "hoogste"]) == (
        13,
        pytest.approx(101 / 13),
        6,
        9,
    )
    assert b.at["3D", "gemiddelde"] == pytest.approx(1052 / 14)
    ref = questionnaire.referentie(q).set_index("maat")
    assert (ref.at["3A", "n"], ref.at["3A", "gemiddelde"]) == (11, pytest.approx(45 / 11))
    assert (ref["referentie jaar"] == 2008).all(), "the year the reference file gives, for the ledger"


def test_tabel3_reproduces_the_report(q):
    t = questionnaire.tabel3(q)
    published = [4.1, 4.3, 3.6, 4.7, 3.4, 4.1, 3.9, 4.1, 4.2, 4.5, 4.8, 4.5, 4.1, 4.5, 4.2, 3.5, 3.6, 7.8]
    assert len(t) == 18
    assert np.allclose(t.gemiddelde, published, atol=0.05)
    assert t.omschrijving.iloc[3] == "(Individuele) werkprestaties (3 items) (1-7)"
    assert t.vraag.tolist()[7:] == [f"7{c}" for c in "ABCDEFGHIJK"]
    assert t.n.tolist()[7:] == [12, 14, 13, 14, 14, 11, 14, 14, 14, 14, 13]


def test_werkprestaties_cannot_be_495_with_the_published_item_means(q):
    assert questionnaire.mean_of_item_means(q, "werkprestaties") == pytest.approx((45 / 11 + 69 / 14 + 70 / 14) / 3)
    assert round(questionnaire.scores(q).werkprestaties.mean(), 1) == 4.7
    # Whatever the answers: with 3A summing to 45 over 11 respondents and 3B + 3C to 139 over 14, the
    # mean of the 14 scale scores is (184/3 + S/6) / 14, S = the 3B + 3C sum of the 3 without 3A
    # (at most 3 * 14 = 42). Its maximum stays below C7's 4,95.
    assert max((184 / 3 + s / 6) / 14 for s in range(0, 43)) == pytest.approx(4.881, abs=5e-4)


def test_reliability_tables_are_dutch_and_match_alpha(q):
    summary, items = questionnaire.alfa(q), questionnaire.alfa_items(q)
    assert list(summary.columns) == [
        "schaal",
        "n",
        "items",
        "alfa",
        "gestandaardiseerde alfa",
        "95%-BI laag",
        "95%-BI hoog",
    ]
    assert summary["items"].tolist() == [4, 7, 7, 3, 6, 4, 4]
    assert (summary.alfa > 0.6).all() and (summary["95%-BI laag"] < summary.alfa).all()
    keyed = questionnaire.reverse_keyed(codes(q.answers, q.codebook), q.codebook)
    ids = ["v2a", "v2b", "v2c", "v2d", "v2e", "v2f", "v2g"]
    assert summary.alfa.iloc[1] == pytest.approx(pg.cronbach_alpha(keyed[ids])[0])
    assert items[items.omgekeerd == "ja"].vraag.tolist() == ["2A", "2C", "2E", "2I", "6B"]
    assert (items["samenhang met rest"] > 0).all(), "the reconstruction has no miskeyed items"


def test_frequencies_add_up_and_declare_how(q):
    f = questionnaire.frequenties(q, 7).set_index("vraag")
    labels = ["Zeer mee oneens", "Mee oneens", "Eens noch oneens", "Mee eens", "Zeer mee eens"]
    assert (f[labels].sum(axis=1) == f.n).all() and (f.n + f["n.v.t./weet niet of leeg"] == 14).all()
    assert f.loc["7D", labels].tolist() == [0, 0, 0, 3, 11]


def test_grouped_frequencies_merge_the_codebooks_groups(q):
    """The groups of the answer scale (codebook) sum the answers they hold; n and the rest stay."""
    fine = questionnaire.frequenties(q, 7).set_index("vraag")
    merged = questionnaire.frequenties(q, 7, grouped=True).set_index("vraag")
    assert list(merged.columns) == ["stelling", "Oneens", "Eens noch oneens", "Eens", "n.v.t./weet niet of leeg", "n"]
    assert (merged.Oneens == fine["Zeer mee oneens"] + fine["Mee oneens"]).all()
    assert (merged.Eens == fine["Mee eens"] + fine["Zeer mee eens"]).all() and merged.loc["7D", "Eens"] == 14
    assert (merged.n == fine.n).all()
    assert set(questionnaire.frequenties_per_sectie(q, grouped=True)) == set(questionnaire.frequenties_per_sectie(q))


def test_the_0_10_answer_is_flagged_and_shown_apart(q, wave):
    t = questionnaire.vermoedelijk_0_10(q)
    assert t.n.tolist() == [14, 13]
    assert t.gemiddelde.tolist() == [pytest.approx(1052 / 14), pytest.approx((1052 - 8) / 13)]
    v = questionnaire.verdeling(q, "v3d").set_index("waarde")
    assert v.at["5-9", "waarvan vermoedelijk 0-10"] == 1 and v.aantal.sum() == 14 and v.index[-1] == "95-100"
    assert questionnaire.verdeling(q, "v7k").waarde.tolist() == [str(i) for i in range(1, 11)]
    warnings = wave.provenance["tables"]["c7_antwoorden"]["warnings"]
    assert len(warnings) == 1 and "value '8': looks like an answer on a 0-10 scale" in warnings[0]


def test_reference_comparison_agrees_with_pingouin(q):
    t = questionnaire.referentie(q)
    assert t.maat.tolist() == ["(Individuele) werkprestaties", "3A", "3B", "3C", "3D"]
    row = t.set_index("maat").loc["3A"]
    x = codes(q.answers, q.codebook).v3a.dropna()
    direct = pg.ttest(x, 4.97)
    assert row.n == 11 and row.verschil == pytest.approx(45 / 11 - 4.97)
    assert row.t == pytest.approx(direct["T"].iloc[0]) and row.BF10 == pytest.approx(float(direct["BF10"].iloc[0]))
    ci = np.asarray(direct.filter(like="CI95").iloc[0, 0]) - 4.97
    assert (round(row["verschil laag"], 2), round(row["verschil hoog"], 2)) == tuple(np.round(ci, 2))
    d = (x.mean() - 4.97) / x.std()
    assert row["Hedges g"] == pytest.approx(d * (1 - 3 / (4 * 10 - 1)))
    assert row["g laag"] < row["Hedges g"] < row["g hoog"]
    assert not any("power" in c for c in t.columns)


def test_between_waves_with_a_fixture_wave(tmp_path, q):
    raw = tmp_path / "raw"
    import shutil

    shutil.copytree(RAW_2012, raw / "2012")
    later = raw / "2013"
    later.mkdir()
    df = pd.read_csv(RAW_2012 / "c7_antwoorden.csv", dtype=str, keep_default_na=False)
    agree = [c for c in df.columns if c[:2] in ("v1", "v2", "v5", "v6")]
    df = df.iloc[:9]  # 9 respondents, more positive on the agree-scales
    df[agree] = df[agree].replace({"Mee eens": "Helemaal mee eens"})
    df.to_csv(later / "c7_antwoorden.csv", index=False)
    ingested(raw / "2012", tmp_path / "out")
    w13 = ingested(later, tmp_path / "out")
    q13 = questionnaire.load(w13)
    before = questionnaire.previous(w13)
    assert before.wave == "2012" and before.n == 14
    assert questionnaire.vergelijking_tekst(q13, before).startswith(
        "Meting 2013 (n = 9) vergeleken met meting 2012 (n = 14)"
    )
    row = questionnaire.metingen(q13, before).set_index("schaal").loc["Innovatief werkgedrag"]
    a, b = questionnaire.scores(q).innovatief_werkgedrag, questionnaire.scores(q13).innovatief_werkgedrag
    assert (row["n eerder"], row["n later"]) == (14, 9)
    assert row.verschil == pytest.approx(b.mean() - a.mean()) and row.verschil > 0
    assert row.t == pytest.approx(pg.ttest(b, a, correction=True)["T"].iloc[0])
    assert questionnaire.profiel(q13, before).meting.tolist() == ["2012"] * 7 + ["2013"] * 7
    assert questionnaire.previous(ingested(raw / "2012", tmp_path / "out")) is None
    assert "geen eerdere meting" in questionnaire.vergelijking_tekst(q, None) and questionnaire.metingen(q, None).empty


def test_a_wave_ingested_from_another_data_dir_is_not_an_earlier_wave(tmp_path, raw_copy):
    other = tmp_path / "elders" / "2011"
    other.parent.mkdir()
    import shutil

    shutil.copytree(RAW_2012, other)
    ingested(other, tmp_path / "out")
    assert questionnaire.previous(ingested(raw_copy, tmp_path / "out")) is None


def test_detectable_effect_shrinks_with_n():
    assert comparison.detectable_effect(14) == pytest.approx(0.81, abs=0.005)
    assert comparison.detectable_effect(100) < comparison.detectable_effect(14)
    assert comparison.effect_words(comparison.detectable_effect(14)) == "groot"
