"""The steering group's pages in a real browser: WCAG 2.1 AA as axe-core checks it, offline; printed.

Reports for Dutch public bodies must meet WCAG 2.1 AA (digitoegankelijkheid). Every page of
``reports/stuurgroep/`` is opened in headless Chromium with the network off (the group opens them
from a USB stick), axe-core runs in it, and no violation of impact serious or critical may remain.
Beyond what axe can see: every figure's text alternative says what the figure shows and finds.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them when missing); the
tests skip, saying so, where they are absent. axe-core itself comes with the test environment
(the ``axe-core-python`` package bundles it).
"""

import re
from html.parser import HTMLParser

import pytest

from snwlib.export import MISSING_ALT

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: axe's best practices that are checked too, at any impact: headings in order, one main landmark,
#: all content in landmarks.
STRUCTURE = {"heading-order", "page-has-heading-one", "landmark-one-main", "region", "empty-heading"}


@pytest.fixture(scope="module")
def pages(hostile_build):
    found = sorted((hostile_build.out / "reports" / "stuurgroep").glob("*.html"))
    assert [p.stem for p in found] == ["C1", "C2", "C7", "C8", "C9", "index"]
    return found


def axe_problems(browser, pages) -> dict:
    """axe-core on each page (offline, in ``browser``): the violations that count, by page name:
    those of impact serious or critical under WCAG 2.0/2.1 A and AA, and any of :data:`STRUCTURE`.
    Every page must be Dutch (``lang="nl"``) and axe must have run rules on it."""
    from axe_core_python.selenium import Axe

    axe = Axe()
    problems = {}
    for page in pages:
        browser.get(page.as_uri())
        assert browser.execute_script("return document.documentElement.lang") == "nl", page.name
        result = axe.run(browser, options={"runOnly": {"type": "tag", "values": [*WCAG, "best-practice"]}})
        assert result["passes"], f"axe ran no rule on {page.name}"
        bad = [
            f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical") or v["id"] in STRUCTURE
        ]
        if bad:
            problems[page.name] = bad
    return problems


def test_no_serious_or_critical_wcag_violation_and_headings_in_order_offline(browser, pages):
    problems = axe_problems(browser, pages)
    assert not problems, problems


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.alts = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append(dict(attrs).get("alt"))


def test_every_figure_says_what_it_shows_and_finds(pages):
    """A text alternative generated from the figure's data: a title and at least one sentence of
    content with a number in it; never a file name or nbconvert's English placeholder."""
    for page in [p for p in pages if p.stem != "index"]:
        parser = _Images()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.alts, f"{page.name} has no figure"
        for alt in parser.alts:
            assert alt and "No description" not in alt and alt != MISSING_ALT, f"{page.name}: {alt!r}"
            assert not re.search(r"\bC\d_\w+", alt), f"{page.name}: a file name as text alternative: {alt!r}"
            sentences = [s for s in re.split(r"(?<=[.!?])\s+", alt) if s]
            assert len(sentences) >= 2 and re.search(r"\d", " ".join(sentences[1:])), f"{page.name}: {alt!r}"


def test_a_keyboard_reaches_every_cell_output(pages):
    """As nbconvert's own HTMLExporter makes them: every output and code input can take the
    keyboard's focus (tabindex 0), so that a wide table or figure can be scrolled without a mouse."""
    for page in [p for p in pages if p.stem != "index"]:
        text = page.read_text(encoding="utf-8")
        tags = re.findall(r'<div class="[^"]*\bjp-(?:OutputArea-output|Cell-inputWrapper)\b[^"]*"[^>]*>', text)
        assert tags, page.name
        assert all('tabindex="0"' in t for t in tags), (page.name, [t for t in tags if "tabindex" not in t][:2])


def test_printed_to_pdf_every_figure_is_there_and_the_banner_opens_it(browser, pages):
    """The steering group prints, or saves as PDF from the browser: Chromium's own print of each
    page holds every figure of the page, and its first page the banner with the wave."""
    import base64
    import io

    from pypdf import PdfReader
    from selenium.webdriver.common.print_page_options import PrintOptions

    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    for page in pages:
        browser.get(page.as_uri())
        pdf = PdfReader(io.BytesIO(base64.b64decode(browser.print_page(options))))
        parser = _Images()
        parser.feed(page.read_text(encoding="utf-8"))
        printed = sum(len(p.images) for p in pdf.pages)
        assert printed >= len(parser.alts), f"{page.name}: {printed} images printed of {len(parser.alts)}"
        first = " ".join(pdf.pages[0].extract_text().split())
        assert "Meting 2012" in first and "gebouwd op" in first, f"{page.name}: no banner on page 1: {first[:200]!r}"
