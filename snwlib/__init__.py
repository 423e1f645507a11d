"""snwlib: rebuilds the appendices C of the Slimmernetwerk evaluation (TNO, 2013) from raw data.

One module per topic, as in pingouin:

- :mod:`snwlib.config`    -- where a run reads and writes (wave, raw dir, output dirs)
- :mod:`snwlib.files`     -- reading raw tables (CSV, Excel) with spreadsheet row numbers
- :mod:`snwlib.validate`  -- checking a table against the schema in its codebook
- :mod:`snwlib.codebook`  -- loading codebooks (instruments are data, not code)
- :mod:`snwlib.scoring`   -- scoring any questionnaire or form from its codebook
- :mod:`snwlib.reliability` -- Cronbach's alpha with psych's item statistics
- :mod:`snwlib.comparison` -- comparisons with reference values and between waves
- :mod:`snwlib.reconstruct` -- marked reconstructions of respondent rows from published aggregates
- :mod:`snwlib.privacy`   -- names, e-mail addresses and phone numbers scrubbed from free text
- :mod:`snwlib.inventory` -- appendix C1, the activity inventory and Tabel 2
- :mod:`snwlib.doetanks`  -- appendix C2, the Doetank registry and Tabel 4
- :mod:`snwlib.questionnaire` -- appendix C7, the Doetank questionnaire
- :mod:`snwlib.evaluation` -- appendices C8 and C9, evaluation forms of events
- :mod:`snwlib.ledger`    -- the replication ledger: published numbers against recomputed ones
- :mod:`snwlib.figures`   -- figures with Dutch labels, saved as PNG and SVG
- :mod:`snwlib.report`    -- HTML for researchers and for the steering group, and the index
- :mod:`snwlib.pipeline`  -- executing a notebook with papermill, atomically
"""

from .config import Paths
from .files import DataFileError, Problem, read_table
from .ledger import Ledger, parse_published


def __getattr__(name):
    # alpha needs pingouin, which loads matplotlib (about 2.5 s); import it only when asked for,
    # so that `python -m snwlib validate` and the other commands start quickly (PEP 562).
    if name in ("alpha", "AlphaResult"):
        from . import reliability

        return getattr(reliability, name)
    raise AttributeError(f"module 'snwlib' has no attribute {name!r}")


__all__ = ["alpha", "AlphaResult", "Paths", "DataFileError", "Problem", "read_table", "Ledger", "parse_published"]
__version__ = "0.1.0"
