"""Hostile input: markup in free text never becomes live HTML, and text that a spreadsheet would
run as a formula is neutralised in every CSV the pipeline writes (OWASP, "CSV Injection")."""

import csv
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from snwlib.codebook import all_codebooks
from snwlib.files import write_csv
from snwlib.ledger import read_cell
from snwlib.scoring import NOT_IN_SOURCE, items_table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: What each planted payload starts with: a formula to a spreadsheet (cycled over the fields).
LEADS = [
    '=HYPERLINK("http://x.invalid/k","klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]


def payload(k: int) -> str:
    """A distinct payload: a formula, then markup that would be live if pasted into HTML or Markdown."""
    return (
        f"{LEADS[k % len(LEADS)]} <img src=x onerror=alert({k}) data-snw=p{k}><script>alert({k})</script>"
        f"</td><b data-snw=p{k}>x{k}</b> [klik](javascript:alert({k}))"
    )


class Page(HTMLParser):
    """An HTML page as a browser would build it: its live elements, and its text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.live, self.texts, self._tags = [], [], []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self._tags.append(tag)
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name == "data-snw" or value.startswith("javascript:"):
                self.live.append((tag, name, value))
        if tag == "img" and dict(attrs).get("src") == "x":
            self.live.append((tag, "src", "x"))

    def handle_endtag(self, tag):
        if tag in self._tags:
            del self._tags[len(self._tags) - 1 - self._tags[::-1].index(tag) :]

    def handle_data(self, data):
        if self._tags and self._tags[-1] == "script" and "alert(" in data:
            self.live.append(("script", "", data[:80]))
        self.texts.append(data)


def free_text_fields():
    """Every free-text field of every instrument, from the codebooks: (file, column, counted),
    ``counted`` when the appendix counts the field's answers by name."""
    fields = []
    for cb in all_codebooks().values():
        if "items" in cb:
            counted = {s.get("count_names") for s in cb.get("sections", {}).values()}
            items = items_table(cb)
            fields += [(cb["export"], i, i in counted) for i in items.id[items.type == "text"]]
        for table, spec in cb.get("tables", {}).items():
            fields += [(table, c, False) for c, col in spec["columns"].items() if col.get("free_text")]
    return fields


def plant(values: pd.Series, counted: bool) -> int:
    """The row to put a payload in, so that every count the ledger checks stays as it is: a name
    that is counted goes where the source gives none (or where there is no answer: a new name,
    counted once); other text replaces an answer of one line (or one the source does not give)."""
    empty = values.str.strip() == ""
    missing = values == NOT_IN_SOURCE
    one_line = ~empty & ~missing & ~values.str.contains("\n")
    order = [missing, empty] if counted else [one_line, missing, empty]
    return next(m[m].index[0] for m in order if m.any())


def test_write_csv_neutralises_formula_text_and_keeps_numbers(tmp_path):
    text = ["=1+1", "+31 6", "-neg", "@SUM(A1)", "\tx", "\rx", "gewoon", "-0.5", "'=al"]
    df = pd.DataFrame(
        {
            "tekst": text,
            "getal": [-1.5, 0.25, -3.0, 1e-07, 10553.0, None, 2.0, -0.5, 7.0],
            "aantal": range(-4, 5),
            "categorie": pd.Categorical(["-x", "y", "=z", "y", "y", None, "y", "y", "y"]),
        }
    )
    path = write_csv(df, tmp_path / "t.csv")
    expected = ["'=1+1", "'+31 6", "'-neg", "'@SUM(A1)", "'\tx", "'\rx", "gewoon", "-0.5", "'=al"]
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["tekst", "getal", "aantal", "categorie"]
    assert [r[0] for r in rows[1:]] == expected
    assert [r[1] for r in rows[1:]] == ["-1.5", "0.25", "-3.0", "1e-07", "10553.0", "", "2.0", "-0.5", "7.0"]
    assert [r[2] for r in rows[1:]] == [str(i) for i in range(-4, 5)]
    assert [r[3] for r in rows[1:]] == ["'-x", "y", "'=z", "y", "y", "", "y", "y", "y"]
    raw = path.read_text(encoding="utf-8")
    assert raw.startswith('tekst,getal,aantal,categorie\n"\'=1+1",-1.5,-4,"\'-x"\n'), "neutralised cells are quoted"
    assert "\ngewoon,2.0,2,y\n-0.5,-0.5,3,y\n" in raw, "other cells are written as before"
    back = pd.read_csv(path)
    assert back.tekst.tolist() == expected
    assert back.getal.dtype == float and back.getal.iloc[0] == -1.5 and back.getal.iloc[7] == -0.5
    assert back.getal.isna().tolist() == [False] * 5 + [True] + [False] * 3
    assert back.aantal.tolist() == list(range(-4, 5))
    assert df.tekst.tolist() == text, "the caller's table is not changed"


def test_the_ledger_reads_cells_of_a_neutralised_table(tmp_path):
    t = pd.DataFrame({"antwoord": ["-neg", "=1+1", "gewoon"], "aantal": [3, -2, 1], "tekst": ["-1", "=x", "4"]})
    write_csv(t, tmp_path / "t.csv")
    assert read_cell(tmp_path, "t.csv", "-neg", "aantal") == 3.0
    assert read_cell(tmp_path, "t.csv", "=1+1", "aantal") == -2.0
    assert read_cell(tmp_path, "t.csv", "gewoon", "tekst") == 4.0
    assert read_cell(tmp_path, "t.csv", "-neg", "tekst") == -1.0
    with pytest.raises(LookupError, match="holds '=x', not a number"):
        read_cell(tmp_path, "t.csv", "=1+1", "tekst")


def test_a_report_escapes_markup_in_cells_captions_and_alt_texts(tmp_path):
    from snwlib.present import Report, _img, keep_view
    from snwlib.tables import declare

    p = payload(0)
    view = Report(tmp_path)._table(declare(pd.DataFrame({"antwoord": [p]})), p, None, None)
    for audience in ("onderzoekers", "stuurgroep"):
        page = Page(keep_view(view._repr_html_(), audience))
        assert page.live == [], audience
        assert sum(p in t for t in page.texts) == 2, "caption and cell show the text, as text"
    (tmp_path / "f.png").write_bytes(b"png")
    img = Page(_img(tmp_path / "f.png", p + "' onload='alert(1)"))
    assert img.live == [] and img.texts == []


def plant_payloads(raw, avoid=frozenset()) -> tuple:
    """Plant a distinct payload in every free-text field of the wave folder ``raw``, in a cell not
    in ``avoid`` ((file, row, column)); return the payloads shown (text -> (file, column)) and
    those of identifying fields, which ingestion drops."""
    fields = free_text_fields()
    files = {f for f, _, _ in fields}
    assert {"c7_antwoorden", "c8_antwoorden", "c9_antwoorden", "c8_afwezigen"} <= files
    assert len(fields) >= 25, fields
    shown, dropped = {}, set()
    identifying = {
        (cb["export"], i["id"]) for cb in all_codebooks().values() for i in cb.get("items", []) if i.get("identifying")
    }
    frames = {f: pd.read_csv(raw / f"{f}.csv", dtype=str, keep_default_na=False) for f in files}
    for k, (f, column, counted) in enumerate(fields):
        taken = [r for name, r, c in avoid if (name, c) == (f, column)]
        row = plant(frames[f][column].drop(index=taken), counted)
        frames[f].loc[row, column] = payload(k)
        if (f, column) in identifying:
            dropped.add(payload(k))
        else:
            shown[payload(k)] = (f, column)
    for f, df in frames.items():
        df.to_csv(raw / f"{f}.csv", index=False)
    return shown, dropped


@pytest.mark.e2e
def test_hostile_free_text_is_never_live_in_html_or_a_csv(hostile_build):
    """A payload of markup and a spreadsheet formula, distinct per field, in every free-text field
    of every instrument: no HTML the build writes has a live element from it, every researchers'
    report shows it as text, and every CSV has it with a ``'`` in front."""
    out, shown, dropped = hostile_build.out, hostile_build.shown, hostile_build.dropped
    pages = sorted(out.rglob("*.html"))
    names = {str(p.relative_to(out)) for p in pages}
    assert {"reports/index.html", "reports/C8.html", "reports/stuurgroep/C9.html"} <= names, names
    assert len(pages) == 12, "five appendices for each audience, the index and the steering summary"
    texts = []
    for p in pages:
        html_text = p.read_text(encoding="utf-8")
        page = Page(html_text)
        assert page.live == [], p
        for live in ("<img src=x", "<script>alert", "<b data-snw", 'href="javascript', "href='javascript"):
            assert live not in html_text, (p, live)
        if p.parent.name == "reports" and p.name != "index.html":
            texts += page.texts
        for secret in dropped:
            assert not any(secret in t for t in page.texts), (p, "identifying answers never show")
    missing = [where for text, where in shown.items() if not any(text in t for t in texts)]
    assert missing == [], "every planted text shows in the researchers' HTML, as text"
    kept = {v for p in (out / "data/processed/2012").glob("*.parquet") for v in pd.read_parquet(p).to_numpy().ravel()}
    assert set(shown) <= kept, "ingestion keeps the text as written (the scrubber finds no name in it)"
    assert not dropped & kept, "identifying answers are dropped at ingestion"

    tables = sorted((out / "data/processed").glob("*.csv")) + sorted((out / "data/processed/ledger").glob("*.csv"))
    written = tables + [out / "reports/replication.csv"]
    assert len(tables) > 50
    cells = []
    for p in written:
        with open(p, newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    cells.append(cell)
                    if cell.startswith(FORMULA_START):
                        assert re.fullmatch(r"[+-]?\d[\d.]*(e[+-]?\d+)?", cell), (p, cell)
    cells = set(cells)
    assert [where for text, where in shown.items() if "'" + text not in cells] == []
    assert "'+/- 1450" in cells, "the report's own '+/- 1450' (C1) is text, neutralised too"
