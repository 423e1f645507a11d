"""snwlib.codedeps: which snwlib code each notebook reaches. On the repository's own sources, with
a function or constant changed in the analysis's copy of the text (no file of the repository is
touched), and on small made-up packages for the rules that the repository does not exercise."""

import json
import os
import subprocess
import sys
import time

import pytest

from snwlib.codedeps import COMMANDS, Analysis, main, write

from .conftest import REPO, with_statement

NOTEBOOKS = ("C1", "C2", "C7", "C8", "C9")
TARGETS = (*NOTEBOOKS, *COMMANDS)


def source(rel: str) -> str:
    return (REPO / "snwlib" / rel).read_text(encoding="utf-8")


def fingerprints(analysis: Analysis) -> dict:
    return {t: analysis.fingerprint(t)[0] for t in TARGETS}


@pytest.fixture(scope="module")
def before():
    return fingerprints(Analysis.from_repo(REPO))


def changed(before: dict, overrides: dict) -> list:
    """The targets whose fingerprint differs once files of snwlib/ read as ``overrides``."""
    after = fingerprints(Analysis.from_repo(REPO, overrides))
    return [t for t in TARGETS if after[t] != before[t]]


def test_only_c7_draws_with_diverging_bars():
    """The premise of the next test, from the notebooks themselves."""
    drawing = [nb for nb in NOTEBOOKS if "figures.diverging_bars" in (REPO / f"notebooks/{nb}.ipynb").read_text()]
    assert drawing == ["C7"]


def test_a_changed_figure_function_changes_only_the_fingerprints_of_the_notebooks_drawing_with_it(before):
    edited = with_statement(source("figures.py"), "diverging_bars", "title = str(title)")
    assert edited != source("figures.py")
    assert changed(before, {"figures.py": edited}) == ["C7"]


def test_comments_blank_lines_and_moved_code_change_no_fingerprint(before):
    text = "\n\n# a comment above everything\n" + with_statement(
        source("figures.py"), "diverging_bars", "# a comment in the function"
    )
    assert changed(before, {"figures.py": text}) == []


def test_a_module_constant_reaches_the_notebooks_of_the_functions_using_it(before):
    # HATCH is how figures draw hidden counts (figures._hidden_bar, used by diverging_bars). Every
    # notebook's kernel is forked from a server that imported figures (snwlib.forkserver.PRELOAD),
    # so every module body that server runs is part of every notebook's code.
    text = source("figures.py").replace('"hatch": "///"', '"hatch": "xxx"')
    assert text != source("figures.py")
    assert "C7" in changed(before, {"figures.py": text})


def test_a_function_no_notebook_reaches_changes_no_fingerprint(before):
    overrides = {
        # ingestion's own code: Make reruns ingestion, and a notebook only if the data changed
        "ingest.py": with_statement(source("ingest.py"), "_code_digest", "pass"),
        "newwave.py": with_statement(source("newwave.py"), "main", "pass"),
        "reconstruct.py": with_statement(source("reconstruct.py"), "write_reconstruction", "pass"),
    }
    assert changed(before, overrides) == []


def test_a_function_reached_only_through_alttexts_dispatch_dictionary_reaches_every_notebook(before):
    """alttext.describe picks the text's function by the figure function's name from _DESCRIBERS,
    a dictionary of the module's body: every function in it is reached from the body."""
    a = Analysis.from_repo(REPO)
    for nb in NOTEBOOKS:
        assert a.reach(nb)["snwlib.alttext:_grades"] == "snwlib.alttext:<body>"
    edited = with_statement(source("alttext.py"), "_grades", "table = table.copy()")
    # collect and index too: their processes are forked from the server that imported alttext
    assert changed(before, {"alttext.py": edited}) == list(TARGETS)


def test_the_run_command_and_its_html_export_are_part_of_every_notebooks_code(before):
    edited = with_statement(source("export.py"), "_export", "pass")
    assert set(NOTEBOOKS) <= set(changed(before, {"export.py": edited}))
    # ... but the branches of `python -m snwlib` for the other commands are not
    a = Analysis.from_repo(REPO)
    for nb in NOTEBOOKS:
        reached = a.reach(nb)
        assert "snwlib.pipeline:main_run" in reached
        assert not {"snwlib.ingest:main", "snwlib.ledger:collect", "snwlib.newwave:main"} & set(reached)
    assert "snwlib.ledger:collect" in a.reach("collect") and "snwlib.pipeline:main_run" not in a.reach("collect")


def test_a_lazy_name_of_snwlib_is_reached_only_by_who_asks_for_it():
    """``from snwlib import figures`` runs snwlib.__getattr__, which imports a lazy name's module
    only for the names of _LAZY: the notebooks reach the hook, not reliability through it."""
    a = Analysis.from_repo(REPO)
    c1 = a.reach("C1")
    assert "snwlib:__getattr__#miss" in c1 and "snwlib:__getattr__" not in c1
    assert not any(u.startswith("snwlib.reliability:") for u in c1)
    assert "snwlib.reliability:alpha" in a.reach("C7"), "C7 computes alpha (questionnaire.alfa)"


def test_the_python_version_and_the_set_of_modules_change_every_fingerprint(before):
    a = Analysis.from_repo(REPO)
    other = Analysis(
        {p.relative_to(REPO / "snwlib").as_posix(): p.read_text() for p in (REPO / "snwlib").glob("*.py")},
        a.notebooks,
        python="3.99.0",
    )
    assert all(fingerprints(other)[t] != before[t] for t in TARGETS)
    assert changed(before, {"extra.py": "X = 1\n"}) == list(TARGETS)
    assert changed(before, {"extra.py": None}) == []


def test_a_module_that_does_not_parse_is_part_of_every_fingerprint(before):
    broken = source("newwave.py") + "\ndef (:\n"
    assert changed(before, {"newwave.py": broken}) == list(TARGETS)


def test_write_rewrites_a_fingerprint_only_when_it_changes(tmp_path):
    a = Analysis.from_repo(REPO)
    assert write(a, tmp_path, TARGETS) == list(TARGETS)
    dates = {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("*.sha")}
    time.sleep(0.01)
    assert write(Analysis.from_repo(REPO), tmp_path, TARGETS) == []
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("*.sha")} == dates
    edited = with_statement(source("figures.py"), "diverging_bars", "title = str(title)")
    assert write(Analysis.from_repo(REPO, {"figures.py": edited}), tmp_path, TARGETS) == ["C7"]
    assert {p.name for p in tmp_path.glob("*.sha") if p.stat().st_mtime_ns != dates[p.name]} == {"C7.sha"}
    # why did C7 rerun: the listing before and after differ in diverging_bars's digest
    old = (tmp_path / "C7.units.before").read_text().splitlines()[1:]
    new = (tmp_path / "C7.units").read_text().splitlines()[1:]
    assert [line.split()[0] for line in set(new) - set(old)] == ["snwlib.figures:diverging_bars"]
    assert (tmp_path / "C7.units").read_text().startswith("# C7: ")


def test_the_command_line_starts_without_pandas(tmp_path):
    code = "import sys; from snwlib.codedeps import main; main(sys.argv[1:]); print('pandas' in sys.modules)"
    proc = subprocess.run(
        [sys.executable, "-c", code, "--out", str(tmp_path), "C7"], capture_output=True, text=True, cwd=REPO
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"
    assert (tmp_path / "C7.sha").read_text().strip() == Analysis.from_repo(REPO).fingerprint("C7")[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["C7.sha", "C7.units"]


def test_the_command_line_prints_what_each_target_reaches(capsys):
    assert main(["C7", "collect"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["C7", "collect"]
    assert all(" units " in line for line in lines)


# --- the rules, on made-up packages ------------------------------------------------------------
MAIN = """
import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd")
    a = parser.parse_args(argv)
    if a.cmd == "run":
        from .runner import run

        return run()
    if a.cmd == "collect":
        from .collector import collect

        return collect()


if __name__ == "__main__":
    sys.exit(main())
"""


def notebook(*cells: str) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "source": c} for c in cells], "nbformat": 4})


def package(**modules: str) -> dict:
    base = {
        "__init__.py": "",
        "__main__.py": MAIN,
        "runner.py": "def run():\n    return 0\n",
        "collector.py": "def collect():\n    return 0\n",
    }
    return base | {f"{name}.py": text for name, text in modules.items()}


def reach(sources: dict, code: str, target: str = "N") -> set:
    return set(Analysis(sources, {"N": notebook(code)}).reach(target))


def test_names_module_attributes_and_imports_inside_functions_are_followed():
    sources = package(
        a="from . import b\nfrom .c import h as helper\n\n\ndef f():\n    return b.g() + helper()\n\n\n"
        "def unused():\n    pass\n",
        b="LIMIT = 5\n\n\ndef g():\n    return LIMIT\n\n\ndef other():\n    pass\n",
        c="def h():\n    from .d import k\n\n    return k()\n",
        d="def k():\n    return 1\n",
    )
    reached = reach(sources, "from snwlib import a\na.f()")
    assert {"snwlib.a:f", "snwlib.b:g", "snwlib.c:h", "snwlib.d:k", "snwlib.b:<body>"} <= reached
    assert not {"snwlib.a:unused", "snwlib.b:other"} & reached
    assert "snwlib.runner:run" in reached and "snwlib.collector:collect" not in reached, "the run command only"
    # a constant of b's body reaches f's notebook, not a notebook without b
    changed_b = sources | {"b.py": sources["b.py"].replace("LIMIT = 5", "LIMIT = 6")}
    nbs = {"N": notebook("from snwlib import a\na.f()"), "M": notebook("from snwlib.d import k\nk()")}
    old, new = Analysis(sources, nbs), Analysis(changed_b, nbs)
    assert old.fingerprint("N")[0] != new.fingerprint("N")[0]
    assert old.fingerprint("M")[0] == new.fingerprint("M")[0]


def test_a_dictionary_of_functions_in_a_modules_body_reaches_them_all():
    sources = package(
        a="def one():\n    pass\n\n\ndef two():\n    pass\n\n\nTABLE = {'one': one, 'two': two}\n\n\n"
        "def pick(name):\n    return TABLE[name]()\n\n\ndef alone():\n    pass\n"
    )
    reached = reach(sources, "from snwlib.a import pick\npick('one')")
    assert {"snwlib.a:one", "snwlib.a:two"} <= reached and "snwlib.a:alone" not in reached


@pytest.mark.parametrize(
    "code",
    [
        "def f(name):\n    return getattr(b, name)()\n",
        "def f():\n    return vars(b)\n",
        "def f():\n    x = b\n    return x.g()\n",
    ],
)
def test_a_module_used_as_a_value_is_reached_whole(code):
    sources = package(a="from . import b\n\n\n" + code, b="def g():\n    pass\n\n\ndef h():\n    pass\n")
    assert {"snwlib.b:g", "snwlib.b:h"} <= reach(sources, "from snwlib import a\na.f('h')")


def test_a_star_import_and_globals_reach_whole_modules():
    sources = package(
        a="from .b import *\n\n\ndef f():\n    return g()\n",
        b="def g():\n    pass\n\n\ndef h():\n    pass\n",
        c="def f(name):\n    return globals()[name]()\n\n\ndef h():\n    pass\n",
    )
    assert "snwlib.b:h" in reach(sources, "from snwlib import a\na.f()")
    assert "snwlib.c:h" in reach(sources, "from snwlib.c import f\nf('h')")


def test_dynamic_imports_reach_the_modules_their_constants_name_or_every_module():
    sources = package(
        a="import importlib\n\nNAMES = ('snwlib.b',)\n\n\ndef f():\n    for n in NAMES:\n"
        "        importlib.import_module(n)\n\n\ndef g(name):\n    return importlib.import_module(name).x()\n",
        b="print('imported')\n\n\ndef h():\n    pass\n",
        c="def k():\n    pass\n",
    )
    reached = reach(sources, "from snwlib.a import f\nf()")
    assert "snwlib.b:<body>" in reached and "snwlib.b:h" not in reached and "snwlib.c:k" not in reached
    reached = reach(sources, "from snwlib.a import g\ng('snwlib.c')")
    assert {"snwlib.b:h", "snwlib.c:k"} <= reached, "an import by a name only known when it runs: anything"
    sources["c.py"] = "def k(text):\n    exec(text)\n"
    assert "snwlib.b:h" in reach(sources, "from snwlib.c import k\nk('')")


def test_a_registering_decorator_is_reached_from_its_modules_body():
    sources = package(
        a="from .reg import register\n\n\n@register\ndef plugin():\n    pass\n\n\ndef f():\n    pass\n",
        reg="REGISTRY = []\n\n\ndef register(fn):\n    REGISTRY.append(fn)\n    return fn\n",
    )
    assert "snwlib.a:plugin" in reach(sources, "from snwlib.a import f\nf()")


def test_lazy_names_of_a_package():
    init = (
        "_LAZY = {'alpha': 'heavy'}\n\n\ndef __getattr__(name):\n    if name in _LAZY:\n"
        "        import importlib\n\n"
        "        return getattr(importlib.import_module(f'.{_LAZY[name]}', __name__), name)\n"
        "    raise AttributeError(name)\n"
    )
    sources = package(a="def f():\n    pass\n", heavy="def alpha():\n    pass\n")
    sources["__init__.py"] = init
    reached = reach(sources, "from snwlib import a\na.f()")
    assert "snwlib:__getattr__#miss" in reached and "snwlib.heavy:alpha" not in reached
    assert "snwlib.heavy:alpha" in reach(sources, "from snwlib import alpha\nalpha()")
    # a guard another module can change is no guard
    sources["a.py"] = "import snwlib\n\nsnwlib._LAZY['a'] = 'heavy'\n\n\ndef f():\n    pass\n"
    assert "snwlib.heavy:alpha" in reach(sources, "from snwlib import a\na.f()")


def test_a_notebook_that_is_not_plain_python_reaches_everything():
    sources = package(a="def f():\n    pass\n")
    assert "snwlib.collector:collect" in reach(sources, "%matplotlib inline\nfrom snwlib import a")


def test_a_failed_analysis_makes_every_notebook_depend_on_all_of_snwlib(tmp_path, monkeypatch):
    """A flaw of the analysis must never leave an output stale: every fingerprint then covers every
    file of snwlib."""

    def broken(*args, **kwargs):
        raise RuntimeError("a flaw")

    monkeypatch.setattr(Analysis, "fingerprint", broken)
    assert main(["--out", str(tmp_path), "C1", "C7"]) == 0
    units = (tmp_path / "C1.units").read_text()
    assert "figures.py" in units and "ingest.py" in units
    assert (tmp_path / "C1.sha").read_text() == (tmp_path / "C7.sha").read_text()


def test_the_analysis_takes_well_under_a_second():
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    t0 = time.monotonic()
    subprocess.run([sys.executable, "-m", "snwlib.codedeps"], check=True, capture_output=True, cwd=REPO, env=env)
    assert time.monotonic() - t0 < 3, "it runs whenever a file of snwlib/ changed, before Make starts"
