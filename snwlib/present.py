"""Presentation in the notebooks: tables and figures for two audiences, the Dutch way.

A notebook makes one :class:`Report` (with the run's output folder and the small-group threshold
``min_cell``) and shows every table and figure through it:

    rapport = present.Report(out_dir, min_cell)
    rapport.table(questionnaire.tabel3(q), "Tabel 3 ...", "C7_tabel3")
    rapport.figure("C7_schaalprofiel", figures.scale_profile, questionnaire.profile(q), titel)

:meth:`Report.table` writes the numeric table as ``data/processed/<name>.csv`` (the file the
replication ledger reads its numbers from) and shows it twice: in full, for researchers, and as
the disclosure policy (:func:`snwlib.disclosure.protect`) lets the steering group see it, for the
steering group. :meth:`Report.figure` draws a figure from a table the same way: the steering
group's version is drawn from the protected table, so table and figure hide the same cells. Both
versions go into the executed notebook between markers, and the HTML export keeps the one of its
audience (:func:`keep_view`). Each steering-group version also carries, in a mime type that no
HTML shows, what was shown and why, so a test can audit every one of them
(:data:`AUDIT_MIME`).

Numbers are printed the Dutch way (decimal comma, thousands dot); hidden cells as ``*`` with a
footnote that says why. Values from the data are HTML-escaped.
"""

from __future__ import annotations

import base64
import html
import inspect
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import nl
from .alttext import describe
from .disclosure import DEFAULT_MIN_CELL, Protected, protect
from .files import write_csv
from .tables import Structure, declare, structure_of

__all__ = [
    "Report",
    "TwoViews",
    "Several",
    "keep_view",
    "formatted",
    "AUDIT_MIME",
    "HIDDEN",
    "RESEARCHERS",
    "STEERING",
    "ledger_table",
]

#: What replaces a hidden cell in the steering group's HTML.
HIDDEN = "*"
RESEARCHERS, STEERING = "onderzoekers", "stuurgroep"
#: Mime type of the record of what a steering-group table or figure shows (for the audit test).
AUDIT_MIME = "application/vnd.snwlib.disclosure+json"


def _cell(value, column: str, s: Structure | None) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, (pd.Timestamp,)):
        return nl.date(value)
    if isinstance(value, (bool, np.bool_)):
        return "ja" if value else "nee"
    if isinstance(value, (int, np.integer)):
        text = nl.number(int(value))
    elif isinstance(value, (float, np.floating)):
        decimals = s.decimals.get(column) if s else None
        if decimals is None:
            decimals = 0 if (s and column in s.percent) or float(value).is_integer() else 2
        if decimals < 0:  # at most -decimals, trailing zeros dropped
            text = nl.number(round(float(value), -decimals))
        else:
            text = nl.number(round(float(value), decimals), decimals)
    else:
        return str(value)
    return text + ("%" if s and column in s.percent else "")


def formatted(table: pd.DataFrame, hidden=(), drop=()) -> pd.DataFrame:
    """The table as Dutch text, with hidden cells as :data:`HIDDEN`.

    Parameters
    ----------
    table : pandas.DataFrame
        A numeric table with its structure (:mod:`snwlib.tables`).
    hidden : iterable of (row position, column)
        Cells to show as :data:`HIDDEN`.
    drop : iterable of str
        Columns to leave out.

    Returns
    -------
    pandas.DataFrame
        All cells as strings.

    Examples
    --------
    >>> t = declare(pd.DataFrame({"antwoord": ["Ja", "Nee"], "aantal": [23, 3], "%": [71.875, 9.4]}),
    ...             counts=["aantal"], derived={"aantal": ["%"]}, percent=["%"])
    >>> formatted(t, hidden={(1, "aantal"), (1, "%")}).values.tolist()
    [['Ja', '23', '72%'], ['Nee', '*', '*']]
    """
    s = structure_of(table)
    hidden = set(hidden)
    df = table.reset_index(drop=True)
    cols = [c for c in df.columns if c not in set(drop)]
    rows = []
    for i in df.index:
        rows.append([HIDDEN if (i, c) in hidden else _cell(df.at[i, c], c, s) for c in cols])
    return pd.DataFrame(rows, columns=cols)


#: Headers in Dutch words for the columns whose names are made for the machine (the CSV files keep
#: the names; tables show these).
HEADERS = {
    "schaal_min": "laagste mogelijke antwoord",
    "schaal_max": "hoogste mogelijke antwoord",
    "stap": "stap tussen antwoorden",
    "periode_begin": "begin van de periode",
    "periode_eind": "einde van de periode",
}


def _styled(text: pd.DataFrame, caption: str | None):
    text = text.rename(columns=HEADERS)
    styler = text.style.hide(axis="index").format(escape="html")
    styler = styler.set_properties(**{"text-align": "left", "vertical-align": "top"})
    styler = styler.set_table_styles(
        [
            {"selector": "th", "props": [("text-align", "left")]},
            {
                "selector": "caption",
                "props": [
                    ("text-align", "left"),
                    ("font-weight", "bold"),
                    ("caption-side", "top"),
                    ("padding", "0.6em 0 0.3em 0"),
                ],
            },
        ]
    )
    if caption:
        styler = styler.set_caption(html.escape(caption))
    # Column headers come from code and codebooks; escape them all the same.
    return styler.format_index(escape="html", axis=1).to_html()


def _footnote(p: Protected) -> str:
    if not p.hidden:
        return ""
    reasons = sorted({r for (_, c), r in p.hidden.items() if not (p.structure and c in p.structure.internal)})
    if not reasons:
        return ""
    return (
        f"<p class='snw-footnote'>{HIDDEN} niet getoond (regel voor kleine groepen, minimaal {p.min_cell} "
        f"respondenten): {html.escape('; '.join(reasons))}. De onderzoekersversie toont alle getallen.</p>"
    )


#: Said under a steering-group table or figure whose answers were merged into groups.
MERGED_NOTE = (
    "Antwoorden samengevoegd tot groepen ({}), zodat minder getallen verborgen hoeven te worden. "
    "De onderzoekersversie toont elk antwoord apart."
)


def _hidden_count(p: Protected) -> float:
    """How many respondents the hidden count cells of a protected table describe in all."""
    counts = set(p.structure.counts) if p.structure else set()
    return float(sum(p.values.at[r, c] for r, c in p.hidden if c in counts and pd.notna(p.values.at[r, c])))


def _steering(table: pd.DataFrame, coarser: pd.DataFrame | None, min_cell: int):
    """The table the steering group is shown, protected, and whether it is ``coarser``: the
    coarser table (answers merged into groups) when the detailed one would hide cells and the
    coarser one hides less (its hidden counts describe fewer respondents: merging can also make
    a large group hide with a small one). Merging comes before hiding, as statistical agencies
    recode before they suppress; the table and the figure of one result make the same choice."""
    p = protect(table, min_cell)
    if coarser is None or not p.hidden:
        return table, p, False
    q = protect(coarser, min_cell)
    if _hidden_count(q) < _hidden_count(p):
        return coarser, q, True
    return table, p, False


def _merged_note(table: pd.DataFrame, full: pd.DataFrame) -> str:
    groups = [c for c in table.columns if c not in full.columns]
    return f"<p class='snw-footnote'>{html.escape(MERGED_NOTE.format(' / '.join(groups)))}</p>"


def _audit_record(name, caption, p: Protected, kind: str) -> dict:
    return {
        "kind": kind,
        "name": name,
        "caption": caption,
        "min_cell": p.min_cell,
        "structure": p.structure.as_dict() if p.structure else None,
        "values": json.loads(p.values.to_json(orient="split", date_format="iso", index=False)),
        "hidden": [[int(r), c] for r, c in sorted(p.hidden, key=lambda rc: (rc[0], rc[1]))],
    }


@dataclass
class TwoViews:
    """Something a notebook shows in two versions, between markers that the HTML export reads.

    Parameters
    ----------
    full : str
        HTML for researchers.
    small : str
        HTML for the steering group.
    record : dict, optional
        What the steering group's version shows, for the audit (:data:`AUDIT_MIME`).
    """

    full: str
    small: str
    record: dict | None = None

    def _repr_html_(self) -> str:
        return (
            f"<!--snw:{RESEARCHERS}-->{self.full}<!--/snw:{RESEARCHERS}-->"
            f"<!--snw:{STEERING}-->{self.small}<!--/snw:{STEERING}-->"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/html": self._repr_html_()}
        if self.record is not None:
            bundle[AUDIT_MIME] = self.record
        return bundle


class Several(list):
    """Several things a notebook shows (:class:`TwoViews`), one after the other."""

    def _repr_html_(self) -> str:
        return "".join(x._repr_html_() for x in self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/html": self._repr_html_()}
        records = [x.record for x in self if getattr(x, "record", None)]
        if records:
            bundle[AUDIT_MIME] = {"kind": "several", "items": records}
        return bundle


def _shown(view):
    """Display ``view`` now when running in a notebook (so that several per cell all show) and
    return None; elsewhere (tests, scripts) return it."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the environment
        return view
    if get_ipython() is None:
        return view
    from IPython.display import display

    display(view)
    return None


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f"<img src='data:image/png;base64,{data}' style='max-width:100%' alt='{html.escape(alt)}'/>"


@dataclass
class Report:
    """How a notebook shows its tables and figures; one per notebook run.

    Parameters
    ----------
    out_dir : str or Path
        Root of the run's outputs: tables go to ``out_dir/data/processed``, figures to
        ``out_dir/figures``.
    min_cell : int
        The smallest group the steering group's version shows (:mod:`snwlib.disclosure`).
    """

    out_dir: Path
    min_cell: int = DEFAULT_MIN_CELL
    _names: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self.out_dir = Path(self.out_dir)
        self.min_cell = int(self.min_cell)

    @property
    def tables_dir(self) -> Path:
        """``out_dir/data/processed``: where tables are written as CSV."""
        return self.out_dir / "data" / "processed"

    @property
    def figures_dir(self) -> Path:
        """``out_dir/figures``: where figures are written as PNG and SVG."""
        return self.out_dir / "figures"

    def save(self, table: pd.DataFrame, name: str) -> Path:
        """Write a numeric table as ``data/processed/<name>.csv`` (every digit kept).

        A table shown and drawn under one name is written once; two different tables under one
        name are an error.

        Parameters
        ----------
        table : pandas.DataFrame
        name : str
            E.g. ``"C7_tabel3"``.

        Returns
        -------
        pathlib.Path
        """
        path = self.tables_dir / f"{name}.csv"
        content = table.reset_index(drop=True).to_csv(index=False, lineterminator="\n")
        if name in self._names:
            if self._names[name] != content:
                raise ValueError(f"two different tables named {name!r} in one run")
            return path
        self._names[name] = content
        return write_csv(table.reset_index(drop=True), path)

    def text(self, write, *args, **kwargs) -> TwoViews | None:
        """Show Dutch narrative computed from the data, each audience its own version.

        ``write(*args, **kwargs, min_cell=...)`` returns Markdown. The researchers' version is
        written with ``min_cell=0``; the steering group's with the report's ``min_cell``, so a text
        function words a count of fewer respondents than that without the number, as the tables
        hide it (disclosure control applies to narrative too). A plain string is shown to both.

        Parameters
        ----------
        write : callable or str
            A text function with a ``min_cell`` keyword, e.g. :func:`snwlib.questionnaire.alfa_tekst`.
        *args, **kwargs
            Passed to ``write``.

        Returns
        -------
        TwoViews or None
            As :meth:`table`.
        """
        import mistune  # nbconvert's Markdown renderer, so narrative looks like the markdown cells

        if isinstance(write, str):
            full = small = write
        else:
            full = write(*args, **kwargs, min_cell=0)
            small = write(*args, **kwargs, min_cell=self.min_cell)
        return _shown(TwoViews(mistune.html(full), mistune.html(small)))

    def table(
        self, table: pd.DataFrame, caption: str | None = None, name: str | None = None, columns=None, coarser=None
    ) -> TwoViews | None:
        """Show a table to both audiences (and write it as CSV when ``name`` is given).

        Parameters
        ----------
        table : pandas.DataFrame
            A numeric table from a table function, with its structure.
        caption : str, optional
            The Dutch caption.
        name : str, optional
            The CSV's name under ``data/processed`` (e.g. ``"C7_tabel3"``); the CSV holds every
            column.
        columns : list of str, optional
            The columns to show (default: all).
        coarser : pandas.DataFrame, optional
            The same counts with the answers merged into groups (e.g.
            :func:`snwlib.questionnaire.frequenties` with ``grouped=True``): the steering group is
            shown it when the table would hide cells and it hides fewer. It is written as
            ``<name>_samengevoegd.csv``.

        Returns
        -------
        TwoViews or None
            In a notebook it is displayed at once (so several in one cell all show) and None is
            returned; elsewhere it is returned. The HTML export keeps the version of its audience.
        """
        return _shown(self._table(table, caption, name, columns, coarser))

    def _table(self, table, caption, name, columns, coarser=None) -> TwoViews:
        if name:
            self.save(table, name)
        shown, p, merged = _steering(table, coarser, self.min_cell)
        record_name = name
        if merged and name:
            record_name = f"{name}_samengevoegd"
            self.save(shown, record_name)
        internal = p.structure.internal if p.structure else ()
        left_out = [c for c in table.columns if columns is not None and c not in columns]
        full = _styled(formatted(table, drop=left_out), caption)
        left_out = [c for c in left_out if c in shown.columns]
        small = _styled(formatted(shown, p.hidden, drop=[*internal, *left_out]), caption) + _footnote(p)
        if merged:
            small += _merged_note(shown, table)
        if p.structure is None:
            small += (
                "<p class='snw-footnote'>Voor deze tabel is geen regel voor kleine groepen vastgelegd; "
                "de getallen worden daarom niet getoond.</p>"
            )
        if name:  # anchors, which the steering group's summary page links to (by the record's name)
            full = f"<div id='tabel-{html.escape(name)}'>{full}</div>"
            small = f"<div id='tabel-{html.escape(record_name)}'>{small}</div>"
        return TwoViews(full, small, _audit_record(record_name, caption, p, "table"))

    def tables(self, name: str, items: dict, columns=None, coarser: dict | None = None) -> Several:
        """Show several tables, one per key of ``items`` (see :meth:`table`).

        Parameters
        ----------
        name : str
            The CSV names, with ``{}`` for the key (``"C7_sectie{}"``).
        items : dict
            Key to ``(caption, table)``, as e.g. :func:`snwlib.questionnaire.frequenties_per_sectie`
            returns them.
        columns : list of str, optional
            The columns to show.
        coarser : dict, optional
            Key to ``(caption, table)`` with the answers merged into groups (see :meth:`table`).

        Returns
        -------
        Several
        """
        coarser = coarser or {}
        return _shown(
            Several(
                self._table(t, caption, name.format(key), columns, coarser.get(key, (None, None))[1])
                for key, (caption, t) in items.items()
            )
        )

    def figures(self, name: str, draw, items: dict, coarser: dict | None = None, **kwargs) -> Several:
        """Draw several figures, one per key of ``items``, each titled by its caption (see :meth:`figure`).

        Parameters
        ----------
        name : str
            The figure names, with ``{}`` for the key (``"C7_sectie{}_antwoorden"``).
        draw : callable
            A drawing function of :mod:`snwlib.figures` taking ``(table, title)``.
        items : dict
            Key to ``(title, table)``.
        coarser : dict, optional
            Key to ``(title, table)`` with the answers merged into groups (see :meth:`figure`).
        **kwargs
            Passed to ``draw``.

        Returns
        -------
        Several
        """
        coarser = coarser or {}
        return _shown(
            Several(
                self._figure(
                    name.format(key), draw, t, title, alt=title, coarser=coarser.get(key, (None, None))[1], **kwargs
                )
                for key, (title, t) in items.items()
            )
        )

    def figure(
        self, name: str, draw, table: pd.DataFrame, *args, alt: str = "", coarser=None, **kwargs
    ) -> TwoViews | None:
        """Draw a figure from a table for both audiences, save both, and show them.

        The researchers' figure is ``draw(table, *args, **kwargs)``; the steering group's is
        drawn from the protected table (hidden cells NaN) with ``hidden=`` the mask of hidden
        cells and ``min_cell=`` the threshold, and saved as ``<name>_stuurgroep``. When nothing
        is hidden the two are the same figure. The table is written as ``<name>.csv``.

        Parameters
        ----------
        name : str
            File name of the figure (``figures/<name>.png`` and ``.svg``) and of its table.
        draw : callable
            A drawing function of :mod:`snwlib.figures`.
        table : pandas.DataFrame
            The figure's numeric table, with its structure.
        *args, **kwargs
            Passed to ``draw``.
        alt : str
            Text alternative (Dutch); by default the figure's name.
        coarser : pandas.DataFrame, optional
            The same counts with the answers merged into groups: the steering group's figure is
            drawn from it when the table would hide cells and it hides fewer (the same choice as
            :meth:`table` makes), and it is written as ``<name>_samengevoegd.csv``.

        Returns
        -------
        TwoViews or None
            As :meth:`table`.
        """
        return _shown(self._figure(name, draw, table, *args, alt=alt, coarser=coarser, **kwargs))

    def _figure(self, name, draw, table, *args, alt: str = "", coarser=None, **kwargs) -> TwoViews:
        import matplotlib.pyplot as plt

        from .figures import save

        self.save(table, name)
        shown, p, merged = _steering(table, coarser, self.min_cell)
        record_name = name
        if merged:
            record_name = f"{name}_samengevoegd"
            self.save(shown, record_name)
        full = draw(table, *args, **kwargs)
        paths = [save(full, name, self.figures_dir)["png"]]
        plt.close(full)
        if p.hidden or merged:
            extra = {}
            if "totals" in inspect.signature(draw).parameters and p.structure and p.structure.column_totals:
                # totals the structure declares visible (the forms in a caption): with them a
                # figure can count its hidden cells together, apart from the scale
                extra["totals"] = {c: float(shown[c].sum()) for c in p.structure.column_totals}
            small = draw(p.shown(), *args, hidden=p.mask(), min_cell=self.min_cell, **extra, **kwargs)
            paths.append(save(small, f"{name}_stuurgroep", self.figures_dir)["png"])
            plt.close(small)
        # The text alternative says what the figure shows and finds, from its own table: for the
        # steering group from the protected one, so it tells nothing the figure hides.
        title = alt or (args[0] if args and isinstance(args[0], str) else name)
        full_alt = describe(draw, table, title)
        small_alt = describe(draw, p.shown(), title) if len(paths) > 1 else full_alt
        small_html = _img(paths[-1], small_alt)
        if merged:
            small_html += _merged_note(shown, table)
        anchor = f"<div id='figuur-{html.escape(name)}'>{{}}</div>"
        return TwoViews(
            anchor.format(_img(paths[0], full_alt)),
            anchor.format(small_html),
            _audit_record(record_name, title, p, "figure"),
        )


def keep_view(html_text: str, audience: str) -> str:
    """Drop the other audience's version of every :class:`TwoViews` from ``html_text``.

    Parameters
    ----------
    html_text : str
    audience : {"onderzoekers", "stuurgroep"}

    Returns
    -------
    str

    Examples
    --------
    >>> keep_view("a<!--snw:onderzoekers-->F<!--/snw:onderzoekers--><!--snw:stuurgroep-->S<!--/snw:stuurgroep-->",
    ...           "stuurgroep")
    'a<!--snw:stuurgroep-->S<!--/snw:stuurgroep-->'
    """
    other = STEERING if audience == RESEARCHERS else RESEARCHERS
    start, end = f"<!--snw:{other}-->", f"<!--/snw:{other}-->"
    # str.find rather than a regular expression: what lies between the markers is mostly the
    # base64 of embedded PNGs, which a lazy ".*?" would step through a character at a time.
    kept, i = [], 0
    while (j := html_text.find(start, i)) >= 0 and (k := html_text.find(end, j + len(start))) >= 0:
        kept.append(html_text[i:j])
        i = k + len(end)
    kept.append(html_text[i:])
    return "".join(kept)


#: Dutch column headers of the replication ledger (the CSV keeps the English names).
LEDGER_HEADERS = {
    "quantity": "grootheid",
    "published": "gepubliceerd",
    "source": "vindplaats",
    "recomputed": "herberekend",
    "tolerance": "marge",
    "status": "status",
    "note": "toelichting",
    "table": "tabel",
    "row": "rij",
    "column": "kolom",
}


def ledger_table(table: pd.DataFrame) -> pd.DataFrame:
    """The replication ledger for a Dutch reader: Dutch headers, no appendix column.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of :class:`snwlib.ledger.Ledger`.

    Returns
    -------
    pandas.DataFrame
        The recomputed values are for researchers only: a recomputed number can describe a small
        group that its own table hides from the steering group.
    """
    out = table.drop(columns="appendix").rename(columns=LEDGER_HEADERS).reset_index(drop=True)
    out.insert(0, "nr", range(1, len(out) + 1))
    return declare(out, internal=["herberekend"], other=["marge"], decimals={"herberekend": -4, "marge": -4})
