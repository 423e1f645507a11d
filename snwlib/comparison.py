"""Comparisons: against a published reference mean, and between waves of a measurement.

Both return tidy DataFrames, one row per measure, with the difference and its confidence
interval, the test statistic, Hedges' g with its confidence interval and a Bayes factor, all from
pingouin. "Observed power" is deliberately not reported (it is a function of the p-value and adds
nothing); :func:`detectable_effect` gives the smallest effect a sample of this size could detect.

References
----------
Hedges, L. V., & Olkin, I. (1985). Statistical methods for meta-analysis. Academic Press.
Hoenig, J. M., & Heisey, D. M. (2001). The abuse of power. The American Statistician, 55(1), 19-24.
Vallat, R. (2018). Pingouin: statistics in Python. Journal of Open Source Software, 3(31), 1026.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats

__all__ = ["mean_ci", "versus_reference", "reference_table", "detectable_effect", "between_waves", "effect_words"]


def _ttest(*args, **kwargs) -> pd.Series:
    """pingouin.ttest as a Series with stable names (0.6 writes 'p-val', 'CI95%'; 0.7 'p_val', 'CI95')."""
    res = pg.ttest(*args, **kwargs).iloc[0]
    res.index = [c.lower().replace("-", "_").replace("%", "") for c in res.index]
    return res


def _hedges_j(df: float) -> float:
    # Small-sample correction of Cohen's d (Hedges & Olkin, 1985).
    return 1 - 3 / (4 * df - 1)


def mean_ci(x, confidence: float = 0.95) -> tuple:
    """Mean of ``x`` (NaN dropped) with its t-based confidence interval.

    Parameters
    ----------
    x : array-like of float
        The values; NaN are left out.
    confidence : float
        Level of the interval.

    Returns
    -------
    tuple of float
        ``(mean, low, high)``: the mean and the bounds of its interval, from Student's t with
        n - 1 degrees of freedom and the sample standard deviation.

    Examples
    --------
    >>> m, lo, hi = mean_ci([4, 5, 3, 4])
    >>> round(m, 2), round(lo, 2), round(hi, 2)
    (4.0, 2.7, 5.3)
    """
    x = pd.Series(x, dtype=float).dropna()
    m = x.mean()
    half = stats.t.ppf((1 + confidence) / 2, len(x) - 1) * x.std() / np.sqrt(len(x))
    return float(m), float(m - half), float(m + half)


def versus_reference(x, reference_mean: float, confidence: float = 0.95) -> dict:
    """One-sample comparison of the answers ``x`` with a known reference mean.

    Returns n, mean, sd, the reference mean, the difference (mean - reference) with its CI, t, dof,
    p, Hedges' g (signed: positive when ``x`` is higher) with its CI, and BF10.

    Parameters
    ----------
    x : array-like of float
        The answers; NaN are left out.
    reference_mean : float
        The published mean to compare with.
    confidence : float
        Level of the confidence intervals.

    Returns
    -------
    dict
        With the keys:

        * ``'n'``: the number of answers
        * ``'mean'``: their mean
        * ``'sd'``: their standard deviation
        * ``'reference'``: ``reference_mean``
        * ``'difference'``: mean - reference
        * ``'diff_low'``: the lower bound of the difference's confidence interval
        * ``'diff_high'``: its upper bound
        * ``'t'``: the one-sample t statistic
        * ``'dof'``: its degrees of freedom
        * ``'p'``: the two-sided p-value
        * ``'hedges_g'``: Hedges' g, the difference in standard deviations corrected for the small
          sample
        * ``'g_low'``: the lower bound of g's confidence interval
        * ``'g_high'``: its upper bound
        * ``'bf10'``: pingouin's Bayes factor for a difference over none
    """
    x = pd.Series(x, dtype=float).dropna()
    n = len(x)
    res = _ttest(x.values, reference_mean, confidence=confidence)
    d = (x.mean() - reference_mean) / x.std()
    d_ci = pg.compute_esci(stat=d, nx=n, ny=1, eftype="cohen", confidence=confidence, decimals=10)
    j = _hedges_j(n - 1)
    # pingouin rounds its CI95 to two decimals; the interval of the mean is recomputed unrounded.
    _, lo, hi = mean_ci(x, confidence)
    return {
        "n": n,
        "mean": x.mean(),
        "sd": x.std(),
        "reference": reference_mean,
        "difference": x.mean() - reference_mean,
        "diff_low": lo - reference_mean,
        "diff_high": hi - reference_mean,
        "t": float(res["t"]),
        "dof": float(res["dof"]),
        "p": float(res["p_val"]),
        "hedges_g": d * j,
        "g_low": float(d_ci[0]) * j,
        "g_high": float(d_ci[1]) * j,
        "bf10": float(res["bf10"]),
    }


def reference_table(data: pd.DataFrame, reference: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Compare each measure of ``reference`` (columns ``measure``, ``mean``, ``n``) with ``data[measure]``.

    Parameters
    ----------
    data : pandas.DataFrame
        One column per measure (e.g. scale scores), one row per respondent.
    reference : pandas.DataFrame
        The published reference: ``measure`` (a column of ``data``), ``mean`` and ``n``.
    confidence : float
        Level of the confidence intervals.

    Returns
    -------
    pandas.DataFrame
        One row per row of ``reference`` (:func:`versus_reference` of each):

        * ``'measure'``: the measure
        * ``'reference_n'``: the reference's number of respondents
        * ``'n'``: the number of answers in ``data``
        * ``'mean'``: their mean
        * ``'sd'``: their standard deviation
        * ``'reference'``: the reference mean
        * ``'difference'``: mean - reference
        * ``'diff_low'``: the lower bound of the difference's confidence interval
        * ``'diff_high'``: its upper bound
        * ``'t'``: the one-sample t statistic
        * ``'dof'``: its degrees of freedom
        * ``'p'``: the two-sided p-value
        * ``'hedges_g'``: Hedges' g (positive when ``data`` is higher)
        * ``'g_low'``: the lower bound of g's confidence interval
        * ``'g_high'``: its upper bound
        * ``'bf10'``: the Bayes factor for a difference over none
    """
    rows = []
    for ref in reference.itertuples():
        row = versus_reference(data[ref.measure], ref.mean, confidence)
        rows.append({"measure": ref.measure, "reference_n": ref.n, **row})
    return pd.DataFrame(rows)


def detectable_effect(n: int, power: float = 0.8, alpha: float = 0.05, contrast: str = "one-sample") -> float:
    """Smallest standardised effect (Cohen's d) detectable with ``power`` at ``alpha`` for ``n``.

    Parameters
    ----------
    n : int
        Sample size (per group for ``"two-samples"``).
    power : float
        The power the test should have.
    alpha : float
        Significance level (two-sided).
    contrast : str
        ``"one-sample"``, ``"paired"`` or ``"two-samples"``, as :func:`pingouin.power_ttest`.

    Returns
    -------
    float
        Cohen's d.

    Examples
    --------
    >>> round(detectable_effect(14), 2)
    0.81
    """
    return float(pg.power_ttest(n=n, power=power, alpha=alpha, contrast=contrast))


def between_waves(earlier: pd.DataFrame, later: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Compare the columns (e.g. scale scores) of two independent waves with Welch's t-test.

    Returns one row per column present in both: n and mean of each wave, the difference
    (later - earlier) with its CI, t, dof, p, Hedges' g (positive when the later wave is higher)
    with its CI, and BF10.

    Parameters
    ----------
    earlier : pandas.DataFrame
        The earlier wave: one column per measure, one row per respondent; NaN are left out.
    later : pandas.DataFrame
        The later wave, likewise.
    confidence : float
        Level of the confidence intervals.

    Returns
    -------
    pandas.DataFrame
        One row per column of ``earlier`` that ``later`` also has and that has at least two values
        in each wave, in the order of ``earlier``:

        * ``'measure'``: the column
        * ``'n_earlier'``: the number of values in the earlier wave
        * ``'mean_earlier'``: their mean
        * ``'n_later'``: the number of values in the later wave
        * ``'mean_later'``: their mean
        * ``'difference'``: mean_later - mean_earlier
        * ``'diff_low'``: the lower bound of the difference's (Welch) confidence interval
        * ``'diff_high'``: its upper bound
        * ``'t'``: Welch's t statistic
        * ``'dof'``: its (Welch-Satterthwaite) degrees of freedom
        * ``'p'``: the two-sided p-value
        * ``'hedges_g'``: Hedges' g (positive when the later wave is higher)
        * ``'g_low'``: the lower bound of g's confidence interval
        * ``'g_high'``: its upper bound
        * ``'bf10'``: the Bayes factor for a difference over none
    """
    rows = []
    for col in [c for c in earlier.columns if c in later.columns]:
        a, b = earlier[col].dropna().astype(float), later[col].dropna().astype(float)
        if len(a) < 2 or len(b) < 2:
            continue
        res = _ttest(b.values, a.values, correction=True, confidence=confidence)
        g = float(pg.compute_effsize(b.values, a.values, eftype="hedges"))
        g_ci = pg.compute_esci(stat=g, nx=len(b), ny=len(a), eftype="hedges", confidence=confidence, decimals=10)
        # pingouin rounds its CI95 to two decimals: Welch's interval, unrounded, with its dof.
        half = stats.t.ppf((1 + confidence) / 2, float(res["dof"])) * np.sqrt(a.var() / len(a) + b.var() / len(b))
        lo, hi = b.mean() - a.mean() - half, b.mean() - a.mean() + half
        rows.append(
            {
                "measure": col,
                "n_earlier": len(a),
                "mean_earlier": a.mean(),
                "n_later": len(b),
                "mean_later": b.mean(),
                "difference": b.mean() - a.mean(),
                "diff_low": float(lo),
                "diff_high": float(hi),
                "t": float(res["t"]),
                "dof": float(res["dof"]),
                "p": float(res["p_val"]),
                "hedges_g": g,
                "g_low": float(g_ci[0]),
                "g_high": float(g_ci[1]),
                "bf10": float(res["bf10"]),
            }
        )
    return pd.DataFrame(rows)


def effect_words(d: float) -> str:
    """Cohen's (1988) words for a standardised effect size, in Dutch.

    Parameters
    ----------
    d : float
        Cohen's d or Hedges' g (its absolute value is judged).

    Returns
    -------
    str
        ``"verwaarloosbaar"`` (below 0.2), ``"klein"`` (0.2), ``"middelgroot"`` (0.5) or
        ``"groot"`` (0.8 and more).

    Examples
    --------
    >>> effect_words(0.81), effect_words(-0.3), effect_words(0.1)
    ('groot', 'klein', 'verwaarloosbaar')
    """
    d = abs(float(d))
    return "groot" if d >= 0.8 else "middelgroot" if d >= 0.5 else "klein" if d >= 0.2 else "verwaarloosbaar"
