"""The ledger cites its sources honestly: every published number is printed where its row says.

The report's text is not part of this repository. These tests read it from
``../shared/source/`` beside the clone when it is there, and skip (saying where it is looked
for) when it is not.
"""

import re

import pandas as pd
import pytest

from .conftest import REPO

REPORT = REPO.parent / "shared" / "source" / "slimmernetwerk-meten-en-monitoren-2012.txt"
#: Counts the report writes as words ("Vijf mensen hebben ...").
WORDS = (
    "nul een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien "
    "zeventien achttien negentien twintig"
).split()


def _rows():
    frames = [
        pd.read_csv(f, dtype=str, keep_default_na=False).assign(file=f.name)
        for f in sorted((REPO / "references").glob("*/*.csv"))
    ]
    return pd.concat(frames, ignore_index=True)


ROWS = _rows()


@pytest.fixture(scope="module")
def report_lines():
    if not REPORT.exists():
        pytest.skip(f"the report's text is not at {REPORT} (it is not part of the repository)")
    return REPORT.read_text(encoding="utf-8").splitlines()


def cited_lines(source: str) -> list:
    """The line numbers a ``source`` cell cites: ``"Bijlage C8 (r. 5170-5173, 5180)"`` and the like.

    Examples
    --------
    >>> cited_lines("Bijlage C8 (r. 5170-5173, 5180)")
    [5170, 5171, 5172, 5173, 5180]
    >>> cited_lines("Tabel 2")
    []
    """
    if "r." not in source:
        return []
    numbers = []
    for a, b in re.findall(r"(\d+)(?:\s*[-–]\s*(\d+))?", source.split("r.", 1)[1].split(")")[0]):
        numbers += range(int(a), int(b or a) + 1)
    return numbers


def as_printed(text: str) -> str:
    """Text as read: a word hyphenated at a line break joined again, a range broken after its dash
    closed up, all whitespace one space."""
    text = re.sub(r"([^\W\d_])-[ \t]*\n\s*([^\W\d_])", r"\1\2", text)
    text = re.sub(r"(\d)-[ \t]*\n\s*(\d)", r"\1-\2", text)
    return " ".join(text.replace("\u00a0", " ").split())


def printed_at(published: str, text: str, source: str) -> bool:
    """Whether ``published`` is printed in ``text``: as it stands; a count written as a word; a
    count drawn as a tally (``IIII``; a zero is an empty cell); or, for a row whose source says
    ``som``, the sum of the numbers printed there."""
    shown = as_printed(text)
    value = as_printed(published)
    if re.search(rf"(?<![\w,.]){re.escape(value)}(?![\w]|[,.]\d)", shown):
        return True
    if re.fullmatch(r"\d+", value):
        n = int(value)
        words = set(re.findall(r"[a-zé]+", shown.lower()))
        if n < len(WORDS) and (WORDS[n] in words or (n == 1 and {"één", "eén"} & words)):  # "Eén" opens a sentence
            return True
        tallies = re.findall(r"(?<![A-Za-z])I+(?![A-Za-z])", shown)
        if tallies and (n == 0 or any(len(t) == n for t in tallies)):
            return True
    if re.search(r"\bsom\b", source):
        parts = [float(x.replace(",", ".")) for x in re.findall(r"\d+(?:,\d+)?", shown)]
        total = float(re.sub(r"[^\d,]", "", value).replace(",", "."))
        return abs(sum(parts) - total) < 1e-9
    return False


def test_the_parsers_of_this_file():
    assert as_printed("Kennis en vaardighe-\nden opdoen \n\nI II  I") == "Kennis en vaardigheden opdoen I II I"
    assert as_printed("gemiddeld 60-\n65 bezoekers") == "gemiddeld 60-65 bezoekers"
    assert printed_at("6", "Zes mensen hebben", "")
    assert printed_at("1", "Eén persoon gaf aan", "") and not printed_at("2", "Eén persoon gaf aan", "")
    assert printed_at("3", "Netwerken I III  II", "") and not printed_at("4", "Netwerken I III  II", "")
    assert printed_at("100%", "59% nieuw, 41% terugkerend", "Bijlage C1 (r. 1-2), som")
    assert not printed_at("7", "gemiddeld 7,4", ""), "a number is not found inside another"
    assert not printed_at("4", "4.396 werknemers", "")


@pytest.mark.parametrize("i", range(len(ROWS)), ids=lambda i: f"{ROWS.at[i, 'file']}:{i}")
def test_every_published_number_is_printed_at_the_lines_it_cites(i, report_lines):
    row = ROWS.loc[i]
    numbers = cited_lines(row["source"])
    assert numbers, f"{row['file']} '{row['quantity']}': the source names no lines of the report ({row['source']})"
    assert all(1 <= n <= len(report_lines) for n in numbers), f"lines {numbers} are not in the report"
    text = "\n".join(report_lines[n - 1] for n in numbers)
    assert text.strip(), f"{row['file']} '{row['quantity']}': lines {row['source']} are empty"
    assert printed_at(row["published"], text, row["source"]), (
        f"{row['file']} '{row['quantity']}': {row['published']!r} is not printed at {row['source']}: "
        f"{as_printed(text)[:200]!r}"
    )
