"""The steering group's summary page: the key numbers per actor and result area, each as the
appendix shows it to the steering group, linked to its table there."""

import html
import re

import pytest

from snwlib.present import HIDDEN
from snwlib.summary import key_numbers


@pytest.fixture(scope="module")
def reports(hostile_build):
    return hostile_build.out / "reports"


def test_every_key_number_is_found_in_a_table_the_steering_group_is_shown(reports):
    numbers = key_numbers(reports)
    assert list(dict.fromkeys(numbers.actor)) == ["SNW-projectgroep", "Doetankers", "Community"]
    assert set(numbers.area) == {"doe", "leer", "verander", "effect"}
    assert numbers.value.notna().all(), numbers[numbers.value.isna()]
    by_label = numbers.set_index("label").value
    assert by_label["Grand Café: rapportcijfer (gemiddelde)"] == "7,43"
    assert by_label["Café IV: rapportcijfer (gemiddelde)"] == HIDDEN, "hidden in C8, hidden here"
    assert by_label["Grand Café: bezoekers die bij een Doetank betrokken willen zijn"] == "23 (72%)"
    assert by_label["Doetanks in het overzicht"] == "15"
    assert numbers.previous.isna().all(), "one wave: nothing to compare with"


def test_the_page_links_each_number_to_its_table_where_it_reads_the_same(reports):
    page = (reports / "stuurgroep" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in page and "Meting 2012" in page and "reconstructie" in page
    assert "eerste meting" in page
    rows = re.findall(r"<td class='getal'>([^<]*)</td><td><a href='(C\d)\.html#((?:tabel|figuur)-[^']+)'>", page)
    assert len(rows) == len(key_numbers(reports))
    appendices = {}
    for value, appendix, anchor in rows:
        text = appendices.setdefault(
            appendix, (reports / "stuurgroep" / f"{appendix}.html").read_text(encoding="utf-8")
        )
        start = text.find(f"id='{anchor}'") if f"id='{anchor}'" in text else text.find(f'id="{anchor}"')
        assert start >= 0, f"{appendix}.html has no table or figure {anchor}"
        if anchor.startswith("figuur-"):  # drawn only: the number is in the figure's text alternative
            alt = html.unescape(text[start : text.find("</div>", start)])
            assert re.search(rf"[(: ]{re.escape(value)}\)", alt), (anchor, value)
            continue
        table = text[start : text.find("</table>", start)]
        shown = html.unescape(value).split(" (")[0]
        assert html.escape(shown, quote=False) in table or shown in html.unescape(table), (appendix, anchor, value)
    for name in ("C1", "C2", "C7", "C8", "C9"):
        assert f"<a href='{name}.html'>" in page


def test_an_appendix_of_another_build_is_not_summarised(reports):
    """An executed C8 left by an earlier build of another wave is not read for this wave's summary."""
    numbers = key_numbers(reports, appendices=["C1", "C2", "C7", "C9"])
    assert numbers[numbers.appendix == "C8"].value.isna().all()
    assert numbers[numbers.appendix == "C9"].value.notna().all()
