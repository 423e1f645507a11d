"""HTML reports for two audiences, and the index that links them.

- ``reports/<notebook>.html``: the executed notebook with its code, for researchers.
- ``reports/stuurgroep/<notebook>.html``: for the steering group: no code and no prompts, Dutch
  text, tables and embedded figures only, each table and figure in the version the disclosure
  policy allows (:mod:`snwlib.present` put both versions in the notebook; :func:`export_html`
  keeps one).

Both carry a banner with the wave, the build date and the status of the data (real, transcribed
from the report, reconstructed, or synthetic test data), read from the wave's processed provenance record, and both
open with no network: the template ``snwlib/templates/snw`` drops every script nbconvert would
fetch from a CDN, and figures are embedded as images in the page.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import logging
import re
from pathlib import Path

import pandas as pd

from .files import atomic_path, read_json
from .present import RESEARCHERS, STEERING, keep_view

__all__ = [
    "export_html",
    "export_both",
    "warm_up",
    "write_index",
    "banner",
    "notebook_title",
    "AUDIENCES",
    "RESEARCHERS_ONLY_TAG",
]

TEMPLATE_DIR = Path(__file__).parent / "templates"
AUDIENCES = (RESEARCHERS, STEERING)
RECONSTRUCTED_NOTE = (
    "De ruwe antwoorden van de meting zijn niet openbaar. Deze rapportage draait op "
    "gereconstrueerde respondentgegevens die de gepubliceerde aggregaten reproduceren; "
    "uitspraken over individuele antwoorden zijn niet mogelijk."
)
SYNTHETIC_NOTE = (
    "Deze rapportage draait op verzonnen testgegevens (synthetisch), gemaakt om de verwerking te "
    "testen; de getallen zeggen niets over het Slimmernetwerk."
)
#: Cells with this tag are shown to researchers only (e.g. technical checks).
RESEARCHERS_ONLY_TAG = "alleen-onderzoekers"


def notebook_title(nb) -> str:
    """The first heading of the notebook's first markdown cell.

    Parameters
    ----------
    nb : dict or nbformat.NotebookNode

    Returns
    -------
    str
    """
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            for line in source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return nb["metadata"].get("title", "")


def banner(nb, audience: str) -> dict:
    """The banner of an executed notebook: title, wave, build time and the data's status.

    Parameters
    ----------
    nb : dict or nbformat.NotebookNode
        An executed notebook (papermill stores its parameters and end time in its metadata).
    audience : {"onderzoekers", "stuurgroep"}

    Returns
    -------
    dict
        ``title``, ``wave``, ``built``, ``status`` (Dutch), ``reconstructed`` and ``synthetic``
        (bool), ``reconstructed_note``, ``synthetic_note`` and ``audience``.
    """
    from .processed import MissingData, open_wave

    pm = nb["metadata"].get("papermill", {})
    params = pm.get("parameters", {})
    wave = str(params.get("wave", "?"))
    prefix = nb["metadata"].get("snw", {}).get("raw_prefix", "")
    try:
        status = open_wave(params.get("processed_dir", "."), wave).status(prefix)
    except MissingData:
        status = {"status": "status onbekend (geen verwerkte gegevens)", "reconstructed": False, "synthetic": False}
    end = pm.get("end_time")
    built = dt.datetime.fromisoformat(end).strftime("%d-%m-%Y %H:%M") if end else dt.date.today().strftime("%d-%m-%Y")
    return {
        "title": notebook_title(nb),
        "wave": wave,
        "built": built,
        "status": status["status"],
        "reconstructed": status["reconstructed"],
        "reconstructed_note": RECONSTRUCTED_NOTE,
        "synthetic": status["synthetic"],
        "synthetic_note": SYNTHETIC_NOTE,
        "audience": audience,
    }


_EXPORTERS: dict = {}
_WARM: list = []

#: The text alternative of an image that has none (nbconvert's own is English); the reports'
#: figures all have one (:meth:`snwlib.present.Report.figure`), and the accessibility tests fail
#: on this text.
MISSING_ALT = "Afbeelding zonder beschrijving"
_IMG = re.compile(r"<img\b[^>]*>")
_FOCUSABLE = re.compile(r'<div class="(?:jp-Cell-inputWrapper|[^"]*\bjp-OutputArea-output\b[^"]*)"')


def _finish_page(page: str) -> str:
    """What nbconvert's ``HTMLExporter`` does to a rendered page after its template: a text
    alternative for every image without one, and ``tabindex="0"`` on every cell's input and
    output (so that a keyboard reaches a wide table or figure to scroll it).

    Examples
    --------
    >>> _finish_page('<div class="jp-Cell-inputWrapper"><img src="x.png"></div>')
    '<div class="jp-Cell-inputWrapper" tabindex="0"><img alt="Afbeelding zonder beschrijving" src="x.png"></div>'
    """

    def alt(m):
        tag = m.group(0)
        if re.search(r"\salt\s*=", tag):
            return tag
        logging.getLogger(__name__).warning("an image without a text alternative: %s", tag[:80])
        return f'<img alt="{MISSING_ALT}"{tag[4:]}'

    page = _IMG.sub(alt, page)
    return _FOCUSABLE.sub(lambda m: f'{m.group(0)} tabindex="0"', page)


def _exporter_class():
    """nbconvert's ``HTMLExporter`` without its last step: it parses the whole rendered page
    again with BeautifulSoup's pure-Python parser and writes it out anew, only to add text
    alternatives and ``tabindex`` attributes (two thirds of an export's time, most of it in the
    base64 of the embedded figures). :func:`_finish_page` adds the same with two regular
    expressions over the page the template wrote, which it controls (``snwlib/templates/snw``)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class Exporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            # HTMLExporter.from_notebook_node (nbconvert 7.17) up to its BeautifulSoup pass.
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", filter_data_type)
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _finish_page(page), resources

    return Exporter


def _exporter(audience: str):
    """The HTML exporter of ``audience``, made once per process: its template environment takes
    about a second to build, and :func:`export_both` uses two."""
    if audience not in _EXPORTERS:
        # Imported here: nbconvert takes seconds to import, and the index does not need it.
        from nbconvert.preprocessors import TagRemovePreprocessor

        exporter = _exporter_class()(template_name="snw", extra_template_basedirs=[str(TEMPLATE_DIR)])
        exporter.language_code = "nl"
        if audience == STEERING:
            exporter.exclude_input = True
            exporter.exclude_input_prompt = True
            exporter.exclude_output_prompt = True
            remove = TagRemovePreprocessor(remove_cell_tags={RESEARCHERS_ONLY_TAG}, enabled=True)
            exporter.register_preprocessor(remove, enabled=True)
        _EXPORTERS[audience] = exporter
    return _EXPORTERS[audience]


def warm_up() -> None:
    """Build both exporters and render a small notebook through each, once per process.

    An exporter compiles its templates and imports its highlighters and Markdown renderer on its
    first page, not when it is made: about 0.4 s. The build server does this before it forks
    (every notebook's command starts from that state), and a command without the server while
    its kernel computes.

    Returns
    -------
    None
    """
    if _WARM:
        return
    import nbformat.v4 as v4

    nb = v4.new_notebook(metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}})
    nb.cells = [
        v4.new_markdown_cell("# Bijlage\n\nTekst met *nadruk*, een [link](#a) en\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
        v4.new_code_cell(
            "rapport.table(t, 'Tabel')  # x",
            outputs=[
                v4.new_output("stream", name="stderr", text="waarschuwing\n"),
                v4.new_output(
                    "display_data",
                    data={
                        "text/html": "<table><tr><td>1</td></tr></table><img alt='a' src='data:,'>",
                        "text/plain": "t",
                    },
                ),
                v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=1),
            ],
            execution_count=1,
        ),
    ]
    banner_ = {"title": "", "wave": "", "built": "", "status": "", "reconstructed": True, "synthetic": True}
    for audience in AUDIENCES:
        resources = {"snw_banner": {**banner_, "audience": audience}, "metadata": {"name": "warm"}}
        _finish_page(_exporter(audience).from_notebook_node(copy.deepcopy(nb), resources=resources)[0])
    _WARM.append(True)


def export_both(executed, reports_dir) -> list:
    """Export an executed notebook for both audiences, in this process.

    Parameters
    ----------
    executed : str or Path
        The executed notebook, ``<reports_dir>/executed/<name>.ipynb``.
    reports_dir : str or Path
        The reports folder: ``<name>.html`` (researchers) and ``stuurgroep/<name>.html`` are written.

    Returns
    -------
    list of pathlib.Path
        The two HTML files, researchers' first.
    """
    import nbformat

    reports, name = Path(reports_dir), Path(executed).stem
    # Read (and validate) once: a copy of the notebook costs a tenth of reading it again.
    nb = nbformat.read(executed, as_version=4)
    return [
        _export(copy.deepcopy(nb), reports / f"{name}.html", RESEARCHERS),
        _export(nb, reports / "stuurgroep" / f"{name}.html", STEERING),
    ]


def export_html(executed, out_path, audience: str = RESEARCHERS) -> Path:
    """Export an executed notebook to HTML for ``audience``.

    Parameters
    ----------
    executed : str or Path
        The executed notebook.
    out_path : str or Path
        The HTML file to write (atomically).
    audience : {"onderzoekers", "stuurgroep"}
        For the steering group, code, prompts, stderr output, cells tagged
        ``alleen-onderzoekers`` and the researchers' versions of tables and figures are left out.

    Returns
    -------
    pathlib.Path
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}")
    # Imported here: nbconvert and nbformat take seconds to import, and the index needs neither.
    import nbformat

    return _export(nbformat.read(executed, as_version=4), out_path, audience)


def _export(nb, out_path, audience: str) -> Path:
    """Export the notebook ``nb`` (read by nbformat, changed here) to HTML for ``audience``."""
    exporter = _exporter(audience)
    if audience == STEERING:
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [
                    o for o in cell.outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                ]
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            # the audit record (what the steering group is shown, with the full values) stays in
            # the executed notebook only
            for mime in [m for m in data if m.startswith("application/vnd.snwlib")]:
                del data[mime]
            if "text/html" in data:
                data["text/html"] = keep_view(data["text/html"], audience)
    resources = {"snw_banner": banner(nb, audience), "metadata": {"name": notebook_title(nb)}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    with atomic_path(out_path) as tmp:
        Path(tmp).write_text(body, encoding="utf-8")
    return Path(out_path)


def write_index(reports_dir, notebooks, replication=None) -> Path:
    """Write ``reports/index.html``: a line per appendix with both versions and replication counts.

    Parameters
    ----------
    reports_dir : str or Path
        The reports folder (holds ``executed/``, the HTML files and ``replication.csv``).
    notebooks : list of str
        Notebook names in the order to list them.
    replication : pandas.DataFrame, optional
        The collected ledger; counts per appendix are shown when given.

    Returns
    -------
    pathlib.Path
    """
    from .ledger import STATUSES, counts

    reports_dir = Path(reports_dir)
    rows, wave, built = [], "?", dt.date.today().strftime("%d-%m-%Y")
    for name in notebooks:
        executed = reports_dir / "executed" / f"{name}.ipynb"
        if not executed.exists():
            continue
        nb = read_json(executed)
        b = banner(nb, STEERING)
        wave = b["wave"]
        c = counts(replication[replication.appendix == name]) if replication is not None else None
        cells = "".join(f"<td>{c[s]}</td>" for s in STATUSES) if c else "<td colspan='4'>–</td>"
        rows.append(
            f"<tr><td>{html.escape(name)}</td><td>{html.escape(b['title'])}</td>"
            f"<td><a href='stuurgroep/{name}.html'>stuurgroep</a></td>"
            f"<td><a href='{name}.html'>onderzoekers</a></td><td>{html.escape(b['status'])}</td>{cells}</tr>"
        )
    total = counts(replication) if replication is not None else None
    foot = (
        (
            "<tr><td colspan='5'><strong>totaal</strong></td>"
            + "".join(f"<td><strong>{total[s]}</strong></td>" for s in STATUSES)
            + "</tr>"
        )
        if total
        else ""
    )
    page = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<title>Slimmernetwerk: Meten en Monitoren, meting {html.escape(wave)}</title>
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
{"".join(rows)}
{foot}
</table>
</body></html>
"""
    out = reports_dir / "index.html"
    with atomic_path(out) as tmp:
        Path(tmp).write_text(page, encoding="utf-8")
    return out


def read_replication(path) -> pd.DataFrame | None:
    """The collected ledger as text, or None when it does not exist.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    pandas.DataFrame or None
    """
    path = Path(path)
    return pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists() else None
