"""The steering group's summary page, ``reports/stuurgroep/index.html``.

The report summarises its results per actor and result area (Tabel 5: doe-, leer-, verander- en
effectresultaat). The summary page does the same with the key numbers of the appendices, which
``templates/snw/samenvatting.yaml`` names: each is one cell of a table an appendix shows. The page
reads that cell from the record of what the steering group was shown (the disclosure audit record
in the executed notebook, :data:`snwlib.present.AUDIT_MIME`), formats it as the appendix does
(:func:`snwlib.present.formatted`, so a hidden cell is ``*`` here too), and links to the table in
the appendix. No number is typed and none is computed twice.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import pandas as pd

from .codebook import load_yaml
from .files import atomic_path, read_json
from .present import AUDIT_MIME, HIDDEN, formatted
from .tables import ATTR, Structure

__all__ = ["SPEC", "shown_tables", "event_names", "key_numbers", "write_summary"]

#: What the summary shows (see the module docstring).
SPEC = Path(__file__).parent / "templates" / "snw" / "samenvatting.yaml"


def shown_tables(executed) -> dict:
    """What the steering group was shown of each named table of an executed notebook.

    Parameters
    ----------
    executed : str or Path
        An executed notebook (``reports/executed/<name>.ipynb``).

    Returns
    -------
    dict
        Table name to a DataFrame of the cells as the steering group's HTML shows them (Dutch
        text, hidden cells :data:`snwlib.present.HIDDEN`), its ``attrs["anchor"]`` the id of the
        table (or, for a table only drawn, of the figure) in the appendix's HTML.
    """
    nb = read_json(executed)
    records = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            record = output.get("data", {}).get(AUDIT_MIME)
            if record:
                records += record["items"] if record.get("kind") == "several" else [record]
    out = {}
    # a table before a figure drawn from it (the summary links to the table where there is one)
    for r in sorted(records, key=lambda r: r.get("kind") != "table"):
        if not r.get("name") or r["name"] in out or r.get("structure") is None:
            continue
        values = pd.DataFrame(r["values"]["data"], columns=r["values"]["columns"])
        values.attrs[ATTR] = Structure.from_dict(r["structure"])
        out[r["name"]] = formatted(values, {(int(i), c) for i, c in r["hidden"]})
        out[r["name"]].attrs["anchor"] = f"{'tabel' if r.get('kind') == 'table' else 'figuur'}-{r['name']}"
    return out


def _cell(tables: dict, table: str, row, columns) -> str | None:
    t = tables.get(table)
    if t is None or not len(t):
        return None
    match = t[t.iloc[:, 0].astype(str) == str(row)]
    if match.empty or any(c not in t.columns for c in columns):
        return None
    cells = [str(match.iloc[0][c]) for c in columns]
    return cells[0] + (f" ({', '.join(cells[1:])})" if len(cells) > 1 else "")


class _Names(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def event_names(reports_dir) -> dict:
    """The short name (``kort``) of each event appendix's event in the wave the reports show.

    Read from the wave's ``status.json`` (its ``metadata.yaml``, as ingestion kept it), found
    through the parameters of an executed notebook; the first event by date per appendix.

    Parameters
    ----------
    reports_dir : str or Path

    Returns
    -------
    dict
        Appendix (``"C8"``) to the event's short name (``"Café IV"``); empty if unknown.
    """
    for executed in sorted((Path(reports_dir) / "executed").glob("*.ipynb")):
        params = read_json(executed)["metadata"].get("papermill", {}).get("parameters", {})
        status = Path(str(params.get("processed_dir", ""))) / str(params.get("wave", "")) / "status.json"
        if params and status.exists():
            events = json.loads(status.read_text(encoding="utf-8")).get("meting", {}).get("evenementen", [])
            names = {}
            for e in sorted(events, key=lambda e: e["datum"]):
                names.setdefault(e["bijlage"], e["kort"])
            return names
    return {}


def key_numbers(reports_dir, spec=None, appendices=None) -> pd.DataFrame:
    """The summary's numbers, as the steering group sees them in the appendices.

    Parameters
    ----------
    reports_dir : str or Path
        The reports folder (with ``executed/``).
    spec : dict, optional
        The summary's spec; :data:`SPEC` by default.
    appendices : collection of str, optional
        The appendices of the wave the reports show; a number of any other appendix is not shown
        (value None), even if an executed notebook of an earlier build is still there.

    Returns
    -------
    pandas.DataFrame
        One row per number of the spec, in its order:

        * ``'actor'``: the actor (SNW-projectgroep, Doetankers, Community)
        * ``'area'``: the result area's key (``doe``, ``leer``, ``verander``, ``effect``)
        * ``'label'``: what the number is, in Dutch (``{C8}`` in the spec's label is the short
          name of appendix C8's event, :func:`event_names`)
        * ``'appendix'``: the appendix that shows it
        * ``'table'``: the table it is a cell of
        * ``'value'``: the cell as the steering group sees it (None: the table is not shown)
        * ``'anchor'``: the id of its table, or figure, in the appendix's HTML
        * ``'previous'``: the same number in the previous wave, where a table compares waves
          (None: no earlier wave)
    """
    spec = spec or load_yaml(SPEC.read_text(encoding="utf-8"))
    reports_dir = Path(reports_dir)
    names = _Names(event_names(reports_dir))
    tables: dict = {}
    rows = []
    for actor in spec["actors"]:
        for n in actor["numbers"]:
            name = n["appendix"]
            if name not in tables:
                executed = reports_dir / "executed" / f"{name}.ipynb"
                current = appendices is None or name in appendices
                tables[name] = shown_tables(executed) if current and executed.exists() else {}
            prev = n.get("previous")
            rows.append(
                {
                    "actor": actor["actor"],
                    "area": n["area"],
                    "label": n["label"].format_map(names),
                    "appendix": name,
                    "table": n["table"],
                    "value": _cell(tables[name], n["table"], n["row"], n["columns"]),
                    "anchor": tables[name][n["table"]].attrs["anchor"] if n["table"] in tables[name] else "",
                    "previous": _cell(tables[name], prev["table"], prev["row"], [prev["column"]]) if prev else None,
                }
            )
    return pd.DataFrame(rows)


def _min_cell(reports_dir, notebooks) -> int | None:
    """The small-group threshold the appendices were built with (a papermill parameter)."""
    for name, _ in notebooks:
        executed = Path(reports_dir) / "executed" / f"{name}.ipynb"
        if executed.exists():
            meta = read_json(executed).get("metadata", {})
            value = meta.get("papermill", {}).get("parameters", {}).get("min_cell")
            if value is not None:
                return value
    return None


def write_summary(reports_dir, appendices: list, spec=None) -> Path:
    """Write ``reports/stuurgroep/index.html``: the key numbers per actor and result area, each
    linked to its table in the appendix, then the appendices with the status of their data.

    Parameters
    ----------
    reports_dir : str or Path
        The reports folder.
    appendices : list of (str, dict)
        ``(name, banner)`` of each appendix in the order to list them, the banner as
        :func:`snwlib.export.banner` gives it (title, wave, status of the data, whether it is a
        reconstruction or synthetic test data).
    spec : dict, optional
        The summary's spec; :data:`SPEC` by default.

    Returns
    -------
    pathlib.Path
    """
    wave = appendices[0][1]["wave"] if appendices else "?"
    notebooks = [(name, b["title"]) for name, b in appendices]
    spec = spec or load_yaml(SPEC.read_text(encoding="utf-8"))
    numbers = key_numbers(reports_dir, spec, appendices=[name for name, _ in appendices])
    has_previous = numbers["previous"].notna().any()
    sections = []
    for actor, rows in numbers.groupby("actor", sort=False):
        body = []
        for area, label in spec["areas"].items():
            group = list(rows[rows.area == area].itertuples())
            for k, r in enumerate(group):
                value = r.value if r.value is not None else "niet getoond"
                link = f"{html.escape(r.appendix)}.html#{html.escape(r.anchor)}"
                previous = f"<td>{html.escape(r.previous or '–')}</td>" if has_previous else ""
                head = f"<th scope='rowgroup' rowspan='{len(group)}'>{html.escape(label)}</th>" if k == 0 else ""
                body.append(
                    f"<tr>{head}<td>{html.escape(r.label)}</td>"
                    f"<td class='getal'>{html.escape(value)}</td>{previous}"
                    f"<td><a href='{link}'>bijlage {html.escape(r.appendix)}</a></td></tr>"
                )
        previous_head = "<th scope='col'>vorige meting</th>" if has_previous else ""
        sections.append(
            f"<h2>{html.escape(actor)}</h2>\n<table>\n<caption>{html.escape(actor)}: kerngetallen per "
            f"resultaatgebied, meting {html.escape(wave)}</caption>\n<thead><tr><th scope='col'>resultaatgebied</th>"
            f"<th scope='col'>wat</th><th scope='col'>meting {html.escape(wave)}</th>{previous_head}"
            f"<th scope='col'>waar</th></tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>"
        )
    hidden = any(HIDDEN in str(v) for v in numbers["value"].dropna())
    min_cell = _min_cell(reports_dir, notebooks)
    comparison = (
        "Waar een eerdere meting is, staat haar getal ernaast."
        if has_previous
        else "Dit is de eerste meting in deze gegevens: er is nog geen eerdere meting om mee te vergelijken."
    )
    listed = "\n".join(
        f"<li><a href='{html.escape(name)}.html'>{html.escape(b['title'])}</a> "
        f"(gegevens: {html.escape(b['status'])})</li>"
        for name, b in appendices
    )
    reconstructed = [name for name, b in appendices if b.get("reconstructed")]
    synthetic = [name for name, b in appendices if b.get("synthetic")]
    warning = (
        f"<br><strong>Let op:</strong> de gegevens van {html.escape(', '.join(synthetic))} zijn SYNTHETISCH: "
        "verzonnen testgegevens, geen meting (zie de bijlagen)."
        if synthetic
        else ""
    ) + (
        f"<br><strong>Let op:</strong> de gegevens van {html.escape(', '.join(reconstructed))} zijn een reconstructie, "
        "geen echte antwoorden (zie de bijlagen)."
        if reconstructed
        else ""
    )
    built = dt.date.today().strftime("%d-%m-%Y")
    page = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<title>Slimmernetwerk: samenvatting voor de stuurgroep, meting {html.escape(wave)}</title>
<style>
 body {{ font-family: sans-serif; margin: 2em auto; max-width: 60em; color: #1a202c; line-height: 1.45; }}
 .banner {{ padding: 10px 16px; background: #eef3f8; border-left: 6px solid #2b6cb0; margin-bottom: 1em; }}
 table {{ border-collapse: collapse; margin: 0.5em 0 1.5em 0; width: 100%; }}
 caption {{ text-align: left; font-weight: bold; padding: 0.3em 0; }}
 td, th {{ border-bottom: 1px solid #ccc; padding: 5px 8px; text-align: left; vertical-align: top; }}
 th {{ background: #eef3f8; }} th[scope=rowgroup] {{ width: 14em; font-weight: normal; }}
 td.getal {{ white-space: nowrap; font-weight: bold; }}
 a {{ color: #1a4f8b; }}
 @media print {{ h2 {{ break-after: avoid; }} table, tr {{ break-inside: avoid; }} a {{ color: inherit; }} }}
</style></head>
<body>
<main>
<div class="banner" role="note"><strong>Slimmernetwerk: Meten en Monitoren, samenvatting voor de stuurgroep</strong><br>
Meting {html.escape(wave)} &middot; gebouwd op {built}{warning}</div>
<h1>Samenvatting, meting {html.escape(wave)}</h1>
<p>De kerngetallen van de bijlagen, per actor en resultaatgebied, zoals het rapport zijn resultaten samenvat
(Tabel 5: doe-, leer-, verander- en effectresultaat). Elk getal komt uit een tabel van een bijlage en linkt
ernaar. {comparison}{
        f" Een {HIDDEN} is een getal van minder dan {min_cell} respondenten, of een dat daaruit af te leiden is: "
        "het blijft verborgen (regel voor kleine groepen)."
        if hidden
        else ""
    }</p>
{chr(10).join(sections)}
<h2>De bijlagen</h2>
<ul>
{listed}
</ul>
</main>
</body></html>
"""
    out = Path(reports_dir) / "stuurgroep" / "index.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out) as tmp:
        Path(tmp).write_text(page, encoding="utf-8")
    return out
