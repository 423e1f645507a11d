"""The steering group's disclosure policy: counts, complements, statistics, extremes, means."""

import numpy as np
import pandas as pd

from snwlib.disclosure import audit, protect
from snwlib.tables import declare, structure_of


def _grid():
    """Three items of 14 respondents; n (answered) = eens + oneens, and n + geen antwoord = 14."""
    t = pd.DataFrame(
        {"": ["a", "b", "c"], "eens": [6, 1, 5], "oneens": [8, 9, 7], "geen antwoord": [0, 4, 2], "n": [14, 10, 12]}
    )
    return declare(
        t,
        counts=["eens", "oneens", "geen antwoord", "n"],
        row_totals=[["eens", "oneens"], ["eens", "oneens", "geen antwoord"], ["n", "geen antwoord"]],
    )


def test_a_hidden_count_that_the_visible_totals_give_away_takes_other_cells_with_it():
    """Row b: eens 1 is hidden, but eens + oneens = n = 10, so oneens goes too; geen antwoord 4 is
    hidden, but n + geen antwoord = 14, so n goes too. Row c: geen antwoord 2 is hidden; the three
    counts add up to 14, so the smallest other (eens 5) goes; then oneens (eens + oneens = n) and
    n (n + geen antwoord = 14)."""
    p = protect(_grid(), 5)
    assert set(p.hidden) == {
        (1, "eens"),
        (1, "oneens"),
        (1, "geen antwoord"),
        (1, "n"),
        (2, "eens"),
        (2, "oneens"),
        (2, "geen antwoord"),
        (2, "n"),
    }
    assert p.shown().iloc[0, 1:].tolist() == [6, 8, 0, 14], "no small cell, nothing hidden"
    assert audit(_grid(), p.hidden, structure_of(_grid()), 5) == []


def test_without_a_visible_total_only_the_small_cells_go():
    t = declare(_grid().copy(), counts=["eens", "oneens", "geen antwoord", "n"])
    assert set(protect(t, 5).hidden) == {(1, "eens"), (1, "geen antwoord"), (2, "geen antwoord")}


def test_a_column_that_adds_up_to_the_sample_hides_its_percentages_too():
    t = declare(
        pd.DataFrame({"antwoord": ["Ja", "Nee", "geen antwoord"], "aantal": [12, 18, 2], "pct": [37.5, 56.25, 6.25]}),
        counts=["aantal"],
        derived={"aantal": ["pct"]},
        column_totals=["aantal"],
    )
    shown = protect(t, 5).shown()
    assert shown.aantal.isna().tolist() == [True, False, True] and shown.pct.isna().tolist() == [True, False, True]


def test_zeros_describe_nobody_and_are_taken_only_when_nothing_else_is_left():
    t = declare(
        pd.DataFrame({"antwoord": ["Ja", "Nee"], "aantal": [3, 0]}), counts=["aantal"], column_totals=["aantal"]
    )
    assert set(protect(t, 5).hidden) == {(0, "aantal"), (1, "aantal")}, "3 = total - 0: the zero must go"
    t = declare(
        pd.DataFrame({"antwoord": ["Ja", "Nee", "?"], "aantal": [3, 0, 9]}), counts=["aantal"], column_totals=["aantal"]
    )
    assert set(protect(t, 5).hidden) == {(0, "aantal"), (2, "aantal")}


def test_statistics_of_a_small_group_are_hidden_and_its_n_too():
    t = declare(
        pd.DataFrame({"item": ["a", "b"], "n": [5, 3], "gemiddelde": [7.2, 6.0]}),
        counts=["n"],
        groups={"n": ["gemiddelde"]},
    )
    assert set(protect(t, 5).hidden) == {(1, "n"), (1, "gemiddelde")}


def _grade(n, mean, low, high, at_low, at_high):
    return declare(
        pd.DataFrame(
            {
                "item": ["x"],
                "n": [n],
                "gemiddelde": [mean],
                "laagste": [low],
                "hoogste": [high],
                "aantal laagste": [at_low],
                "aantal hoogste": [at_high],
            }
        ),
        counts=["n"],
        groups={"n": ["gemiddelde", "laagste", "hoogste"]},
        extremes={"laagste": "aantal laagste", "hoogste": "aantal hoogste"},
        domain={"gemiddelde": (1, 10, 1)},
        internal=["aantal laagste", "aantal hoogste"],
    )


def test_the_cafe_iv_grade_gives_no_answer_away():
    """Six grades of 7 or 8 with mean 7,83: shown with the highest grade, the mean says that exactly
    one respondent gave a 7. The lowest grade (given by one) and the mean are hidden."""
    p = protect(_grade(6, 47 / 6, 7, 8, 1, 5), 5)
    assert sorted(c for _, c in p.hidden) == ["aantal hoogste", "aantal laagste", "gemiddelde", "laagste"]
    leak = audit(p.values, {(0, "aantal laagste"), (0, "aantal hoogste"), (0, "laagste")}, p.structure, 5)
    assert [f.column for f in leak] == ["gemiddelde"] and "verraadt" in leak[0].reason


def test_a_mean_near_the_top_of_the_scale_gives_a_small_group_away_even_without_extremes():
    # 6 grades summing to 58 on a 1-10 scale: 2 steps below 60, so one or two respondents gave less than 10
    p = protect(_grade(6, 58 / 6, 8, 10, 1, 4), 5)
    assert (0, "gemiddelde") in p.hidden
    # a wide spread says nothing: mean 7 of 20 grades
    assert (0, "gemiddelde") not in protect(_grade(20, 7.0, 4, 9, 1, 2), 5).hidden


def test_a_table_without_a_structure_shows_no_numbers():
    t = pd.DataFrame({"x": ["a", "b"], "aantal": [12, 3], "gemiddelde": [4.2, np.nan]})
    p = protect(t, 5)
    assert p.structure is None and set(p.hidden) == {(0, "aantal"), (1, "aantal"), (0, "gemiddelde")}


def test_a_column_the_structure_does_not_name_is_hidden():
    t = declare(pd.DataFrame({"x": ["a"], "aantal": [12]}), counts=[])
    t["extra"] = [3.5]
    assert set(protect(t, 5).hidden) == {(0, "aantal"), (0, "extra")}


def test_a_public_table_opts_out():
    t = declare(pd.DataFrame({"fase": ["0", "1"], "aantal": [5, 1]}), public="telt Doetanks")
    assert protect(t, 5).hidden == {}


def test_hidden_counts_that_can_only_be_ones_take_another_cell_with_them():
    """Café IV question 15 (7 forms): Ja 5, Nee 1, Weet ik niet 0, geen antwoord 1. Hiding the two
    ones is not enough: a reader knows a hidden count is at least 1, and 7 - 5 - 0 = 2."""
    t = declare(
        pd.DataFrame({"antwoord": ["Ja", "Nee", "Weet ik niet", "geen antwoord"], "aantal": [5, 1, 0, 1]}),
        counts=["aantal"],
        column_totals=["aantal"],
    )
    p = protect(t, 5)
    assert set(p.hidden) == {(0, "aantal"), (1, "aantal"), (3, "aantal")}
    assert [f.row for f in audit(t, {(1, "aantal"), (3, "aantal")}, structure_of(t), 5)] == [0]


def test_a_mean_beside_part_of_its_distribution_may_not_pin_down_the_rest():
    """The Grand Café grade: 30 grades, 7 (11x) and 8 (14x) shown, 4, 6 and 9 hidden; with the
    mean 7,43 the hidden five add up to 34, and only one 4, two 6s and two 9s do that. The policy
    hides another count rather than the mean."""
    grades = {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0, "6": 2, "7": 11, "8": 14, "9": 2, "10": 0}
    t = pd.DataFrame({"item": ["v6"], "n": [30], "gemiddelde": [223 / 30], **{g: [c] for g, c in grades.items()}})
    t = declare(
        t,
        counts=["n", *grades],
        row_totals=[list(grades)],
        groups={"n": ["gemiddelde"]},
        domain={"gemiddelde": (1, 10, 1)},
        values={g: float(g) for g in grades},
    )
    p = protect(t, 5)
    assert (0, "gemiddelde") not in p.hidden
    assert {c for _, c in p.hidden} == {"4", "6", "9", "7"}, "the 7s go too; then the mean fits many spreads"
    leak = audit(t, {(0, "4"), (0, "6"), (0, "9")}, structure_of(t), 5)
    assert [f.column for f in leak] == ["7"]


def test_an_extreme_whose_count_is_unknown_is_hidden():
    p = protect(_grade(20, 7.0, 4, 9, np.nan, 6), 5)
    assert (0, "laagste") in p.hidden and (0, "hoogste") not in p.hidden


def test_a_column_named_only_for_its_format_is_hidden():
    t = declare(pd.DataFrame({"x": ["a"], "aantal": [12], "pct": [2.0]}), counts=["aantal"], percent=["pct"])
    assert set(protect(t, 5).hidden) == {(0, "pct")}
