"""Appendix C7: the Doetank questionnaire (report Bijlage B5, Tabel 3 and Bijlage C7).

Loads a wave's export through the scoring engine (:mod:`snwlib.scoring`) and computes what the
appendix shows: response, Tabel 3 (scale means and single items), reliability per scale, answer
frequencies, the check of the 0-100 rating, and the quantities the replication ledger compares
with the report. The instrument itself lives in ``codebooks/b5_doetankvragenlijst.yaml``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import nl
from .codebook import load_codebook
from .comparison import mean_ci
from .io import find_table, read_table
from .privacy import load_denylist, scrub
from .reliability import alpha
from .report import row_count_rules
from .scoring import answer_range, items_table, read_answers, reverse_keyed, scale_items, scale_scores
from .validate import load_validated

CODEBOOK = "b5_doetankvragenlijst"


@dataclass
class Questionnaire:
    """One wave of the questionnaire, validated and scored. Identifying answers are not kept."""

    wave: str
    codebook: dict
    answers: pd.DataFrame     #: per respondent: numbers for closed items, text for open ones
    scores: pd.DataFrame      #: scale scores per respondent
    flags: list               #: warnings about answers (e.g. 0-100 answers that look like 0-10)
    response: pd.DataFrame | None
    deny: tuple = ()          #: extra names to scrub from free text (the wave's deny-list)

    @property
    def items(self) -> pd.DataFrame:
        return items_table(self.codebook)

    def scale_label(self, scale: str) -> str:
        return self.codebook["scales"][scale]["label"]


def load_questionnaire(raw_dir, codebook: dict | None = None) -> Questionnaire:
    """Read, validate and score the questionnaire export of one wave (``raw_dir``).

    The identifying answers (the codebook's ``identifying`` items, e.g. B5 question 10, the name)
    are split off here and dropped: they never reach anything this returns.

    Examples
    --------
    >>> q = load_questionnaire("data/raw/2012")
    >>> len(q.answers), "v10" in q.answers.columns
    (14, False)
    """
    codebook = codebook or load_codebook(CODEBOOK)
    path, sheet = find_table(raw_dir, codebook["export"])
    scored = read_answers(read_table(path, sheet), codebook)
    # The response table is optional (a new wave may not have one); when present it is validated.
    present = {name: spec for name, spec in codebook.get("tables", {}).items()
               if any(Path(raw_dir).glob(f"{name}.*"))}
    response = load_validated(raw_dir, {"tables": present}).get("c7_respons") if present else None
    return Questionnaire(Path(raw_dir).name, codebook, scored.answers, scale_scores(scored.answers, codebook),
                         scored.flags, response, load_denylist(raw_dir))


def response_table(q: Questionnaire) -> pd.DataFrame:
    """Response as C7 reports it, with the derived numbers (could answer; response rate)."""
    rows = []
    if q.response is not None:
        r = q.response.set_index("categorie")
        rows += [(o, nl.number(a)) for o, a in zip(r.omschrijving, r.aantal)]
        eligible = r.aantal.get("uitgenodigd", np.nan) - r.aantal.get("niet_ver_genoeg", 0) - r.aantal.get("geen_lid_meer", 0)
        rows.append(("konden de vragenlijst invullen (afgeleid)", nl.number(eligible)))
        rows.append(("respons: volledig ingevuld / konden invullen (afgeleid)",
                     nl.number(round(100 * r.aantal.get("volledig_ingevuld", np.nan) / eligible, 1)) + "%"))
    rows.append(("respondenten in de gegevens", nl.number(len(q.answers))))
    return pd.DataFrame(rows, columns=["", "aantal"])


def tabel3(q: Questionnaire) -> pd.DataFrame:
    """Tabel 3 "Samenvatting uitkomsten Doetankvragenlijst": scale means and the single items.

    Scale means are means of the respondents' scale scores (reverse-keyed items turned around),
    single items means of the answers given ("niet van toepassing" is missing).
    """
    rows = []
    items = q.items
    for scale, ids in scale_items(q.codebook).items():
        lo, hi = answer_range(q.codebook, items.set_index("id").at[ids[0], "answers"])
        s = q.scores[scale].dropna()
        rows.append({"onderdeel": "schaalgemiddelden", "vraag": f"{q.scale_label(scale)} ({len(ids)} items) ({lo}-{hi})",
                     "n": len(s), "gemiddelde": s.mean(), "sd": s.std()})
    for item in items[(items.section == 7) & (items.type != "text")].itertuples():
        x = q.answers[item.id].dropna()
        rows.append({"onderdeel": "losse vragen", "vraag": f"{item.letter}. {item.text}", "n": len(x),
                     "gemiddelde": x.mean(), "sd": x.std()})
    return pd.DataFrame(rows)


def reliability(q: Questionnaire) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cronbach's alpha per scale (summary) and the item statistics of every scale (items).

    Reverse-keyed items are turned around on their own answer range from the codebook.
    """
    items = q.items.set_index("id")
    summaries, tables = [], []
    for scale, ids in scale_items(q.codebook).items():
        rev = [i for i in ids if items.at[i, "reverse"]]
        ranges = {i: answer_range(q.codebook, items.at[i, "answers"]) for i in ids}
        res = alpha(q.answers[ids], reverse=rev, scale_range=ranges)
        summaries.append({"schaal": q.scale_label(scale), "n": res.n, "items": res.n_items, "alfa": res.alpha,
                          "gestandaardiseerde alfa": res.std_alpha, "95%-BI laag": res.ci[0], "95%-BI hoog": res.ci[1]})
        t = res.table()
        tables.append(pd.DataFrame({
            "schaal": q.scale_label(scale), "item": t["item"],
            "vraag": [f"{items.at[i, 'section']}{items.at[i, 'letter']}. {items.at[i, 'text']}" for i in t["item"]],
            "omgekeerd": t["reversed"].map({True: "ja", False: ""}), "n": t["n"], "gemiddelde": t["mean"],
            "sd": t["sd"], "samenhang met rest": t["item_rest_r"], "alfa zonder vraag": t["alpha_if_deleted"]}))
    return pd.DataFrame(summaries), pd.concat(tables, ignore_index=True)


def frequencies(q: Questionnaire, section: int) -> pd.DataFrame:
    """Answer counts per item of an ordinal section: one row per item, one column per answer label."""
    items = q.items[(q.items.section == section) & (q.items.type == "ordinal")]
    if items.empty:
        return pd.DataFrame()
    scale = q.codebook["answer_scales"][items.answers.iloc[0]]
    codes = sorted(int(c) for c in scale["codes"])
    rows = []
    for item in items.itertuples():
        x = q.answers[item.id]
        row = {"vraag": f"{item.letter}. {item.text}"}
        row.update({scale["codes"][c]: int((x == c).sum()) for c in codes})
        if scale.get("missing"):
            row["n.v.t./weet niet of leeg"] = int(x.isna().sum())
        row["n"] = int(x.notna().sum())
        rows.append(row)
    out = pd.DataFrame(rows)
    # counts of answers are breakdowns: the steering group's HTML hides those below min_cell,
    # and those that would give them away
    out.attrs["small_cells"] = row_count_rules(out, [scale["codes"][c] for c in codes])
    return out


def all_frequencies(q: Questionnaire) -> pd.DataFrame:
    """:func:`frequencies` of every section with ordinal items, long: section, question, answer, count."""
    frames = []
    for section in q.codebook["sections"]:
        f = frequencies(q, section)
        if len(f):
            long = f.drop(columns="n").melt(id_vars="vraag", var_name="antwoord", value_name="aantal")
            long.insert(0, "sectie", section)
            frames.append(long)
    out = pd.concat(frames, ignore_index=True)
    return out.pivot_table(index=["sectie", "vraag"], columns="antwoord", values="aantal", sort=False).reset_index()


def rating_check(q: Questionnaire, item: str = "v3d") -> pd.DataFrame:
    """The 0-100 rating with and without the answers flagged as probably given on a 0-10 scale."""
    x = q.answers[item].dropna()
    scale = q.codebook["answer_scales"][q.items.set_index("id").at[item, "answers"]]
    suspect = x[x <= scale.get("suspect_max", -1)]
    rest = x.drop(suspect.index)
    return pd.DataFrame([
        {"": "alle antwoorden", "n": len(x), "gemiddelde": x.mean(), "laagste": x.min(), "hoogste": x.max()},
        {"": f"zonder antwoorden ≤ {scale.get('suspect_max')} (vermoedelijk op een 0-10-schaal gegeven)",
         "n": len(rest), "gemiddelde": rest.mean(), "laagste": rest.min(), "hoogste": rest.max()},
    ])


def profile(q: Questionnaire) -> pd.DataFrame:
    """Mean scale scores with 95% confidence intervals and each scale's answer range (for a figure)."""
    items = q.items.set_index("id")
    rows = []
    for scale, ids in scale_items(q.codebook).items():
        m, lo, hi = mean_ci(q.scores[scale])
        rmin, rmax = answer_range(q.codebook, items.at[ids[0], "answers"])
        rows.append({"schaal": q.scale_label(scale), "n": int(q.scores[scale].notna().sum()), "gemiddelde": m,
                     "ci_laag": lo, "ci_hoog": hi, "min": rmin, "max": rmax})
    return pd.DataFrame(rows)


def open_answers(q: Questionnaire, item: str) -> pd.DataFrame:
    """The non-empty answers to an open question, in the order of the export, verbatim except for
    names, e-mail addresses and phone numbers (:func:`snwlib.privacy.scrub`)."""
    x = q.answers[item].dropna()
    return pd.DataFrame({"antwoord": [scrub(t, q.deny) for t in x[x.str.strip() != ""]]})


def quantities(q: Questionnaire) -> pd.Series:
    """Every number the ledger compares with the report, by key.

    ``scale.<name>.mean``; ``item.<id>.mean``/``.n``/``.min``/``.max``; ``scale.<name>.mean_of_item_means``;
    ``respons.<categorie>`` and the derived ``respons.konden_invullen``, ``respons.pct``;
    ``respondents``.
    """
    out = {"respondents": len(q.answers)}
    for scale, ids in scale_items(q.codebook).items():
        out[f"scale.{scale}.mean"] = q.scores[scale].mean()
        out[f"scale.{scale}.n"] = q.scores[scale].notna().sum()
        out[f"scale.{scale}.mean_of_item_means"] = reverse_keyed(q.answers, q.codebook)[ids].mean().mean()
    for item in q.items[q.items.type.isin(["ordinal", "number"])].itertuples():
        x = q.answers[item.id].dropna()
        out.update({f"item.{item.id}.mean": x.mean(), f"item.{item.id}.n": len(x),
                    f"item.{item.id}.min": x.min(), f"item.{item.id}.max": x.max()})
    if q.response is not None:
        r = q.response.set_index("categorie").aantal
        out.update({f"respons.{k}": v for k, v in r.items()})
        eligible = r.get("uitgenodigd", np.nan) - r.get("niet_ver_genoeg", 0) - r.get("geen_lid_meer", 0)
        out["respons.konden_invullen"] = eligible
        out["respons.pct"] = 100 * r.get("volledig_ingevuld", np.nan) / eligible
    return pd.Series(out, dtype=float)


def earlier_waves(data_dir, wave: str, codebook: dict | None = None) -> list:
    """Waves before ``wave`` in ``data_dir`` that hold an export of this questionnaire, oldest first."""
    codebook = codebook or load_codebook(CODEBOOK)
    found = []
    for d in sorted(Path(data_dir).iterdir()):
        if d.is_dir() and d.name < str(wave) and any(d.glob(f"{codebook['export']}.*")):
            found.append(d.name)
    return found


def load_reference_values(path=None) -> pd.DataFrame:
    """The reference means of Kraan et al. (2008) as quoted in C7 (``references/kraan2008.csv``)."""
    from .config import REFERENCE_DIR

    return pd.read_csv(path or REFERENCE_DIR / "kraan2008.csv")


def reference_quantities(reference: pd.DataFrame) -> pd.Series:
    """The reference file's numbers by ledger key (``kraan.<measure>.mean`` and ``.n``)."""
    out = {}
    for r in reference.itertuples():
        out[f"kraan.{r.measure}.mean"] = r.mean
        out[f"kraan.{r.measure}.n"] = r.n
    return pd.Series(out, dtype=float)


def comparison_data(q: Questionnaire) -> pd.DataFrame:
    """Per respondent, the measures compared with the reference: the performance scale and 3A-3D."""
    return pd.concat([q.scores[["werkprestaties"]], q.answers[["v3a", "v3b", "v3c", "v3d"]]], axis=1)


def measure_labels(q: Questionnaire) -> dict:
    """Dutch labels of scales and items, by id, for tables and figures."""
    labels = {s: f"{q.scale_label(s)} (schaal)" for s in q.codebook["scales"]}
    labels.update({i.id: f"{i.section}{i.letter}. {i.text}" for i in q.items.itertuples()})
    return labels


def ordinal_sections(q: Questionnaire) -> list:
    """The sections with ordinal items (statements with an answer scale), in codebook order."""
    items = q.items
    return [s for s in q.codebook["sections"] if ((items.section == s) & (items.type == "ordinal")).any()]


def section_figure(q: Questionnaire, section, min_cell: int | None = None):
    """A diverging stacked bar chart of the answers to one section. With ``min_cell`` (the steering
    group's version), the answers that :func:`frequencies` hides for the steering group are left
    out (:func:`snwlib.report.hidden_cells`: fewer than ``min_cell``, or giving those away)."""
    from . import figures
    from .report import hidden_cells

    items = q.items
    sub = items[(items.section == section) & (items.type == "ordinal")]
    scale = q.codebook["answer_scales"][sub.answers.iloc[0]]
    hidden = set()
    if min_cell:
        code = {label: int(c) for c, label in scale["codes"].items()}
        table = frequencies(q, section)
        hidden = {(sub.id.iloc[row], code.get(col, col)) for row, col in hidden_cells(table, min_cell)}
    title = (f"{q.codebook['sections'][section]['title']}: antwoorden per stelling "
             f"(meting {q.wave}, n = {len(q.answers)} respondenten)")
    return figures.diverging_bars(q.answers, sub, scale, title, hidden=hidden, min_cell=min_cell)


def section_views(q: Questionnaire, directory):
    """Save :func:`section_figure` of every section with ordinal items as
    ``C7_sectie<N>_antwoorden`` (and ``..._stuurgroep``); return what the notebook shows."""
    from . import figures
    from .report import Several

    return Several(figures.two_views(f"C7_sectie{s}_antwoorden", directory, section_figure, q, s)
                   for s in ordinal_sections(q))


def compare_with_earlier(q: Questionnaire, data_dir) -> tuple:
    """Compare the scale scores of this wave with the latest earlier wave in ``data_dir``.

    Returns ``(text, table, figure)``: a Dutch sentence saying what was compared (or that there is
    no earlier wave), the Welch comparison per scale (empty without an earlier wave) and a side by
    side profile figure (None without an earlier wave).
    """
    from . import figures
    from .comparison import between_waves

    waves = earlier_waves(data_dir, q.wave, q.codebook)
    if not waves:
        return (f"Er is geen eerdere meting van deze vragenlijst in {Path(data_dir).name}/; "
                f"een vergelijking tussen metingen is pas mogelijk vanaf de volgende meting.", pd.DataFrame(), None)
    prev = load_questionnaire(Path(data_dir) / waves[-1], q.codebook)
    table = between_waves(prev.scores, q.scores)
    table.insert(0, "schaal", [q.scale_label(s) for s in table.measure])
    prof = pd.concat([profile(prev).assign(meting=prev.wave), profile(q).assign(meting=q.wave)])
    fig = figures.scale_profile(prof, f"Schaalgemiddelden: meting {prev.wave} naast meting {q.wave}", hue="meting")
    text = (f"Meting {q.wave} (n = {len(q.answers)}) vergeleken met meting {prev.wave} (n = {len(prev.answers)}): "
            "verschil later min eerder, Welch-toets voor onafhankelijke steekproeven.")
    return text, table.drop(columns="measure"), fig
