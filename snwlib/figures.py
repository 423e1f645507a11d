"""Figures with Dutch labels, drawn from the tables they publish, written as PNG and SVG.

Every drawing function takes the numeric table of a table function (the one the notebook also
shows, and whose CSV the ledger reads) and returns a matplotlib Figure; it never writes
(:func:`save` does). :meth:`snwlib.present.Report.figure` draws each figure twice: from the table
for researchers, and from the table as the disclosure policy protects it for the steering group.
In that version hidden cells are NaN and the function is given ``hidden`` (True where a cell is
hidden) and ``min_cell``: a hidden count is not drawn and is marked ``*``, and a note under the
axis says why. Table and figure therefore hide the same cells.

Figures are made to be read by a steering group: a title that says what the figure shows, axes
from zero where amounts are compared, approximate values marked as such.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import matplotlib.image
import matplotlib.patches
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd
import PIL.Image
import PIL.PngImagePlugin
import seaborn as sns
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.layout_engine import PlaceHolderLayoutEngine

from . import nl
from .files import atomic_path
from .tables import shown as _shown

__all__ = [
    "save",
    "dutch_ticks",
    "channel_growth",
    "diverging_bars",
    "histogram",
    "scale_profile",
    "reference_comparison",
    "funnel",
    "count_bars",
    "stacked_counts",
    "grades",
    "grades_over_time",
    "doetank_course",
    "PALETTE",
    "HIDDEN_NOTE",
]

# Reproducible SVG output: no random ids, no creation date.
matplotlib.rcParams["svg.hashsalt"] = "snwlib"
matplotlib.rcParams["svg.fonttype"] = "none"


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def _share_text_metrics() -> None:
    """Let every renderer of one kind share matplotlib's cache of text sizes.

    matplotlib caches the size of each text per renderer object (``matplotlib.text``), and
    :func:`save` draws each figure with four of them (the PNG's and the SVG's, each measured and
    then drawn), so every label was measured four times, plus once by ``tight_layout``: a fifth of
    the time of C7's figures. A text's size depends on the kind of renderer (its class and dpi)
    and on the text, font, math and dpi that are the cache's key, and on the ``font.*``,
    ``text.*`` and ``mathtext.*`` settings when the renderer first measures (as matplotlib's own
    cache does); so it is shared by those. The figures are byte for byte the same
    (``tests/test_figures.py``). This replaces a private function of matplotlib (3.11); if a
    later version has none, nothing is replaced and figures are only slower.
    """
    import functools
    import weakref

    import matplotlib.text as mtext

    original = getattr(mtext, "_get_text_metrics_function", None)
    if original is None or getattr(original, "snwlib_shared", False):
        return
    settings = tuple(k for k in matplotlib.rcParams if k.startswith(("font.", "text.", "mathtext.")))
    kinds: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
    functions: dict = {}

    def text_metrics_function(renderer, _cache=None):
        kind = kinds.get(renderer)
        if kind is None:
            rc = tuple(_hashable(matplotlib.rcParams[k]) for k in settings)
            kind = kinds[renderer] = (type(renderer), getattr(renderer, "dpi", None), rc)
        function = functions.get(kind)
        if function is None:
            asking: dict = {}

            @functools.lru_cache(8192)
            def function(text, fontprop, ismath, dpi):
                return asking["renderer"]().get_text_width_height_descent(text, fontprop, ismath)

            function.asking = asking
            functions[kind] = function
        function.asking["renderer"] = weakref.ref(renderer)
        return function

    text_metrics_function.snwlib_shared = True
    text_metrics_function.original = original
    mtext._get_text_metrics_function = text_metrics_function


_share_text_metrics()

PALETTE = sns.color_palette("colorblind")

#: What a steering-group figure says under its axis when it leaves counts out.
HIDDEN_NOTE = (
    "* niet getoond: minder dan {} respondenten, of af te leiden uit de getoonde aantallen (regel voor kleine groepen)"
)


def _note(hidden, min_cell) -> str:
    return f"\n{HIDDEN_NOTE.format(min_cell)}" if hidden is not None and bool(np.asarray(hidden).any()) else ""


#: How hidden counts are drawn: a hatched shape apart from the answer scale.
HATCH = {"facecolor": "white", "edgecolor": "0.35", "hatch": "///", "lw": 0.6}


def _hidden_handle(min_cell) -> matplotlib.patches.Patch:
    return matplotlib.patches.Patch(**HATCH, label=f"verborgen (groep kleiner dan {min_cell})")


def _hidden_bar(ax, y, left: float, width: float, labelled: bool = True):
    """One hatched segment, marked "verborgen", of ``width`` from ``left`` on row ``y``."""
    ax.barh(y, width, left=left, height=0.7, **HATCH)
    if labelled:
        ax.text(
            left + width / 2,
            y,
            "verborgen",
            ha="center",
            va="center",
            fontsize=8,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
        )


def _legend(ax, handles: list, ncol: int, min_cell=None, hatched: bool = False) -> int:
    """A legend above the axes: the answers in reading order, on one row, or on two when their
    labels would be wider than the figure (a legend wider than the figure squeezes the axes), and
    when ``hatched`` "verborgen" (apart from the answer scale) on a row of its own under the first.
    Returns the number of rows, for the title's distance."""
    # At fontsize 8 a character is about 4.5 points wide; a patch and the gaps about five characters.
    width = sum(len(h.get_label()) + 5 for h in handles) * 4.5
    if width > 0.9 * ax.figure.get_figwidth() * 72:
        ncol = -(-len(handles) // 2)
    blank = matplotlib.patches.Patch(visible=False, label=" ")
    grid = [handles[i : i + ncol] for i in range(0, len(handles), ncol)]
    if hatched:
        grid.append([_hidden_handle(min_cell)])
    grid = [row + [blank] * (ncol - len(row)) for row in grid]
    # A legend fills its columns top to bottom: hand it the grid column by column.
    ordered = [row[j] for j in range(ncol) for row in grid]
    ax.legend(handles=ordered, ncol=ncol, loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=8, frameon=False)
    return len(grid)


def _column_rest(table: pd.DataFrame, column: str, totals) -> float | None:
    """How many of a column's declared total its hidden cells hold together (None: no total, or
    nothing hidden)."""
    if not totals or column not in totals or table[column].map(_shown).all():
        return None
    return float(totals[column]) - float(table[column].where(table[column].map(_shown), 0).astype(float).sum())


def _rest(table: pd.DataFrame, i, columns: list) -> float | None:
    """How many of row ``i``'s ``n`` the hidden cells of ``columns`` hold together (0 when none is
    hidden; None when ``n`` itself is hidden). The total follows from n and the visible counts,
    so it can be drawn; which cells it sits in is what stays hidden."""
    n = table.at[i, "n"]
    if not _shown(n):
        return None
    if all(_shown(table.at[i, c]) for c in columns):
        return 0.0
    return float(n) - sum(float(table.at[i, c]) for c in columns if _shown(table.at[i, c]))


class _DutchTicks(matplotlib.ticker.ScalarFormatter):
    """matplotlib's tick labels with a decimal comma (4,5 where it would print 4.5)."""

    def __call__(self, x, pos=None):
        return super().__call__(x, pos).replace(".", ",")


def dutch_ticks(fig):
    """Give every axis of ``fig`` that shows plain numbers a decimal comma (axes with their own
    formatter, such as percentages, keep it).

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    matplotlib.figure.Figure
        ``fig`` itself.
    """
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is matplotlib.ticker.ScalarFormatter:
                axis.set_major_formatter(_DutchTicks())
    return fig


#: Resolution of the PNG files (dots per inch).
PNG_DPI = 150
#: The SVG backend's own resolution: the SVG's coordinates are points.
SVG_DPI = 72


def save(fig, name: str, directory) -> dict:
    """Write ``fig`` as ``<directory>/<name>.png`` and ``.svg``, each atomically, with Dutch
    tick labels (:func:`dutch_ticks`).

    Each file shows what ``fig.savefig(path, bbox_inches="tight")`` writes (the SVG byte for byte,
    the PNG pixel for pixel), drawn once instead of twice (see Notes).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    name : str
        The file name without suffix.
    directory : str or Path

    Returns
    -------
    dict
        The two paths by format (``"png"``, ``"svg"``). The PNG is 150 dpi, the SVG keeps text as text.

    Notes
    -----
    ``savefig(bbox_inches="tight")`` draws the figure once without output to measure it, then
    again to render it. The measuring draw is not needed when the figure's layout is done, as it
    is after ``tight_layout``, with which every drawing function ends:
    :meth:`~matplotlib.figure.Figure.get_tightbbox` lays out what it measures itself (it is what
    ``tight_layout`` measures with). So each format's box is measured here, with a renderer of
    that format at its resolution (the PNG's text is hinted at 150 dpi, the SVG's is not, so the
    boxes differ), padded by ``savefig.pad_inches`` as savefig pads it, and given to savefig,
    which then draws once. A figure with an automatic layout still to run, or with raster parts
    in its SVG, is saved the ordinary way.

    The PNG's pixels are those matplotlib draws, written by :func:`_write_png` (as RGB, since
    the figures are opaque, and faster).
    """
    directory = Path(directory)
    dutch_ticks(fig)
    # tight_layout leaves a placeholder layout engine, for which savefig draws once more "to lay
    # out" (it does nothing); set it aside while saving, unless rcParams ask for an automatic one.
    engine = fig.get_layout_engine()
    if isinstance(engine, PlaceHolderLayoutEngine):
        fig.set_layout_engine(None)
        if fig.get_layout_engine() is not None:
            fig.set_layout_engine(engine)
    laid_out = fig.get_layout_engine() is None
    paths = {}
    try:
        width, height = fig.get_size_inches()
        png = directory / f"{name}.png"
        with atomic_path(png) as tmp:
            if laid_out:
                box = _tight_bbox(fig, PNG_DPI, RendererAgg(int(width * PNG_DPI), int(height * PNG_DPI), PNG_DPI))
                if isinstance(fig.canvas, FigureCanvasAgg):
                    # The same drawing as savefig(format="png") makes; its pixels are then written here.
                    fig.savefig(io.BytesIO(), format="rgba", dpi=PNG_DPI, bbox_inches=box)
                    _write_png(np.asarray(fig.canvas.buffer_rgba()), tmp, PNG_DPI)
                else:
                    fig.savefig(tmp, format="png", dpi=PNG_DPI, bbox_inches=box)
            else:
                fig.savefig(tmp, format="png", dpi=PNG_DPI, bbox_inches="tight")
        paths["png"] = png
        svg = directory / f"{name}.svg"
        with atomic_path(svg) as tmp:
            if laid_out and not _raster_parts(fig):
                box = _tight_bbox(fig, SVG_DPI, RendererSVG(width * SVG_DPI, height * SVG_DPI, io.StringIO()))
                # At 72 dpi, as savefig is when its measuring draw has set the figure to the SVG's
                # resolution: the box is then applied with the same arithmetic, to the last digit.
                # The dpi only sets the resolution of raster parts, which this figure has none of.
                fig.savefig(tmp, format="svg", dpi=SVG_DPI, bbox_inches=box, metadata={"Date": None})
            else:
                fig.savefig(tmp, format="svg", bbox_inches="tight", metadata={"Date": None})
        paths["svg"] = svg
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
    return paths


def _tight_bbox(fig, dpi: float, renderer):
    """The area of ``fig`` that ``savefig(bbox_inches="tight")`` saves when ``renderer`` draws
    it at ``dpi``: the tight bounding box in inches, padded by ``savefig.pad_inches``."""
    # savefig sets the dpi with the figure manager (a window, if any) set aside, so that no window
    # is resized; so does this.
    dpi_before, manager = fig.dpi, fig.canvas.manager
    fig.canvas.manager = None
    try:
        fig.dpi = dpi
        box = fig.get_tightbbox(renderer)
    finally:
        fig.dpi = dpi_before
        fig.canvas.manager = manager
    return box.padded(matplotlib.rcParams["savefig.pad_inches"])


def _write_png(rgba: np.ndarray, path, dpi: float):
    """Write the pixels ``rgba`` (rows, columns, RGBA) as a PNG file, with the dpi and the
    software note that matplotlib writes; as RGB when every pixel is opaque (the figures' white
    background), zlib level 3.

    The same pixels as matplotlib's PNG (RGBA, level 6) in a file about 7% smaller, written in
    two thirds of the time: a quarter less data to filter and compress, and level 3 is faster
    than 6 on these flat-coloured images at little cost in size.
    """
    height, width = rgba.shape[:2]
    image = PIL.Image.frombuffer("RGBA", (width, height), np.ascontiguousarray(rgba), "raw", "RGBA", 0, 1)
    if rgba[..., 3].min() == 255:
        image = image.convert("RGB")
    info = PIL.PngImagePlugin.PngInfo()
    info.add_text("Software", f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/")
    image.save(path, format="png", pnginfo=info, dpi=(dpi, dpi), compress_level=3)


def _raster_parts(fig) -> bool:
    """Whether ``fig``'s SVG would hold raster parts: images, or artists drawn rasterized."""
    images = (matplotlib.image.AxesImage, matplotlib.image.FigureImage, matplotlib.image.BboxImage)
    return bool(fig.findobj(lambda a: isinstance(a, images) or a.get_rasterized())) or any(
        ax.get_rasterization_zorder() is not None for ax in fig.axes
    )


def channel_growth(series: pd.DataFrame, title: str | None = None):
    """Small multiples of each channel's growth over time (appendix C1).

    Parameters
    ----------
    series : pandas.DataFrame
        As returned by :func:`snwlib.inventory.kanalen`: one row per measurement with
        ``kanaal``, ``reeks``, ``periode_begin``, ``periode_eind``, ``midden``, ``waarde``,
        ``kwalificatie``.
    title : str, optional
        Figure title; a Dutch default names the period shown.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per channel, each with its own scale starting at zero. A point is drawn at the
        middle of the period a number covers, a thin bar spans that period; open markers are
        approximate numbers ("ongeveer"), a triangle is a lower bound ("ruim", "meer dan").
    """
    groups = list(series.groupby(["kanaal", "reeks"], sort=False))
    ncols = 2
    nrows = (len(groups) + 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(10, 3.3 * nrows), squeeze=False)
    lo, hi = series.periode_begin.min(), series.periode_eind.max()
    for ax, ((kanaal, reeks), g), color in zip(axes.flat, groups, PALETTE, strict=False):
        ax.plot(g.midden, g.waarde, color=color, lw=2, zorder=2)
        for r in g.itertuples():
            ax.hlines(r.waarde, r.periode_begin, r.periode_eind, color=color, lw=6, alpha=0.25, zorder=1)
            marker = "^" if r.kwalificatie == "meer dan" else "o"
            face = "white" if r.kwalificatie != "exact" else color
            ax.plot([r.midden], [r.waarde], marker=marker, ms=9, mfc=face, mec=color, mew=2, zorder=3)
            prefix = {"ongeveer": "ca. ", "meer dan": "> ", "minder dan": "< "}.get(r.kwalificatie, "")
            ax.annotate(
                prefix + nl.number(r.waarde),
                (r.midden, r.waarde),
                textcoords="offset points",
                xytext=(0, 10),
                ha="center",
                fontsize=9,
            )
        ax.set_title(f"{kanaal}: {reeks}", fontsize=11, loc="left")
        ax.set_ylim(0, g.waarde.max() * 1.3)
        ax.set_xlim(lo - pd.Timedelta(days=30), hi + pd.Timedelta(days=30))
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%Y"))
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: nl.number(v)))
        sns.despine(ax=ax)
    for ax in axes.flat[len(groups) :]:
        ax.set_visible(False)
    fig.suptitle(
        title or f"Groei van de kanalen van het Slimmernetwerk, {lo.year}–{hi.year}", fontsize=13, x=0.02, ha="left"
    )
    fig.text(
        0.02,
        -0.01,
        "Open symbool: benaderd getal (ongeveer); driehoek: ondergrens (ruim, meer dan); "
        "balk: periode waarop het getal slaat. Bron: inventarisatie activiteiten (Bijlage C1).",
        fontsize=8,
        color="0.35",
        ha="left",
    )
    fig.tight_layout()
    return fig


def _wrap(text: str, width: int = 58) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def diverging_bars(table: pd.DataFrame, title: str, hidden=None, min_cell: int | None = None):
    """Diverging stacked bars of the answers to one section (percentages of those who answered).

    Answers run from the most negative to the most positive; the middle answer of an odd scale is
    split across zero. Items are sorted by their share of positive answers; every bar is labelled
    with its n.

    Parameters
    ----------
    table : pandas.DataFrame
        As :func:`snwlib.questionnaire.frequenties` returns it: ``vraag``, ``stelling``, one column
        per answer label (negative to positive), the unanswered, ``n``.
    title : str
    hidden : pandas.DataFrame of bool, optional
        The steering group's version: the hidden answers of an item are drawn together as one
        hatched segment "verborgen" at the end of its bar, apart from the answer scale, so every
        bar still sums to its n (their total follows from n and the visible answers, so it shows
        nothing new; which answers they are would). An item whose n is hidden is one hatched bar.
    min_cell : int, optional
        The threshold, for the note under the axis and the legend.

    Returns
    -------
    matplotlib.figure.Figure
    """
    labels = list(table.columns[2:-2])
    k = len(labels)
    mid = k // 2 if k % 2 else None
    colors = sns.color_palette("RdBu", k)
    if mid is not None:
        colors[mid] = (0.8, 0.8, 0.8)
    rows = []
    for i in table.index:
        n = table.at[i, "n"]
        if not _shown(n) or not n:
            pct, rest = [0.0] * k, 100.0 if not _shown(n) else 0.0
        else:
            pct = [100 * table.at[i, c] / n if _shown(table.at[i, c]) else 0.0 for c in labels]
            rest = 100 - sum(pct) if any(not _shown(table.at[i, c]) for c in labels) else 0.0
        pos = sum(pct[k // 2 + (1 if mid is not None else 0) :])
        rows.append((table.at[i, "vraag"], table.at[i, "stelling"], n, pct, pos, rest))
    rows.sort(key=lambda r: r[4])
    gap = 2.0  # between the answer scale and the hidden segment
    fig, ax = plt.subplots(figsize=(11, 0.75 * len(rows) + 1.8))
    for y, (_, _, _, pct, _, rest) in enumerate(rows):
        neg = sum(pct[: k // 2]) + (pct[mid] / 2 if mid is not None else 0)
        left = -neg
        for p, color in zip(pct, colors, strict=True):
            ax.barh(y, p, left=left, color=color, edgecolor="white", height=0.7)
            if p >= 8:
                ax.text(left + p / 2, y, f"{p:.0f}", ha="center", va="center", fontsize=8)
            left += p
        if rest > 1e-9:
            # after the answers, apart from them; a bar with no answer shown is centred on zero
            start = left + gap if left > -neg else -rest / 2
            _hidden_bar(ax, y, start, rest, labelled=rest >= 14)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(
        [f"{_wrap(f'{v}. {t}')}  (n={int(n) if _shown(n) else 'verborgen'})" for v, t, n, *_ in rows], fontsize=8
    )
    ax.axvline(0, color="0.3", lw=0.8)
    any_rest = any(r[5] > 1e-9 for r in rows)
    ax.set_xlim(-100, 100 + (gap if any_rest else 0))
    ax.set_xticks(range(-100, 101, 25))
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{abs(v):.0f}%"))
    ax.set_xlabel(
        "percentage van wie de vraag beantwoordde (links negatief, rechts positief)"
        + (f"\ngearceerd: {HIDDEN_NOTE.format(min_cell).split(': ', 1)[1]}" if any_rest else "")
    )
    handles = [matplotlib.patches.Patch(color=c, label=lab) for c, lab in zip(colors, labels, strict=True)]
    legend_rows = _legend(ax, handles, k, min_cell, any_rest)
    ax.set_title(_wrap(title, 90), loc="left", fontsize=11, pad=14 + 14 * legend_rows)
    sns.despine(ax=ax, left=True)
    fig.tight_layout()
    return fig


def histogram(table: pd.DataFrame, title: str, hidden=None, min_cell: int | None = None, totals=None):
    """Bars of how many answers fall at each value or range of a numeric question; answers
    flagged as suspect (given on a 0-10 scale where 0-100 was asked) in red.

    Parameters
    ----------
    table : pandas.DataFrame
        As :func:`snwlib.questionnaire.verdeling` returns it: ``waarde``, ``ondergrens``,
        ``bovengrens``, ``aantal``, ``waarvan vermoedelijk 0-10``.
    title : str
    hidden : pandas.DataFrame of bool, optional
        The steering group's version: hidden bars are not drawn but marked ``*``.
    min_cell : int, optional
    totals : dict, optional
        The column totals readers know (``{"aantal": n}``, from the table's structure): the hidden
        answers are then counted together in a hatched bar "verborgen" beside the scale.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plt.subplots(figsize=(10, 3.6))
    x = np.arange(len(table))
    total = table["aantal"].where(table["aantal"].map(_shown), 0).astype(float)
    suspect = table["waarvan vermoedelijk 0-10"]
    sus = suspect.where(suspect.map(_shown), 0).astype(float)
    ax.bar(x, total - sus, color=PALETTE[0], edgecolor="white")
    if sus.sum():
        ax.bar(x, sus, bottom=total - sus, color=PALETTE[3], edgecolor="white", label="vermoedelijk op een 0-10-schaal")
        ax.legend(fontsize=8, frameon=False, loc="upper left")
    rest = _column_rest(table, "aantal", totals)
    top = max(1.0, float(total.max()), rest or 0.0)
    for i in x:
        if not _shown(table["aantal"].iloc[i]):
            ax.text(i, 0.05 * top, "*", ha="center", va="bottom", fontsize=10)
    labels = list(table["waarde"])
    if rest:
        ax.bar([len(table) + 0.5], [rest], width=0.8, **HATCH)
        ax.text(len(table) + 0.5, rest, str(int(rest)), ha="center", va="bottom", fontsize=8)
        x, labels = [*x, len(table) + 0.5], [*labels, "verborgen"]
    ax.set_xticks(x)
    ax.set_xticklabels(labels, rotation=90 if len(table) > 12 else 0, fontsize=8)
    ax.set_ylim(0, top * 1.15)
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_ylabel("aantal respondenten")
    ax.set_xlabel("antwoord" + _note(hidden, min_cell))
    ax.set_title(_wrap(title, 100), loc="left", fontsize=10)
    sns.despine(ax=ax)
    fig.tight_layout()
    return fig


def scale_profile(profile: pd.DataFrame, title: str, hidden=None, min_cell: int | None = None):
    """Mean scale scores with 95% confidence intervals, each on its own answer range.

    Parameters
    ----------
    profile : pandas.DataFrame
        As :func:`snwlib.questionnaire.profiel` returns it: ``schaal``, ``meting``, ``naam``,
        ``n``, ``gemiddelde``, ``ci_laag``, ``ci_hoog``, ``min``, ``max``. Several waves are drawn
        side by side.
    title : str
    hidden : pandas.DataFrame of bool, optional
        The steering group's version: a hidden mean is not drawn.
    min_cell : int, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    scales = list(dict.fromkeys(profile.naam))
    waves = list(dict.fromkeys(profile.meting))
    fig, ax = plt.subplots(figsize=(10, 0.6 * len(scales) + 1.5))
    for gi, (wave, color) in enumerate(zip(waves, PALETTE, strict=False)):
        sub = profile[profile.meting == wave]
        offset = (gi - (len(waves) - 1) / 2) * 0.25 if len(waves) > 1 else 0
        for j, r in enumerate(sub.itertuples()):
            y = scales.index(r.naam) + offset
            if not _shown(r.gemiddelde):
                ax.text(r.min, y, "*", va="center", fontsize=9)
                continue
            ax.hlines(y, r.ci_laag, r.ci_hoog, color=color, lw=2)
            ax.plot(r.gemiddelde, y, "o", color=color, ms=7, label=(str(wave) if len(waves) > 1 and j == 0 else None))
            ax.text(r.ci_hoog + 0.05, y, f"{nl.number(round(r.gemiddelde, 2))} (n={r.n})", va="center", fontsize=8)
    for i, r in enumerate(profile.drop_duplicates("naam").itertuples()):
        ax.hlines(i, r.min, r.max, color="0.9", lw=10, zorder=0)
    ranges = profile.drop_duplicates("naam").set_index("naam")
    ax.set_yticks(range(len(scales)))
    ax.set_yticklabels([f"{s} ({int(ranges.at[s, 'min'])}-{int(ranges.at[s, 'max'])})" for s in scales], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel(
        "gemiddelde schaalscore met 95%-betrouwbaarheidsinterval (grijze balk: bereik van de schaal)"
        + _note(hidden, min_cell)
    )
    ax.set_title(title, loc="left", fontsize=11)
    if len(waves) > 1:
        ax.legend(title="meting", fontsize=8, frameon=False)
    sns.despine(ax=ax, left=True)
    fig.tight_layout()
    return fig


def reference_comparison(table: pd.DataFrame, title: str, hidden=None, min_cell: int | None = None):
    """This wave's mean ± 95% CI per measure against the reference mean (a diamond), one panel
    per answer range (up to 10, and longer).

    Parameters
    ----------
    table : pandas.DataFrame
        As :func:`snwlib.questionnaire.referentie` returns it (``maat``, ``omschrijving``, ``n``,
        ``gemiddelde``, ``referentie``, ``verschil laag``, ``verschil hoog``, ``schaal_max``).
    title : str
    hidden : pandas.DataFrame of bool, optional
        The steering group's version: a hidden mean is not drawn.
    min_cell : int, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    wide = table["schaal_max"] > 10
    panels = [t for t in (table[~wide], table[wide]) if len(t)]
    fig, axes = plt.subplots(
        1,
        len(panels),
        figsize=(11, 0.8 * max(len(t) for t in panels) + 1.8),
        squeeze=False,
        gridspec_kw={"width_ratios": [max(len(t), 1) for t in panels]},
    )
    for ax, t in zip(axes[0], panels, strict=True):
        for y, i in enumerate(t.index):
            ref, mean = t.at[i, "referentie"], t.at[i, "gemiddelde"]
            if _shown(mean):
                ax.hlines(y, ref + t.at[i, "verschil laag"], ref + t.at[i, "verschil hoog"], color=PALETTE[0], lw=2)
                ax.plot(mean, y, "o", color=PALETTE[0], ms=7, label="deze meting (95%-BI)" if y == 0 else None)
            ax.plot(ref, y, "D", color=PALETTE[3], ms=7, label="referentie" if y == 0 else None)
        labels = [o if m in o else f"{m}. {o}" for m, o in zip(t.maat, t.omschrijving, strict=True)]
        n = [int(v) if _shown(v) else "*" for v in t.n]
        ax.set_yticks(range(len(t)))
        ax.set_yticklabels([f"{_wrap(lab, 40)}\n(n={k})" for lab, k in zip(labels, n, strict=True)], fontsize=8)
        ax.invert_yaxis()
        sns.despine(ax=ax, left=True)
    axes[0][0].legend(fontsize=8, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0))
    if _note(hidden, min_cell):
        axes[0][0].set_xlabel(_note(hidden, min_cell).strip(), fontsize=8)
    fig.suptitle(title, x=0.02, ha="left", fontsize=11)
    fig.tight_layout()
    return fig


def funnel(counts: pd.DataFrame, title: str):
    """Horizontal funnel of Doetanks per stage, running phases in colour, completed and stopped
    in grey, each bar labelled with its count.

    Parameters
    ----------
    counts : pandas.DataFrame
        As :func:`snwlib.doetanks.fasen` returns it: ``fase``, ``stadium``, ``aantal``.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(counts) + 1.4))
    running = counts.fase.str.match(r"^\d")
    colors = [PALETTE[0] if r else "0.7" for r in running]
    y = range(len(counts))
    ax.barh(list(y), counts.aantal, color=colors)
    for i, n in zip(y, counts.aantal, strict=True):
        ax.text(n + 0.1, i, str(n), va="center", fontsize=10)
    ax.set_yticks(list(y))
    ax.set_yticklabels(counts.stadium)
    ax.invert_yaxis()
    ax.set_xlabel("aantal Doetanks")
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_title(f"{title} (n = {int(counts.aantal.sum())})", loc="left", fontsize=11)
    sns.despine(ax=ax, left=True)
    fig.tight_layout()
    return fig


def count_bars(table: pd.DataFrame, title: str, hidden=None, min_cell: int | None = None, totals=None):
    """Horizontal bars of counts, each labelled with its count and percentage; for the answers to
    one question of a small group.

    Parameters
    ----------
    table : pandas.DataFrame
        A choice or several-answers table (:func:`snwlib.evaluation.keuze`,
        :func:`snwlib.evaluation.meerkeuze`): the answer first, ``aantal``, ``percentage``.
    title : str
        Says what the percentages are of.
    hidden : pandas.DataFrame of bool, optional
        The steering group's version: hidden counts are not drawn but marked ``*``.
    min_cell : int, optional
    totals : dict, optional
        The column totals readers know (``{"aantal": forms}``): the hidden counts are then drawn
        together as a hatched bar "verborgen (samen)" after the answers.

    Returns
    -------
    matplotlib.figure.Figure
    """
    rest = _column_rest(table, "aantal", totals)
    fig, ax = plt.subplots(figsize=(9, 0.5 * (len(table) + bool(rest)) + 1.4))
    y = list(range(len(table)))
    counts = [float(n) if _shown(n) else None for n in table.aantal]
    top = max([1.0, rest or 0.0] + [c for c in counts if c is not None])
    ax.barh(y, [c or 0 for c in counts], color=PALETTE[0])
    for i, c, p in zip(y, counts, table.percentage, strict=True):
        text = "*" if c is None else f"{int(c)} ({nl.number(round(p)) if _shown(p) else '?'}%)"
        ax.text((c or 0) + 0.05 * top, i, text, va="center", fontsize=9)
    labels = [_wrap(str(t), 60) for t in table.iloc[:, 0]]
    if rest:
        ax.barh([len(table)], [rest], height=0.8, **HATCH)
        ax.text(rest + 0.05 * top, len(table), str(int(rest)), va="center", fontsize=9)
        y, labels = [*y, len(table)], [*labels, "verborgen (samen)"]
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.25)
    ax.set_xlabel("aantal respondenten" + _note(hidden, min_cell))
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_title(_wrap(title, 90), loc="left", fontsize=11)
    sns.despine(ax=ax, left=True)
    fig.tight_layout()
    return fig


def stacked_counts(table: pd.DataFrame, title: str, hidden=None, min_cell: int | None = None):
    """Stacked horizontal bars of counts per row of a grid question, every bar labelled with its
    n. Counts, not percentages: the groups are small. The answers need not run from negative to
    positive ("te weinig / precies genoeg / te veel"), so each gets its own colour; the last one
    (e.g. "geen mening") is grey.

    Parameters
    ----------
    table : pandas.DataFrame
        As :func:`snwlib.evaluation.raster` returns it: the item first, one column per answer,
        then the unavailable (if any), ``geen antwoord`` and ``n``.
    title : str
    hidden : pandas.DataFrame of bool, optional
        The steering group's version: the hidden counts of a row are drawn together as one hatched
        segment "verborgen" after the visible ones, so the bar still reaches its n; a row whose n
        is hidden says so.
    min_cell : int, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    from .evaluation import NO_ANSWER, NOT_AVAILABLE

    categories = [c for c in table.columns[1:] if c not in (NOT_AVAILABLE, NO_ANSWER, "n")]
    fig, ax = plt.subplots(figsize=(10, 0.6 * len(table) + 1.8))
    colors = [PALETTE[i] for i in (1, 2, 3, 0, 4, 5)][: len(categories) - 1] + [(0.8, 0.8, 0.8)]
    any_rest, widest = False, 1.0
    for y, row in enumerate(table.index):
        left = 0
        for cat, color in zip(categories, colors, strict=True):
            n = table.at[row, cat]
            if not _shown(n):
                continue
            ax.barh(y, n, left=left, color=color, edgecolor="white", height=0.7)
            if n:
                ax.text(left + n / 2, y, str(int(n)), ha="center", va="center", fontsize=9)
            left += n
        rest = _rest(table, row, categories)
        if rest is None:
            ax.text(0.1, y, "verborgen (ook n)", va="center", fontsize=9, color="0.3")
            any_rest = True
        elif rest > 0:
            _hidden_bar(ax, y, left, rest)
            left += rest
            any_rest = True
        widest = max(widest, float(left))
    ax.set_xlim(0, widest * 1.05)
    ax.set_yticks(range(len(table)))
    ax.set_yticklabels(
        [
            f"{_wrap(str(t), 45)}  (n={int(n) if _shown(n) else '*'})"
            for t, n in zip(table.iloc[:, 0], table["n"], strict=True)
        ],
        fontsize=9,
    )
    ax.invert_yaxis()
    ax.set_xlabel("aantal respondenten" + _note(hidden, min_cell))
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    handles = [matplotlib.patches.Patch(color=c, label=lab) for c, lab in zip(colors, categories, strict=True)]
    legend_rows = _legend(ax, handles, len(categories), min_cell, any_rest)
    ax.set_title(_wrap(title, 90), loc="left", fontsize=11, pad=14 + 14 * legend_rows)
    sns.despine(ax=ax, left=True)
    fig.tight_layout()
    return fig


def grades(table: pd.DataFrame, title: str, hidden=None, min_cell: int | None = None):
    """The grades (1-10) of one or more items side by side: each respondent's grade as a dot (the
    groups are small), the mean as a bar, n and the mean in the label.

    Parameters
    ----------
    table : pandas.DataFrame
        As :func:`snwlib.evaluation.cijfers` returns it: the item first, ``n``, ``gemiddelde``,
        ..., then one column per grade (``"1"`` ... ``"10"``, half grades where given) with how
        many gave it.
    title : str
    hidden : pandas.DataFrame of bool, optional
        The steering group's version: hidden counts have no dots, a hidden mean no bar; how many
        grades of a row are hidden is a hatched box "verborgen" beside the scale, with their number
        (it follows from n and the visible dots; which grades they are does not show).
    min_cell : int, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    grade_cols = [c for c in table.columns if _is_grade(c)]
    rests = {i: _rest(table, i, grade_cols) for i in table.index}
    any_rest = any(r is None or r > 0 for r in rests.values())
    rows = [i for i in table.index if not _shown(table.at[i, "n"]) or table.at[i, "n"] > 0]
    fig, ax = plt.subplots(figsize=(9, 0.8 * max(len(rows), 1) + 1.4))
    for y, i in enumerate(rows):
        mean = table.at[i, "gemiddelde"]
        if _shown(mean):
            ax.plot([mean] * 2, [y - 0.3, y + 0.3], color="0.2", lw=2)
        for c in grade_cols:
            k = table.at[i, c]
            if not _shown(k) or not k:
                continue
            k = int(k)
            ax.scatter(
                [float(c.replace(",", "."))] * k,
                y + (np.arange(k) - (k - 1) / 2) * 0.08,
                color=PALETTE[0],
                s=28,
                zorder=3,
            )
        rest = rests[i]
        if rest is None or rest > 0:
            ax.add_patch(matplotlib.patches.Rectangle((11.1, y - 0.3), 1.0, 0.6, **HATCH))
            ax.text(
                11.6,
                y,
                "?" if rest is None else str(int(rest)),
                ha="center",
                va="center",
                fontsize=9,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
            )

    def label(i):
        n, mean = table.at[i, "n"], table.at[i, "gemiddelde"]
        n_text = str(int(n)) if _shown(n) else "*"
        mean_text = f"gemiddelde {nl.number(round(mean, 2), 2)}" if _shown(mean) else "gemiddelde *"
        return f"{_wrap(str(table.iloc[i, 0]), 40)}\nn = {n_text}, {mean_text}"

    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([label(i) for i in rows], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0.5, 12.4 if any_rest else 10.5)
    ax.set_xticks([*range(1, 11), *([11.6] if any_rest else [])])
    ax.set_xticklabels([*map(str, range(1, 11)), *(["verborgen"] if any_rest else [])])
    ax.set_xlabel(
        "rapportcijfer (punt: één respondent; streep: gemiddelde"
        + ("; gearceerd: aantal verborgen cijfers" if any_rest else "")
        + ")"
        + _note(hidden, min_cell)
    )
    ax.set_title(_wrap(title, 90), loc="left", fontsize=11)
    sns.despine(ax=ax, left=True)
    fig.tight_layout()
    return fig


def grades_over_time(table: pd.DataFrame, title: str, hidden=None, min_cell: int | None = None):
    """The mean grade of each event, in the order the events took place (the monitor of C8, C9).

    Parameters
    ----------
    table : pandas.DataFrame
        As :func:`snwlib.evaluation.cijfers_per_meting` returns it: one row per wave, event and
        grade item, with ``meting``, ``evenement``, ``datum``, ``onderdeel``, ``n``,
        ``gemiddelde``, ``laagste``, ``hoogste``, ``schaal_min``, ``schaal_max``.
    title : str
    hidden : pandas.DataFrame of bool, optional
        The steering group's version: an event whose mean is hidden is a hatched box "verborgen".
    min_cell : int, optional

    Returns
    -------
    matplotlib.figure.Figure
        One panel per grade item; per event a dot at the mean, a thin line from the lowest to the
        highest grade, the mean and n above it; a grey line joins the events of one item.
    """
    items = list(dict.fromkeys(table.onderdeel))
    events = list(dict.fromkeys(zip(table.evenement, table.datum, table.meting, strict=True)))
    where = {e: k for k, e in enumerate(events)}
    fig, axes = plt.subplots(len(items), 1, figsize=(9, 2.3 * len(items) + 1.2), squeeze=False, sharex=True)
    for ax, item, color in zip(axes[:, 0], items, PALETTE, strict=False):
        g = table[table.onderdeel == item]
        lo, hi = float(g.schaal_min.iloc[0]), float(g.schaal_max.iloc[0])
        shown = [(where[(r.evenement, r.datum, r.meting)], r) for r in g.itertuples() if _shown(r.gemiddelde)]
        ax.plot([x for x, _ in shown], [r.gemiddelde for _, r in shown], color="0.7", lw=1, zorder=1)
        for r in g.itertuples():
            x = where[(r.evenement, r.datum, r.meting)]
            if _shown(r.gemiddelde):
                if _shown(r.laagste) and _shown(r.hoogste):
                    ax.vlines(x, r.laagste, r.hoogste, color=color, lw=1.5, alpha=0.5, zorder=2)
                ax.plot([x], [r.gemiddelde], "o", color=color, ms=9, zorder=3)
                n = f"n = {int(r.n)}" if _shown(r.n) else "n = *"
                ax.annotate(
                    f"{nl.number(round(r.gemiddelde, 2), 2)}\n{n}",
                    (x, r.gemiddelde),
                    textcoords="offset points",
                    xytext=(14, -4),
                    fontsize=8,
                )
            elif _shown(r.n) and r.n == 0:
                ax.text(x, (lo + hi) / 2, "geen cijfers", ha="center", va="center", fontsize=8, color="0.4")
            else:
                ax.add_patch(matplotlib.patches.Rectangle((x - 0.2, (lo + hi) / 2 - 1), 0.4, 2, **HATCH))
                ax.text(
                    x,
                    (lo + hi) / 2,
                    "verborgen",
                    ha="center",
                    va="center",
                    fontsize=8,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
                )
        ax.set_ylim(lo - 0.5, hi + 0.5)
        ax.set_yticks(range(int(lo), int(hi) + 1))
        ax.set_title(_wrap(str(item), 90), loc="left", fontsize=10)
        sns.despine(ax=ax)
    bottom = axes[-1, 0]
    bottom.set_xlim(-0.6, len(events) - 0.4)
    bottom.set_xticks(range(len(events)))
    bottom.set_xticklabels([f"{e}\n{nl.date(d)}" for e, d, _ in events], fontsize=9)
    bottom.set_xlabel(
        "bijeenkomst (punt: gemiddeld rapportcijfer; lijn: laagste tot hoogste)" + _note(hidden, min_cell)
    )
    fig.suptitle(_wrap(title, 90), x=0.02, ha="left", fontsize=11)
    fig.tight_layout()
    return fig


#: Colours of a Doetank's status in :func:`doetank_course` (colour-blind safe palette).
STATUS_COLORS = {
    "lopend": PALETTE[0],
    "afgerond": PALETTE[2],
    "gestopt": PALETTE[3],
    "afgerond of gestopt": PALETTE[7],
    "niet genoemd": (1.0, 1.0, 1.0),
}


def doetank_course(table: pd.DataFrame, title: str):
    """Each Doetank's phase and status per wave, and what became of it (the monitor of C2).

    Parameters
    ----------
    table : pandas.DataFrame
        As :func:`snwlib.doetanks.verloop` returns it: ``Doetank``, ``meting``, ``fase``,
        ``status``, ``verandering``.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        A row per Doetank, a column per wave: a box coloured by status with the phase in it
        (running Doetanks) or the status; after the last wave what changed since the one before.
    """
    doetanks = list(dict.fromkeys(table.Doetank))
    waves = list(dict.fromkeys(table.meting))
    fig, ax = plt.subplots(figsize=(3.2 + 1.6 * len(waves), 0.42 * len(doetanks) + 1.6))
    for y, name in enumerate(doetanks):
        g = table[table.Doetank == name]
        xs = [waves.index(m) for m in g.meting]
        ax.plot(xs, [y] * len(xs), color="0.8", lw=1, zorder=1)
        for r in g.itertuples():
            x = waves.index(r.meting)
            running = r.status == "lopend"
            text = (f"fase {r.fase}" if r.fase else "lopend") if running else r.status
            ax.text(
                x,
                y,
                text,
                ha="center",
                va="center",
                fontsize=8,
                color="white" if r.status in ("lopend", "gestopt") else "black",
                bbox={
                    "boxstyle": "round,pad=0.3",
                    "facecolor": STATUS_COLORS.get(r.status, "0.9"),
                    "edgecolor": "0.5" if r.status == "niet genoemd" else "none",
                },
                zorder=2,
            )
        last = g[g.meting == waves[-1]]
        if len(waves) > 1 and len(last) and last.verandering.iloc[0]:
            ax.text(len(waves) - 0.45, y, last.verandering.iloc[0], ha="left", va="center", fontsize=8, weight="bold")
    ax.set_yticks(range(len(doetanks)))
    ax.set_yticklabels([_wrap(d, 40) for d in doetanks], fontsize=8)
    ax.invert_yaxis()
    ax.set_xticks(range(len(waves)))
    ax.set_xticklabels([f"meting {w}" for w in waves])
    ax.xaxis.tick_top()
    ax.set_xlim(-0.6, len(waves) - 0.4 + (1.2 if len(waves) > 1 else 0))
    ax.set_ylim(len(doetanks) - 0.5, -0.5)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_title(_wrap(title, 80), loc="left", fontsize=11, pad=24)
    fig.tight_layout()
    return fig


def _is_grade(column) -> bool:
    try:
        float(str(column).replace(",", "."))
    except ValueError:
        return False
    return True
