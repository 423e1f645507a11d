"""Command line of snwlib, used by the Makefile.

python -m snwlib ingest --data-dir data/raw --wave 2012 --out-dir .
python -m snwlib run C1 --wave 2012 --out-dir .
python -m snwlib html C1 --audience stuurgroep --out-dir .
python -m snwlib collect C1 C2 --out-dir .
python -m snwlib index C1 C2 --out-dir .
python -m snwlib validate data/raw/2012 [PATH ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _validate(paths) -> int:
    """Validate raw folders or single files against every codebook whose tables they hold."""
    from .codebook import all_codebooks
    from .files import TABLE_SUFFIXES, DataFileError, read_table
    from .validate import check_references, validate_table

    errors = 0
    codebooks = list(all_codebooks().values())
    specs = {name: spec for cb in codebooks for name, spec in cb.get("tables", {}).items()}
    exports = {cb["export"]: cb for cb in codebooks if "export" in cb}
    files = []
    for p in map(Path, paths):
        files.extend(sorted(f for f in p.iterdir() if f.suffix in TABLE_SUFFIXES) if p.is_dir() else [p])
        if p.is_dir():
            from .manifest import differences

            changed = differences(p)
            errors += len(changed)
            print(
                f"{p}: "
                + (f"{len(changed)} file(s) differ from the manifest" if changed else "all files match the manifest")
            )
            for pr in changed:
                print(f"  - {pr}")
    tables = {}
    for f in files:
        if f.stem in exports:
            from .scoring import read_answers

            try:
                scored = read_answers(read_table(f), exports[f.stem])
                print(
                    f"{f}: ok, {len(scored.answers)} respondents"
                    + (f", {len(scored.flags)} warning(s)" if scored.flags else "")
                )
                for fl in scored.flags:
                    print(f"  ! {fl}")
            except DataFileError as err:
                errors += len(err.problems)
                print(f"{f}: {len(err.problems)} problem(s)")
                for pr in err.problems:
                    print(f"  - {pr}")
            continue
        if f.stem not in specs:
            print(f"{f}: skipped (no codebook describes a table '{f.stem}')")
            continue
        try:
            typed, problems = validate_table(read_table(f), specs[f.stem])
            tables[f.stem] = typed
        except DataFileError as err:
            problems = err.problems
        if problems:
            errors += len(problems)
            print(f"{f}: {len(problems)} problem(s)")
            for pr in problems:
                print(f"  - {pr}")
        else:
            print(f"{f}: ok, {len(typed)} rows")
    for pr in check_references(tables, {k: specs[k] for k in tables}):
        errors += 1
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m snwlib")
    sub = parser.add_subparsers(dest="cmd", required=True)
    n = sub.add_parser("ingest", help="check, read, validate and scrub a wave's raw files into processed data")
    n.add_argument("--data-dir", default="data/raw")
    n.add_argument("--wave", default="2012")
    n.add_argument("--out-dir", default=".")
    r = sub.add_parser("run", help="execute one notebook on a wave's processed data and publish its outputs")
    r.add_argument("name")
    r.add_argument("--wave", default="2012")
    r.add_argument("--out-dir", default=".")
    r.add_argument("--min-cell", type=int, default=5, help="smallest group the steering group's HTML shows")
    h = sub.add_parser("html", help="export an executed notebook to HTML")
    h.add_argument("name")
    h.add_argument("--audience", choices=("onderzoekers", "stuurgroep"), default="onderzoekers")
    h.add_argument("--out-dir", default=".")
    c = sub.add_parser("collect", help="collect the ledgers into reports/replication.csv")
    c.add_argument("names", nargs="+")
    c.add_argument("--out-dir", default=".")
    i = sub.add_parser("index", help="write reports/index.html")
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
    a = parser.parse_args(argv)

    if a.cmd == "ingest":
        from .ingest import main as main_ingest

        return main_ingest(a.data_dir, a.wave, a.out_dir)
    if a.cmd == "run":
        from .pipeline import main_run

        return main_run(a.name, a.wave, a.out_dir, a.min_cell)
    if a.cmd == "html":
        from .export import export_html

        reports = Path(a.out_dir) / "reports"
        target = (
            reports / f"{a.name}.html" if a.audience == "onderzoekers" else reports / "stuurgroep" / f"{a.name}.html"
        )
        export_html(reports / "executed" / f"{a.name}.ipynb", target, a.audience)
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
        from .export import read_replication, write_index

        reports = Path(a.out_dir) / "reports"
        write_index(reports, a.names, read_replication(reports / "replication.csv"))
        return 0
    if a.cmd == "reconstruct":
        from .reconstruct import write_reconstruction

        print(write_reconstruction(a.targets, a.out))
        return 0
    if a.cmd == "validate":
        return _validate(a.paths)
    if a.cmd == "manifest":
        return _manifest(a.folders, a.accept)
    return 2


if __name__ == "__main__":
    sys.exit(main())
