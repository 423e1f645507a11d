"""Saving figures: :func:`snwlib.figures.save` writes what ``savefig(bbox_inches="tight")`` writes
(the SVG byte for byte, the PNG pixel for pixel), for figures of every kind in the appendices, the
steering group's versions too."""

import io

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from snwlib import doetanks, figures, inventory, questionnaire
from snwlib.disclosure import protect


def _sections(wave):
    q = questionnaire.load(wave)
    return list(questionnaire.frequenties_per_sectie(q).values())


def _diverging(wave):
    title, table = _sections(wave)[0]
    return figures.diverging_bars(table, title)


def _diverging_steering(wave):
    """Hatched segments, a legend wider than the figure: its content lies partly outside it."""
    title, table = _sections(wave)[2]
    p = protect(table, 5)
    return figures.diverging_bars(p.shown(), title, hidden=p.mask(), min_cell=5)


def _histogram_steering(wave):
    title, table = next(iter(questionnaire.verdelingen(questionnaire.load(wave)).values()))
    p = protect(table, 5)
    return figures.histogram(p.shown(), title, hidden=p.mask(), min_cell=5)


def _funnel(wave):
    """Whose SVG shows whether the box is applied with savefig's own arithmetic, to the last digit
    (its clip paths are named by a hash of their coordinates)."""
    return figures.funnel(doetanks.fasen(doetanks.load(wave)), "Doetanks per fase en status")


def _channels(wave):
    """Several axes, a title over them and a note below the figure's edge."""
    return figures.channel_growth(inventory.kanalen(inventory.load(wave)))


def _with_an_image(wave):
    """An image: raster data in the SVG, which is saved the ordinary way."""
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.imshow(np.arange(12.0).reshape(3, 4))
    ax.set_title("beeld")
    fig.tight_layout()
    return fig


def _constrained(wave):
    """An automatic layout, run at every draw: saved the ordinary way."""
    fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
    ax.plot([0.5, 1.5, 2.5], [1, 3, 2])
    ax.set_ylabel("aantal respondenten")
    return fig


def _ordinary(fig) -> dict:
    """What the saving did before: savefig with bbox_inches="tight", each format measured anew."""
    figures.dutch_ticks(fig)
    out = {}
    for fmt, extra in (("png", {"dpi": 150}), ("svg", {"metadata": {"Date": None}})):
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, bbox_inches="tight", **extra)
        out[fmt] = buf.getvalue()
    return out


@pytest.mark.parametrize(
    "draw", [_diverging, _diverging_steering, _histogram_steering, _funnel, _channels, _with_an_image, _constrained]
)
def test_a_saved_figure_is_what_savefig_tight_writes(wave, tmp_path, draw, monkeypatch):
    """save() writes, from a figure laid out with the text sizes shared between renderers
    (figures._share_text_metrics), what savefig writes of a figure drawn and saved with
    matplotlib's own cache of them, one per renderer."""
    import matplotlib.text

    shared = matplotlib.text._get_text_metrics_function
    assert shared.snwlib_shared
    fig = draw(wave)
    paths = figures.save(fig, "f", tmp_path)
    plt.close(fig)
    monkeypatch.setattr(matplotlib.text, "_get_text_metrics_function", shared.original)
    fig = draw(wave)
    expected = _ordinary(fig)
    plt.close(fig)
    assert paths["svg"].read_bytes() == expected["svg"]
    png, ordinary = Image.open(paths["png"]), Image.open(io.BytesIO(expected["png"]))
    assert png.size == ordinary.size and png.info["dpi"] == ordinary.info["dpi"]
    assert png.info["Software"] == ordinary.info["Software"]
    assert np.array_equal(np.asarray(png.convert("RGBA")), np.asarray(ordinary.convert("RGBA")))


def test_saving_leaves_the_figure_as_it_was(tmp_path):
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([1, 2, 3])
    fig.tight_layout()
    engine, dpi, size = fig.get_layout_engine(), fig.dpi, tuple(fig.get_size_inches())
    figures.save(fig, "f", tmp_path)
    assert fig.get_layout_engine() is engine and fig.dpi == dpi and tuple(fig.get_size_inches()) == size
    plt.close(fig)
