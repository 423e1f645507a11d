"""Integrity of the raw data: a manifest of every raw file with its SHA-256 hash.

Each wave folder of the raw data holds a ``datapackage.json`` (a Frictionless Data Package
descriptor, so other tools can read it) listing every file of the folder with its size and
``sha256`` hash. Every notebook run checks the folder against it first (:func:`verify`); a file
that changed, disappeared or appeared stops the run before anything is computed, and the message
names the files and the command that accepts a deliberate change::

    make accept-data                      # the wave of DATA_DIR/WAVE
    python -m snwlib manifest --accept data/raw/2012

Accepting is the only thing in this repository that writes into a raw folder, and only its
``datapackage.json``; the pipeline itself never does.

We write the descriptor ourselves (a dozen lines of JSON) rather than depend on the
``frictionless`` package for it; the format is the standard one.
"""

from __future__ import annotations

import hashlib
import json
import shlex
from pathlib import Path

from .files import DataFileError, Problem, atomic_path

__all__ = ["sha256", "describe", "accept", "differences", "verify", "MANIFEST"]

MANIFEST = "datapackage.json"
ACCEPT_HINT = (
    "if the change is deliberate, accept it with `make accept-data` (or `python -m snwlib manifest --accept {folder}`)"
)


def sha256(path) -> str:
    """The SHA-256 hash of a file, as hex.

    Parameters
    ----------
    path : str or Path
        The file; it is read in blocks, so its size does not matter.

    Returns
    -------
    str
        The 64 hexadecimal digits of the hash.
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def _files(folder: Path) -> list:
    # hidden files, and the lock files Excel writes beside an open workbook (~$name.xlsx), are not data
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.name != MANIFEST and not p.name.startswith((".", "~$"))
    )


def describe(folder) -> dict:
    """The data package descriptor of ``folder``: every file with its size and hash.

    Parameters
    ----------
    folder : str or Path
        A wave folder of the raw data. Its manifest itself, hidden files (names starting with
        ``.``) and Excel's lock files (``~$``) are not listed.

    Returns
    -------
    dict
        The descriptor: ``name`` (``slimmernetwerk-raw-<folder name>``, lower case), ``profile``
        (``"data-package"``) and ``resources``, one dict per file in name order with ``name``
        (the file name without suffix, lower case, spaces as ``-``), ``path`` (the file name),
        ``bytes`` (its size) and ``hash`` (``"sha256:<hex>"``).
    """
    folder = Path(folder)
    resources = [
        {
            "name": p.stem.lower().replace(" ", "-"),
            "path": p.name,
            "bytes": p.stat().st_size,
            "hash": f"sha256:{sha256(p)}",
        }
        for p in _files(folder)
    ]
    return {"name": f"slimmernetwerk-raw-{folder.name}".lower(), "profile": "data-package", "resources": resources}


def accept(folder) -> Path:
    """Write (atomically) the manifest of ``folder`` as it is now; returns its path.

    Parameters
    ----------
    folder : str or Path
        A wave folder of the raw data; its ``datapackage.json`` is (over)written with
        :func:`describe` of the folder.

    Returns
    -------
    Path
        ``<folder>/datapackage.json``.
    """
    path = Path(folder) / MANIFEST
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(describe(folder), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def differences(folder) -> list:
    """What differs between ``folder`` and its manifest, as :class:`~snwlib.files.Problem` objects
    (empty when everything matches).

    Parameters
    ----------
    folder : str or Path
        A wave folder of the raw data.

    Returns
    -------
    list of Problem
        One problem when the manifest is missing or cannot be read; otherwise one per file that is
        listed but missing or whose SHA-256 hash differs (in the manifest's order), then one per
        file not listed (in name order). Each hint says how to accept a deliberate change.
    """
    folder = Path(folder)
    path = folder / MANIFEST
    hint = ACCEPT_HINT.format(folder=shlex.quote(str(folder)))
    if not path.exists():
        return [
            Problem(
                str(path),
                None,
                None,
                None,
                "no manifest of the raw files",
                hint.replace("if the change is deliberate, accept it", "create it"),
            )
        ]
    try:
        listed = {r["path"]: r for r in json.loads(path.read_text(encoding="utf-8"))["resources"]}
    except (ValueError, KeyError, TypeError) as err:
        return [Problem(str(path), None, None, None, f"the manifest cannot be read ({err})", hint)]
    problems = []
    present = {p.name: p for p in _files(folder)}
    for name, res in listed.items():
        if name not in present:
            problems.append(Problem(str(folder / name), None, None, None, "listed in the manifest but missing", hint))
        elif res.get("hash") != f"sha256:{sha256(present[name])}":
            problems.append(
                Problem(
                    str(folder / name), None, None, None, "changed since the manifest was made (SHA-256 differs)", hint
                )
            )
    for name in sorted(set(present) - set(listed)):
        problems.append(Problem(str(folder / name), None, None, None, "not in the manifest (a new file)", hint))
    return problems


def verify(folder) -> None:
    """Raise :class:`~snwlib.files.DataFileError` naming every file that differs from the manifest.

    Parameters
    ----------
    folder : str or Path
        A wave folder of the raw data.

    Returns
    -------
    None

    Raises
    ------
    DataFileError
        The folder differs from its manifest, with every problem :func:`differences` finds.

    Examples
    --------
    >>> verify("data/raw/2012")  # the shipped data match their manifest
    """
    problems = differences(folder)
    if problems:
        raise DataFileError(problems)
