"""Personal data in free text: e-mail addresses, phone numbers and person names become markers.

Free-text answers are shown as people wrote them, except for what identifies a person:
:func:`scrub` replaces e-mail addresses by ``[e-mailadres]``, phone numbers by
``[telefoonnummer]`` and person names by ``[naam]``. Whole columns that identify people (a name,
an e-mail address asked for by the form) never get this far: the scoring engine splits them off
at ingestion (:func:`snwlib.scoring.read_answers`).

Names are found by ``deduce`` (Menger et al., 2018), a de-identification method for Dutch text
that runs offline: it combines Dutch first-name and surname lists with patterns ("mijn collega
(Bram van der Kamp)", "mevrouw Bakker"). We use it rather than writing our own because name
recognition needs exactly those curated lists. Only its person, e-mail and phone annotations are
used: place and institution names (Doetank names such as "Jongeren Delft") stay. Names it cannot
know are caught by a deny-list, a text file with one name per line (``#`` starts a comment) that
lives with the raw data and is never copied to any output; its place is
``<raw wave folder>/privacy_denylist.txt``. Two regular expressions for e-mail addresses and
Dutch phone numbers back deduce up.

References
----------
Menger, V., Scheepers, F., van Wijk, L. M., & Spruit, M. (2018). DEDUCE: A pattern matching method
for automatic de-identification of Dutch medical text. *Telematics and Informatics*, 35(4),
727-736.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

__all__ = ["scrub", "scrub_series", "load_denylist", "DENYLIST_FILE", "DEDUCE_TAGS", "NAME", "EMAIL", "PHONE"]

NAME, EMAIL, PHONE = "[naam]", "[e-mailadres]", "[telefoonnummer]"

#: deduce's annotation tags that are scrubbed, and their markers.
DEDUCE_TAGS = {"persoon": NAME, "patient": NAME, "emailadres": EMAIL, "telefoonnummer": PHONE}

DENYLIST_FILE = "privacy_denylist.txt"

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Dutch numbers: 06-12345678, 010 123 45 67, +31 6 1234 5678, 0031-10-1234567.
_PHONE_RE = re.compile(r"(?<![\w+])(?:\+31|0031|0)(?:[\s-]?\(0\))?(?:[\s-]?\d){9}(?!\d)")


@lru_cache(maxsize=1)
def _deduce():
    # Loading deduce's lookup structures (built once per install, ~2.5 min; the Makefile does
    # that when it creates the environment) unpickles a few million small objects. Python's cyclic
    # garbage collector would scan them over and over while they arrive (7 s in all, 2 s without
    # it), and again in every later collection: it is off while they load, and they are then
    # frozen (kept out of later collections; they live as long as the process anyway).
    import gc
    import logging

    # deduce 3 calls logging.basicConfig(stream=sys.stdout, level=DEBUG) when imported, which would
    # print every library's debug messages into notebooks and HTML; undo that.
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from deduce import Deduce
    finally:
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
        root.setLevel(level)
    collecting = gc.isenabled()
    gc.disable()
    try:
        deduce = Deduce()
    finally:
        if collecting:
            gc.enable()
    gc.freeze()
    return deduce


def load_denylist(raw_dir) -> tuple:
    """The names of ``<raw_dir>/privacy_denylist.txt`` (empty if there is no such file).

    Parameters
    ----------
    raw_dir : str or Path
        The raw folder of a wave.

    Returns
    -------
    tuple of str
        One name per non-empty line, in file order, stripped of surrounding spaces and of
        comments (from ``#`` to the end of the line).
    """
    path = Path(raw_dir) / DENYLIST_FILE
    if not path.exists():
        return ()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8-sig").splitlines())
    return tuple(line for line in lines if line)


def _spans(text: str, deny) -> list:
    spans = [(m.start(), m.end(), EMAIL) for m in _EMAIL_RE.finditer(text)]
    spans += [(m.start(), m.end(), PHONE) for m in _PHONE_RE.finditer(text)]
    for name in deny:
        pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, name.split())) + r"(?!\w)"
        spans += [(m.start(), m.end(), NAME) for m in re.finditer(pattern, text, flags=re.IGNORECASE)]
    doc = _deduce().deidentify(text)
    spans += [
        (a.start_char, a.end_char, DEDUCE_TAGS[a.tag])
        for a in doc.annotations
        if a.tag in DEDUCE_TAGS and not _capitalised_word(text, a)
    ]
    return sorted(spans)


def _capitalised_word(text: str, annotation) -> bool:
    """Whether a person annotation is one word that is capitalised only because a sentence starts.

    deduce's first-name list holds Dutch words that are also names ("Fris", "Mooi", "Slim"); a
    capital at the start of a sentence says nothing, so a single word there is not taken as a name.
    Two-word names ("Piet Jansen"), names with a title ("mevrouw Bakker") and single names inside
    a sentence ("bij Lobke") are. A lone first name opening a sentence is missed: the deny-list is
    the remedy.
    """
    if annotation.tag not in ("persoon", "patient") or len(annotation.text.split()) > 1:
        return False
    before = text[: annotation.start_char].rstrip()
    return before == "" or before[-1] in '.!?:;\n("“‘-–—'


def scrub(text, deny=()) -> str:
    """``text`` with e-mail addresses, phone numbers and person names replaced by markers.

    Parameters
    ----------
    text : str or None
        A free-text answer. ``None``/NaN is returned as is.
    deny : iterable of str
        Extra names to remove (matched ignoring case, whole words, any whitespace between parts).

    Returns
    -------
    str
        Overlapping finds are merged; the marker of the first one is kept.

    Examples
    --------
    >>> scrub("is mijn collega (Bram van der Kamp) er alleen naartoe gegaan")
    'is mijn collega ([naam]) er alleen naartoe gegaan'
    >>> scrub("mail j.devries@gemeente.nl of bel 06-12345678")
    'mail [e-mailadres] of bel [telefoonnummer]'
    >>> scrub("Jongeren Delft, met dank aan Wim", deny=["wim"])
    'Jongeren Delft, met dank aan [naam]'
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return text
    text = str(text)
    merged: list = []
    for start, end, marker in _spans(text, deny):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), merged[-1][2])
        else:
            merged.append((start, end, marker))
    for start, end, marker in reversed(merged):
        text = text[:start] + marker + text[end:]
    return text


def scrub_series(values: pd.Series, deny=()) -> pd.Series:
    """:func:`scrub` applied to every cell of ``values``.

    Parameters
    ----------
    values : pandas.Series
        Free-text answers; ``None``/NaN cells are returned as they are.
    deny : iterable of str
        Extra names to remove, as in :func:`scrub`.

    Returns
    -------
    pandas.Series
        The scrubbed texts, with the index and name of ``values``.
    """
    return values.map(lambda v: scrub(v, deny))
