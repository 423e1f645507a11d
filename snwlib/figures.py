"""Figures with Dutch labels, written as PNG and SVG with stable names.

Drawing functions return a matplotlib Figure and never write; :func:`save` writes. Figures are
made to be read by a steering group: a title that says what the figure shows, axes from zero
where amounts are compared, approximate values marked as such.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from . import nl
from .io import atomic_path

# Reproducible SVG output: no random ids, no creation date.
matplotlib.rcParams["svg.hashsalt"] = "snwlib"
matplotlib.rcParams["svg.fonttype"] = "none"

PALETTE = sns.color_palette("colorblind")


def save(fig, name: str, directory) -> dict:
    """Write ``fig`` as ``<directory>/<name>.png`` and ``.svg``, each atomically.

    Returns the two paths by format. The PNG is 150 dpi, the SVG keeps text as text.
    """
    directory = Path(directory)
    paths = {}
    for fmt, extra in (("png", {"dpi": 150}), ("svg", {"metadata": {"Date": None}})):
        path = directory / f"{name}.{fmt}"
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=fmt, bbox_inches="tight", **extra)
        paths[fmt] = path
    return paths


def channel_growth(series: pd.DataFrame, title: str | None = None):
    """Small multiples of each channel's growth over time (appendix C1).

    Parameters
    ----------
    series : pandas.DataFrame
        As returned by :func:`snwlib.inventory.channel_series`: one row per measurement with
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
    for ax, ((kanaal, reeks), g), color in zip(axes.flat, groups, PALETTE):
        ax.plot(g.midden, g.waarde, color=color, lw=2, zorder=2)
        for r in g.itertuples():
            ax.hlines(r.waarde, r.periode_begin, r.periode_eind, color=color, lw=6, alpha=0.25, zorder=1)
            marker = "^" if r.kwalificatie == "meer dan" else "o"
            face = "white" if r.kwalificatie != "exact" else color
            ax.plot([r.midden], [r.waarde], marker=marker, ms=9, mfc=face, mec=color, mew=2, zorder=3)
            prefix = {"ongeveer": "ca. ", "meer dan": "> ", "minder dan": "< "}.get(r.kwalificatie, "")
            ax.annotate(prefix + nl.number(r.waarde), (r.midden, r.waarde), textcoords="offset points",
                        xytext=(0, 10), ha="center", fontsize=9)
        ax.set_title(f"{kanaal}: {reeks}", fontsize=11, loc="left")
        ax.set_ylim(0, g.waarde.max() * 1.3)
        ax.set_xlim(lo - pd.Timedelta(days=30), hi + pd.Timedelta(days=30))
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%Y"))
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: nl.number(v)))
        sns.despine(ax=ax)
    for ax in axes.flat[len(groups):]:
        ax.set_visible(False)
    fig.suptitle(title or f"Groei van de kanalen van het Slimmernetwerk, {lo.year}–{hi.year}",
                 fontsize=13, x=0.02, ha="left")
    fig.text(0.02, -0.01, "Open symbool: benaderd getal (ongeveer); driehoek: ondergrens (ruim, meer dan); "
             "balk: periode waarop het getal slaat. Bron: inventarisatie activiteiten (Bijlage C1).",
             fontsize=8, color="0.35", ha="left")
    fig.tight_layout()
    return fig
