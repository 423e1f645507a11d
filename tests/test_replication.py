"""The ledger checks the tables readers see: a wrong table function shows up as a mismatch."""

import pytest

from snwlib import ledger, questionnaire
from snwlib.present import Report


def _c7_tables(q, out):
    """The tables of the C7 notebook that its ledger rows name, written the way the notebook does."""
    r = Report(out, 5)
    r.table(questionnaire.respons(q), name="C7_respons")
    r.table(questionnaire.tabel3(q), name="C7_tabel3")
    r.table(questionnaire.beoordelingen(q), name="C7_beoordelingen")
    r.table(questionnaire.referentie(q), name="C7_referentie")
    return r.tables_dir


def test_the_c7_ledger_reads_the_displayed_tables(wave, tmp_path):
    table = ledger.replicate("C7", "2012", _c7_tables(questionnaire.load(wave), tmp_path))
    assert ledger.counts(table) == {"match": 52, "mismatch": 0, "report-inconsistent": 7, "not-in-source": 0}


def test_a_wrong_table_function_is_a_mismatch(wave, tmp_path, monkeypatch):
    """Tabel 3 shown with every mean 0,2 too high: the ledger, reading the shown table, says so."""
    right = questionnaire.tabel3

    def wrong(q):
        t = right(q)
        t["gemiddelde"] = t["gemiddelde"] + 0.2
        return t

    monkeypatch.setattr(questionnaire, "tabel3", wrong)
    table = ledger.replicate("C7", "2012", _c7_tables(questionnaire.load(wave), tmp_path))
    bad = table[table.status == "mismatch"]
    assert len(bad) == 17 and set(bad.table) == {"C7_tabel3.csv"}
    assert "Tabel 3: Innovatief werkgedrag" in bad.quantity.tolist()
    with pytest.raises(ValueError, match="17 unexplained mismatch"):
        ledger.collect([tmp_path / "data/processed/ledger/C7.csv"], tmp_path / "replication.csv")
