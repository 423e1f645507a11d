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

__all__ = ["load_codebook", "all_codebooks", "files_prefix", "for_files", "load_yaml"]


def load_yaml(stream):
    """:func:`yaml.safe_load`, parsed by libyaml when PyYAML was built with it.

    The same safe constructor builds the same values; only the parsing is done in C, about ten
    times faster (reading the codebooks took a quarter of a second of every ingestion).

    Parameters
    ----------
    stream : str or file
        YAML text.

    Returns
    -------
    object
        The document's value (None for an empty document).

    Raises
    ------
    yaml.YAMLError
        The text is not valid YAML; its ``problem_mark`` says where.
    """
    return yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def _read(path: str, mtime: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        return load_yaml(fh)


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

    base, _, prefix = name.partition("@")
    path = Path(directory or CODEBOOK_DIR) / f"{base}.yaml"
    codebook = copy.deepcopy(_read(str(path), path.stat().st_mtime))
    codebook.setdefault("instrument", base)
    codebook["_path"] = str(path)
    return for_files(codebook, prefix) if prefix else codebook


def files_prefix(codebook: dict) -> str | None:
    """The prefix of a codebook's file names (``"c8"`` for ``c8_antwoorden``), None if it has none.

    Parameters
    ----------
    codebook : dict

    Returns
    -------
    str or None

    Examples
    --------
    >>> files_prefix(load_codebook("b7_cafevragenlijst")), files_prefix(load_codebook("c1_inventaris"))
    ('c8', 'c1')
    """
    names = [*([codebook["export"]] if codebook.get("export") else []), *(codebook.get("tables") or {})]
    prefixes = {n.split("_", 1)[0] for n in names if "_" in n}
    return prefixes.pop() if len(prefixes) == 1 else None


def for_files(codebook: dict, prefix: str) -> dict:
    """The codebook for another set of files of the same form: its tables renamed to ``prefix``.

    A second event evaluated with the same form has its own files, named after its appendix
    (``c8b_antwoorden.csv`` for appendix C8b). Its codebook is the form's, with every table name
    (the export, the other tables, and where the codebook names them, e.g. in a text template)
    changed from the form's prefix to ``prefix``.

    Parameters
    ----------
    codebook : dict
        As :func:`load_codebook` returns it.
    prefix : str
        E.g. ``"c8b"``.

    Returns
    -------
    dict
        A new codebook; ``_files`` holds ``prefix``.

    Examples
    --------
    >>> cb = for_files(load_codebook("b7_cafevragenlijst"), "c8b")
    >>> cb["export"], sorted(cb["tables"])
    ('c8b_antwoorden', ['c8b_afwezigen', 'c8b_prioriteiten', 'c8b_respons'])
    >>> cb["teksten"]["afwezigen"]
    '{c8b_afwezigen:woord} aangemelde personen die niet kwamen, lieten weten waarom.'
    """
    import re

    old = files_prefix(codebook)
    if old is None or old == prefix:
        return {**codebook, "_files": prefix}
    names = [*([codebook["export"]] if codebook.get("export") else []), *(codebook.get("tables") or {})]
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")

    def renamed(x):
        if isinstance(x, str):
            return pattern.sub(lambda m: prefix + m.group(1)[len(old) :], x)
        if isinstance(x, dict):
            return {renamed(k): renamed(v) for k, v in x.items()}
        if isinstance(x, list):
            return [renamed(v) for v in x]
        return x

    out = {k: (v if k.startswith("_") else renamed(v)) for k, v in codebook.items()}
    out["_files"] = prefix
    return out


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
