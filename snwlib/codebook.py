"""Codebooks: instruments described as data.

A codebook is a YAML file in the repository's ``codebooks/`` folder. It names the instrument's
tables, their columns with types and allowed values (the schema that :mod:`snwlib.validate`
checks), and whatever the appendix needs to present the results (labels, table templates). Code in
snwlib reads these files; it holds no item wording, codes or labels of its own.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from .config import CODEBOOK_DIR

__all__ = ["load_codebook", "all_codebooks"]


@cache
def _read(path: str, mtime: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def load_codebook(name: str, directory=None) -> dict:
    """Load codebook ``name`` (file ``<name>.yaml``) from ``directory`` (default ``codebooks/``).

    Parameters
    ----------
    name : str
        The codebook's file name without ``.yaml``, e.g. ``"b5_doetankvragenlijst"``.
    directory : str or Path, optional
        Where to look; the repository's ``codebooks/`` by default.

    Returns
    -------
    dict
        The codebook, with ``instrument`` (default: ``name``) and ``_path`` (the file read). Each
        call returns a fresh copy, which the caller may change.

    Examples
    --------
    >>> cb = load_codebook("c1_inventaris")
    >>> sorted(cb["tables"])
    ['c1_activiteiten', 'c1_kengetallen']
    """
    import copy

    path = Path(directory or CODEBOOK_DIR) / f"{name}.yaml"
    codebook = copy.deepcopy(_read(str(path), path.stat().st_mtime))
    codebook.setdefault("instrument", name)
    codebook["_path"] = str(path)
    return codebook


def all_codebooks(directory=None) -> dict:
    """Every codebook of ``directory`` (default ``codebooks/``), by name, in file-name order.

    Parameters
    ----------
    directory : str or Path, optional
        Where to look; the repository's ``codebooks/`` by default.

    Returns
    -------
    dict of str to dict

    Examples
    --------
    >>> list(all_codebooks())[:2]
    ['b5_doetankvragenlijst', 'b7_cafevragenlijst']
    """
    folder = Path(directory or CODEBOOK_DIR)
    return {p.stem: load_codebook(p.stem, folder) for p in sorted(folder.glob("*.yaml"))}
