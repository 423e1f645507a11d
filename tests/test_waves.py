"""Data statuses: a wave of made-up test data is marked ``synthetic``, and a status the banners do
not know is refused at ingestion."""

import pytest

from snwlib.files import DataFileError
from snwlib.ingest import STATUS_NL, wave_metadata
from snwlib.processed import Wave


def test_a_status_the_banners_do_not_know_is_refused(raw_copy):
    path = raw_copy / "metadata.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: transcribed", "status: synthetisch", 1))
    with pytest.raises(DataFileError) as err:
        wave_metadata(raw_copy)
    assert "column 'datasets, c1_activiteiten, status': value 'synthetisch': unknown status" in str(err.value)
    assert "one of: real, transcribed, reconstructed, synthetic" in str(err.value)


def test_the_status_of_a_synthetic_wave_reads_synthetisch(tmp_path):
    tables = {"c7_antwoorden": {"status": "synthetic"}, "c7_respons": {"status": "synthetic"}}
    w = Wave(tmp_path, {"wave": "2013", "tables": tables})
    assert w.status("c7_") == {
        "status": "SYNTHETISCH: verzonnen testgegevens, geen meting",
        "reconstructed": False,
        "synthetic": True,
        "datasets": {"c7_antwoorden": "synthetic", "c7_respons": "synthetic"},
    }
    tables["c7_respons"]["status"] = "transcribed"
    assert w.status("c7_")["status"] == f"{STATUS_NL['synthetic']}; {STATUS_NL['transcribed']}"
