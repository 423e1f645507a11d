"""Ingestion: the one step that reads raw data. Everything after it reads processed data.

For one wave (``DATA_DIR/<wave>/``) :func:`ingest`

1. checks the raw files against their manifest (:mod:`snwlib.manifest`): a changed, missing or
   new file stops it before anything is read;
2. finds the file of every table and export that a codebook describes, reads it with the readers
   of :mod:`snwlib.rawfiles` and checks it against its codebook (:mod:`snwlib.validate`,
   :mod:`snwlib.scoring`): :func:`check_wave`, which ``python -m snwlib validate FOLDER`` runs
   too. Every problem of every file is reported together; a file that cannot be read does not
   stop the checks of the others;
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
   transcribed, reconstructed, synthetic), each table's codebook with its hash, what was dropped and
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
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from . import __version__
from .codebook import all_codebooks, load_yaml
from .files import DataFileError, Problem
from .manifest import MANIFEST, differences, sha256
from .rawfiles import Source, find_sources, read_table, unused_files
from .scoring import CODED, items_table, read_answers
from .scoring import labels as scale_labels
from .validate import check_references, validate_table

__all__ = [
    "ingest",
    "check_wave",
    "check_file",
    "wave_metadata",
    "wave_codebooks",
    "Checked",
    "WaveCheck",
    "pseudonyms",
    "PROVENANCE",
    "STATUS",
    "STATUS_NL",
    "UNAVAILABLE_SUFFIX",
    "INGESTION_MODULES",
    "main",
]

PROVENANCE = "provenance.json"
#: The status of each table (real, transcribed, reconstructed, synthetic), apart, so that the HTML
#: banners depend on it and nothing else.
STATUS = "status.json"
#: The data statuses a table may have in ``metadata.yaml``, with their Dutch wording for banners.
STATUS_NL = {
    "real": "echte meetgegevens",
    "transcribed": "overgenomen uit het gepubliceerde rapport (geaggregeerde gegevens)",
    "reconstructed": "RECONSTRUCTIE: geen echte antwoorden, wel reproductie van alle gepubliceerde aggregaten",
    "synthetic": "SYNTHETISCH: verzonnen testgegevens, geen meting",
}
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
    "rawfiles.py",
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


@dataclass
class Checked:
    """One table or export of a wave, read and checked against its codebook.

    ``kind`` is ``"table"`` (``typed`` holds it, as :func:`snwlib.validate.validate_table`
    returns it, also when some of its cells have problems) or ``"answers"`` (``scored`` holds it,
    as :func:`snwlib.scoring.read_answers` returns it); None when the file cannot be read.
    """

    table: str
    kind: str
    codebook: str
    source: Source
    typed: pd.DataFrame | None = None
    scored: object = None
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    read_from: str = ""

    @property
    def rows(self) -> int:
        """Rows of a table, respondents of an export (0 when it could not be read)."""
        if self.typed is not None:
            return len(self.typed)
        return len(self.scored.answers) if self.scored is not None else 0


@dataclass
class WaveCheck:
    """The result of :func:`check_wave`: each table found, and the problems and warnings of the
    folder as a whole (files that are not tables, two files for one table, references across
    tables)."""

    results: dict
    folder_problems: list
    warnings: list

    @property
    def problems(self) -> list:
        """Every problem: of the folder, then of each table in the codebooks' order."""
        return self.folder_problems + [p for c in self.results.values() for p in c.problems]


def _tables(codebooks: dict) -> dict:
    """Every table and export the codebooks describe: name -> (codebook name, workbook or None)."""
    wanted = {}
    for cb_name, cb in codebooks.items():
        for name in [*(cb.get("tables") or {}), *([cb["export"]] if cb.get("export") else [])]:
            wanted[name] = (cb_name, cb.get("workbook"))
    return wanted


def _check(name: str, cb_name: str, cb: dict, source: Source) -> Checked:
    """Read and check one table or export from its source."""
    kind = "answers" if name == cb.get("export") else "table"
    checked = Checked(name, kind, cb_name, source)
    try:
        raw = read_table(source.path, source.sheet, name)
        checked.read_from = raw.attrs["source"]
        if kind == "answers":
            checked.scored = read_answers(raw, cb)
            checked.warnings = list(checked.scored.flags)
        else:
            checked.typed, checked.problems = validate_table(raw, cb["tables"][name])
    except DataFileError as err:
        checked.problems = err.problems
    return checked


def check_file(path, codebooks: dict | None = None) -> list:
    """Read and check one raw file as the table its name says (a workbook: every sheet named
    after a table of its codebook); write nothing.

    Parameters
    ----------
    path : str or Path
        A raw file, named after its table in any case (``C7_Antwoorden.CSV``), or a codebook's
        workbook.
    codebooks : dict, optional
        The codebooks by name; all of ``codebooks/`` by default.

    Returns
    -------
    list of Checked
        One per table the file holds.

    Raises
    ------
    DataFileError
        The file is named after no table (the problem names the closest table name).
    """
    from .rawfiles import _key, _near, _workbook_sheets

    path = Path(path)
    codebooks = all_codebooks() if codebooks is None else codebooks
    wanted = _tables(codebooks)
    keys = {_key(n): n for n in wanted}
    if _key(path.stem) in keys:
        name = keys[_key(path.stem)]
        cb_name = wanted[name][0]
        return [_check(name, cb_name, codebooks[cb_name], Source(name, path))]
    books = {_key(wb): cb_name for cb_name, cb in codebooks.items() if (wb := cb.get("workbook"))}
    if _key(path.name) in books and path.exists():
        cb_name = books[_key(path.name)]
        sheets = {_key(s): s for s in _workbook_sheets(path) or []}
        found = [n for n in wanted if wanted[n][0] == cb_name and _key(n) in sheets]
        if found:
            return [_check(n, cb_name, codebooks[cb_name], Source(n, path, sheets[_key(n)])) for n in found]
    near = [_key(n) for n in _near(path.stem, list(wanted))]
    raise DataFileError(
        [
            Problem(
                str(path),
                None,
                None,
                None,
                "not named after a table that a codebook describes",
                f"if this is table '{keys[near[0]]}', name it {keys[near[0]]}{path.suffix.lower()}"
                if near
                else "name the file after its table, e.g. c7_antwoorden.csv",
            )
        ]
    )


def check_wave(raw, codebooks: dict | None = None) -> WaveCheck:
    """Find, read and check every raw table and export of one wave's folder; write nothing.

    Parameters
    ----------
    raw : str or Path
        The wave's folder of raw files (its manifest is not checked here).
    codebooks : dict, optional
        The codebooks by name; all of ``codebooks/`` by default.

    Returns
    -------
    WaveCheck
        Per table or export found (in the codebooks' order), a :class:`Checked`; the folder's
        problems (two files for one table, a link out of the folder, a file whose name is close
        to a table's but not it, references across tables that point nowhere) and warnings (files
        that no table uses). A table with no file is left out: not every wave has every table.
    """
    raw = Path(raw)
    codebooks = wave_codebooks(raw) if codebooks is None else codebooks
    wanted = _tables(codebooks)
    sources, folder_problems = find_sources(raw, {n: wb for n, (_, wb) in wanted.items()})
    misnamed, warnings = unused_files(raw, sources, wanted)
    folder_problems += misnamed
    results: dict = {}
    for cb_name, cb in codebooks.items():
        typed_tables, specs = {}, {}
        for name in [*(cb.get("tables") or {}), *([cb["export"]] if cb.get("export") else [])]:
            if name in sources:
                checked = results[name] = _check(name, cb_name, cb, sources[name])
                if checked.kind == "table" and checked.typed is not None:
                    typed_tables[name], specs[name] = checked.typed, cb["tables"][name]
        for problem in check_references(typed_tables, specs):
            source = next(n for n, t in typed_tables.items() if t.attrs.get("source") == problem.file)
            results[source].problems.append(problem)
    return WaveCheck(results, folder_problems, warnings)


def wave_metadata(raw) -> dict:
    """A wave's ``metadata.yaml``, checked: what ingestion keeps of it.

    Parameters
    ----------
    raw : str or Path
        The wave's raw folder.

    Returns
    -------
    dict
        ``datasets``: table name to its entry (``status``, ``description``, ``source``); and
        ``meting``: the wave-level facts, JSON-ready (``periode`` as ``{"begin", "eind"}`` ISO
        dates when given, the period the wave measures; other keys as written). Empty when the
        wave has no ``metadata.yaml``.

    Raises
    ------
    DataFileError
        The file is not YAML, a table's ``status`` is not one of :data:`STATUS_NL`, or ``periode``
        is not two dates in order; the message names the file.
    """
    path = Path(raw) / "metadata.yaml"
    if not path.exists():
        return {"datasets": {}, "meting": {}}
    try:
        meta = load_yaml(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        where = getattr(err, "problem_mark", None)
        raise DataFileError(
            [
                Problem(
                    str(path),
                    where.line + 1 if where else None,
                    None,
                    None,
                    f"not valid YAML ({getattr(err, 'problem', None) or err})",
                    "compare it with data/raw/2012/metadata.yaml: 'key: value', indented with spaces",
                )
            ]
        ) from None
    if not isinstance(meta, dict):
        raise DataFileError([Problem(str(path), None, None, None, "not a list of 'key: value' entries", "")])
    _check_statuses(path, meta.get("datasets") or {})
    meting = {k: v for k, v in meta.items() if k not in ("wave", "datasets")}
    if "periode" in meting:
        meting["periode"] = _period(path, meting["periode"])
    if "evenementen" in meting:
        meting["evenementen"] = _events(path, meting["evenementen"], meting.get("periode"))
    return {"datasets": meta.get("datasets") or {}, "meting": json.loads(json.dumps(meting, default=str))}


def _check_statuses(path: Path, datasets) -> None:
    """Every table's ``status`` is one the banners know (a table may leave it out: "onbekend")."""
    if not isinstance(datasets, dict):
        raise DataFileError([Problem(str(path), None, "datasets", None, "not a list of 'table: entry' pairs", "")])
    problems = [
        Problem(
            str(path),
            None,
            f"datasets, {name}, status",
            entry["status"],
            "unknown status",
            f"one of: {', '.join(STATUS_NL)}",
        )
        for name, entry in datasets.items()
        if isinstance(entry, dict) and "status" in entry and str(entry["status"]) not in STATUS_NL
    ]
    if problems:
        raise DataFileError(problems)


#: What each event of a wave's ``evenementen`` must say (``notebook`` is optional).
EVENT_KEYS = ("bijlage", "naam", "kort", "datum", "codebook")


def _events(path: Path, events, period: dict | None = None) -> list:
    """The wave's events, checked: each has EVENT_KEYS, a date (within the wave's period, when it
    has one), a codebook and a notebook that exist and belong together (the notebook of a form's
    kind: b7's files are c8_*, so C8), and an appendix name of its own that no other instrument
    uses; ``notebook`` defaults to the appendix name up to its number (C8b: C8), ``bestanden``
    (the prefix of its files) is the appendix name in lower case."""
    from .codebook import files_prefix
    from .config import REPO

    hint = (
        "each event is a list entry with bijlage (its appendix, e.g. C8, or C8b for a second café), naam, "
        "kort, datum (YYYY-MM-DD), codebook (a file name in codebooks/ without .yaml) and, when the appendix "
        "is not a notebook's name, notebook (e.g. C8); see data/raw/2012/metadata.yaml"
    )
    if not isinstance(events, list):
        raise DataFileError([Problem(str(path), None, "evenementen", None, "not a list of events", hint)])
    known = all_codebooks()
    prefixes = {name: files_prefix(cb) for name, cb in known.items()}
    problems, out, seen = [], [], set()
    for i, event in enumerate(events, start=1):
        where = f"evenementen, event {i}"
        if not isinstance(event, dict) or any(k not in event for k in EVENT_KEYS):
            have = sorted(event) if isinstance(event, dict) else event
            problems.append(Problem(str(path), None, where, have, f"needs {', '.join(EVENT_KEYS)}", hint))
            continue
        odd = [k for k in (*EVENT_KEYS, "notebook") if k in event and isinstance(event[k], (list, dict))]
        if odd:
            problems.append(Problem(str(path), None, where, event[odd[0]], f"{odd[0]} must be one value", hint))
            continue
        name = str(event["bijlage"])
        default = re.match(r"C\d+", name)
        notebook = str(event.get("notebook") or (default.group(0) if default else name))
        try:
            day = pd.Timestamp(str(event["datum"]))
            if pd.isna(day):
                raise ValueError
            day = day.date().isoformat()
        except ValueError:
            problems.append(Problem(str(path), None, where, event["datum"], "datum is not a date", hint))
            continue
        if period and not period["begin"] <= day <= period["eind"]:
            problems.append(
                Problem(
                    str(path),
                    None,
                    where,
                    day,
                    f"datum lies outside the wave's period ({period['begin']} to {period['eind']})",
                    "an event belongs to the wave it took place in; a list copied by make new-wave must be replaced",
                )
            )
            continue
        if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", name) or name in seen:
            why = "appears twice" if name in seen else "is not a plain appendix name such as C8 or C8b"
            problems.append(Problem(str(path), None, where, name, f"bijlage {why}", hint))
            continue
        if event["codebook"] not in known:
            problems.append(
                Problem(str(path), None, where, event["codebook"], "no such codebook", f"one of: {', '.join(known)}")
            )
            continue
        own = prefixes[event["codebook"]]
        if own is None or notebook.lower() != own:
            problems.append(
                Problem(
                    str(path),
                    None,
                    where,
                    event["codebook"],
                    f"form {event['codebook']} is not shown by notebook {notebook}",
                    f"its notebook is {own.upper()}" if own else "this codebook is not an event's form",
                )
            )
            continue
        if name.lower() != own and name.lower() in prefixes.values():
            problems.append(
                Problem(str(path), None, where, name, "bijlage is another instrument's appendix", "e.g. C8b")
            )
            continue
        # (where the notebooks are at hand: ingestion itself does not need them)
        if (REPO / "notebooks").is_dir() and not (REPO / "notebooks" / f"{notebook}.ipynb").exists():
            problems.append(Problem(str(path), None, where, notebook, "no such notebook in notebooks/", hint))
            continue
        seen.add(name)
        out.append({**event, "bijlage": name, "datum": day, "notebook": notebook, "bestanden": name.lower()})
    if problems:
        raise DataFileError(problems)
    return out


def wave_codebooks(raw) -> dict:
    """The codebooks a wave's files are read with: every codebook, plus one per event whose files
    are named after its own appendix rather than the form's (:func:`snwlib.codebook.for_files`),
    under the name ``<codebook>@<prefix>``.

    Parameters
    ----------
    raw : str or Path
        The wave's raw folder.

    Returns
    -------
    dict of str to dict

    Raises
    ------
    DataFileError
        The wave's ``metadata.yaml`` is not valid (:func:`wave_metadata`).
    """
    from .codebook import files_prefix, for_files

    codebooks = all_codebooks()
    for event in wave_metadata(raw)["meting"].get("evenementen", []):
        cb = codebooks[event["codebook"]]
        if files_prefix(cb) != event["bestanden"]:
            codebooks[f"{event['codebook']}@{event['bestanden']}"] = for_files(cb, event["bestanden"])
    return codebooks


def _period(path: Path, value) -> dict:
    hint = "write it as 'periode: {begin: 2013-01-01, eind: 2013-12-31}' (the period the wave measures)"
    try:
        begin, end = (pd.Timestamp(str(value[k])) for k in ("begin", "eind"))
    except (TypeError, KeyError, ValueError):
        raise DataFileError([Problem(str(path), None, "periode", value, "not a begin and an end date", hint)]) from None
    if end < begin:
        raise DataFileError([Problem(str(path), None, "periode", value, "ends before it begins", hint)])
    return {"begin": begin.date().isoformat(), "eind": end.date().isoformat()}


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
    metadata = wave_metadata(raw)
    meta = metadata["datasets"]
    codebooks = wave_codebooks(raw)
    check = check_wave(raw, codebooks)
    if check.problems:
        raise DataFileError(check.problems)
    scrubber = _Scrubber(load_denylist(raw))
    frames: dict[str, pd.DataFrame] = {}
    records: dict[str, dict] = {}
    read_files = {c.source.path.name for c in check.results.values()}
    for name, checked in check.results.items():
        cb = codebooks[checked.codebook]
        path, sheet = checked.source.path, checked.source.sheet
        if checked.kind == "table":
            spec = cb["tables"][name]
            frame = _typed(checked.typed, spec)
            dropped = [c for c, cspec in spec["columns"].items() if (cspec or {}).get("identifying")]
            frame = frame.drop(columns=dropped)
            scrubbed = {}
            for col, cspec in spec["columns"].items():
                if (cspec or {}).get("free_text") and col in frame:
                    frame[col], scrubbed[col] = scrubber.column(frame[col])
            frames[name] = frame
            records[name] = {
                "kind": "table",
                "codebook": checked.codebook,
                "source": path.name,
                "sheet": sheet,
                "rows": len(frame),
                "dropped": dropped,
                "scrubbed": {c: n for c, n in scrubbed.items() if n},
            }
            continue
        scored = checked.scored
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
        frames[name] = answers
        frames[name + UNAVAILABLE_SUFFIX] = unavailable
        records[name] = {
            "kind": "answers",
            "codebook": checked.codebook,
            "source": path.name,
            "sheet": sheet,
            "rows": len(answers),
            "dropped": list(scored.identifying.columns),
            "scrubbed": {c: n for c, n in scrubbed.items() if n},
            "warnings": [str(f) for f in checked.warnings],
        }
    files = []
    for p in sorted(q for q in raw.iterdir() if q.is_file() and not q.name.startswith((".", "~$"))):
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
        if info.get("toelichting"):
            rec["toelichting"] = " ".join(str(info["toelichting"]).split())
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
        "meting": metadata["meting"],
        "warnings": [str(w) for w in check.warnings],
    }
    target = Path(out_dir) / "data" / "processed" / str(wave)
    staging = target.parent / f".{target.name}.ingest-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    status = {
        "wave": str(wave),
        "tables": {name: rec["status"] for name, rec in sorted(records.items())},
        "meting": metadata["meting"],
        # the remarks the appendices show: a changed one reruns them (they read status.json)
        "toelichting": {name: rec["toelichting"] for name, rec in sorted(records.items()) if rec.get("toelichting")},
    }
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
    for w in prov.get("warnings", []):
        print(f"  ! {w}", file=sys.stderr)
    for name, rec in prov["tables"].items():
        for w in rec.get("warnings", []):
            print(f"  ! {name}: {w}", file=sys.stderr)
    print(f"{label:<12} ok     {time.monotonic() - t0:6.1f} s", flush=True)
    return 0
