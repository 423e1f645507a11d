import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RAW_2012 = REPO / "data" / "raw" / "2012"


@pytest.fixture
def raw_copy(tmp_path):
    """A writable copy of the shipped raw data (data/raw/2012) under tmp_path/raw/2012."""
    dest = tmp_path / "raw" / "2012"
    shutil.copytree(RAW_2012, dest)
    return dest


@pytest.fixture(scope="session")
def processed(tmp_path_factory):
    """The shipped 2012 wave, ingested once per test session: ``OUT/data/processed``."""
    from snwlib.ingest import ingest

    out = tmp_path_factory.mktemp("ingested")
    ingest(RAW_2012.parent, "2012", out)
    return out / "data" / "processed"


@pytest.fixture(scope="session")
def wave(processed):
    """The processed 2012 wave (:class:`snwlib.processed.Wave`)."""
    from snwlib.processed import open_wave

    return open_wave(processed, "2012")


def ingested(raw_dir, out):
    """Ingest the wave folder ``raw_dir`` (accepting its files first) and open it."""
    from snwlib.ingest import ingest
    from snwlib.manifest import accept
    from snwlib.processed import open_wave

    raw_dir = Path(raw_dir)
    accept(raw_dir)
    ingest(raw_dir.parent, raw_dir.name, out)
    return open_wave(Path(out) / "data" / "processed", raw_dir.name)


def with_statement(source: str, function: str, statement: str) -> str:
    """``source`` (a module's text) with ``statement`` as the first statement of its top-level
    ``function`` (after its docstring): a change to that function alone."""
    import ast

    node = next(n for n in ast.parse(source).body if getattr(n, "name", None) == function)
    first = node.body[1] if ast.get_docstring(node) is not None else node.body[0]
    lines = source.splitlines(keepends=True)
    indent = " " * first.col_offset
    lines.insert(first.lineno - 1, f"{indent}{statement}\n")
    return "".join(lines)


def edit_csv(path, old, new):
    """Replace one exact piece of text in a CSV file (exactly once)."""
    text = Path(path).read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    Path(path).write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory):
    """One build of the shipped wave with hostile text planted: personal data
    (:func:`tests.test_e2e.plant_personal_data`) and a markup-and-formula payload in every free-text
    field (:func:`tests.test_injection.plant_payloads`). Shared by the tests that only read it."""
    from types import SimpleNamespace

    from snwlib.manifest import accept

    from .test_e2e import make, plant_personal_data
    from .test_injection import plant_payloads

    out, data = tmp_path_factory.mktemp("hostile") / "out", tmp_path_factory.mktemp("hostile-raw")
    raw = data / "2012"
    shutil.copytree(RAW_2012, raw)
    personal = plant_personal_data(raw)
    shown, dropped = plant_payloads(raw, avoid=personal)
    accept(raw)
    make(f"OUT_DIR={out}", f"DATA_DIR={data}")
    return SimpleNamespace(out=out, shown=shown, dropped=dropped)


# Headless Chromium for the tests that open pages in a real browser (test_accessibility, test_waves).
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="session")
def browser():
    if not (CHROMIUM and DRIVER):
        pytest.skip(
            "headless Chromium is not installed: apt-get install chromium chromium-driver "
            "(Debian; .ci/run does this in CI)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=nl"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
    driver.set_script_timeout(120)
    yield driver
    driver.quit()
