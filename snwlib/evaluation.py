"""Appendices C8 and C9: evaluation forms of events (Café IV, Grand Café).

An evaluation form (report Bijlagen B7, B8) asks a handful of questions of different kinds: one
answer from a list, several answers, a priority per item, a grid of items with the same answers,
a grade 1-10, free text. Its codebook (``codebooks/b7_*.yaml``, ``b8_*.yaml``) lists the
questions as ``sections`` with their wording and ``kind``, and the items of each question. This
module reads a form's export through the same scoring engine as the questionnaire
(:func:`snwlib.scoring.read_answers`) and builds one table per question, whatever the form.

Conventions of the tables (the report's own, made explicit):

- counts come with the percentage of *all* respondents of the form (the base is printed in the
  table), so a percentage never stands without its count, and people who skipped a question
  are a row ("geen antwoord"), as in C9 ("missing value 2");
- answers whose content the source does not give (:data:`snwlib.scoring.NOT_IN_SOURCE`) are a row
  of their own, "niet beschikbaar in de bron", never counted as an answer or as unanswered;
- a question none of whose answers are in the source shows "niet beschikbaar in de bron";
- free text is shown verbatim after :func:`snwlib.privacy.scrub`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import nl
from .codebook import load_codebook
from .io import find_table, read_table
from .privacy import load_denylist, scrub
from .report import row_count_rules
from .scoring import CODED, items_table, read_answers
from .validate import load_validated

NOT_AVAILABLE = "niet beschikbaar in de bron"
NO_ANSWER = "geen antwoord"


@dataclass
class Form:
    """One wave of an evaluation form, validated. Identifying answers are not kept."""

    wave: str
    codebook: dict
    answers: pd.DataFrame       #: per respondent: numbers for coded and numeric items, text for open ones
    unavailable: pd.DataFrame   #: True where the source does not give the answer's content
    flags: list
    tables: dict = field(default_factory=dict)  #: the instrument's other tables present in the wave
    deny: tuple = ()            #: extra names to scrub from free text (the wave's deny-list)

    @property
    def items(self) -> pd.DataFrame:
        """The codebook's items, without the identifying ones (they were dropped at ingestion)."""
        items = items_table(self.codebook)
        return items[~items.identifying].reset_index(drop=True)

    @property
    def n(self) -> int:
        """Number of respondents (forms) in the export."""
        return len(self.answers)

    def question(self, section) -> dict:
        return self.codebook["sections"][section]

    def section_items(self, section, types=None) -> pd.DataFrame:
        sub = self.items[self.items.section == section]
        return sub if types is None else sub[sub.type.isin(types)]

    def scale(self, item: str) -> dict:
        return self.codebook["answer_scales"][self.items.set_index("id").at[item, "answers"]]


def load_form(raw_dir, codebook: str | dict) -> Form:
    """Read and validate a wave's export of an evaluation form and the form's other tables.

    Examples
    --------
    >>> f = load_form("data/raw/2012", "b7_cafevragenlijst")
    >>> f.n, sorted(f.tables)
    (7, ['c8_afwezigen', 'c8_prioriteiten', 'c8_respons'])
    """
    codebook = load_codebook(codebook) if isinstance(codebook, str) else codebook
    path, sheet = find_table(raw_dir, codebook["export"])
    scored = read_answers(read_table(path, sheet), codebook)
    present = {name: spec for name, spec in codebook.get("tables", {}).items() if any(Path(raw_dir).glob(f"{name}.*"))}
    tables = load_validated(raw_dir, {"tables": present}) if present else {}
    return Form(Path(raw_dir).name, codebook, scored.answers, scored.unavailable, scored.flags,
                {k: v.reset_index(drop=True) for k, v in tables.items()}, load_denylist(raw_dir))


def percent(count, base) -> str:
    """A count as a Dutch percentage of ``base``, whole percents (as the report prints them).

    Examples
    --------
    >>> percent(23, 32), percent(0, 7), percent(1, 0)
    ('72%', '0%', '')
    """
    return f"{nl.number(round(100 * count / base))}%" if base else ""


def _count_rows(x: pd.Series, unavailable: pd.Series, labels: dict, base: int) -> list:
    rows = [(label, int((x == code).sum())) for code, label in labels.items()]
    if unavailable.any():
        rows.append((NOT_AVAILABLE, int(unavailable.sum())))
    rows.append((NO_ANSWER, int((x.isna() & ~unavailable).sum())))
    return [{"antwoord": a, "aantal": c, f"% (van {base})": percent(c, base)} for a, c in rows]


def choice_table(form: Form, item: str) -> pd.DataFrame:
    """Counts of a one-answer question: each answer of the codebook, then the unavailable and the
    unanswered, with the percentage of all respondents.

    Examples
    --------
    >>> f = load_form("data/raw/2012", "b7_cafevragenlijst")
    >>> choice_table(f, "v7").aantal.tolist()
    [1, 0, 3, 2, 1]
    """
    labels = {int(c): label for c, label in form.scale(item)["codes"].items()}
    out = pd.DataFrame(_count_rows(form.answers[item], form.unavailable[item], labels, form.n))
    # the counts add up to all forms, whose number the header shows
    out.attrs["small_cells"] = {"counts": {"aantal": [f"% (van {form.n})"]}, "adds_up": {"columns": ["aantal"]}}
    return out


def multi_table(form: Form, section) -> pd.DataFrame:
    """A question with several answers possible (one item per option): how many ticked each option,
    of the respondents who answered the question (ticked or left unticked any option)."""
    items = form.section_items(section, CODED)
    block = form.answers[items.id]
    answered = int(block.notna().any(axis=1).sum())
    rows = [{"antwoord": i.text, "aantal": int((block[i.id] == 1).sum())} for i in items.itertuples()]
    out = pd.DataFrame(rows)
    out[f"% (van {answered})"] = [percent(c, answered) for c in out.aantal]
    out.attrs["small_cells"] = {"counts": {"aantal": [f"% (van {answered})"]}}
    return out


def grid_table(form: Form, section) -> pd.DataFrame:
    """Items sharing one answer list (e.g. attention per café function): one row per item, counts
    per answer, the unanswered, and n. Items nobody answered ("Anders, namelijk…") are left out."""
    items = form.section_items(section, CODED)
    labels = {int(c): label for c, label in form.scale(items.id.iloc[0])["codes"].items()}
    rows = []
    for item in items.itertuples():
        x, u = form.answers[item.id], form.unavailable[item.id]
        if x.notna().sum() == 0 and not u.any():
            continue
        row = {"": item.text}
        row.update({label: int((x == code).sum()) for code, label in labels.items()})
        if u.any():
            row[NOT_AVAILABLE] = int(u.sum())
        row[NO_ANSWER] = int((x.isna() & ~u).sum())
        row["n"] = int(x.notna().sum())
        rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs["small_cells"] = row_count_rules(out, list(labels.values()))
    return out


def grade_table(form: Form, items) -> pd.DataFrame:
    """Grades 1-10: n, mean, lowest and highest per item (``items``: ids)."""
    rows = []
    for item in items:
        x = form.answers[item].dropna()
        label = form.items.set_index("id").at[item, "text"]
        if x.empty:
            rows.append({"": label, "n": 0, "gemiddelde": NOT_AVAILABLE if form.unavailable[item].any() else "",
                         "laagste": "", "hoogste": ""})
        else:
            rows.append({"": label, "n": len(x), "gemiddelde": nl.number(round(x.mean(), 2), 2),
                         "laagste": nl.number(x.min()), "hoogste": nl.number(x.max())})
    out = pd.DataFrame(rows)
    out.attrs["small_cells"] = {"n": "n", "stats": ["gemiddelde", "laagste", "hoogste"]}
    return out


def rank_table(form: Form, section) -> pd.DataFrame:
    """Priorities (1 = most important): the mean priority per function and the order it gives,
    from the respondents' answers; next to it the order the report publishes, if the codebook
    names a table holding it. Without individual answers the computed columns say so."""
    items = form.section_items(section, ["number"])
    items = items[~items.id.str.contains("anders")]
    out = pd.DataFrame({"functie": items.text.values, "item": items.id.values})
    means = form.answers[items.id].mean()
    counts = form.answers[items.id].notna().sum()
    if counts.sum():
        out["n"] = counts.values
        out["gemiddelde prioriteit"] = [nl.number(round(m, 2), 2) for m in means]
        out["rangorde (berekend)"] = means.rank(method="min").astype("Int64").values
        out.attrs["small_cells"] = {"n": "n", "stats": ["gemiddelde prioriteit", "rangorde (berekend)"]}
    else:
        out["rangorde (berekend)"] = NOT_AVAILABLE
    published = form.question(section).get("published")
    if published in form.tables:
        pub = form.tables[published].set_index("item").prioriteit
        out["rangorde (gepubliceerd)"] = out.item.map(pub).astype("Int64")
    return out.drop(columns="item")


def is_content(text) -> bool:
    """Whether an answer says anything: a letter or digit, not just a dash.

    Examples
    --------
    >>> is_content("—"), is_content(" n.v.t. "), is_content(None)
    (False, True, False)
    """
    return isinstance(text, str) and re.search(r"\w", text) is not None


def text_answers(form: Form, item: str) -> pd.DataFrame:
    """The answers to an open question, in the order of the export, scrubbed of names, e-mail
    addresses and phone numbers (:func:`snwlib.privacy.scrub`); dashes and empty answers left out.
    Answers whose text the source does not give are one line saying how many there are."""
    x = form.answers[item]
    given = [scrub(t, form.deny) for t in x if is_content(t)]
    rows = [{"nr": i, "antwoord": t} for i, t in enumerate(given, 1)]
    hidden = int(form.unavailable[item].sum())
    if hidden:
        rows.append({"nr": "", "antwoord": f"[{hidden} antwoord(en): {NOT_AVAILABLE}]"})
    return pd.DataFrame(rows, columns=["nr", "antwoord"])


def text_lines(form: Form, item: str) -> pd.DataFrame:
    """Like :func:`text_answers`, one row per line: a list of issues where one person may write
    several (C9's addendum numbers the issues, not the people)."""
    x = form.answers[item]
    lines = [line.strip() for t in x if is_content(t) for line in t.splitlines() if is_content(line)]
    return pd.DataFrame({"nr": range(1, len(lines) + 1), "antwoord": [scrub(t, form.deny) for t in lines]})


def named_counts(form: Form, item: str) -> pd.DataFrame:
    """How often each answer to a short open question was given (e.g. the Doetank someone is in),
    in order of first appearance; answers are compared ignoring case and surrounding spaces."""
    x = form.answers[item]
    keys = x[x.map(is_content)].map(lambda t: " ".join(t.split()))
    first = keys.groupby(keys.str.casefold(), sort=False).first()
    counts = keys.str.casefold().value_counts(sort=False)
    rows = [{"antwoord": scrub(first[k], form.deny), "aantal": int(counts[k])} for k in first.index]
    if form.unavailable[item].any():
        rows.append({"antwoord": NOT_AVAILABLE, "aantal": int(form.unavailable[item].sum())})
    out = pd.DataFrame(rows, columns=["antwoord", "aantal"])
    out.attrs["small_cells"] = {"counts": {"aantal": []}}
    return out


def question_table(form: Form, section) -> pd.DataFrame:
    """The table of one closed question, by its kind in the codebook (choice, multi, grid, rank,
    grade). Open questions: :func:`text_answers` per item."""
    kind = form.question(section)["kind"]
    if kind == "choice":
        coded = form.section_items(section, CODED)
        table = choice_table(form, coded.id.iloc[0])
        if table.aantal.sum() == table.set_index("antwoord").aantal.get(NOT_AVAILABLE, -1):
            return pd.DataFrame({"antwoord": [NOT_AVAILABLE]})
        return table
    if kind == "multi":
        return multi_table(form, section)
    if kind == "grid":
        return grid_table(form, section)
    if kind == "rank":
        return rank_table(form, section)
    if kind == "grade":
        return grade_table(form, form.section_items(section, ["number"]).id)
    raise ValueError(f"question {section} is open ({kind}): use text_answers")


def table_counts(form: Form, name: str) -> pd.DataFrame:
    """A response table of the form (``categorie``, ``omschrijving``, ``aantal``) for display."""
    t = form.tables[name]
    return pd.DataFrame({"": t.omschrijving, "aantal": [nl.number(a) for a in t.aantal], "bron": t.bron})


def quantities(form: Form) -> pd.Series:
    """Every number the ledger compares with the report, by key.

    ``respondents``; coded items ``<item>.<code>`` (count), ``<item>.pct.<code>`` (% of all
    respondents), ``<item>.missing`` (unanswered), ``<item>.n``; numbers ``<item>.mean``/``.n``/
    ``.min``/``.max``; open items ``<item>.answers`` (answers with content, plus those whose text
    is not in the source) and ``<item>.lines`` (lines with content); ``<item>.named.<answer>``
    (lower case) for the answers of :func:`named_counts`, with ``<item>.named`` their total;
    ``<table>.<categorie>`` for response tables; ``<table>.rows``; ``<table>.<item>`` for published
    priorities.
    """
    out = {"respondents": form.n}
    for item in form.items.itertuples():
        x, u = form.answers[item.id], form.unavailable[item.id]
        if item.type in CODED:
            for code in form.scale(item.id)["codes"]:
                out[f"{item.id}.{int(code)}"] = (x == int(code)).sum()
                out[f"{item.id}.pct.{int(code)}"] = 100 * (x == int(code)).sum() / form.n if form.n else np.nan
            out[f"{item.id}.missing"] = (x.isna() & ~u).sum()
            out[f"{item.id}.n"] = x.notna().sum()
        elif item.type == "number":
            out.update({f"{item.id}.mean": x.mean(), f"{item.id}.n": x.notna().sum(),
                        f"{item.id}.min": x.min(), f"{item.id}.max": x.max()})
        else:
            out[f"{item.id}.answers"] = x.map(is_content).sum() + u.sum()
            out[f"{item.id}.lines"] = sum(is_content(line) for t in x if is_content(t) for line in t.splitlines())
            named = named_counts(form, item.id)
            named = named[named.antwoord != NOT_AVAILABLE]
            out.update({f"{item.id}.named.{a.casefold()}": c for a, c in zip(named.antwoord, named.aantal)})
            out[f"{item.id}.named"] = named.aantal.sum()
    for name, t in form.tables.items():
        out[f"{name}.rows"] = len(t)
        if {"categorie", "aantal"} <= set(t.columns):
            out.update({f"{name}.{k}": v for k, v in zip(t.categorie, t.aantal)})
        if {"item", "prioriteit"} <= set(t.columns):
            out.update({f"{name}.{k}": v for k, v in zip(t["item"], t.prioriteit)})
    return pd.Series(out, dtype=float)


def views(form: Form, section) -> list:
    """What the appendix shows for one question, as ``(caption, table)`` pairs: the closed
    question's table (if any), then the answers to each open item of the question."""
    spec = form.question(section)
    out = []
    if spec["kind"] != "text":
        out.append((spec["title"], question_table(form, section)))
    texts = form.section_items(section, ["text"])
    for item in texts.itertuples():
        if spec["kind"] != "text" or len(texts) > 1:
            x = form.answers[item.id]
            if not (x.map(is_content).any() or form.unavailable[item.id].any()):
                continue  # an open field beside a closed question that nobody used
        if spec["kind"] == "text" and len(texts) == 1:
            caption = spec["title"]
        elif spec["kind"] == "text":
            caption = f"{spec['title']} – {item.text}"
        else:
            caption = f"{section}. {item.text}"
        if spec.get("count_names") == item.id:
            out.append((caption, named_counts(form, item.id)))
        elif spec.get("list_lines") == item.id:
            out.append((caption, text_lines(form, item.id)))
        else:
            out.append((caption, text_answers(form, item.id)))
    return out


def show(form: Form, *sections) -> None:
    """Display the tables of :func:`views` for each question in ``sections`` (in a notebook)."""
    from IPython.display import display

    from .report import tabel

    for section in sections:
        for caption, table in views(form, section):
            display(tabel(table, caption))


def scrubbed_table(form: Form, name: str, column: str) -> pd.DataFrame:
    """A free-text table of the form (e.g. absentees' reasons) with ``column`` scrubbed of personal
    data and the other columns (number, source) kept."""
    t = form.tables[name].copy()
    t[column] = t[column].map(lambda v: scrub(v, form.deny))
    return t


def multi_figure(form: Form, section, min_cell: int | None = None):
    """Bars of a several-answers question (how many ticked each option); with ``min_cell``, the
    steering group's version."""
    from . import figures

    t = multi_table(form, section)
    base = int(form.answers[form.section_items(section, CODED).id].notna().any(axis=1).sum())
    return figures.count_bars(t, f"{form.question(section)['title']} (meting {form.wave})", base, min_cell=min_cell)


def choice_figure(form: Form, item: str, title: str, min_cell: int | None = None):
    """Bars of a one-answer question, as :func:`choice_table` counts them."""
    from . import figures

    return figures.count_bars(choice_table(form, item), f"{title} (meting {form.wave})", form.n, min_cell=min_cell)


def grid_figure(form: Form, section, min_cell: int | None = None):
    """Stacked counts of a grid question (e.g. attention per café function)."""
    from . import figures

    t = grid_table(form, section)
    labels = list(form.scale(form.section_items(section, CODED).id.iloc[0])["codes"].values())
    return figures.stacked_counts(t, labels, f"{form.question(section)['title']} (meting {form.wave})", min_cell=min_cell)


def grade_figure(form: Form, title: str, *sections, min_cell: int | None = None):
    """The grades of the grade questions in ``sections``, one row each."""
    from . import figures

    ids = [i for s in sections for i in form.section_items(s, ["number"]).id]
    labels = {i: form.items.set_index("id").at[i, "text"] for i in ids}
    return figures.grades(form.answers, labels, f"{title} (meting {form.wave})", min_cell=min_cell)
