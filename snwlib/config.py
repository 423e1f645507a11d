"""Where a run reads its raw data and writes its outputs.

A run is defined by three parameters, the same ones the Makefile and the notebooks' ``parameters``
cells take: ``data_dir`` (the folder that holds one sub-folder per wave), ``wave`` (e.g. ``"2012"``)
and ``out_dir`` (everything the pipeline writes goes below it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Paths", "REPO", "CODEBOOK_DIR", "REFERENCE_DIR"]

#: The repository root (snwlib is used from a checkout, not from site-packages).
REPO = Path(__file__).resolve().parents[1]
CODEBOOK_DIR = REPO / "codebooks"
REFERENCE_DIR = REPO / "references"


@dataclass(frozen=True)
class Paths:
    """The folders of one run.

    Parameters
    ----------
    data_dir : str or Path
        Folder with one sub-folder of raw files per wave (``data/raw`` in the repository).
    wave : str
        The measurement, e.g. ``"2012"``; raw files are read from ``data_dir / wave``.
    out_dir : str or Path
        Root of everything the run writes: ``data/processed``, ``figures`` and ``reports`` below it.

    Examples
    --------
    >>> p = Paths("data/raw", "2012", "/tmp/out")
    >>> p.raw.as_posix(), p.figures.as_posix()
    ('data/raw/2012', '/tmp/out/figures')
    """

    data_dir: Path
    wave: str
    out_dir: Path

    def __init__(self, data_dir, wave, out_dir="."):
        object.__setattr__(self, "data_dir", Path(data_dir))
        object.__setattr__(self, "wave", str(wave))
        object.__setattr__(self, "out_dir", Path(out_dir))

    @property
    def raw(self) -> Path:
        """Raw files of this wave (read only: nothing is ever written here)."""
        return self.data_dir / self.wave

    @property
    def processed(self) -> Path:
        return self.out_dir / "data" / "processed"

    @property
    def ledger(self) -> Path:
        return self.processed / "ledger"

    @property
    def figures(self) -> Path:
        return self.out_dir / "figures"

    @property
    def reports(self) -> Path:
        return self.out_dir / "reports"

    def ensure(self) -> Paths:
        """Create the output folders (never the raw one) and return self.

        Returns
        -------
        Paths
            This object, so that ``Paths(...).ensure()`` can be assigned in one line.
        """
        for d in (self.processed, self.ledger, self.figures, self.reports):
            d.mkdir(parents=True, exist_ok=True)
        return self
