"""Appendix C7: reconstruction, Tabel 3, reliability, reference comparison and waves."""
import shutil

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from snwlib import comparison, questionnaire
from snwlib.codebook import load_codebook
from snwlib.reconstruct import load_targets, reconstruct, verify, write_reconstruction

from .conftest import REPO, RAW_2012

TARGETS = REPO / "data" / "reconstruction" / "c7_doetankvragenlijst.yaml"


@pytest.fixture(scope="module")
def q():
    return questionnaire.load_questionnaire(RAW_2012)


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


def test_response_and_published_counts(q):
    v = questionnaire.quantities(q)
    assert (v["respondents"], v["respons.konden_invullen"], v["respons.pct"]) == (14, 35, 40)
    assert (v["item.v3a.n"], v["item.v3a.mean"]) == (11, pytest.approx(45 / 11))
    assert (v["item.v7k.n"], v["item.v7k.mean"], v["item.v7k.min"], v["item.v7k.max"]) == (13, pytest.approx(101 / 13), 6, 9)
    assert v["item.v3d.mean"] == pytest.approx(1052 / 14)
    assert "item.v10.n" not in v.index and "v10" not in q.answers.columns


def test_tabel3_reproduces_the_report(q):
    t = questionnaire.tabel3(q)
    published = [4.1, 4.3, 3.6, 4.7, 3.4, 4.1, 3.9, 4.1, 4.2, 4.5, 4.8, 4.5, 4.1, 4.5, 4.2, 3.5, 3.6, 7.8]
    assert len(t) == 18
    assert np.allclose(t.gemiddelde, published, atol=0.05)
    assert t.vraag.iloc[3] == "(Individuele) werkprestaties (3 items) (1-7)"
    assert t.n.tolist()[7:] == [12, 14, 13, 14, 14, 11, 14, 14, 14, 14, 13]


def test_werkprestaties_cannot_be_495_with_the_published_item_means(q):
    v = questionnaire.quantities(q)
    assert v["scale.werkprestaties.mean_of_item_means"] == pytest.approx((45 / 11 + 69 / 14 + 70 / 14) / 3)
    assert round(v["scale.werkprestaties.mean"], 1) == 4.7
    # Whatever the answers: with 3A summing to 45 over 11 respondents and 3B + 3C to 139 over 14, the
    # mean of the 14 scale scores is (184/3 + S/6) / 14, S = the 3B + 3C sum of the 3 without 3A
    # (at most 3 * 14 = 42). Its maximum stays below C7's 4,95.
    assert max((184 / 3 + s / 6) / 14 for s in range(0, 43)) == pytest.approx(4.881, abs=5e-4)


def test_reliability_table_is_dutch_and_matches_alpha(q):
    summary, items = questionnaire.reliability(q)
    assert list(summary.columns) == ["schaal", "n", "items", "alfa", "gestandaardiseerde alfa", "95%-BI laag", "95%-BI hoog"]
    assert summary["items"].tolist() == [4, 7, 7, 3, 6, 4, 4]
    assert (summary.alfa > 0.6).all() and (summary["95%-BI laag"] < summary.alfa).all()
    keyed = questionnaire.reverse_keyed(q.answers, q.codebook)
    ids = ["v2a", "v2b", "v2c", "v2d", "v2e", "v2f", "v2g"]
    assert summary.alfa.iloc[1] == pytest.approx(pg.cronbach_alpha(keyed[ids])[0])
    assert items[items.omgekeerd == "ja"].item.tolist() == ["v2a", "v2c", "v2e", "v2i", "v6b"]
    assert (items["samenhang met rest"] > 0).all(), "the reconstruction has no miskeyed items"


def test_rating_check_flags_the_0_10_answer(q):
    t = questionnaire.rating_check(q)
    assert t.n.tolist() == [14, 13]
    assert t.gemiddelde.iloc[0] == pytest.approx(1052 / 14)
    assert t.gemiddelde.iloc[1] == pytest.approx((1052 - 8) / 13)
    assert [f.value for f in q.flags] == ["8"]


def test_reference_comparison_agrees_with_pingouin(q):
    ref = questionnaire.load_reference_values()
    t = comparison.reference_table(questionnaire.comparison_data(q), ref)
    assert t.measure.tolist() == ["werkprestaties", "v3a", "v3b", "v3c", "v3d"]
    row = t.set_index("measure").loc["v3a"]
    x = q.answers.v3a.dropna()
    direct = pg.ttest(x, 4.97)
    assert row.n == 11 and row.difference == pytest.approx(45 / 11 - 4.97)
    assert row.t == pytest.approx(direct["T"].iloc[0]) and row.bf10 == pytest.approx(float(direct["BF10"].iloc[0]))
    ci = np.asarray(direct.filter(like="CI95").iloc[0, 0]) - 4.97
    assert (round(row.diff_low, 2), round(row.diff_high, 2)) == tuple(np.round(ci, 2))
    d = (x.mean() - 4.97) / x.std()
    assert row.hedges_g == pytest.approx(d * (1 - 3 / (4 * 10 - 1)))
    assert row.g_low < row.hedges_g < row.g_high
    assert "power" not in t.columns


def test_between_waves_with_a_fixture_wave(tmp_path, q):
    shutil.copytree(RAW_2012, tmp_path / "2012")
    later = tmp_path / "2013"
    later.mkdir()
    df = pd.read_csv(RAW_2012 / "c7_antwoorden.csv", dtype=str, keep_default_na=False)
    agree = [c for c in df.columns if c[:2] in ("v1", "v2", "v5", "v6")]
    df = df.iloc[:9]  # 9 respondents, more positive on the agree-scales
    df[agree] = df[agree].replace({"Mee eens": "Helemaal mee eens"})
    df.to_csv(later / "c7_antwoorden.csv", index=False)
    q13 = questionnaire.load_questionnaire(later)
    assert questionnaire.earlier_waves(tmp_path, "2013") == ["2012"]
    text, table, fig = questionnaire.compare_with_earlier(q13, tmp_path)
    assert text.startswith("Meting 2013 (n = 9) vergeleken met meting 2012 (n = 14)")
    row = table.set_index("schaal").loc["Innovatief werkgedrag"]
    a, b = q.scores.innovatief_werkgedrag, q13.scores.innovatief_werkgedrag
    assert (row.n_earlier, row.n_later) == (14, 9)
    assert row.difference == pytest.approx(b.mean() - a.mean()) and row.difference > 0
    assert row.t == pytest.approx(pg.ttest(b, a, correction=True)["T"].iloc[0])
    assert fig is not None
    text, table, fig = questionnaire.compare_with_earlier(q, tmp_path)
    assert "geen eerdere meting" in text and table.empty and fig is None


def test_detectable_effect_shrinks_with_n():
    assert comparison.detectable_effect(14) == pytest.approx(0.81, abs=0.005)
    assert comparison.detectable_effect(100) < comparison.detectable_effect(14)


def test_steering_group_figures_leave_out_what_the_tables_hide(q):
    """Section 2's figure for the steering group draws only the answers its frequency table shows,
    and lays them out without gaps; the rating histogram keeps no bar of fewer than 5."""
    import matplotlib.pyplot as plt

    from snwlib import figures
    from snwlib.report import SUPPRESSED, suppress_small

    shown = suppress_small(questionnaire.frequencies(q, 2), 5)[0]
    labels = list(load_codebook("b5_doetankvragenlijst")["answer_scales"]["eens5"]["codes"].values())
    visible = int((shown[labels].ne(SUPPRESSED) & shown[labels].ne(0)).sum().sum())
    full, small = questionnaire.section_figure(q, 2), questionnaire.section_figure(q, 2, min_cell=5)
    drawn = [p for p in small.axes[0].patches if p.get_width() > 0]
    assert len(drawn) == visible < len([p for p in full.axes[0].patches if p.get_width() > 0])
    for y in {round(p.get_y(), 3) for p in drawn}:  # the visible segments of a bar touch
        row = sorted((p.get_x(), p.get_x() + p.get_width()) for p in drawn if round(p.get_y(), 3) == y)
        assert all(abs(a[1] - b[0]) < 1e-9 for a, b in zip(row, row[1:]))
    assert "af te leiden" in small.axes[0].get_xlabel() and "af te leiden" not in full.axes[0].get_xlabel()
    ratings = figures.rating_distributions(q.answers.v3d, q.answers.v7k, suspect_max=10, min_cell=5)
    heights = [p.get_height() for a in ratings.axes for p in a.patches if p.get_height() > 0]
    assert heights and min(heights) >= 5
    assert ratings.axes[0].get_legend() is None, "one 0-10 answer: not even named in the legend"
    plt.close("all")
