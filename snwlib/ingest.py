"""Ingestion: the one step that reads raw data. Everything after it reads processed data.

For one wave (``DATA_DIR/<wave>/``) :func:`ingest`

1. checks the raw files against their manifest (:mod:`snwlib.manifest`): a changed, missing or
   new file stops it before anything is read;
2. reads every table and export that a codebook describes, with the readers of
   :mod:`snwlib.files`, and checks it against its codebook (:mod:`snwlib.validate`,
   :mod:`snwlib.scoring`); every problem of every file is reported together;
3. drops the columns that identify people (items and table columns marked ``identifying``):
   they are read here and go no further; respondent ids are replaced by ``r01``, ``r02``, ...;
4. scrubs names, e-mail addresses and phone numbers from free text (answers to open questions,
   and table columns marked ``free_text``) with :func:`snwlib.privacy.scrub`; deduce's name lists
   are loaded once, here;
5. writes each table as Parquet with the codebook's types under
   ``OUT_DIR/data/processed/<wave>/``: numbers as floats, whole numbers as nullable integers,
   dates as dates, categories as categoricals, and the answers to coded questions as categoricals
   of their Dutch labels in code order (ordered for ordinal scales). An export also gets
   ``<export>_niet_in_bron.parquet``, True where the answer's content is not in the source;
6. writes ``provenance.json``: the raw files with their SHA-256 hashes and status (real,
   transcribed, reconstructed), each table's codebook with its hash, what was dropped and
   scrubbed, warnings, and the snwlib version with a hash of the ingestion code; and
   ``status.json``, each table's status alone (for the banners of the HTML reports).

A file whose content did not change keeps its date, so that Make reruns only the notebooks whose
data changed.

The wave's folder is written in a staging folder and swapped in only when complete, so a failed
ingestion leaves the previous processed data as it was. Nothing is written under ``DATA_DIR``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pandas as pd
import yaml

from . import __version__
from .codebook import all_codebooks
from .files import DataFileError, Problem, find_table, read_table
from .manifest import MANIFEST, differences, sha256
from .scoring import CODED, items_table, read_answers
from .scoring import labels as scale_labels
from .validate import check_references, validate_table

__all__ = ["ingest", "pseudonyms", "PROVENANCE", "STATUS", "UNAVAILABLE_SUFFIX", "INGESTION_MODULES", "main"]

PROVENANCE = "provenance.json"
#: The status of each table (real, transcribed, reconstructed), apart, so that the HTML banners
#: depend on it and nothing else.
STATUS = "status.json"
#: Name suffix of an export's mask of answers whose content the source does not give.
UNAVAILABLE_SUFFIX = "_niet_in_bron"
#: The modules whose code decides what ingestion writes (hashed into the provenance record; the
#: Makefile reruns ingestion when one of them changes).
INGESTION_MODULES = (
    "__init__.py",
    "codebook.py",
    "config.py",
    "files.py",
    "ingest.py",
    "manifest.py",
    "privacy.py",
    "schema.py",
    "scoring.py",
    "validate.py",
)


def _code_digest() -> str:
    h = hashlib.sha256()
    here = Path(__file__).parent
    for name in INGESTION_MODULES:
        h.update(name.encode() + b"\0" + (here / name).read_bytes())
    return h.hexdigest()


def _typed(typed: pd.DataFrame, spec: dict) -> pd.DataFrame:
    """A validated table with the dtypes its codebook spec gives."""
    out = pd.DataFrame(index=range(len(typed)))
    for name, cspec in spec["columns"].items():
        cspec = cspec or {}
        values = typed[name].reset_index(drop=True) if name in typed else pd.Series([None] * len(typed))
        kind = cspec.get("type", "string")
        if kind == "number":
            out[name] = pd.to_numeric(values, errors="raise").astype(float)
        elif kind == "integer":
            out[name] = pd.array(values.tolist(), dtype="Int64")
        elif kind == "date":
            out[name] = pd.to_datetime(values)
        elif kind == "category":
            cats = [str(v) for v in cspec.get("values", [])]
            out[name] = pd.Categorical([None if v is None else str(v) for v in values], categories=cats)
        else:
            out[name] = pd.array([None if v is None else str(v) for v in values], dtype=object)
    return out


def pseudonyms(n: int) -> list:
    """Respondent ids for processed data: ``r01``, ``r02``, ... in the export's order.

    A survey tool's own ids can identify people (some use the e-mail address); the processed
    data never carry them.

    Parameters
    ----------
    n : int
        The number of respondents.

    Returns
    -------
    list of str

    Examples
    --------
    >>> pseudonyms(3)
    ['r1', 'r2', 'r3']
    >>> pseudonyms(12)[:2]
    ['r01', 'r02']
    """
    width = len(str(n))
    return [f"r{i:0{width}d}" for i in range(1, n + 1)]


def _answers_frame(answers: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """Scored answers (codes) as categoricals of their labels; numbers and text as they are; the
    respondent ids replaced by :func:`pseudonyms`."""
    rid = codebook.get("respondent_id", "respondent")
    out = pd.DataFrame({rid: pseudonyms(len(answers))})
    items = items_table(codebook).set_index("id")
    for col in answers.columns:
        scale = codebook["answer_scales"][items.at[col, "answers"]]
        x = answers[col].reset_index(drop=True)
        if scale["type"] in CODED:
            labels = scale_labels(scale)
            by_code = {int(c): label for c, label in scale["codes"].items()}
            out[col] = pd.Categorical(
                [None if pd.isna(v) else by_code[int(v)] for v in x],
                categories=labels,
                ordered=scale["type"] == "ordinal",
            )
        elif scale["type"] == "number":
            out[col] = x.astype(float)
        else:
            out[col] = pd.array([None if v is None or pd.isna(v) else str(v) for v in x], dtype=object)
    return out


class _Scrubber:
    """Scrub each distinct text once; count the cells changed per column."""

    def __init__(self, deny):
        self.deny, self.cache = tuple(deny), {}

    def column(self, values: pd.Series) -> tuple[pd.Series, int]:
        from .privacy import scrub

        changed = 0
        out = []
        for v in values:
            if v is None or (isinstance(v, float) and pd.isna(v)):
                out.append(None)
                continue
            if v not in self.cache:
                self.cache[v] = scrub(v, self.deny)
            changed += self.cache[v] != v
            out.append(self.cache[v])
        return pd.Series(pd.array(out, dtype=object), index=values.index, name=values.name), changed


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    df.to_parquet(path, index=False, engine="pyarrow", compression="zstd")


def _status(raw: Path) -> dict:
    path = raw / "metadata.yaml"
    meta = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    return (meta or {}).get("datasets", {}) or {}


def ingest(data_dir, wave: str, out_dir) -> Path:
    """Ingest one wave: check, read, validate, drop, scrub, write Parquet and provenance.

    Parameters
    ----------
    data_dir : str or Path
        The folder with one sub-folder of raw files per wave.
    wave : str
        The wave to ingest (``data_dir / wave``).
    out_dir : str or Path
        Root of the outputs; the wave's processed data go to ``out_dir/data/processed/<wave>``.

    Returns
    -------
    pathlib.Path
        The wave's processed folder.

    Raises
    ------
    DataFileError
        Every problem found: files that differ from the manifest, unreadable files, values that
        break the codebook. Nothing is written then.
    """
    from .privacy import load_denylist

    raw = Path(data_dir) / str(wave)
    if not raw.is_dir():
        raise DataFileError(
            [Problem(str(raw), None, None, None, "no such folder", f"put the raw files of wave {wave} there")]
        )
    changed = differences(raw)
    if changed:
        raise DataFileError(changed)
    meta = _status(raw)
    scrubber = _Scrubber(load_denylist(raw))
    frames: dict[str, pd.DataFrame] = {}
    records: dict[str, dict] = {}
    problems: list[Problem] = []
    read_files: set[str] = set()
    codebooks = all_codebooks()
    for cb_name, cb in codebooks.items():
        typed_tables, specs = {}, {}
        for name, spec in (cb.get("tables") or {}).items():
            try:
                path, sheet = find_table(raw, name, cb.get("workbook"))
            except DataFileError:
                continue  # not every wave has every table; a notebook that needs it says so
            try:
                typed, found = validate_table(read_table(path, sheet), spec)
            except DataFileError as err:
                problems.extend(err.problems)
                continue
            read_files.add(path.name)
            problems.extend(found)
            typed_tables[name], specs[name] = typed, spec
            frame = _typed(typed, spec)
            dropped = [c for c, cspec in spec["columns"].items() if (cspec or {}).get("identifying")]
            frame = frame.drop(columns=dropped)
            scrubbed = {}
            for col, cspec in spec["columns"].items():
                if (cspec or {}).get("free_text") and col in frame:
                    frame[col], scrubbed[col] = scrubber.column(frame[col])
            frames[name] = frame
            records[name] = {
                "kind": "table",
                "codebook": cb_name,
                "source": path.name,
                "sheet": sheet,
                "rows": len(frame),
                "dropped": dropped,
                "scrubbed": {c: n for c, n in scrubbed.items() if n},
            }
        problems.extend(check_references(typed_tables, specs))
        export = cb.get("export")
        if not export:
            continue
        try:
            path, sheet = find_table(raw, export, cb.get("workbook"))
        except DataFileError:
            continue
        try:
            scored = read_answers(read_table(path, sheet), cb)
        except DataFileError as err:
            problems.extend(err.problems)
            continue
        read_files.add(path.name)
        answers = _answers_frame(scored.answers, cb)
        items = items_table(cb)
        texts = [
            i for i in items.id[items.type == "text"] if i in answers and not items.set_index("id").at[i, "identifying"]
        ]
        scrubbed = {}
        for col in texts:
            answers[col], scrubbed[col] = scrubber.column(answers[col])
        unavailable = scored.unavailable.reset_index(drop=True).astype(bool)
        unavailable.insert(0, cb.get("respondent_id", "respondent"), answers.iloc[:, 0].values)
        frames[export] = answers
        frames[export + UNAVAILABLE_SUFFIX] = unavailable
        records[export] = {
            "kind": "answers",
            "codebook": cb_name,
            "source": path.name,
            "sheet": sheet,
            "rows": len(answers),
            "dropped": list(scored.identifying.columns),
            "scrubbed": {c: n for c, n in scrubbed.items() if n},
            "warnings": [str(f) for f in scored.flags],
        }
    if problems:
        raise DataFileError(problems)
    files = []
    for p in sorted(q for q in raw.iterdir() if q.is_file() and not q.name.startswith(".")):
        entry = {"path": p.name, "read": p.name in read_files or p.name in (MANIFEST, "metadata.yaml")}
        if p.name == "privacy_denylist.txt":
            entry["role"] = "deny-list of names to scrub; read, never copied"
        elif p.name not in (MANIFEST,):
            entry["sha256"] = sha256(p)
        files.append(entry)
    for name, rec in records.items():
        info = meta.get(name) or {}
        rec["status"] = info.get("status", "onbekend")
        rec["description"] = " ".join(str(info.get("description", "")).split())
    provenance = {
        "wave": str(wave),
        "snwlib": {"version": __version__, "ingestion_code_sha256": _code_digest()},
        "raw": {"folder": str(raw.resolve()), "files": files},
        "codebooks": {
            name: {"path": f"codebooks/{Path(cb['_path']).name}", "sha256": sha256(cb["_path"])}
            for name, cb in codebooks.items()
            if any(r["codebook"] == name for r in records.values())
        },
        "tables": {name: records[name] for name in sorted(records)},
    }
    target = Path(out_dir) / "data" / "processed" / str(wave)
    staging = target.parent / f".{target.name}.ingest-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    status = {"wave": str(wave), "tables": {name: rec["status"] for name, rec in sorted(records.items())}}
    try:
        for name, frame in frames.items():
            _write_parquet(frame, staging / f"{name}.parquet")
        (staging / STATUS).write_text(json.dumps(status, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        for path in staging.iterdir():
            before = target / path.name
            # An unchanged file keeps its date, so Make reruns only the notebooks (and HTML
            # exports) whose inputs changed.
            if before.exists() and before.read_bytes() == path.read_bytes():
                stat = before.stat()
                os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        (staging / PROVENANCE).write_text(json.dumps(provenance, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        old = target.parent / f".{target.name}.old-{os.getpid()}"
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def main(data_dir, wave: str, out_dir) -> int:
    """Ingest one wave and print one status line (``ingest <wave> ok <seconds> s``).

    Parameters
    ----------
    data_dir, wave, out_dir
        As for :func:`ingest`.

    Returns
    -------
    int
        The exit status: 0, or 1 with the problems on stderr.
    """
    import sys

    t0 = time.monotonic()
    label = f"ingest {wave}"
    try:
        folder = ingest(data_dir, wave, out_dir)
    except DataFileError as err:
        print(f"{label:<12} FAILED {time.monotonic() - t0:6.1f} s", flush=True)
        print(f"{label}: {err}", file=sys.stderr)
        return 1
    prov = json.loads((folder / PROVENANCE).read_text(encoding="utf-8"))
    for name, rec in prov["tables"].items():
        for w in rec.get("warnings", []):
            print(f"  ! {name}: {w}", file=sys.stderr)
    print(f"{label:<12} ok     {time.monotonic() - t0:6.1f} s", flush=True)
    return 0
