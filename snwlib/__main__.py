"""Command line of snwlib, used by the Makefile.

python -m snwlib ingest --data-dir data/raw --wave 2012 --out-dir .
python -m snwlib run C1 --wave 2012 --out-dir .
python -m snwlib run C8b --notebook C8 --wave 2013 --out-dir .
python -m snwlib appendices --data-dir data/raw --wave 2012
python -m snwlib html C1 --audience stuurgroep --out-dir .
python -m snwlib collect C1 C2 --out-dir .
python -m snwlib index C1 C2 --out-dir .
python -m snwlib validate data/raw/2012 [PATH ...]
python -m snwlib new-wave --data-dir data/raw --wave 2013
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _report(checked) -> int:
    """Print the result of one checked table; return its number of problems."""
    label = checked.read_from or str(checked.source.path)
    if checked.source.path.stem != checked.table and " [" not in label:
        label += f" (table {checked.table})"
    if checked.problems:
        print(f"{label}: {len(checked.problems)} problem(s)")
        for pr in _capped(checked.problems):
            print(f"  - {pr}")
        return len(checked.problems)
    unit = "respondents" if checked.kind == "answers" else "rows"
    warned = f", {len(checked.warnings)} warning(s)" if checked.warnings else ""
    print(f"{label}: ok, {checked.rows} {unit}{warned}")
    for w in _capped(checked.warnings):
        print(f"  ! {w}")
    return 0


def _capped(problems, limit: int = 100) -> list:
    """At most ``limit`` problems, and a line saying how many more there are."""
    problems = list(problems)
    if len(problems) <= limit:
        return problems
    return problems[:limit] + [f"... and {len(problems) - limit} more like these"]


def _validate(paths) -> int:
    """Validate raw folders (manifest, every table the pipeline would read, references between
    them, files that are not tables) or single files against the codebooks."""
    from .codebook import all_codebooks
    from .files import DataFileError
    from .ingest import _tables, check_file, check_wave, wave_codebooks
    from .manifest import differences

    errors = 0
    for p in map(Path, paths):
        folder = p if p.is_dir() else p.parent
        try:
            # a wave's events may name their own files (c8b_antwoorden.csv): read with their codebooks
            codebooks = wave_codebooks(folder) if (folder / "metadata.yaml").exists() else all_codebooks()
        except DataFileError as err:
            errors += len(err.problems)
            print(f"{folder}: {len(err.problems)} problem(s) in metadata.yaml")
            for pr in err.problems:
                print(f"  - {pr}")
            continue
        if not p.exists() and not p.is_symlink():
            errors += 1
            print(f"{p}: no such file or folder")
            continue
        if p.is_dir():
            changed = differences(p)
            errors += len(changed)
            print(
                f"{p}: "
                + (f"{len(changed)} file(s) differ from the manifest" if changed else "all files match the manifest")
            )
            for pr in changed:
                print(f"  - {pr}")
            check = check_wave(p, codebooks)
            if check.folder_problems:
                errors += len(check.folder_problems)
                print(f"{p}: {len(check.folder_problems)} problem(s) with the folder's files")
                for pr in check.folder_problems:
                    print(f"  - {pr}")
            for checked in check.results.values():
                errors += _report(checked)
            for w in check.warnings:
                print(f"  ! {w}")
            absent = [n for n in _tables(codebooks) if n not in check.results and f"'{n}'" not in str(check.problems)]
            if absent:
                print(f"{p}: no file for {', '.join(absent)} (not every wave has every table)")
            continue
        try:
            for checked in check_file(p, codebooks):
                errors += _report(checked)
        except DataFileError as err:
            errors += len(err.problems)
            print(f"{p}: {len(err.problems)} problem(s)")
            for pr in err.problems:
                print(f"  - {pr}")
    return 1 if errors else 0


def _manifest(folders, accept: bool) -> int:
    """Check (or, with ``accept``, rewrite) the manifest of each raw wave folder."""
    from .manifest import accept as write_manifest
    from .manifest import describe, differences

    errors = 0
    for folder in map(Path, folders):
        if accept:
            path = write_manifest(folder)
            print(f"{path}: written, {len(describe(folder)['resources'])} files")
            continue
        problems = differences(folder)
        errors += len(problems)
        print(
            f"{folder}: "
            + (f"{len(problems)} file(s) differ from the manifest" if problems else "all files match the manifest")
        )
        for pr in problems:
            print(f"  - {pr}")
    return 1 if errors else 0


def _appendices(data_dir, wave) -> str:
    """The Make line naming the wave's event appendices and their notebooks (``C8b:C8``)."""
    from .ingest import wave_metadata

    events = wave_metadata(Path(data_dir) / wave)["meting"].get("evenementen", [])
    pairs = " ".join(f"{e['bijlage']}:{e['notebook']}" for e in sorted(events, key=lambda e: e["datum"]))
    return f"APPENDICES_{wave} := {pairs}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m snwlib")
    sub = parser.add_subparsers(dest="cmd", required=True)
    n = sub.add_parser("ingest", help="check, read, validate and scrub a wave's raw files into processed data")
    n.add_argument("--data-dir", default="data/raw")
    n.add_argument("--wave", required=True, help="the wave: a folder of DATA_DIR, e.g. 2013")
    n.add_argument("--out-dir", default=".")
    n.add_argument("--makefile", help="after ingesting, write the wave's appendices for Make here (as `appendices`)")
    e = sub.add_parser(
        "appendices", help="the wave's event appendices as a Make variable (APPENDICES_<wave> := C8:C8 C8b:C8 ...)"
    )
    e.add_argument("--data-dir", default="data/raw")
    e.add_argument("--wave", required=True)
    r = sub.add_parser("run", help="execute one notebook on a wave's processed data and publish its outputs")
    r.add_argument("name")
    r.add_argument("--notebook", default=None, help="the notebook to run for appendix NAME (an event's kind)")
    r.add_argument("--wave", required=True)
    r.add_argument("--out-dir", default=".")
    r.add_argument("--min-cell", type=int, default=5, help="smallest group the steering group's HTML shows")
    h = sub.add_parser("html", help="export an executed notebook to HTML")
    h.add_argument("name")
    h.add_argument("--audience", choices=("onderzoekers", "stuurgroep"), default="onderzoekers")
    h.add_argument("--out-dir", default=".")
    c = sub.add_parser("collect", help="collect the ledgers into reports/replication.csv")
    c.add_argument("names", nargs="+")
    c.add_argument("--out-dir", default=".")
    i = sub.add_parser("index", help="write reports/index.html and the steering group's reports/stuurgroep/index.html")
    i.add_argument("names", nargs="+")
    i.add_argument("--out-dir", default=".")
    g = sub.add_parser("reconstruct", help="generate a marked reconstruction from its targets file")
    g.add_argument("targets")
    g.add_argument("out")
    v = sub.add_parser("validate", help="check raw files against their codebooks")
    v.add_argument("paths", nargs="+")
    m = sub.add_parser("manifest", help="check raw wave folders against their manifest (datapackage.json)")
    m.add_argument("--accept", action="store_true", help="write the manifest of the folders as they are now")
    m.add_argument("folders", nargs="+")
    w = sub.add_parser("new-wave", help="create a new wave's folder with data-entry templates from the codebooks")
    w.add_argument("--data-dir", default="data/raw")
    w.add_argument("--wave", required=True)
    a = parser.parse_args(argv)

    if a.cmd == "ingest":
        from .ingest import main as main_ingest

        status = main_ingest(a.data_dir, a.wave, a.out_dir)
        if status == 0 and a.makefile:
            # The Makefile's include: written here, not by a second Python (`appendices`), which
            # would start after ingestion on the build's critical path.
            from .files import atomic_path

            made = (
                f"# wave {a.wave} ingested from {Path(a.data_dir).resolve()} into "
                f"{Path(a.out_dir) / 'data' / 'processed' / a.wave}\n{_appendices(a.data_dir, a.wave)}\n"
            )
            with atomic_path(Path(a.makefile)) as tmp:
                tmp.write_text(made, encoding="utf-8")
        return status
    if a.cmd == "run":
        from .pipeline import main_run

        return main_run(a.name, a.wave, a.out_dir, a.min_cell, notebook=a.notebook)
    if a.cmd == "appendices":
        print(_appendices(a.data_dir, a.wave))
        return 0
    if a.cmd == "html":
        from .export import export_html

        reports = Path(a.out_dir) / "reports"
        target = (
            reports / f"{a.name}.html" if a.audience == "onderzoekers" else reports / "stuurgroep" / f"{a.name}.html"
        )
        executed = reports / "executed" / f"{a.name}.ipynb"
        if not executed.exists():
            print(f"{executed}: no executed notebook {a.name} (hint: run it first: make {a.name})", file=sys.stderr)
            return 1
        export_html(executed, target, a.audience)
        return 0
    if a.cmd == "collect":
        from .ledger import collect, counts

        ledger_dir = Path(a.out_dir) / "data" / "processed" / "ledger"
        try:
            table = collect([ledger_dir / f"{n}.csv" for n in a.names], Path(a.out_dir) / "reports" / "replication.csv")
        except ValueError as err:
            print(f"replication ledger: {err}", file=sys.stderr)
            return 1
        c = counts(table)
        print("ledger " + ", ".join(f"{v} {k}" for k, v in c.items()), flush=True)
        return 0
    if a.cmd == "index":
        from .export import STEERING, banner, read_replication, write_index
        from .files import read_json
        from .summary import write_summary

        reports = Path(a.out_dir) / "reports"
        write_index(reports, a.names, read_replication(reports / "replication.csv"))
        executed = [(n, reports / "executed" / f"{n}.ipynb") for n in a.names]
        banners = [(n, banner(read_json(p), STEERING)) for n, p in executed if p.exists()]
        write_summary(reports, banners)
        return 0
    if a.cmd == "reconstruct":
        from .reconstruct import write_reconstruction

        print(write_reconstruction(a.targets, a.out))
        return 0
    if a.cmd == "validate":
        return _validate(a.paths)
    if a.cmd == "manifest":
        return _manifest(a.folders, a.accept)
    if a.cmd == "new-wave":
        from .newwave import main as main_new_wave

        return main_new_wave(a.data_dir, a.wave)
    return 2


#: Commands the build's warm server runs (see :mod:`snwlib.forkserver`): those that need the
#: notebook stack. Ingestion needs another (deduce's name lists) and runs alone, first; it starts
#: the server so that the server imports while ingestion works.
SERVED = ("run", "collect", "index", "html")


def cli() -> int:
    """``python -m snwlib``: :func:`main`, in a child of the warm server when the build asks for it."""
    command = sys.argv[1:2]
    if command and command[0] in SERVED + ("ingest",):
        from . import forkserver

        if forkserver.enabled():
            if command[0] == "ingest":
                try:
                    forkserver.start(wait=False)
                except OSError:
                    pass  # the notebooks' commands say so, and run without it
            else:
                status = forkserver.run("main", sys.argv)
                if status is not None:
                    return status
    status = main()
    if command == ["ingest"]:
        # Ingestion is done and its files are in place; freeing deduce's name lists one object at
        # a time would take Python about 11 s at exit, longer than the ingestion itself.
        import os

        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status


if __name__ == "__main__":
    sys.exit(cli())
