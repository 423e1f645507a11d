"""Dutch formatting of numbers and dates for tables and figures."""

from __future__ import annotations

import math

import pandas as pd

__all__ = ["number", "count", "times", "join", "sentence", "one_wave", "date", "period", "fill_template", "MONTHS"]

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def number(x, decimals: int | None = None) -> str:
    """Format a number the Dutch way: ``.`` groups thousands, ``,`` is the decimal sign.

    Whole numbers get no decimals unless ``decimals`` is given.

    Parameters
    ----------
    x : float, int or None
        The number.
    decimals : int, optional
        Number of decimals (rounded); by default none for a whole number and as many as the
        number has otherwise.

    Returns
    -------
    str
        The formatted number; ``""`` for None or NaN.

    Examples
    --------
    >>> number(10553), number(7.8), number(7.4285, 2), number(None), number(-0.001, 2)
    ('10.553', '7,8', '7,43', '', '0,00')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if decimals is None:
        decimals = 0 if float(x).is_integer() else len(repr(float(x)).split(".")[1])
    x = float(x)
    if round(x, decimals) == 0:
        x = 0.0  # no "-0"
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


# Dutch house style writes counts up to twenty in words. Twenty-one words need no library
# (num2words would be a dependency for this list alone).
_WORDS = (
    "geen één twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien "
    "zestien zeventien achttien negentien twintig"
).split()


def count(n) -> str:
    """A count as Dutch text reads it: in words up to twenty, in digits above.

    Parameters
    ----------
    n : int
        A whole number, 0 or more.

    Returns
    -------
    str

    Examples
    --------
    >>> count(0), count(1), count(14), count(21), count(10553)
    ('geen', 'één', 'veertien', '21', '10.553')
    """
    n = int(n)
    return _WORDS[n] if 0 <= n < len(_WORDS) else number(n)


def times(n) -> str:
    """How often, in Dutch: 'één keer', 'twee keer', '25 keer', 'nergens'.

    Parameters
    ----------
    n : int

    Returns
    -------
    str

    Examples
    --------
    >>> times(1), times(2), times(0)
    ('één keer', 'twee keer', 'geen enkele keer')
    """
    return "geen enkele keer" if int(n) == 0 else f"{count(n)} keer"


def join(items) -> str:
    """Items as a Dutch enumeration: 'a', 'a en b', 'a, b en c'.

    Parameters
    ----------
    items : iterable of str

    Returns
    -------
    str

    Examples
    --------
    >>> join(["a"]), join(["a", "b"]), join(["a", "b", "c"]), join([])
    ('a', 'a en b', 'a, b en c', '')
    """
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1] if items else ""


def sentence(text: str) -> str:
    """``text`` with a capital first letter ('één' becomes 'Eén', as Dutch writes it).

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> sentence("vijf aangemelde personen"), sentence("één respondent")
    ('Vijf aangemelde personen', 'Eén respondent')
    """
    if text.startswith("één"):
        return "Eén" + text[3:]
    return text[:1].upper() + text[1:]


def one_wave(wave, what: str) -> str:
    """The monitor's sentence when there is one wave: its course follows from the next one.

    Parameters
    ----------
    wave : str or None
        The wave (None: no wave named).
    what : str
        What the monitor follows, e.g. ``"de kanalen"``.

    Returns
    -------
    str

    Examples
    --------
    >>> one_wave("2012", "de kanalen")
    'Er is één meting (2012): het verloop van de kanalen over de metingen volgt vanaf de volgende meting.'
    """
    which = f" ({wave})" if wave else ""
    return f"Er is één meting{which}: het verloop van {what} over de metingen volgt vanaf de volgende meting."


def date(ts) -> str:
    """Format a date as '12 december 2012'.

    Parameters
    ----------
    ts : pandas.Timestamp, datetime or str
        The date (anything :class:`pandas.Timestamp` accepts); a time of day is ignored.

    Returns
    -------
    str
        Day, Dutch month name and year.

    Examples
    --------
    >>> date(pd.Timestamp("2012-12-12"))
    '12 december 2012'
    """
    ts = pd.Timestamp(ts)
    return f"{ts.day} {MONTHS[ts.month - 1]} {ts.year}"


def period(begin, end) -> str:
    """Format a period; a single day or whole month reads as such.

    Parameters
    ----------
    begin : pandas.Timestamp, datetime or str
        The first day.
    end : pandas.Timestamp, datetime or str
        The last day.

    Returns
    -------
    str
        One date (:func:`date`) when begin and end are equal; month and year for a whole
        calendar month; the year for a whole calendar year; otherwise both dates joined by an en
        dash.

    Examples
    --------
    >>> period("2012-12-12", "2012-12-12"), period("2011-09-01", "2011-09-30")
    ('12 december 2012', 'september 2011')
    >>> period("2011-10-14", "2012-11-13")
    '14 oktober 2011 – 13 november 2012'
    """
    b, e = pd.Timestamp(begin), pd.Timestamp(end)
    if b == e:
        return date(b)
    if b.day == 1 and e == b + pd.offsets.MonthEnd(0):
        return f"{MONTHS[b.month - 1]} {b.year}"
    if (b.month, b.day, e.month, e.day) == (1, 1, 12, 31) and b.year == e.year:
        return str(b.year)
    return f"{date(b)} – {date(e)}"


def fill_template(template: str, values) -> str:
    """Replace each ``{key}`` in ``template`` by ``values[key]`` in Dutch format ("?" if absent).

    Parameters
    ----------
    template : str
        Text with ``{key}`` placeholders (a codebook's table template).
    values : pandas.Series
        Numbers by key.

    Returns
    -------
    str

    Examples
    --------
    >>> fill_template("{a.b}x, {a.c} bezoekers", pd.Series({"a.b": 4.0, "a.c": 10553.0}))
    '4x, 10.553 bezoekers'
    >>> fill_template("{a.b}x en {a.c}", pd.Series({"a.b": 2.0}))
    '2x en ?'
    """
    import re

    def one(match):
        key = match.group(1)
        return number(round(float(values[key]), 2)) if key in values.index else "?"

    return re.sub(r"\{([^{}]+)\}", one, template)
