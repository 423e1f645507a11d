"""Appendix C1: the inventory's tables, read from the processed wave."""

import pandas as pd
import pytest

from snwlib import inventory, nl
from snwlib.files import DataFileError
from snwlib.tables import structure_of

from .conftest import RAW_2012, ingested


@pytest.fixture(scope="module")
def inv(wave):
    return inventory.load(wave)


def test_key_figures_are_the_published_numbers(inv):
    k = inventory.kengetallen(inv).set_index("sleutel")
    assert k.at["website.bezoekers_totaal@2012-11-13", "waarde"] == 10553
    assert k.at["website.bezoekduur_gemiddeld@2012-11-13", "waarde"] == 221  # 3:41
    assert k.at["linkedin.leden@2012-12-12", "waarde"] == 3082
    assert k.at["grand_cafe.gemiddeld_cijfer@2012-11-22", "waarde"] == 7.4
    assert k.at["linkedin.leden@2011-09-30", "kwalificatie"] == "ongeveer"
    assert (
        k.at["website.bezoekers_totaal@2012-11-13", "kengetal"],
        k.at["website.bezoekers_totaal@2012-11-13", "periode_begin"],
    ) == (
        "bezoekers in totaal",
        pd.Timestamp("2011-10-14"),
    )
    assert len(k) == 28 and structure_of(inventory.kengetallen(inv)).public


def test_derived_quantities(inv):
    a = inventory.afgeleid(inv).set_index("sleutel").waarde
    assert a["masterclasses.aantal_totaal"] == 4  # 3 regular + 1 prize masterclass
    assert a["website.bezoekers_per_maand_gemiddeld"] == 700  # (600 + 800) / 2, both levels in 2012
    assert a["website.pct_nieuw_plus_terugkerend"] == 100
    assert a["grand_cafe.pct_evaluaties"] == pytest.approx(100 * 32 / 77)
    # 10,553 visitors over 14-10-2011 .. 13-11-2012 (397 days, both ends included)
    assert a["website.bezoekers_per_maand_periode"] == pytest.approx(10553 / (397 / (365.25 / 12)))


def test_derived_quantities_need_their_inputs(inv):
    k = inv.kengetallen[inv.kengetallen.kengetal != "aantal_extra"]
    a = inventory.afgeleid(inventory.Inventory(inv.wave, inv.periode, inv.activiteiten, k, inv.codebook))
    assert "masterclasses.aantal_totaal" not in a.sleutel.tolist()


def test_monthly_levels_are_those_of_the_wave_period(inv):
    """Tabel 2's "ca. 700 p/mnd" averages the levels that lie in the wave's period, not older ones."""
    assert inv.periode == (pd.Timestamp("2012-01-01"), pd.Timestamp("2012-12-31"))
    assert inventory.maandniveaus(inv).waarde.tolist() == [600, 800]
    k = inv.kengetallen
    earlier = (
        k[k.kengetal == "bezoekers_per_maand"]
        .iloc[[0]]
        .assign(waarde=100.0, periode_begin=pd.Timestamp("2011-10-01"), periode_eind=pd.Timestamp("2011-12-31"))
    )
    k = pd.concat([k, earlier], ignore_index=True)
    with_2011 = inventory.Inventory(inv.wave, inv.periode, inv.activiteiten, k, inv.codebook)
    a = inventory.afgeleid(with_2011).set_index("sleutel").waarde
    assert a["website.bezoekers_per_maand_gemiddeld"] == 700
    no_period = inventory.Inventory(inv.wave, None, inv.activiteiten, k, inv.codebook)
    assert inventory.afgeleid(no_period).set_index("sleutel").waarde["website.bezoekers_per_maand_gemiddeld"] == 500


def test_a_template_key_without_a_date_is_the_latest_value(inv):
    k = inv.kengetallen
    later = (
        k[(k.activiteit == "linkedin")]
        .iloc[[-1]]
        .assign(waarde=4100.0, periode_begin=pd.Timestamp("2013-06-01"), periode_eind=pd.Timestamp("2013-06-30"))
    )
    grown = inventory.Inventory(inv.wave, inv.periode, inv.activiteiten, pd.concat([later, k]), inv.codebook)
    t = inventory.tabel2(grown).set_index("activiteit")
    assert t.at["LinkedIn groep", "aantallen"] == "4.100 leden"
    keys = inventory.kengetallen(grown).sleutel
    assert "linkedin.leden@2013-06-30" in keys.tolist() and keys.is_unique


def test_tabel2_is_filled_in_from_the_key_figure_tables(inv):
    t = inventory.tabel2(inv)
    assert list(t.columns) == ["activiteit", "aantallen", "onderwerpen/doel", "resultaat/leerpunten"]
    cells = dict(zip(t.activiteit, t.aantallen, strict=True))
    assert cells == {
        "SNW cafés": "4x, gemiddeld 60-65 bezoekers",
        "Grand café": "1x, 77 bezoekers",
        "Masterclasses": "4x (3 + 1 extra), 15-25 deelnemers",
        "Website www.slimmernetwerk.nl": "10.553 bezoekers, ca. 700 p/mnd",
        "LinkedIn groep": "3.082 leden",
        "Twitter #slimnet": "> 800 volgers; ca. 1.500 tweets",
    }
    assert (
        t.loc[t.activiteit == "Grand café", "resultaat/leerpunten"].item()
        == "Positief maar werving managers blijft achter bij wens"
    )


def test_template_marks_missing_numbers():
    assert nl.fill_template("{a.b}x en {a.c}", pd.Series({"a.b": 2.0})) == "2x en ?"


def test_channels_for_the_growth_figure(inv):
    s = inventory.kanalen(inv)
    assert len(s) == 8
    linkedin = s[s.activiteit == "linkedin"]
    assert linkedin.waarde.tolist() == [1450, 3082]
    assert linkedin.benaderd.tolist() == [True, False]
    assert s.groupby("activiteit").size().to_dict() == {"cafes": 2, "linkedin": 2, "twitter": 2, "website": 2}
    assert (s.midden >= s.periode_begin).all() and (s.midden <= s.periode_eind).all()


def test_inventory_from_one_workbook(tmp_path, inv):
    """B1 says the team keeps the inventory in Excel: one workbook with a sheet per table works."""
    raw = tmp_path / "raw" / "2012"
    raw.mkdir(parents=True)
    with pd.ExcelWriter(raw / "c1_inventaris.xlsx") as xl:
        for name in ("c1_activiteiten", "c1_kengetallen"):
            df = pd.read_csv(RAW_2012 / f"{name}.csv", dtype=str, keep_default_na=False)
            if "waarde" in df:
                df["waarde"] = pd.to_numeric(df["waarde"])
                for col in ("periode_begin", "periode_eind"):  # Excel holds real dates
                    df[col] = pd.to_datetime(df[col])
            df.to_excel(xl, sheet_name=name, index=False)
    from_xlsx = inventory.load(ingested(raw, tmp_path / "out"))
    pd.testing.assert_frame_equal(inventory.kengetallen(from_xlsx), inventory.kengetallen(inv))
    pd.testing.assert_frame_equal(inventory.tabel2(from_xlsx), inventory.tabel2(inv))


def test_a_wave_without_the_inventory_says_what_is_missing(tmp_path):
    raw = tmp_path / "raw" / "2013"
    raw.mkdir(parents=True)
    from snwlib.processed import MissingData

    with pytest.raises(
        MissingData, match="wave 2013 has no table 'c1_activiteiten'.*c1_activiteiten.csv, .xlsx or .sav"
    ):
        inventory.load(ingested(raw, tmp_path / "out"))


def test_bad_values_in_the_inventory_are_all_reported(raw_copy, tmp_path):
    from .conftest import edit_csv

    f = raw_copy / "c1_kengetallen.csv"
    edit_csv(f, "cafes,aantal,,4,", "cafes,aantal,,vier,")
    with pytest.raises(DataFileError, match="row 2, column 'waarde': value 'vier': not a number"):
        ingested(raw_copy, tmp_path / "out")


@pytest.mark.parametrize("x, text", [(10553, "10.553"), (7.8, "7,8"), (0.5, "0,5"), (1234567.25, "1.234.567,25")])
def test_dutch_numbers(x, text):
    assert nl.number(x) == text
