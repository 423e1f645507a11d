"""Reading processed data: what every notebook and table function starts from.

Ingestion (:mod:`snwlib.ingest`) writes one folder per wave, ``OUT_DIR/data/processed/<wave>/``,
with a Parquet file per table and a ``provenance.json``. :func:`open_wave` opens such a folder;
the :class:`Wave` it returns reads tables on demand, and only from there: nothing downstream of
ingestion can see a raw file, an identifying column or unscrubbed free text.

Examples
--------
>>> w = open_wave("/tmp/out/data/processed", "2012")  # doctest: +SKIP
>>> w.table("c1_kengetallen").waarde.sum()  # doctest: +SKIP
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .codebook import load_codebook
from .ingest import PROVENANCE, STATUS_NL, UNAVAILABLE_SUFFIX

# STATUS_NL (the data statuses of metadata.yaml, in Dutch for banners) lives in snwlib.ingest,
# which checks every table's status against it; it is exported here for the presentation layer.
__all__ = ["Wave", "open_wave", "MissingData", "STATUS_NL"]


class MissingData(LookupError):
    """A table or wave that the processed data do not hold; the message says why and what to do."""


@dataclass
class Wave:
    """The processed data of one wave.

    Parameters
    ----------
    folder : pathlib.Path
        ``OUT_DIR/data/processed/<wave>``.
    provenance : dict
        Its ``provenance.json``.
    """

    folder: Path
    provenance: dict
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        """The wave, e.g. ``"2012"``."""
        return self.provenance["wave"]

    @property
    def meting(self) -> dict:
        """The wave-level facts of its ``metadata.yaml`` (see :func:`snwlib.ingest.wave_metadata`)."""
        return self.provenance.get("meting", {})

    @property
    def periode(self) -> tuple | None:
        """The period the wave measures, ``(begin, eind)`` as Timestamps, or None if not given."""
        p = self.meting.get("periode")
        return (pd.Timestamp(p["begin"]), pd.Timestamp(p["eind"])) if p else None

    def toelichting(self, table: str, min_cell: int = 0) -> str:
        """The wave's remark on ``table`` for the reader (``toelichting`` in ``metadata.yaml``), or "".

        Parameters
        ----------
        table : str
        min_cell : int, optional
            Unused: a remark is about the source, shown to both audiences (for
            :meth:`snwlib.present.Report.text`).

        Returns
        -------
        str
        """
        return self.provenance["tables"].get(table, {}).get("toelichting", "")

    def has(self, table: str) -> bool:
        """Whether the wave has ``table``.

        Parameters
        ----------
        table : str

        Returns
        -------
        bool
        """
        return table in self.provenance["tables"] or (self.folder / f"{table}.parquet").exists()

    def table(self, name: str) -> pd.DataFrame:
        """A processed table (a copy, which the caller may change).

        Parameters
        ----------
        name : str
            The table's name in its codebook, e.g. ``"c1_kengetallen"``, or an export's name.

        Returns
        -------
        pandas.DataFrame
            With the codebook's types (see :mod:`snwlib.ingest`).

        Raises
        ------
        MissingData
            The raw folder of the wave had no file for the table.
        """
        if name not in self._cache:
            path = self.folder / f"{name}.parquet"
            if not path.exists():
                raise MissingData(
                    f"wave {self.name} has no table '{name}': its raw folder ({self.provenance['raw']['folder']}) "
                    f"had no file for it when it was ingested (expected {name}.csv, .xlsx or .sav)"
                )
            self._cache[name] = pd.read_parquet(path, engine="pyarrow")
        return self._cache[name].copy()

    def answers(self, export: str) -> pd.DataFrame:
        """An export's answers, indexed by respondent id.

        Parameters
        ----------
        export : str
            The export's name (a codebook's ``export``), e.g. ``"c7_antwoorden"``.

        Returns
        -------
        pandas.DataFrame
            One row per respondent, one column per item: categoricals of the Dutch answer labels
            for coded questions, floats for numbers, scrubbed text for open questions.
        """
        t = self.table(export)
        return t.set_index(t.columns[0])

    def unavailable(self, export: str) -> pd.DataFrame:
        """True where an answer was given but the source does not give its content.

        Parameters
        ----------
        export : str

        Returns
        -------
        pandas.DataFrame of bool
            Same index and columns as :meth:`answers`.
        """
        t = self.table(export + UNAVAILABLE_SUFFIX)
        return t.set_index(t.columns[0])

    def codebook(self, table: str) -> dict:
        """The codebook that describes ``table`` (the one ingestion checked it against).

        Parameters
        ----------
        table : str

        Returns
        -------
        dict
        """
        try:
            return load_codebook(self.provenance["tables"][table]["codebook"])
        except KeyError:
            raise MissingData(f"wave {self.name} has no table '{table}'") from None

    def status(self, prefix: str) -> dict:
        """The status of the tables whose names start with ``prefix`` (e.g. ``"c7_"``).

        Parameters
        ----------
        prefix : str

        Returns
        -------
        dict
            ``status`` (Dutch text for a banner), ``reconstructed`` and ``synthetic`` (bool: some
            table has that status) and ``datasets`` (table name to its status: one of
            :data:`STATUS_NL`, or ``onbekend``).
        """
        found = {n: t["status"] for n, t in self.provenance["tables"].items() if n.startswith(prefix)}
        kinds = sorted(set(found.values()))
        text = "; ".join(STATUS_NL.get(k, "status onbekend (geen metadata.yaml)") for k in kinds) or "geen gegevens"
        return {
            "status": text,
            "reconstructed": "reconstructed" in kinds,
            "synthetic": "synthetic" in kinds,
            "datasets": found,
        }

    def earlier(self, table: str | None = None) -> list:
        """The earlier waves beside this one (that have ``table``, if given), oldest first.

        Only waves ingested from the same ``DATA_DIR`` count.

        Parameters
        ----------
        table : str, optional

        Returns
        -------
        list of Wave
        """
        waves = []
        data_dir = Path(self.provenance["raw"]["folder"]).resolve().parent
        for folder in sorted(self.folder.parent.iterdir()):
            if not folder.name.startswith(".") and folder.name < self.name and (folder / PROVENANCE).exists():
                w = open_wave(folder.parent, folder.name)
                # waves ingested from another DATA_DIR into the same OUT_DIR are not this monitor's
                if Path(w.provenance["raw"]["folder"]).resolve().parent == data_dir and (table is None or w.has(table)):
                    waves.append(w)
        return waves


def open_wave(processed_dir, wave: str) -> Wave:
    """Open the processed data of ``wave``.

    Parameters
    ----------
    processed_dir : str or Path
        ``OUT_DIR/data/processed``.
    wave : str

    Returns
    -------
    Wave

    Raises
    ------
    MissingData
        The wave was not ingested (``make ingest`` does that).
    """
    folder = Path(processed_dir) / str(wave)
    path = folder / PROVENANCE
    if not path.exists():
        raise MissingData(
            f"no processed data for wave {wave} in {processed_dir}: run `make ingest WAVE={wave}` "
            "(or `python -m snwlib ingest`) first"
        )
    return Wave(folder, json.loads(path.read_text(encoding="utf-8")))
