"""The small-group rule of the steering group's HTML: primary and complementary suppression."""
import pandas as pd

from snwlib.report import SUPPRESSED, hidden_cells, suppress_small


def _grid():
    """Three items of 14 respondents; n (answered) = eens + oneens, and n + geen antwoord = 14."""
    t = pd.DataFrame({"": ["a", "b", "c"], "eens": [6, 1, 5], "oneens": [8, 9, 7],
                      "geen antwoord": [0, 4, 2], "n": [14, 10, 12]})
    t.attrs["small_cells"] = {"counts": {c: [] for c in ["eens", "oneens", "geen antwoord"]},
                              "adds_up": {"rows": [["eens", "oneens"], ["eens", "oneens", "geen antwoord"],
                                                   ["n", "geen antwoord"]]}}
    return t


def test_a_hidden_count_that_the_visible_totals_give_away_takes_other_cells_with_it():
    """Row b: eens 1 is hidden, but eens + oneens = n = 10, so oneens goes too; geen antwoord 4 is
    hidden, but n + geen antwoord = 14, so n goes too. Row c: geen antwoord 2 is hidden; the three
    counts add up to 14, so the smallest other (eens 5) goes; then oneens (eens + oneens = n) and
    n (n + geen antwoord = 14)."""
    assert hidden_cells(_grid(), 5) == {(1, "eens"), (1, "oneens"), (1, "geen antwoord"), (1, "n"),
                                        (2, "eens"), (2, "oneens"), (2, "geen antwoord"), (2, "n")}
    out, k = suppress_small(_grid(), 5)
    assert out.loc[1].tolist() == ["b", SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED] and k == 8
    assert out.loc[0].tolist() == ["a", 6, 8, 0, 14], "no small cell, nothing hidden"


def test_without_a_visible_total_only_the_small_cells_go():
    t = _grid()
    del t.attrs["small_cells"]["adds_up"]
    assert hidden_cells(t, 5) == {(1, "eens"), (1, "geen antwoord"), (2, "geen antwoord")}
    assert suppress_small(t, 5)[0].n.tolist() == [14, 10, 12]


def test_a_column_that_adds_up_to_the_sample():
    t = pd.DataFrame({"antwoord": ["Ja", "Nee", "geen antwoord"], "aantal": [12, 18, 2],
                      "% (van 32)": ["38%", "56%", "6%"]})
    t.attrs["small_cells"] = {"counts": {"aantal": ["% (van 32)"]}, "adds_up": {"columns": ["aantal"]}}
    out, k = suppress_small(t, 5)
    assert out.aantal.tolist() == [SUPPRESSED, 18, SUPPRESSED] and k == 4
    assert out["% (van 32)"].tolist() == [SUPPRESSED, "56%", SUPPRESSED]


def test_zeros_describe_nobody_and_are_never_taken_as_the_second_cell():
    t = pd.DataFrame({"antwoord": ["Ja", "Nee"], "aantal": [3, 0]})
    t.attrs["small_cells"] = {"counts": {"aantal": []}, "adds_up": {"columns": ["aantal"]}}
    assert hidden_cells(t, 5) == {(0, "aantal")}
