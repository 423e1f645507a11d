import pandas as pd
import pytest

from snwlib import nl
from snwlib.inventory import (afgeleide_tabel, channel_series, fill_template, kengetallen_tabel,
                              load_inventory, quantities, tabel2)
from snwlib.io import DataFileError

from .conftest import RAW_2012


@pytest.fixture(scope="module")
def inv():
    return load_inventory(RAW_2012)


def test_quantities_are_the_published_numbers(inv):
    q = quantities(inv)
    assert q["website.bezoekers_totaal"] == 10553
    assert q["website.bezoekduur_gemiddeld"] == 221          # 3:41
    assert q["linkedin.leden_2012_12"] == 3082
    assert q["grand_cafe.gemiddeld_cijfer"] == 7.4
    assert q["masterclasses.aantal_totaal"] == 4              # 3 regular + 1 prize masterclass
    assert q["website.bezoekers_per_maand_gemiddeld_2012"] == 700
    assert q["website.pct_nieuw_plus_terugkerend"] == 100
    assert q["grand_cafe.pct_evaluaties"] == pytest.approx(100 * 32 / 77)
    # 10,553 visitors over 14-10-2011 .. 13-11-2012 (397 days, both ends included)
    assert q["website.bezoekers_per_maand_periode"] == pytest.approx(10553 / (397 / (365.25 / 12)))


def test_derived_quantities_need_their_inputs(inv):
    k = inv.kengetallen[inv.kengetallen.kengetal != "aantal_extra"]
    q = quantities(type(inv)(inv.activiteiten, k, inv.codebook))
    assert "masterclasses.aantal_totaal" not in q.index


def test_tabel2_is_filled_in_from_the_key_figures(inv):
    t = tabel2(inv)
    assert list(t.columns) == ["activiteit", "aantallen", "onderwerpen/doel", "resultaat/leerpunten"]
    cells = dict(zip(t.activiteit, t.aantallen))
    assert cells == {
        "SNW cafés": "4x, gemiddeld 60-65 bezoekers",
        "Grand café": "1x, 77 bezoekers",
        "Masterclasses": "4x (3 + 1 extra), 15-25 deelnemers",
        "Website www.slimmernetwerk.nl": "10.553 bezoekers, ca. 700 p/mnd",
        "LinkedIn groep": "3.082 leden",
        "Twitter #slimnet": "> 800 volgers; ca. 1.500 tweets",
    }
    assert t.loc[t.activiteit == "Grand café", "resultaat/leerpunten"].item() == \
        "Positief maar werving managers blijft achter bij wens"


def test_template_marks_missing_numbers():
    assert fill_template("{a.b}x en {a.c}", pd.Series({"a.b": 2.0})) == "2x en ?"


def test_channel_series_for_the_growth_figure(inv):
    s = channel_series(inv)
    assert len(s) == 8
    linkedin = s[s.activiteit == "linkedin"]
    assert linkedin.waarde.tolist() == [1450, 3082]
    assert linkedin.benaderd.tolist() == [True, False]
    assert s.groupby("activiteit").size().to_dict() == {"cafes": 2, "linkedin": 2, "twitter": 2, "website": 2}
    assert (s.midden >= s.periode_begin).all() and (s.midden <= s.periode_eind).all()


def test_display_tables_are_dutch(inv):
    k = kengetallen_tabel(inv)
    row = k[k.waarde == "10.553"].iloc[0]
    assert (row.kengetal, row.periode) == ("bezoekers in totaal", "14 oktober 2011 – 13 november 2012")
    assert "ca. 1.450" in k.waarde.tolist() and "> 800" in k.waarde.tolist()
    a = afgeleide_tabel(inv)
    assert a.waarde.tolist() == ["4", "700", "809,1", "100", "41,6"]


def test_inventory_from_one_workbook(tmp_path):
    """B1 says the team keeps the inventory in Excel: one workbook with a sheet per table works."""
    with pd.ExcelWriter(tmp_path / "c1_inventaris.xlsx") as xl:
        for name in ("c1_activiteiten", "c1_kengetallen"):
            df = pd.read_csv(RAW_2012 / f"{name}.csv", dtype=str, keep_default_na=False)
            if "waarde" in df:
                df["waarde"] = pd.to_numeric(df["waarde"])
                for col in ("periode_begin", "periode_eind"):  # Excel holds real dates
                    df[col] = pd.to_datetime(df[col])
            df.to_excel(xl, sheet_name=name, index=False)
    from_xlsx = load_inventory(tmp_path)
    from_csv = load_inventory(RAW_2012)
    pd.testing.assert_series_equal(quantities(from_xlsx), quantities(from_csv))
    pd.testing.assert_frame_equal(tabel2(from_xlsx), tabel2(from_csv))


def test_missing_inventory_names_what_was_looked_for(tmp_path):
    with pytest.raises(DataFileError, match="no file for table 'c1_activiteiten'.*c1_inventaris.xlsx"):
        load_inventory(tmp_path)


@pytest.mark.parametrize("x, text", [(10553, "10.553"), (7.8, "7,8"), (0.5, "0,5"), (1234567.25, "1.234.567,25")])
def test_dutch_numbers(x, text):
    assert nl.number(x) == text
