"""Personal data in free text: what is scrubbed and what is left alone."""

import logging

import pytest

from snwlib import privacy
from snwlib.privacy import load_denylist, scrub


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Contact: Jan de Vries, 06-12345678, j.devries@gemeente.nl",
            "Contact: [naam], [telefoonnummer], [e-mailadres]",
        ),
        ("De adresgegevens zijn bij Lobke.", "De adresgegevens zijn bij [naam]."),
        ("mevrouw Bakker vond het goed", "[naam] vond het goed"),
        ("bereikbaar op +31 6 1234 5678 en 010 123 45 67", "bereikbaar op [telefoonnummer] en [telefoonnummer]"),
        ("info: 0031-10-1234567.", "info: [telefoonnummer]."),
    ],
)
def test_names_phones_and_emails_are_replaced(text, expected):
    assert scrub(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # words that are also first names, capitalised only because a sentence starts (2012 answers)
        "Fris, aantrekkelijk en overzichtelijk",
        "actief geweest in de Doe Tank - Mobiliteitsparadox. Mooi onderwerp maar de Doetank",
        "Slim en verantwoord innen",
        # Doetank and organisation names, places, numbers that are not phone numbers
        "Jongeren Delft",
        "Groene Mug",
        "Open Slopen (nieuw)",
        "Waterschap De Dommel",
        "UWV en Newpublic",
        "Laten Kennisland, Kafkabrigade en TNO duidelijker maken",
        "een pilot van 7 maanden; 10.553 bezoekers in 2012; 3:41 minuten",
        "daar ga ik het met X over hebben",
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert scrub(text) == text


def test_missing_values_pass_through():
    assert scrub(None) is None
    assert scrub(float("nan")) != scrub(float("nan"))  # NaN stays NaN


def test_denylist_file(tmp_path):
    assert load_denylist(tmp_path) == ()
    (tmp_path / "privacy_denylist.txt").write_text(
        "\ufeff# namen die deduce niet kent\nWim   # voorzitter\n\nTjeerd Hoekstra\n", encoding="utf-8"
    )
    deny = load_denylist(tmp_path)
    assert deny == ("Wim", "Tjeerd Hoekstra")
    assert scrub("Wim, bedankt! Groet van tjeerd  hoekstra", deny) == "[naam], bedankt! Groet van [naam]"
    assert scrub("Wimpel", deny) == "Wimpel", "whole words only"


def test_loading_deduce_leaves_logging_alone():
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    privacy._deduce.cache_clear()
    scrub("Piet Jansen")
    assert (list(root.handlers), root.level) == before
