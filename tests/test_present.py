"""Presentation: Dutch numbers, both audiences' versions, escaping, the audit record, figures."""

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
