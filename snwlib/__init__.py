"""snwlib: rebuilds the appendices C of the Slimmernetwerk evaluation (TNO, 2013) from raw data.

The data flow, one module per step, as in pingouin's topic modules:

raw files (``DATA_DIR/<wave>/``, never written), read only by ingestion

- :mod:`snwlib.manifest`  -- the raw files' SHA-256 manifest (``datapackage.json``)
- :mod:`snwlib.rawfiles`  -- finding and reading raw tables (CSV, Excel, SPSS), checked as a whole
- :mod:`snwlib.files`     -- problems located as the user sees them; writing outputs atomically
- :mod:`snwlib.validate`, :mod:`snwlib.schema` -- checking tables against their codebooks (pandera)
- :mod:`snwlib.scoring`   -- reading and scoring any questionnaire from its codebook
- :mod:`snwlib.privacy`   -- names, e-mail addresses and phone numbers scrubbed from free text
- :mod:`snwlib.ingest`    -- the ingestion stage: all of the above, per wave, into Parquet

processed data (``OUT_DIR/data/processed/<wave>/``)

- :mod:`snwlib.processed` -- opening a wave's processed data
- :mod:`snwlib.codebook`  -- codebooks (instruments are data, not code)
- :mod:`snwlib.tables`    -- what a table declares about its columns
- :mod:`snwlib.inventory` (C1), :mod:`snwlib.doetanks` (C2), :mod:`snwlib.questionnaire` (C7),
  :mod:`snwlib.evaluation` (C8, C9) -- one table function per published table or figure
- :mod:`snwlib.reliability` -- Cronbach's alpha with psych's item statistics
- :mod:`snwlib.comparison` -- comparisons with reference values and between waves
- :mod:`snwlib.ledger`    -- the replication ledger: published numbers against the tables' cells

presentation (notebooks, figures, HTML)

- :mod:`snwlib.disclosure` -- what the steering group may see: one policy, on by default
- :mod:`snwlib.present`   -- tables and figures in the notebooks, for both audiences
- :mod:`snwlib.figures`   -- figures drawn from tables, saved as PNG and SVG
- :mod:`snwlib.nl`        -- Dutch formatting of numbers and dates
- :mod:`snwlib.export`    -- HTML for researchers and for the steering group, and the index
- :mod:`snwlib.pipeline`  -- executing a notebook with papermill, atomically

and :mod:`snwlib.config` (where a run reads and writes) and :mod:`snwlib.reconstruct` (the marked
reconstructions of the 2012 respondent rows).
"""

import sys as _sys

# nbformat (papermill, nbconvert) checks notebooks with jsonschema, whose format checker compiles a
# grammar for IRIs at import when the optional rfc3987-syntax is installed (JupyterLab's
# jupyter-events installs it): about 1 s in every process that reads a notebook. No notebook schema
# uses an IRI format, so snwlib's processes do without that checker.
_sys.modules.setdefault("rfc3987_syntax", None)

# Every name is imported when first asked for (PEP 562), so that a command that needs little
# starts quickly: `python -m snwlib` in the build hands its work to a warm process
# (:mod:`snwlib.forkserver`) before importing pandas, and alpha needs pingouin, which loads
# matplotlib (about 2.5 s).
_LAZY = {
    "Paths": "config",
    "DataFileError": "files",
    "Problem": "files",
    "Ledger": "ledger",
    "parse_published": "ledger",
    "read_table": "rawfiles",
    "alpha": "reliability",
    "AlphaResult": "reliability",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'snwlib' has no attribute {name!r}")


__all__ = ["alpha", "AlphaResult", "Paths", "DataFileError", "Problem", "read_table", "Ledger", "parse_published"]
__version__ = "0.2.0"
