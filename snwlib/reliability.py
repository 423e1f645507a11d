"""Internal consistency of a scale: Cronbach's alpha as R psych's ``alpha()`` reports it.

:func:`alpha` returns raw and standardised alpha, the Feldt confidence interval, alpha if an item
is deleted, the corrected item-total ("item-rest") correlation, and the items' means and standard
deviations. Missing answers are handled pairwise, as psych and pingouin do by default.

Raw alpha comes from :func:`pingouin.cronbach_alpha`. The item statistics are computed here from
the same pairwise covariance matrix because pingouin does not provide them; the confidence
interval is computed here because pingouin rounds it to three decimals. The formulas are those of
psych 2.5.3 and the results agree with it (tests/test_reliability.py, on psych's ``bfi`` data).

References
----------
Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. Psychometrika,
16(3), 297-334.
Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for coefficient alpha.
Applied Psychological Measurement, 11(1), 93-103.
Revelle, W. (2025). psych: Procedures for Psychological, Psychometric, and Personality Research
(version 2.5.3), function ``alpha``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats

__all__ = ["alpha", "AlphaResult", "feldt_ci", "reverse_key"]


@dataclass
class AlphaResult:
    """What :func:`alpha` returns. ``table()`` gives the per-item statistics as a tidy DataFrame."""

    alpha: float
    std_alpha: float
    ci: tuple
    n: int
    n_items: int
    alpha_if_deleted: pd.Series
    item_rest_r: pd.Series
    item_mean: pd.Series
    item_sd: pd.Series
    item_n: pd.Series
    reversed: tuple = field(default_factory=tuple)

    def table(self) -> pd.DataFrame:
        """One row per item: n, mean, sd (after reverse keying), item-rest r, alpha if deleted.

        Returns
        -------
        pandas.DataFrame
            One row per item, in the order of the items' columns:

            * ``'item'``: the item (its column name)
            * ``'reversed'``: whether it was reverse-keyed
            * ``'n'``: the number of respondents who answered it
            * ``'mean'``: the mean answer, after reverse keying
            * ``'sd'``: the standard deviation of the answers (denominator n - 1), after reverse keying
            * ``'item_rest_r'``: the correlation with the sum of the other items (psych's ``r.drop``)
            * ``'alpha_if_deleted'``: raw alpha of the scale without the item (NaN for a scale of two
              items)
        """
        return pd.DataFrame(
            {
                "item": self.item_rest_r.index,
                "reversed": [i in self.reversed for i in self.item_rest_r.index],
                "n": self.item_n.values,
                "mean": self.item_mean.values,
                "sd": self.item_sd.values,
                "item_rest_r": self.item_rest_r.values,
                "alpha_if_deleted": self.alpha_if_deleted.values,
            }
        )

    def summary(self) -> pd.DataFrame:
        """The scale's statistics as a one-row DataFrame.

        Returns
        -------
        pandas.DataFrame
            One row:

            * ``'n'``: the number of respondents (all rows of the items, as psych counts them)
            * ``'items'``: the number of items
            * ``'alpha'``: raw alpha
            * ``'std_alpha'``: standardised alpha
            * ``'ci_low'``: the lower bound of Feldt's confidence interval of alpha
            * ``'ci_high'``: its upper bound
        """
        return pd.DataFrame(
            [
                {
                    "n": self.n,
                    "items": self.n_items,
                    "alpha": self.alpha,
                    "std_alpha": self.std_alpha,
                    "ci_low": self.ci[0],
                    "ci_high": self.ci[1],
                }
            ]
        )


def _alpha_from_cov(c: np.ndarray) -> float:
    k = c.shape[0]
    return (1 - np.trace(c) / c.sum()) * k / (k - 1)


def feldt_ci(a: float, n: int, k: int, confidence: float = 0.95) -> tuple:
    """Feldt's confidence interval of coefficient alpha for ``n`` respondents and ``k`` items.

    Parameters
    ----------
    a : float
        Coefficient alpha.
    n : int
        Number of respondents.
    k : int
        Number of items.
    confidence : float
        Level of the interval.

    Returns
    -------
    tuple of float
        ``(low, high)``, from the F distribution with ``n - 1`` and ``(n - 1) * (k - 1)`` degrees
        of freedom (Feldt et al., 1987).

    Examples
    --------
    >>> [round(float(x), 4) for x in feldt_ci(0.7030184, 2800, 5)]
    [0.6853, 0.7201]
    """
    df1, df2 = n - 1, (n - 1) * (k - 1)
    p = (1 - confidence) / 2
    return (1 - (1 - a) * stats.f.ppf(1 - p, df1, df2), 1 - (1 - a) * stats.f.ppf(p, df1, df2))


def reverse_key(items: pd.DataFrame, reverse=(), scale_range: tuple | dict | None = None) -> pd.DataFrame:
    """Reverse-key the columns named in ``reverse`` as ``(min + max) - x``.

    ``scale_range`` gives (min, max) for all items, or a dict of (min, max) per item; by default
    the lowest and highest answers observed in ``items``, as psych does.

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item, one row per respondent; missing answers as NaN.
    reverse : sequence of str
        Columns to reverse-key.
    scale_range : (min, max) or dict, optional
        The answer range, for all items or (a dict) per reverse-keyed item; by default the lowest
        and highest answers in all of ``items``.

    Returns
    -------
    pandas.DataFrame
        A copy of ``items`` as floats, the columns of ``reverse`` turned around.

    Raises
    ------
    KeyError
        An item of ``reverse`` is not a column of ``items``.
    """
    # one float array, turned column by column and framed once (a large scale is copied once)
    x = items.to_numpy(dtype=float, na_value=np.nan, copy=True)
    columns = list(items.columns)
    observed = (np.nanmin(x), np.nanmax(x)) if len(reverse) and scale_range is None else None
    for col in reverse:
        if col not in columns:
            raise KeyError(f"reverse-keyed item {col!r} is not a column of the items ({columns})")
        if scale_range is None:
            lo, hi = observed
        elif isinstance(scale_range, dict):
            lo, hi = scale_range[col]
        else:
            lo, hi = scale_range
        j = columns.index(col)
        x[:, j] = lo + hi - x[:, j]
    return pd.DataFrame(x, index=items.index, columns=items.columns)


def alpha(
    items: pd.DataFrame, reverse=(), scale_range=None, confidence: float = 0.95, warn: bool = True
) -> AlphaResult:
    """Cronbach's alpha of one scale, with psych's item statistics.

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item of the scale, one row per respondent; missing answers as NaN.
    reverse : sequence of str
        Columns to reverse-key before anything is computed.
    scale_range : (min, max) or dict, optional
        The answer range used for reverse keying (per item if a dict); by default the observed
        range of all items, as psych does. Pass the codebook's range for a scale whose extreme
        answers nobody gave.
    confidence : float
        Level of the Feldt confidence interval.
    warn : bool
        Warn when an item correlates negatively with the rest of the scale: it is probably
        miskeyed (psych's check).

    Returns
    -------
    AlphaResult
        ``alpha`` (raw, from the pairwise covariances), ``std_alpha`` (from the correlations),
        ``ci`` (Feldt, with ``n`` = all respondents, as psych), ``n``, ``alpha_if_deleted``,
        ``item_rest_r`` (psych's ``r.drop``), ``item_mean``, ``item_sd``, ``item_n``, and
        ``table()``.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 4, 4, 5], "c": [1, 3, 3, 5, 4]})
    >>> res = alpha(x)
    >>> round(res.alpha, 3), res.n
    (0.936, 5)
    >>> res.table().round(3)[["item", "item_rest_r", "alpha_if_deleted"]]
      item  item_rest_r  alpha_if_deleted
    0    a        0.970             0.824
    1    b        0.859             0.920
    2    c        0.796             0.964
    """
    x = reverse_key(items, reverse, scale_range)
    k = x.shape[1]
    if k < 2:
        raise ValueError("alpha needs at least two items")
    a, _ = pg.cronbach_alpha(data=x, nan_policy="pairwise")
    cov = x.cov().values  # pairwise complete, like pingouin and psych
    if x.notna().all().all():
        # no answer missing: the correlations follow from the covariances (as numpy's corrcoef),
        # where pandas would take every pair apart (a third of alpha's time on a large export)
        sd = np.sqrt(np.diag(cov))
        corr = cov / np.outer(sd, sd)
    else:
        corr = x.corr().values
    std_a = (1 - k / corr.sum()) * k / (k - 1)
    total = cov.sum()
    colsum = cov.sum(axis=0)
    diag = np.diag(cov)
    # r.drop: correlation of each item with the sum of the other items, from the covariances.
    r_drop = (colsum - diag) / np.sqrt(diag * (total - 2 * colsum + diag))
    if_deleted = [_alpha_from_cov(np.delete(np.delete(cov, i, 0), i, 1)) if k > 2 else np.nan for i in range(k)]
    cols = list(x.columns)
    result = AlphaResult(
        alpha=float(a),
        std_alpha=float(std_a),
        ci=tuple(float(v) for v in feldt_ci(float(a), len(x), k, confidence)),
        n=len(x),
        n_items=k,
        alpha_if_deleted=pd.Series(if_deleted, index=cols, name="alpha_if_deleted"),
        item_rest_r=pd.Series(r_drop, index=cols, name="item_rest_r"),
        item_mean=x.mean(),
        item_sd=x.std(),
        item_n=x.notna().sum(),
        reversed=tuple(reverse),
    )
    negative = result.item_rest_r[result.item_rest_r < 0]
    if warn and len(negative):
        warnings.warn(
            "Some items correlate negatively with the rest of their scale and probably need "
            "reverse keying (or are miskeyed): " + ", ".join(f"{i} (r = {r:.2f})" for i, r in negative.items()),
            stacklevel=2,
        )
    return result
