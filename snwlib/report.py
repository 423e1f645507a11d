"""HTML reports for two audiences, and the index that links them.

- ``reports/<notebook>.html``: the executed notebook with its code, for researchers.
- ``reports/stuurgroep/<notebook>.html``: for the steering group: no code and no prompts, Dutch
  text, tables and embedded figures only.

Both carry a banner with the wave, the build date and the status of the data (real, transcribed
from the report, or reconstructed), and both open with no network: the template
``snwlib/templates/snw`` drops every script nbconvert would fetch from a CDN, and figures are
embedded as images in the page.
"""
from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import pandas as pd
import yaml

from .io import TABLE_SUFFIXES, atomic_path

TEMPLATE_DIR = Path(__file__).parent / "templates"
AUDIENCES = ("onderzoekers", "stuurgroep")

STATUS_NL = {
    "real": "echte meetgegevens",
    "transcribed": "overgenomen uit het gepubliceerde rapport (geaggregeerde gegevens)",
    "reconstructed": "RECONSTRUCTIE: geen echte antwoorden, wel reproductie van alle gepubliceerde aggregaten",
}
RECONSTRUCTED_NOTE = ("De ruwe antwoorden van de meting zijn niet openbaar. Deze rapportage draait op "
                      "gereconstrueerde respondentgegevens die de gepubliceerde aggregaten reproduceren; "
                      "uitspraken over individuele antwoorden zijn niet mogelijk.")
#: Cells with this tag are shown to researchers only (e.g. technical checks).
RESEARCHERS_ONLY_TAG = "alleen-onderzoekers"


def data_status(raw_dir, prefix: str) -> dict:
    """The status of the raw tables whose names start with ``prefix``, from ``metadata.yaml``.

    Returns ``{"status": <Dutch text>, "reconstructed": bool, "datasets": {name: status}}``.
    A table without an entry counts as ``onbekend`` (unknown): a real export dropped in should
    come with a metadata file that says so.

    Examples
    --------
    >>> data_status("data/raw/2012", "c1_")["status"]
    'overgenomen uit het gepubliceerde rapport (geaggregeerde gegevens)'
    """
    raw_dir = Path(raw_dir)
    meta_path = raw_dir / "metadata.yaml"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    datasets = (meta or {}).get("datasets", {}) or {}
    names = sorted({p.stem for p in raw_dir.glob(f"{prefix}*") if p.suffix in TABLE_SUFFIXES})
    found = {n: (datasets.get(n) or {}).get("status", "onbekend") for n in names}
    kinds = sorted(set(found.values()))
    text = "; ".join(STATUS_NL.get(k, "status onbekend (geen metadata.yaml)") for k in kinds) or "geen gegevens"
    return {"status": text, "reconstructed": "reconstructed" in kinds, "datasets": found}


def notebook_title(nb) -> str:
    """The first heading of the notebook's first markdown cell (``nb`` as a dict or NotebookNode)."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            for line in source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return nb["metadata"].get("title", "")


def banner(nb, audience: str) -> dict:
    """Banner fields for an executed notebook (papermill stores its parameters and end time)."""
    pm = nb["metadata"].get("papermill", {})
    params = pm.get("parameters", {})
    wave = str(params.get("wave", "?"))
    status = data_status(Path(params.get("data_dir", ".")) / wave, nb["metadata"].get("snw", {}).get("raw_prefix", ""))
    end = pm.get("end_time")
    built = dt.datetime.fromisoformat(end).strftime("%d-%m-%Y %H:%M") if end else dt.date.today().strftime("%d-%m-%Y")
    return {"title": notebook_title(nb), "wave": wave, "built": built, "status": status["status"],
            "reconstructed": status["reconstructed"], "reconstructed_note": RECONSTRUCTED_NOTE,
            "audience": audience}


def export_html(executed, out_path, audience: str = "onderzoekers") -> Path:
    """Export an executed notebook to HTML for ``audience`` (``onderzoekers`` or ``stuurgroep``).

    The file is written atomically. For the steering group, code, prompts, stderr output and
    cells tagged ``alleen-onderzoekers`` are left out.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}")
    # Imported here: nbconvert and nbformat take seconds to import, and the index needs neither.
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = nbformat.read(executed, as_version=4)
    exporter = HTMLExporter(template_name="snw", extra_template_basedirs=[str(TEMPLATE_DIR)])
    exporter.language_code = "nl"
    if audience == "stuurgroep":
        exporter.exclude_input = True
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
        remove = TagRemovePreprocessor(remove_cell_tags={RESEARCHERS_ONLY_TAG}, enabled=True)
        exporter.register_preprocessor(remove, enabled=True)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if "text/html" in o.get("data", {}):
                o["data"]["text/html"] = keep_view(o["data"]["text/html"], audience)
    resources = {"snw_banner": banner(nb, audience), "metadata": {"name": notebook_title(nb)}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    with atomic_path(out_path) as tmp:
        Path(tmp).write_text(body, encoding="utf-8")
    return Path(out_path)


def write_index(reports_dir, notebooks, replication=None) -> Path:
    """Write ``reports/index.html``: a line per appendix with both versions and replication counts.

    Parameters
    ----------
    reports_dir : Path
        The reports folder (holds ``executed/``, the HTML files and ``replication.csv``).
    notebooks : list of str
        Notebook names in the order to list them.
    replication : pandas.DataFrame, optional
        The collected ledger; counts per appendix are shown when given.
    """
    from .ledger import STATUSES, counts

    reports_dir = Path(reports_dir)
    rows, wave, built = [], "?", dt.date.today().strftime("%d-%m-%Y")
    for name in notebooks:
        executed = reports_dir / "executed" / f"{name}.ipynb"
        if not executed.exists():
            continue
        nb = json.loads(executed.read_text(encoding="utf-8"))
        b = banner(nb, "stuurgroep")
        wave = b["wave"]
        c = counts(replication[replication.appendix == name]) if replication is not None else None
        cells = "".join(f"<td>{c[s]}</td>" for s in STATUSES) if c else "<td colspan='4'>–</td>"
        rows.append(
            f"<tr><td>{html.escape(name)}</td><td>{html.escape(b['title'])}</td>"
            f"<td><a href='stuurgroep/{name}.html'>stuurgroep</a></td>"
            f"<td><a href='{name}.html'>onderzoekers</a></td><td>{html.escape(b['status'])}</td>{cells}</tr>")
    total = counts(replication) if replication is not None else None
    foot = ("<tr><td colspan='5'><strong>totaal</strong></td>" + "".join(f"<td><strong>{total[s]}</strong></td>" for s in STATUSES)
            + "</tr>") if total else ""
    page = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Slimmernetwerk: Meten en Monitoren, meting {html.escape(wave)}</title>
<style>
 body {{ font-family: sans-serif; margin: 2em; color: #1a202c; }}
 table {{ border-collapse: collapse; }} td, th {{ border-bottom: 1px solid #ccc; padding: 6px 10px; text-align: left; }}
 th {{ background: #eef3f8; }}
</style></head>
<body>
<h1>Slimmernetwerk: Meten en Monitoren &mdash; bijlagen C, meting {html.escape(wave)}</h1>
<p>Opnieuw berekend uit de ruwe gegevens op {built}. Per bijlage een versie voor de stuurgroep (zonder code)
en een voor onderzoekers (met code). De laatste kolommen tellen de gepubliceerde getallen die opnieuw zijn
berekend (<a href="replication.csv">replication.csv</a>): overeenkomend, afwijkend, tegenstrijdig in het rapport zelf,
niet in de bron.</p>
<table>
<tr><th>bijlage</th><th>inhoud</th><th colspan="2">rapport</th><th>gegevens</th>
<th>overeenkomend</th><th>afwijkend</th><th>tegenstrijdig in rapport</th><th>niet in bron</th></tr>
{''.join(rows)}
{foot}
</table>
</body></html>
"""
    out = reports_dir / "index.html"
    with atomic_path(out) as tmp:
        Path(tmp).write_text(page, encoding="utf-8")
    return out


#: Default of the small-group rule; notebooks set theirs from their ``min_cell`` parameter.
MIN_CELL = 5
#: What replaces a suppressed cell in the steering group's HTML.
SUPPRESSED = "*"


def set_min_cell(n: int) -> None:
    """Set the small-group threshold for the tables that follow (the notebook's ``min_cell``)."""
    global MIN_CELL
    MIN_CELL = int(n)


def _is_count(value) -> bool:
    return pd.api.types.is_number(value) and not pd.isna(value)


def hidden_cells(df, min_cell: int) -> set:
    """The count cells of ``df`` the steering group may not see, as ``(row, column)`` pairs.

    *Primary:* a count from 1 to ``min_cell - 1``. *Complementary:* where counts add up to a
    total that stays visible (the base in a header, the column ``n``), a single hidden count
    could be worked out from the others. So in every such group with exactly one hidden count,
    the smallest other non-zero count is hidden too, until no group has exactly one. This is
    the usual rule of statistical offices for tables of counts (e.g. Hundepool et al.,
    *Statistical Disclosure Control*, Wiley 2012, §4.2).

    Which cells are counts and which add up comes from ``df.attrs["small_cells"]``:
    ``counts`` names the count columns, and ``adds_up`` says which counts add up to a shown
    total. ``columns`` lists columns whose cells do; ``rows`` lists lists of columns that do
    within each row.

    Examples
    --------
    >>> t = pd.DataFrame({"antwoord": ["Ja", "Nee", "geen antwoord"], "aantal": [12, 18, 2]})
    >>> t.attrs["small_cells"] = {"counts": {"aantal": []}, "adds_up": {"columns": ["aantal"]}}
    >>> sorted(hidden_cells(t, 5))
    [(0, 'aantal'), (2, 'aantal')]
    """
    rules = df.attrs.get("small_cells") or {}
    hidden = {(row, col) for col in (rules.get("counts") or {}) for row in df.index
              if _is_count(df.at[row, col]) and 0 < df.at[row, col] < min_cell}
    adds_up = rules.get("adds_up") or {}
    groups = [[(row, col) for row in df.index] for col in adds_up.get("columns", [])]
    groups += [[(row, col) for col in cols] for cols in adds_up.get("rows", []) for row in df.index]
    changed = True
    while changed:
        changed = False
        for group in groups:
            if sum(cell in hidden for cell in group) != 1:
                continue
            others = [c for c in group if c not in hidden and _is_count(df.at[c]) and df.at[c] > 0]
            if others:
                hidden.add(min(others, key=lambda c: df.at[c]))
                changed = True
    return hidden


def row_count_rules(table, answers: list) -> dict:
    """``attrs["small_cells"]`` of a table with one row per item: a first column naming the item,
    one count column per answer in ``answers``, then other counts (unavailable, unanswered), and
    ``n`` (answered). The answers add up to ``n``; all counts add up to all respondents, and so do
    ``n`` and the other counts.

    Examples
    --------
    >>> t = pd.DataFrame({"": ["a"], "ja": [3], "nee": [4], "geen antwoord": [1], "n": [7]})
    >>> row_count_rules(t, ["ja", "nee"])["adds_up"]["rows"]
    [['ja', 'nee'], ['ja', 'nee', 'geen antwoord'], ['n', 'geen antwoord']]
    """
    rest = [c for c in table.columns[1:] if c not in answers and c != "n"]
    return {"counts": {c: [] for c in [*answers, *rest]},
            "adds_up": {"rows": [list(answers), [*answers, *rest], ["n", *rest]]}}


def suppress_small(df, min_cell: int):
    """``df`` with every breakdown cell that describes fewer than ``min_cell`` respondents, or that
    would give such a cell away, replaced by :data:`SUPPRESSED`; and the number of cells replaced.

    Which cells are breakdowns comes from ``df.attrs["small_cells"]``, set by the function that
    made the table: ``counts`` maps a count column to the columns derived from it (its
    percentage), ``n`` names a column of group sizes and ``stats`` the statistics computed on
    those groups, and ``adds_up`` says which counts add up to a visible total (see
    :func:`hidden_cells`). A count of 0 describes nobody and stays; so do tables without the
    attribute (totals of the whole sample).

    Examples
    --------
    >>> t = pd.DataFrame({"antwoord": ["Ja", "Nee"], "aantal": [12, 3], "%": ["80%", "20%"]})
    >>> t.attrs["small_cells"] = {"counts": {"aantal": ["%"]}}
    >>> out, k = suppress_small(t, 5)
    >>> out.values.tolist(), k
    ([['Ja', 12, '80%'], ['Nee', '*', '*']], 2)
    """
    rules = df.attrs.get("small_cells") or {}
    out = df.astype(object).copy()
    hidden = 0
    counts = rules.get("counts") or {}
    for row, count in sorted(hidden_cells(df, min_cell), key=lambda c: (list(df.index).index(c[0]), c[1])):
        for col in [count, *counts.get(count, [])]:
            out.at[row, col] = SUPPRESSED
            hidden += 1
    n = rules.get("n")
    if n:
        for row in df.index:
            if pd.api.types.is_number(df.at[row, n]) and df.at[row, n] < min_cell:
                for col in rules.get("stats", []):
                    if str(df.at[row, col]) != "":
                        out.at[row, col] = SUPPRESSED
                        hidden += 1
    return out, hidden


class TwoViews:
    """A table in two versions: everything (researchers) and small groups hidden (steering
    group). Both are in the executed notebook between markers; :func:`export_html` keeps the one
    of its audience."""

    def __init__(self, full, small, min_cell):
        self.full, self.small, self.min_cell = full, small, min_cell

    def _repr_html_(self):
        note = (f"<p class='snw-footnote'>{SUPPRESSED} niet getoond: minder dan {self.min_cell} respondenten, "
                "of af te leiden uit de getoonde aantallen en totalen (regel voor kleine groepen); "
                "de onderzoekersversie toont alle aantallen.</p>")
        return (f"<!--snw:onderzoekers-->{self.full.to_html()}<!--/snw:onderzoekers-->"
                f"<!--snw:stuurgroep--><div class='snw-label'>Versie voor de stuurgroep:</div>"
                f"{self.small.to_html()}{note}<!--/snw:stuurgroep-->")


class Several(list):
    """Several things a notebook shows (tables, :class:`ImageViews`), one after the other."""

    def _repr_html_(self):
        return "".join(x._repr_html_() for x in self)


class ImageViews:
    """Two PNG files shown as :class:`TwoViews` (the first for researchers, the second, if any,
    for the steering group), embedded so that the HTML stays self-contained."""

    def __init__(self, full, small=None):
        self.full, self.small = full, small

    @staticmethod
    def _img(path) -> str:
        import base64

        data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
        return f"<img src='data:image/png;base64,{data}' style='max-width:100%' alt='{html.escape(Path(path).stem)}'/>"

    def _repr_html_(self):
        if self.small is None:
            return self._img(self.full)
        return (f"<!--snw:onderzoekers-->{self._img(self.full)}<!--/snw:onderzoekers-->"
                f"<!--snw:stuurgroep--><div class='snw-label'>Versie voor de stuurgroep:</div>"
                f"{self._img(self.small)}<!--/snw:stuurgroep-->")


def keep_view(html_text: str, audience: str) -> str:
    """Drop the other audience's version of every :class:`TwoViews` table from ``html_text``.

    Examples
    --------
    >>> keep_view("a<!--snw:onderzoekers-->F<!--/snw:onderzoekers--><!--snw:stuurgroep-->S<!--/snw:stuurgroep-->", "stuurgroep")
    'a<!--snw:stuurgroep-->S<!--/snw:stuurgroep-->'
    """
    import re

    other = "stuurgroep" if audience == "onderzoekers" else "onderzoekers"
    return re.sub(rf"<!--snw:{other}-->.*?<!--/snw:{other}-->", "", html_text, flags=re.S)


def tabel(df, caption: str | None = None, precision: int = 2):
    """Show a DataFrame as a clean HTML table in a notebook: no index, text left-aligned, numbers
    the Dutch way (decimal comma) with ``precision`` decimals.

    Returns a pandas Styler (rendered by Jupyter and kept in the HTML export).
    """
    styler = df.style.hide(axis="index").format(precision=precision, decimal=",", thousands=".", na_rep="").set_properties(**{"text-align": "left", "vertical-align": "top"})
    styler = styler.set_table_styles([
        {"selector": "th", "props": [("text-align", "left")]},
        {"selector": "caption", "props": [("text-align", "left"), ("font-weight", "bold"), ("caption-side", "top"),
                                          ("padding", "0.6em 0 0.3em 0")]},
    ])
    if caption:
        styler = styler.set_caption(caption)
    if df.attrs.get("small_cells"):
        small, hidden = suppress_small(df, MIN_CELL)
        if hidden:
            return TwoViews(styler, tabel(small.rename_axis(None), caption, precision), MIN_CELL)
    return styler
