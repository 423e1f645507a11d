"""Codebooks: instruments described as data.

A codebook is a YAML file in the repository's ``codebooks/`` folder. It names the instrument's
tables, their columns with types and allowed values (the schema that :mod:`snwlib.validate`
checks), and whatever the appendix needs to present the results (labels, table templates). Code in
snwlib reads these files; it holds no item wording, codes or labels of its own.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .config import CODEBOOK_DIR


def load_codebook(name: str, directory=None) -> dict:
    """Load codebook ``name`` (file ``<name>.yaml``) from ``directory`` (default ``codebooks/``).

    Examples
    --------
    >>> cb = load_codebook("c1_inventaris")
    >>> sorted(cb["tables"])
    ['c1_activiteiten', 'c1_kengetallen']
    """
    path = Path(directory or CODEBOOK_DIR) / f"{name}.yaml"
    with open(path, encoding="utf-8") as fh:
        codebook = yaml.safe_load(fh)
    codebook.setdefault("instrument", name)
    codebook["_path"] = str(path)
    return codebook
