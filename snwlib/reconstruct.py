"""A marked reconstruction of respondent-level answers from published aggregates.

The 2012 export of the Doetank questionnaire is not public. The report publishes scale means,
item means, the number of respondents and the free text. :func:`reconstruct` makes respondent rows
that reproduce every one of those numbers at the printed precision, from a targets file
(``data/reconstruction/*.yaml``, which cites where each number is printed and marks every
assumption), so that the pipeline can run and be tested end to end. It is NOT real data: the
metadata of the wave, the data README and the banner of every report say so.

How the answers are made
------------------------
1. One latent factor per scale, correlating with the other scales through a general factor;
   item answers are ``mean + sd * (loading * factor + sqrt(1 - loading**2) * noise)``, rounded
   and clipped to the answer range. Items of a scale therefore correlate as real answers do, and
   alpha and item diagnostics are not artefacts of independent noise.
2. Each item's sum is then moved to its target one answer at a time, always changing the answer
   that rounding moved furthest from its continuous value, so the factor structure survives.
3. Targets: exact sums where the report gives an exact mean (and so the number answering); for
   the other items of a scale, means spread around the published scale mean, nudged until the
   mean of the respondents' scale scores rounds to the published value.
4. Reverse-keyed items are generated keyed and turned around at the end.
5. The result is written as the survey tool's "labels" export (Dutch answer labels, numbers for
   the ratings, verbatim free text) and checked by reading it back through
   :func:`snwlib.scoring.read_answers`; :func:`reconstruct` raises if any target is missed.

Everything is drawn from ``numpy.random.default_rng(seed)``: the same targets give the same file,
byte for byte.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import load_yaml
from .scoring import answer_range, items_table, read_answers, scale_items, scale_scores

__all__ = ["reconstruct", "verify", "load_targets", "from_tallies", "write_reconstruction"]

SHORT_MISSING = "Niet van toepassing/weet niet"


def _adjust(cont: np.ndarray, mask: np.ndarray, target: int, lo: int, hi: int) -> np.ndarray:
    """Round ``cont`` to whole answers in [lo, hi] on ``mask`` and move their sum to ``target``."""
    v = np.where(mask, np.clip(np.rint(cont), lo, hi), np.nan)
    if not (lo * mask.sum() <= target <= hi * mask.sum()):
        raise ValueError(f"target sum {target} impossible for {mask.sum()} answers in {lo}..{hi}")
    while np.nansum(v) != target:
        up = np.nansum(v) < target
        room = mask & ((v < hi) if up else (v > lo))
        gap = np.where(room, cont - v, -np.inf if up else np.inf)
        i = int(np.argmax(gap) if up else np.argmin(gap))
        v[i] += 1 if up else -1
    return v


def _mean_target(mean: float, n: int) -> int:
    """The whole-number sum of ``n`` answers whose mean prints as ``mean`` (one decimal)."""
    best = round(mean * n)
    if abs(best / n - mean) > 0.05 + 1e-9:
        raise ValueError(f"no sum of {n} whole answers has mean {mean}")
    return best


def _prints_as(x: float, published: float, decimals: int = 1) -> bool:
    return abs(x - published) <= 0.5 * 10**-decimals + 1e-9


def reconstruct(targets: dict, codebook: dict) -> pd.DataFrame:
    """Make the respondent rows described by ``targets`` (see the module docstring).

    Returns the export as text cells (Dutch labels, numbers, free text), one row per respondent,
    columns ``respondent`` and the codebook's item ids. Raises ValueError if a published
    aggregate is not reproduced.

    Parameters
    ----------
    targets : dict
        A targets file as :func:`load_targets` reads it: ``seed``, ``respondents``, ``model``
        (``loading``, ``general``, ``item_sd`` per answer scale, ``spread``), the published
        ``scales`` means, ``items`` with an exact ``sum`` or ``mean`` and their number ``n`` of
        answers, ``draw_together`` (items drawn from one common factor), ``rating_0_100`` and
        ``rating_1_10``, and ``free_text``: per open item, its answers by respondent number.
    codebook : dict
        The questionnaire's codebook (:func:`snwlib.codebook.load_codebook`).

    Returns
    -------
    pandas.DataFrame
        One row per respondent (index from 0), all cells text:

        * ``'respondent'``: the respondent id, ``"R01"``, ``"R02"``, ...
        * one column per item of the codebook, named by its id, in questionnaire order: the Dutch
          label of the answer for an ordinal item (``"Niet van toepassing/weet niet"`` for no
          answer on a scale with missing-value codes, else empty); the whole number for a number
          item (empty for no answer); for any other item its answers in ``targets["free_text"]``,
          empty where none is given.

    Raises
    ------
    ValueError
        A target cannot be reached or the result, read back, misses a published aggregate
        (:func:`verify`).
    """
    rng = np.random.default_rng(targets["seed"])
    n = targets["respondents"]
    model = targets["model"]
    items = items_table(codebook).set_index("id")
    keyed = pd.DataFrame(index=range(1, n + 1), columns=items.index, dtype=float)
    general = rng.standard_normal(n)
    lam, w = model["loading"], model["general"]

    def factor():
        return w * general + math.sqrt(1 - w**2) * rng.standard_normal(n)

    def draw(ids, mean_of, f):
        for item in ids:
            spec = targets["items"].get(item, {})
            k = spec.get("n", n)
            mask = np.ones(n, bool)
            if k < n:
                mask[rng.choice(n, n - k, replace=False)] = False
            lo, hi = answer_range(codebook, items.at[item, "answers"])
            mu = spec["sum"] / k if "sum" in spec else spec.get("mean", mean_of.get(item))
            sd = model["item_sd"][items.at[item, "answers"]]
            cont = mu + sd * (lam * f + math.sqrt(1 - lam**2) * rng.standard_normal(n))
            target = spec["sum"] if "sum" in spec else _mean_target(mu, k) if "mean" in spec else round(mu * k)
            keyed[item] = _adjust(cont, mask, target, lo, hi)

    factors = {}
    for scale, published in targets["scales"].items():
        ids = scale_items(codebook)[scale]
        f = factors[scale] = factor()
        offsets = rng.permutation(np.linspace(-model["spread"], model["spread"], len(ids)))
        draw(ids, dict(zip(ids, published + offsets, strict=True)), f)
        free = [i for i in ids if i not in targets["items"]]
        for _ in range(200):  # nudge free items until the respondents' mean prints as published
            score = (
                keyed[ids]
                .mean(axis=1)
                .where(keyed[ids].notna().sum(axis=1) >= math.ceil(codebook.get("min_answered", 0.5) * len(ids)))
            )
            if _prints_as(score.mean(), published):
                break
            item = free[_ % len(free)]
            lo, hi = answer_range(codebook, items.at[item, "answers"])
            step = 1 if score.mean() < published else -1
            mask = keyed[item].notna().to_numpy()
            keyed[item] = _adjust(keyed[item].fillna(0).to_numpy() + 0.0, mask, int(keyed[item].sum() + step), lo, hi)
        else:
            raise ValueError(f"could not reach the published mean {published} of {scale}")

    draw(targets["draw_together"], {}, factor())

    r = targets["rating_0_100"]
    sus = r["suspect"]
    lo, hi = r["range"]
    mask = np.ones(n, bool)
    mask[sus["respondent"] - 1] = False
    f = factors.get("werkprestaties", factor())
    total = r["sum"] - sus["value"]
    cont = total / (n - 1) + 8 * (lam * f + math.sqrt(1 - lam**2) * rng.standard_normal(n))
    values = _adjust(cont, mask, total, lo, hi)
    values[sus["respondent"] - 1] = sus["value"]
    keyed[r["item"]] = values

    k = targets["rating_1_10"]
    f = factor()
    cont = k["sum"] / k["n"] + 0.8 * (lam * f + math.sqrt(1 - lam**2) * rng.standard_normal(n))
    mask = np.ones(n, bool)
    mask[rng.choice(n, n - k["n"], replace=False)] = False
    order = [i for i in np.argsort(cont) if mask[i]]
    fixed = {order[0]: k["min"], order[-1]: k["max"]}
    inner = mask.copy()
    inner[list(fixed)] = False
    v = _adjust(cont, inner, k["sum"] - sum(fixed.values()), k["min"], k["max"])
    for i, val in fixed.items():
        v[i] = val
    keyed[k["item"]] = v

    raw = keyed.copy()
    for item in items.index[items.reverse]:
        lo, hi = answer_range(codebook, items.at[item, "answers"])
        raw[item] = lo + hi - raw[item]
    export = _as_labels(raw, codebook, targets)
    problems = verify(export, targets, codebook)
    if problems:
        raise ValueError("the reconstruction misses published numbers:\n  " + "\n  ".join(problems))
    return export


def _as_labels(raw: pd.DataFrame, codebook: dict, targets: dict) -> pd.DataFrame:
    items = items_table(codebook)
    n = len(raw)
    out = pd.DataFrame({"respondent": [f"R{i:02d}" for i in range(1, n + 1)]})
    for item in items.itertuples():
        scale = codebook["answer_scales"][item.answers]
        if scale["type"] == "ordinal":
            codes = {int(c): label for c, label in scale["codes"].items()}
            missing = SHORT_MISSING if scale.get("missing") else ""
            out[item.id] = [codes[int(x)] if not np.isnan(x) else missing for x in raw[item.id]]
        elif scale["type"] == "number":
            out[item.id] = ["" if np.isnan(x) else str(int(x)) for x in raw[item.id]]
        else:
            source = targets.get("free_text", {}).get(item.id, {})
            out[item.id] = [source.get(i, "") for i in range(1, n + 1)]
    return out


def verify(export: pd.DataFrame, targets: dict, codebook: dict) -> list:
    """Every published aggregate of ``targets`` that ``export`` does NOT reproduce (empty if all).

    ``export`` is read back through :func:`snwlib.scoring.read_answers` and scored, as the
    pipeline would.

    Parameters
    ----------
    export : pandas.DataFrame
        Respondent rows as :func:`reconstruct` makes them.
    targets : dict
        The targets file (:func:`load_targets`).
    codebook : dict
        The questionnaire's codebook.

    Returns
    -------
    list of str
        One message per miss: the number of respondents; a scale mean (of the respondents' scale
        scores) that does not print as published at one decimal; an item of ``targets["items"]``
        with another number of answers, sum or printed mean; a rating (``rating_0_100``,
        ``rating_1_10``) with another number of answers or sum, or with other lowest and highest
        answers where the target gives them.
    """
    df = export.astype(str)
    df.index = pd.RangeIndex(2, 2 + len(df))
    answers = read_answers(df, codebook, file="reconstruction").answers
    scores = scale_scores(answers, codebook)
    fails = []
    if len(answers) != targets["respondents"]:
        fails.append(f"{len(answers)} respondents, not {targets['respondents']}")
    for scale, published in targets["scales"].items():
        if not _prints_as(scores[scale].mean(), published):
            fails.append(f"scale {scale}: mean {scores[scale].mean():.4f} does not print as {published}")
    for item, spec in targets["items"].items():
        x = answers[item]
        if x.notna().sum() != spec.get("n", targets["respondents"]):
            fails.append(f"{item}: {x.notna().sum()} answers, not {spec['n']}")
        if "sum" in spec and x.sum() != spec["sum"]:
            fails.append(f"{item}: sum {x.sum()}, not {spec['sum']}")
        if "mean" in spec and not _prints_as(x.mean(), spec["mean"]):
            fails.append(f"{item}: mean {x.mean():.4f} does not print as {spec['mean']}")
    for key in ("rating_0_100", "rating_1_10"):
        spec = targets[key]
        x = answers[spec["item"]]
        if x.notna().sum() != spec["n"] or x.sum() != spec["sum"]:
            fails.append(
                f"{spec['item']}: {x.notna().sum()} answers summing to {x.sum()}, not {spec['n']} and {spec['sum']}"
            )
        if "min" in spec and (x.min() != spec["min"] or x.max() != spec["max"]):
            fails.append(f"{spec['item']}: range {x.min()}..{x.max()}, not {spec['min']}..{spec['max']}")
    return fails


def load_targets(path) -> dict:
    """Read a targets file of a reconstruction (``data/reconstruction/*.yaml``).

    Parameters
    ----------
    path : str or Path
        The YAML file (UTF-8).

    Returns
    -------
    dict
        Its content as read by :func:`yaml.safe_load`, unchanged.
    """
    with open(path, encoding="utf-8") as fh:
        return load_yaml(fh)


def from_tallies(spec: dict, codebook: dict) -> pd.DataFrame:
    """Respondent rows of an evaluation form from the tallies a report prints.

    For forms whose results are published as counts and verbatim text (Bijlage C8, C9) no model
    is needed: ``spec["columns"]`` gives, per item of the codebook, either ``values`` (one cell per
    respondent, in order) or ``counts`` (a list of ``[value, count]`` filled into consecutive
    respondents from the first; the rest stay empty). Items not listed stay empty. Filling every
    item in the same order keeps answers of one respondent together (e.g. the 21 who may be
    contacted are among the 23 who want to be involved).

    The rows are read back through :func:`snwlib.scoring.read_answers`, so an invalid label or a
    misspelt item id fails here and not in a notebook.

    Parameters
    ----------
    spec : dict
        ``respondents`` (the number of rows), ``columns`` (per item id, ``values`` or ``counts``)
        and optionally ``id_format``, the format of the respondent ids (default ``"R{:02d}"``,
        numbered from 1).
    codebook : dict
        The form's codebook.

    Returns
    -------
    pandas.DataFrame
        One row per respondent (index from 0), all cells text:

        * the respondent id column (``codebook["respondent_id"]``, default ``'respondent'``): the
          ids made with ``id_format``
        * one column per item of the codebook, named by its id, in questionnaire order: the
          respondent's answer as given in ``spec``, empty where none is

    Raises
    ------
    ValueError
        ``spec`` names an item the codebook lacks, or gives an item more cells than respondents
        (or, with ``values``, another number).
    DataFileError
        The rows do not read as answers of the codebook (e.g. an unknown label).

    Examples
    --------
    >>> cb = {"instrument": "x", "respondent_id": "respondent",
    ...       "answer_scales": {"jn": {"type": "nominal", "codes": {1: "Ja", 2: "Nee"}}},
    ...       "items": [{"id": "q1", "answers": "jn", "text": ""}]}
    >>> from_tallies({"respondents": 3, "columns": {"q1": {"counts": [["Ja", 2]]}}}, cb).q1.tolist()
    ['Ja', 'Ja', '']
    """
    n = spec["respondents"]
    ids = items_table(codebook).id.tolist()
    unknown = sorted(set(spec["columns"]) - set(ids))
    if unknown:
        raise ValueError(f"{codebook['instrument']} has no item(s) {', '.join(unknown)}")
    out = pd.DataFrame(
        {
            codebook.get("respondent_id", "respondent"): [
                spec.get("id_format", "R{:02d}").format(i) for i in range(1, n + 1)
            ]
        }
    )
    for item in ids:
        col = spec["columns"].get(item, {})
        if "values" in col:
            cells = ["" if v is None else str(v) for v in col["values"]]
        else:
            cells = [str(value) for value, count in col.get("counts", []) for _ in range(int(count))]
        if len(cells) > n or ("values" in col and len(cells) != n):
            raise ValueError(f"{item}: {len(cells)} cells for {n} respondents")
        out[item] = cells + [""] * (n - len(cells))
    df = out.astype(str)
    df.index = pd.RangeIndex(2, 2 + n)
    read_answers(df, codebook, file="reconstruction")
    return out


def write_reconstruction(targets_path, out_path) -> Path:
    """Generate the export described by ``targets_path`` and write it (atomically) to ``out_path``.

    A targets file with ``method: tallies`` is built by :func:`from_tallies`, any other by
    :func:`reconstruct`.

    Parameters
    ----------
    targets_path : str or Path
        The targets file (:func:`load_targets`); its ``instrument`` names the codebook.
    out_path : str or Path
        The CSV file to write (UTF-8, Unix line endings, no index column).

    Returns
    -------
    Path
        ``out_path``.
    """
    from .codebook import load_codebook
    from .files import atomic_path

    targets = load_targets(targets_path)
    codebook = load_codebook(targets["instrument"])
    export = from_tallies(targets, codebook) if targets.get("method") == "tallies" else reconstruct(targets, codebook)
    with atomic_path(out_path) as tmp:
        export.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    return Path(out_path)
