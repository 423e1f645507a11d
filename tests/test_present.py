"""Presentation: Dutch numbers, both audiences' versions, escaping, the audit record, figures."""

import re

import pandas as pd
import pytest

from snwlib import figures
from snwlib.present import AUDIT_MIME, HIDDEN, Report, formatted, keep_view
from snwlib.tables import declare


def _choice():
    t = pd.DataFrame(
        {"antwoord": ["Ja", "Nee", "<b>geen</b> antwoord"], "aantal": [12, 18, 2], "percentage": [37.5, 56.25, 6.25]}
    )
    return declare(
        t, counts=["aantal"], derived={"aantal": ["percentage"]}, column_totals=["aantal"], percent=["percentage"]
    )


def test_numbers_are_dutch_and_hidden_cells_a_star():
    t = declare(
        pd.DataFrame({"k": ["a"], "n": [10553], "gemiddelde": [7.4285], "pct": [71.875]}),
        counts=["n"],
        groups={"n": ["gemiddelde"]},
        percent=["pct"],
        other=["pct"],
    )
    assert formatted(t).values.tolist() == [["a", "10.553", "7,43", "72%"]]
    assert formatted(t, hidden={(0, "gemiddelde")}).values.tolist() == [["a", "10.553", HIDDEN, "72%"]]


def test_a_table_is_written_and_shown_twice(tmp_path):
    r = Report(tmp_path, 5)
    view = r.table(_choice(), "Vraag 4 (32 formulieren)", "C9_vraag4")
    assert pd.read_csv(tmp_path / "data/processed/C9_vraag4.csv").aantal.tolist() == [12, 18, 2]
    page = view._repr_html_()
    researchers, steering = keep_view(page, "onderzoekers"), keep_view(page, "stuurgroep")
    assert ">12<" in researchers and ">2<" in researchers and "niet getoond" not in researchers
    assert ">12<" not in steering and ">18<" in steering and "56%" in steering
    assert "af te leiden uit de getoonde aantallen" in steering
    record = view._repr_mimebundle_()[AUDIT_MIME]
    assert record["name"] == "C9_vraag4" and record["hidden"] == [
        [0, "aantal"],
        [0, "percentage"],
        [2, "aantal"],
        [2, "percentage"],
    ]


def test_values_from_the_data_are_escaped(tmp_path):
    page = Report(tmp_path, 5).table(_choice(), "<script>x</script>")._repr_html_()
    assert "<b>geen</b>" not in page and "&lt;b&gt;geen&lt;/b&gt;" in page
    assert "<script>" not in page


def test_an_undeclared_table_shows_the_steering_group_no_numbers(tmp_path):
    page = Report(tmp_path, 5).table(pd.DataFrame({"x": ["a"], "aantal": [40]}))._repr_html_()
    assert ">40<" not in keep_view(page, "stuurgroep") and "geen regel voor kleine groepen" in page


def test_two_different_tables_may_not_share_a_name(tmp_path):
    r = Report(tmp_path, 5)
    r.table(_choice(), name="t")
    r.table(_choice(), name="t")  # the same table again: fine
    with pytest.raises(ValueError, match="two different tables named 't'"):
        r.table(declare(pd.DataFrame({"x": ["a"]})), name="t")


def test_a_figure_hides_what_its_table_hides(tmp_path):
    view = Report(tmp_path, 5).figure(
        "C9_vraag4", figures.count_bars, _choice(), "4. Prangend vraagstuk (32 formulieren)"
    )
    assert (tmp_path / "figures/C9_vraag4.png").exists() and (tmp_path / "figures/C9_vraag4_stuurgroep.svg").exists()
    assert "C9_vraag4" in view.record["name"] and len(view.record["hidden"]) == 4
    small = figures.count_bars(*_protected(), "4.", hidden=True, min_cell=5)
    assert [t.get_text() for t in small.axes[0].texts] == ["*", "18 (56%)", "*"]
    assert "af te leiden" in small.axes[0].get_xlabel()


def _protected():
    from snwlib.disclosure import protect

    return (protect(_choice(), 5).shown(),)


def _answers(levels):
    """Answer counts of two statements on a five-point scale, as questionnaire.frequenties gives them."""
    rows = [
        {"vraag": v, "stelling": f"Stelling {v}", **dict(zip(levels, counts, strict=True))}
        for v, counts in [("1A", [2, 3, 4, 3, 2]), ("1B", [3, 3, 0, 4, 4])]
    ]
    t = pd.DataFrame(rows)
    t["geen antwoord"] = 0
    t["n"] = t[levels].sum(axis=1)
    return declare(
        t,
        counts=[*levels, "geen antwoord", "n"],
        row_totals=[levels, [*levels, "geen antwoord"], ["n", "geen antwoord"]],
    )


LEVELS = ["Helemaal oneens", "Oneens", "Neutraal", "Eens", "Helemaal eens"]


def _grouped():
    fine = _answers(LEVELS)
    merged = fine[["vraag", "stelling"]].assign(
        oneens=fine[LEVELS[:2]].sum(axis=1), neutraal=fine[LEVELS[2]], eens=fine[LEVELS[3:]].sum(axis=1)
    )
    merged["geen antwoord"], merged["n"] = 0, fine["n"]
    groups = ["oneens", "neutraal", "eens"]
    return fine, declare(
        merged,
        counts=[*groups, "geen antwoord", "n"],
        row_totals=[groups, [*groups, "geen antwoord"], ["n", "geen antwoord"]],
    )


def test_the_steering_group_sees_answers_merged_before_any_are_hidden(tmp_path):
    """Five levels hide all of these small counts; merged into three, fewer are hidden. Table and
    figure make the same choice, the researchers keep every answer, and the merged counts are
    written (and audited) under their own name."""
    from snwlib.disclosure import protect
    from snwlib.present import _hidden_count

    fine, merged = _grouped()
    assert _hidden_count(protect(fine, 5)) == 28 and _hidden_count(protect(merged, 5)) < 28
    r = Report(tmp_path, 5)
    page = r.table(fine, "Sectie 1", "C7_sectie1", coarser=merged)._repr_html_()
    researchers, steering = keep_view(page, "onderzoekers"), keep_view(page, "stuurgroep")
    assert "Helemaal eens" in researchers and "samengevoegd" not in researchers
    assert "Helemaal eens" not in steering and ">eens<" in steering and "samengevoegd tot groepen" in steering
    assert pd.read_csv(tmp_path / "data/processed/C7_sectie1_samengevoegd.csv").eens.tolist() == [5, 8]
    view = r.figure("C7_sectie1", figures.diverging_bars, fine, "Sectie 1", coarser=merged)
    assert view.record["name"] == "C7_sectie1_samengevoegd"
    assert view.record["hidden"] == sorted(map(list, protect(merged, 5).hidden))
    assert (tmp_path / "figures/C7_sectie1_stuurgroep.png").exists()
    nothing_hidden = _answers(LEVELS).assign(**{lvl: 5 for lvl in LEVELS}, n=25)
    assert r.table(nothing_hidden, "x", coarser=merged).record["name"] is None, "merged only where something is hidden"


def test_a_hidden_answer_is_a_hatched_segment_and_every_bar_still_sums_to_its_n():
    """Hidden answers are drawn together, marked 'verborgen', after the answer scale: a reader can
    tell them from 'no opinion' or 'no answer', and no bar closes up over them."""
    from snwlib.disclosure import protect

    fine, merged = _grouped()
    p = protect(merged, 5)
    fig = figures.diverging_bars(p.shown(), "Sectie 1", hidden=p.mask(), min_cell=5)
    bars = [b for b in fig.axes[0].patches if b.get_width() > 0]
    by_row = {}
    for b in bars:
        by_row.setdefault(round(b.get_y() + b.get_height() / 2), []).append(b)
    assert len(by_row) == 2
    for row in by_row.values():
        assert sum(b.get_width() for b in row) == pytest.approx(100), "visible and hidden make up the whole bar"
    hatched = [b for b in bars if b.get_hatch()]
    assert hatched and all(b.get_facecolor()[:3] == (1, 1, 1) for b in hatched)
    assert "verborgen" in [t.get_text() for t in fig.axes[0].texts]
    assert any("verborgen" in t.get_text() for t in fig.axes[0].get_legend().get_texts())


def test_answers_are_not_merged_where_merging_would_hide_more():
    """Merging can make a large group hide with a small one (3 neutral beside 11 agreeing): then
    the detailed table is kept, and its hidden answers are the hatched segment."""
    from snwlib.present import _steering

    fine = _answers(LEVELS)
    fine.loc[:, LEVELS] = [[1, 2, 2, 6, 3], [0, 0, 3, 6, 5]]
    merged = fine[["vraag", "stelling"]].assign(
        oneens=fine[LEVELS[:2]].sum(axis=1), neutraal=fine[LEVELS[2]], eens=fine[LEVELS[3:]].sum(axis=1)
    )
    merged["geen antwoord"], merged["n"] = 0, fine["n"]
    groups = ["oneens", "neutraal", "eens"]
    merged = declare(
        merged,
        counts=[*groups, "geen antwoord", "n"],
        row_totals=[groups, [*groups, "geen antwoord"], ["n", "geen antwoord"]],
    )
    shown, p, is_merged = _steering(fine, merged, 5)
    assert not is_merged and shown is fine and p.hidden


def test_hidden_grades_and_grid_answers_are_counted_apart_from_the_scale():
    """A grade figure puts the number of hidden grades in a hatched box beside the scale (dots and
    box add up to n); a grid row's hidden answers are a hatched segment up to its n, and a row
    whose n is hidden says so instead of showing nothing."""
    nan = float("nan")
    grades = pd.DataFrame({"vraag": ["Cijfer"], "n": [30], "gemiddelde": [7.43], "7": [nan], "8": [14], "9": [nan]})
    fig = figures.grades(grades, "Cijfers", hidden=grades.isna(), min_cell=5)
    ax = fig.axes[0]
    boxes = [p for p in ax.patches if p.get_hatch()]
    assert len(boxes) == 1 and boxes[0].get_x() > 10.5, "the hidden grades sit beside the scale, not on it"
    assert "16" in [t.get_text() for t in ax.texts] and ax.get_xticklabels()[-1].get_text() == "verborgen"
    assert sum(len(c.get_offsets()) for c in ax.collections) == 14
    grid = pd.DataFrame(
        {"functie": ["Netwerken", "Inspiratie"], "te weinig": [nan, nan], "genoeg": [nan, nan], "geen mening": [0, nan]}
    )
    grid["geen antwoord"], grid["n"] = [0, nan], [7, nan]
    fig = figures.stacked_counts(grid, "Vraag 9", hidden=grid.isna(), min_cell=5)
    ax = fig.axes[0]
    hatched = [b for b in ax.patches if b.get_hatch()]
    assert [b.get_width() for b in hatched] == [7.0]
    assert "verborgen (ook n)" in [t.get_text() for t in ax.texts]
    assert any("verborgen" in t.get_text() for t in ax.get_legend().get_texts())


def test_a_figures_text_alternative_says_what_it_finds_and_nothing_it_hides(tmp_path):
    """Generated from the figure's own table: the researchers' text names the statement most agreed
    with; the steering group's comes from the protected table and says that answers are hidden."""
    fine, merged = _grouped()
    view = Report(tmp_path, 5).figure("C7_sectie1", figures.diverging_bars, fine, "Sectie 1, meting 2012")
    page = view._repr_html_()
    researchers, steering = keep_view(page, "onderzoekers"), keep_view(page, "stuurgroep")
    full_alt = re.search(r"alt='([^']*)'", researchers).group(1)
    small_alt = re.search(r"alt='([^']*)'", steering).group(1)
    assert full_alt.startswith("Sectie 1, meting 2012. Staafdiagram van de antwoorden op 2 stellingen")
    assert "1B (57%)" in full_alt and "1A (36%)" in full_alt, "most and least agreed, from the counts"
    assert "verborgen" in small_alt and "57%" not in small_alt


def test_every_figure_function_has_a_describer():
    from snwlib import alttext

    drawn = {n for n in figures.__all__ if callable(getattr(figures, n)) and n not in ("save", "dutch_ticks")}
    assert drawn <= set(alttext._DESCRIBERS), drawn - set(alttext._DESCRIBERS)


def test_a_figure_with_a_declared_total_counts_its_hidden_cells_together(tmp_path):
    """A choice or distribution whose total readers know (the forms in its caption) draws its
    hidden counts together as one hatched bar beside the answers: Report passes the total."""
    view = Report(tmp_path, 5).figure("C9_vraag4", figures.count_bars, _choice(), "4. (32 formulieren)")
    assert len(view.record["hidden"]) == 4
    fig = figures.count_bars(*_protected(), "4.", hidden=True, min_cell=5, totals={"aantal": 32})
    ax = fig.axes[0]
    hatched = [b for b in ax.patches if b.get_hatch()]
    assert [b.get_width() for b in hatched] == [14.0], "32 forms minus the 18 shown"
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "verborgen (samen)"
    nan = float("nan")
    dist = declare(
        pd.DataFrame({"waarde": ["7", "8", "9"], "aantal": [nan, 5.0, nan], "waarvan vermoedelijk 0-10": [0, 0, 0]}),
        counts=["aantal", "waarvan vermoedelijk 0-10"],
        column_totals=["aantal"],
    )
    fig = figures.histogram(dist, "7K", hidden=dist.isna(), min_cell=5, totals={"aantal": 13})
    hatched = [b for b in fig.axes[0].patches if b.get_hatch()]
    assert [b.get_height() for b in hatched] == [8.0]
    assert fig.axes[0].get_xticklabels()[-1].get_text() == "verborgen"


def test_saved_figures_have_decimal_commas_on_their_axes(tmp_path):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([3.5, 4.0, 5.5], [0.25, 0.5, 0.75])
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0f}%"))  # its own: kept
    figures.save(fig, "t", tmp_path)
    fig.canvas.draw()
    y = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert any("," in t for t in y) and not any("." in t for t in y), y
    assert all(t.get_text().endswith("%") for t in ax.get_xticklabels() if t.get_text())
    plt.close(fig)
