"""Figures with Dutch labels, written as PNG and SVG with stable names.

Drawing functions return a matplotlib Figure and never write; :func:`save` writes. Figures are
made to be read by a steering group: a title that says what the figure shows, axes from zero
where amounts are compared, approximate values marked as such.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.patches
import matplotlib.ticker

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
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


def _wrap(text: str, width: int = 58) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def diverging_bars(answers: pd.DataFrame, items: pd.DataFrame, answer_scale: dict, title: str,
                   hidden=frozenset(), min_cell: int | None = None):
    """Diverging stacked bars of the answers to one section (percentages of those who answered).

    Answer codes run from the most negative to the most positive; the middle answer of an odd
    scale is split across zero. Items are sorted by their share of positive answers; every bar is
    labelled with its n.

    Parameters
    ----------
    answers : DataFrame
        Numeric answers, one column per item id.
    items : DataFrame
        The items to draw (``id``, ``letter``, ``text``), from :func:`snwlib.scoring.items_table`.
    answer_scale : dict
        The codebook's answer scale of these items (``codes`` with Dutch labels).
    hidden : set of (item id, code)
        For the steering group's version: answers not to draw (``(item id, "n")`` hides an n).
        The visible segments are laid out without them, so no gap gives their size away.
    min_cell : int, optional
        The threshold, for the note under the axis.
    """
    codes = sorted(int(c) for c in answer_scale["codes"])
    labels = [answer_scale["codes"][c] for c in codes]
    k = len(codes)
    mid = k // 2 if k % 2 else None
    colors = sns.color_palette("RdBu", k)
    if mid is not None:
        colors[mid] = (0.8, 0.8, 0.8)
    rows = []
    for item in items.itertuples():
        x = answers[item.id].dropna()
        pct = [0 if (item.id, c) in hidden else 100 * (x == c).mean() if len(x) else 0 for c in codes]
        pos = sum(pct[k // 2 + (1 if mid is not None else 0):])
        rows.append((item, pct, pos, len(x)))
    rows.sort(key=lambda r: r[2])
    fig, ax = plt.subplots(figsize=(11, 0.75 * len(rows) + 1.8))
    for y, (item, pct, _, n) in enumerate(rows):
        neg = sum(pct[: k // 2]) + (pct[mid] / 2 if mid is not None else 0)
        left = -neg
        for p, color in zip(pct, colors):
            ax.barh(y, p, left=left, color=color, edgecolor="white", height=0.7)
            if p >= 8:
                ax.text(left + p / 2, y, f"{p:.0f}", ha="center", va="center", fontsize=8)
            left += p
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{_wrap(f'{r[0].letter}. {r[0].text}')}  (n={'*' if (r[0].id, 'n') in hidden else r[3]})"
                        for r in rows], fontsize=8)
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set_xlim(-100, 100)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{abs(v):.0f}%"))
    ax.set_xlabel("percentage van wie de vraag beantwoordde (links negatief, rechts positief)"
                  + (f"\n{HIDDEN_NOTE.format(min_cell)}" if hidden else ""))
    handles = [matplotlib.patches.Patch(color=c, label=lab) for c, lab in zip(colors, labels)]
    ax.legend(handles=handles, ncol=k, loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=8, frameon=False)
    ax.set_title(_wrap(title, 90), loc="left", fontsize=11, pad=28)
    sns.despine(ax=ax, left=True)
    fig.tight_layout()
    return fig


def _count_bars(ax, values: pd.Series, bins, min_cell, **style) -> bool:
    """Bars of how many ``values`` fall in each bin (``[a, b)``, the last one closed, as
    ``numpy.histogram``); with ``min_cell``, bins of 1 to ``min_cell - 1`` are not drawn.
    Returns whether any bin was left out."""
    counts, edges = np.histogram(values, bins=bins)
    small = (counts > 0) & (counts < min_cell) if min_cell else np.zeros(len(counts), bool)
    ax.bar(edges[:-1], np.where(small, 0, counts), width=np.diff(edges), align="edge", **style)
    return bool(small.any())


def rating_distributions(scores_0_100: pd.Series, grades_1_10: pd.Series, suspect_max: float,
                         titles=("Prestatie in de Doetank (0-100)", "Rapportcijfer Slimmernetwerk (1-10)"),
                         min_cell: int | None = None):
    """The distributions of the 0-100 rating and the 1-10 grade, with n, mean and flagged answers.

    Answers at or below ``suspect_max`` on the 0-100 question are drawn in red: they were probably
    given on a 0-10 scale. With ``min_cell`` (the steering group's version), bars of fewer than
    ``min_cell`` respondents are left out; n and the mean of everyone stay.
    """
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
    x = scores_0_100.dropna()
    suspect = x[x <= suspect_max]
    ax = axes[0]
    left_out = _count_bars(ax, x.drop(suspect.index), range(0, 105, 5), min_cell, color=PALETTE[0], edgecolor="white")
    if min_cell and 0 < len(suspect) < min_cell:  # not even a legend: it would say they exist
        left_out = True
    elif len(suspect):
        left_out |= _count_bars(ax, suspect, range(0, 105, 5), min_cell, color=PALETTE[3], edgecolor="white",
                                label=f"≤ {suspect_max:g}: vermoedelijk 0-10-schaal ({len(suspect)})")
        ax.legend(fontsize=8, frameon=False, loc="upper left")
    ax.axvline(x.mean(), color="0.2", ls="--", lw=1)
    ax.set_title(f"{titles[0]}\nn = {len(x)}, gemiddelde {nl.number(round(x.mean(), 1))}", loc="left", fontsize=10)
    ax.set_xlabel("score")
    ax.set_ylabel("aantal respondenten")
    g = grades_1_10.dropna()
    ax = axes[1]
    left_out |= _count_bars(ax, g, np.arange(0.5, 11), min_cell, color=PALETTE[2], edgecolor="white")
    ax.axvline(g.mean(), color="0.2", ls="--", lw=1)
    ax.set_xticks(range(1, 11))
    ax.set_title(f"{titles[1]}\nn = {len(g)}, gemiddelde {nl.number(round(g.mean(), 1))}", loc="left", fontsize=10)
    ax.set_xlabel("rapportcijfer")
    if left_out:
        fig.text(0.01, 0.0, f"Staven van minder dan {min_cell} respondenten niet getoond (regel voor kleine groepen); "
                 "n en gemiddelde gelden voor iedereen.", fontsize=8, va="bottom")
    for a in axes:
        a.set_ylim(0, max(1, a.get_ylim()[1]))  # an empty steering-group panel keeps its axis
        a.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        sns.despine(ax=a)
    fig.tight_layout(rect=(0, 0.05 if left_out else 0, 1, 1))
    return fig


def scale_profile(profile: pd.DataFrame, title: str, hue: str | None = None):
    """Mean scale scores with 95% confidence intervals, each on its own answer range.

    ``profile`` has ``schaal``, ``n``, ``gemiddelde``, ``ci_laag``, ``ci_hoog``, ``min``, ``max``
    (see :func:`snwlib.questionnaire.profile`), and optionally a column ``hue`` (e.g. the wave)
    whose groups are drawn side by side.
    """
    scales = list(dict.fromkeys(profile.schaal))
    groups = list(dict.fromkeys(profile[hue])) if hue else [None]
    fig, ax = plt.subplots(figsize=(10, 0.6 * len(scales) + 1.5))
    for gi, (group, color) in enumerate(zip(groups, PALETTE)):
        sub = profile if group is None else profile[profile[hue] == group]
        offset = 0 if group is None else (gi - (len(groups) - 1) / 2) * 0.25
        for r in sub.itertuples():
            y = scales.index(r.schaal) + offset
            ax.hlines(y, r.ci_laag, r.ci_hoog, color=color, lw=2)
            ax.plot(r.gemiddelde, y, "o", color=color, ms=7,
                    label=(f"{group}" if group is not None and r.schaal == sub.schaal.iloc[0] else None))
            ax.text(r.ci_hoog + 0.05, y, f"{nl.number(round(r.gemiddelde, 2))} (n={r.n})", va="center", fontsize=8)
    for i, r in enumerate(profile.drop_duplicates("schaal").itertuples()):
        ax.hlines(i, r.min, r.max, color="0.9", lw=10, zorder=0)
    ax.set_yticks(range(len(scales)))
    ax.set_yticklabels([f"{s} ({int(profile[profile.schaal == s]['min'].iloc[0])}-{int(profile[profile.schaal == s]['max'].iloc[0])})"
                        for s in scales], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel("gemiddelde schaalscore met 95%-betrouwbaarheidsinterval (grijze balk: bereik van de schaal)")
    ax.set_title(title, loc="left", fontsize=11)
    if hue:
        ax.legend(title=hue, fontsize=8, frameon=False)
    sns.despine(ax=ax, left=True)
    fig.tight_layout()
    return fig


def reference_comparison(table: pd.DataFrame, labels: dict, title: str):
    """SNW mean ± 95% CI per measure against the reference mean (a diamond), one panel per range.

    ``table`` is :func:`snwlib.comparison.reference_table` output (``measure``, ``n``, ``mean``,
    ``diff_low``, ``diff_high``, ``reference``); ``labels`` maps measures to Dutch labels.
    """
    wide = table["reference"] > 10
    panels = [t for t in (table[~wide], table[wide]) if len(t)]
    fig, axes = plt.subplots(1, len(panels), figsize=(11, 0.8 * max(len(t) for t in panels) + 1.8),
                             squeeze=False, gridspec_kw={"width_ratios": [max(len(t), 1) for t in panels]})
    for ax, t in zip(axes[0], panels):
        for y, r in enumerate(t.itertuples()):
            lo, hi = r.reference + r.diff_low, r.reference + r.diff_high
            ax.hlines(y, lo, hi, color=PALETTE[0], lw=2)
            ax.plot(r.mean, y, "o", color=PALETTE[0], ms=7, label="Slimmernetwerk 2012 (95%-BI)" if y == 0 else None)
            ax.plot(r.reference, y, "D", color=PALETTE[3], ms=7, label="referentie (Kraan et al., 2008)" if y == 0 else None)
        ax.set_yticks(range(len(t)))
        ax.set_yticklabels([f"{_wrap(labels.get(m, m), 40)}\n(n={n})" for m, n in zip(t.measure, t.n)], fontsize=8)
        ax.invert_yaxis()
        sns.despine(ax=ax, left=True)
    axes[0][0].legend(fontsize=8, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0))
    fig.suptitle(title, x=0.02, ha="left", fontsize=11)
    fig.tight_layout()
    return fig


def funnel(counts: pd.DataFrame, title: str):
    """Horizontal funnel of Doetanks per stage (``stadium``, ``aantal``), running phases in colour,
    completed and stopped in grey, each bar labelled with its count."""
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(counts) + 1.4))
    grey = {"afgerond", "gestopt", "afgerond of gestopt"}
    colors = ["0.7" if s in grey else PALETTE[0] for s in counts.stadium]
    y = range(len(counts))
    ax.barh(list(y), counts.aantal, color=colors)
    for i, n in zip(y, counts.aantal):
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


#: What a steering-group figure says under its axis when it leaves counts out.
HIDDEN_NOTE = ("* of weggelaten: minder dan {} respondenten, "
               "of af te leiden uit de getoonde aantallen (regel voor kleine groepen)")


def _hidden(table: pd.DataFrame, counts: list, min_cell: int | None) -> set:
    """The cells of ``table`` a steering-group figure leaves out: those its table hides
    (:func:`snwlib.report.hidden_cells`, with the table's ``attrs["small_cells"]``; a table
    without them hides its small ``counts``). None without ``min_cell``."""
    if not min_cell:
        return set()
    from .report import hidden_cells

    if not table.attrs.get("small_cells"):
        table = table.copy()
        table.attrs["small_cells"] = {"counts": {c: [] for c in counts}}
    return hidden_cells(table, min_cell)


def count_bars(table: pd.DataFrame, title: str, base: int, label: str = "antwoord", min_cell: int | None = None):
    """Horizontal bars of counts (``table``: ``label`` and ``aantal`` columns), each labelled with
    its count and its percentage of ``base``; for the answers to one question of a small group.
    With ``min_cell`` (the steering group's version), the counts the table hides
    (:func:`_hidden`) are not drawn but marked "*", and the axis says why."""
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(table) + 1.4))
    y = list(range(len(table)))
    hidden = _hidden(table, ["aantal"], min_cell)
    small = [(row, "aantal") in hidden for row in table.index]
    ax.barh(y, [0 if s else n for n, s in zip(table.aantal, small)], color=PALETTE[0])
    for i, n, s in zip(y, table.aantal, small):
        text = "*" if s else f"{n} ({round(100 * n / base) if base else 0}%)"
        ax.text((0 if s else n) + 0.05 * max(1, table.aantal.max()), i, text, va="center", fontsize=9)
    ax.set_yticks(y)
    ax.set_yticklabels([_wrap(str(t), 60) for t in table[label]], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, max(1, table.aantal.max()) * 1.25)
    ax.set_xlabel(f"aantal respondenten (van {base})" + (f"\n{HIDDEN_NOTE.format(min_cell)}" if any(small) else ""))
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_title(_wrap(title, 90), loc="left", fontsize=11)
    sns.despine(ax=ax, left=True)
    fig.tight_layout()
    return fig


def stacked_counts(table: pd.DataFrame, categories: list, title: str, min_cell: int | None = None):
    """Stacked horizontal bars of counts per row (``table``: first column the row label, one
    column per category in ``categories``, and ``n``). The last category (e.g. "geen mening") is
    grey; every bar is labelled with its n. Counts, not percentages: the groups are small. The
    answers need not run from negative to positive ("te weinig / precies genoeg / te veel"), so each
    gets its own colour (orange, green, red, ...). With ``min_cell`` (the steering group's
    version), the counts the table hides (:func:`_hidden`) are left out, and so is an n the table
    hides; a note says so."""
    fig, ax = plt.subplots(figsize=(10, 0.6 * len(table) + 1.8))
    colors = [PALETTE[i] for i in (1, 2, 3, 0, 4, 5)][: len(categories) - 1] + [(0.8, 0.8, 0.8)]
    label_col = table.columns[0]
    hidden = _hidden(table, categories, min_cell)
    for y, row in enumerate(table.index):
        left = 0
        for cat, color in zip(categories, colors):
            n = table.at[row, cat]
            if (row, cat) in hidden:
                continue
            ax.barh(y, n, left=left, color=color, edgecolor="white", height=0.7)
            if n:
                ax.text(left + n / 2, y, str(n), ha="center", va="center", fontsize=9)
            left += n
    ax.set_yticks(range(len(table)))
    ax.set_yticklabels([f"{_wrap(str(t), 45)}  (n={'*' if (row, 'n') in hidden else n})"
                        for row, t, n in zip(table.index, table[label_col], table["n"])], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel("aantal respondenten" + (f"\n{HIDDEN_NOTE.format(min_cell)}" if hidden else ""))
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    handles = [matplotlib.patches.Patch(color=c, label=lab) for c, lab in zip(colors, categories)]
    ax.legend(handles=handles, ncol=len(categories), loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=8, frameon=False)
    ax.set_title(_wrap(title, 90), loc="left", fontsize=11, pad=28)
    sns.despine(ax=ax, left=True)
    fig.tight_layout()
    return fig


def grades(answers: pd.DataFrame, labels: dict, title: str, min_cell: int | None = None):
    """The grades (1-10) of one or more items side by side: each respondent's grade as a dot (the
    groups are small), the mean as a bar, n and the mean in the label. With ``min_cell`` (the
    steering group's version) a grade given by fewer than ``min_cell`` respondents has no dots,
    and an item graded by fewer than ``min_cell`` has no mean."""
    items = [i for i in labels if answers[i].notna().any()]
    fig, ax = plt.subplots(figsize=(9, 0.8 * len(items) + 1.4))
    for y, item in enumerate(items):
        x = answers[item].dropna()
        if not (min_cell and len(x) < min_cell):
            ax.plot([x.mean()] * 2, [y - 0.3, y + 0.3], color="0.2", lw=2)
        counts = x.value_counts()
        for grade, k in counts.items():
            if min_cell and k < min_cell:
                continue
            ax.scatter([grade] * k, y + (pd.Series(range(k)) - (k - 1) / 2) * 0.08, color=PALETTE[0], s=28, zorder=3)
    ax.set_yticks(range(len(items)))
    def label(i):
        n = answers[i].notna().sum()
        mean = "< " + str(min_cell) + " respondenten" if min_cell and n < min_cell else f"gemiddelde {nl.number(round(answers[i].mean(), 2), 2)}"
        return f"{_wrap(labels[i], 40)}\nn = {n}, {mean}"

    ax.set_yticklabels([label(i) for i in items], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0.5, 10.5)
    ax.set_xticks(range(1, 11))
    ax.set_xlabel("rapportcijfer (punt: één respondent; streep: gemiddelde)"
                  + (f"\ncijfers die minder dan {min_cell} respondenten gaven: niet getoond" if min_cell else ""))
    ax.set_title(_wrap(title, 90), loc="left", fontsize=11)
    sns.despine(ax=ax, left=True)
    fig.tight_layout()
    return fig


def two_views(name: str, directory, draw, *args, **kwargs):
    """Draw a figure twice, for researchers and, with small groups left out, for the steering
    group (``draw(*args, min_cell=...)`` with the notebook's threshold), save both and return
    what the notebook shows (:func:`save_views`).

    Examples
    --------
    >>> two_views("C7_cijfers", "figures", rating_distributions, scores, grades, suspect_max=10)  # doctest: +SKIP
    """
    from .report import MIN_CELL

    return save_views(name, directory, draw(*args, **kwargs), draw(*args, **kwargs, min_cell=MIN_CELL))


def save_views(name: str, directory, full, small=None):
    """Save a figure for researchers (``<name>``) and, when given, its version for the steering
    group with small groups left out (``<name>_stuurgroep``); return what the notebook shows: both,
    each marked for its audience (see :class:`snwlib.report.TwoViews`). The figures are closed, so
    the notebook shows them once."""
    from .report import ImageViews

    paths = [save(full, name, directory)["png"]]
    if small is not None:
        paths.append(save(small, f"{name}_stuurgroep", directory)["png"])
    for fig in (full, small):
        if fig is not None:
            plt.close(fig)
    return ImageViews(*paths)
