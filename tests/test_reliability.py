"""snwlib.alpha against R psych 2.5.3 (../shared/testdata) and pingouin's own test vectors."""

import warnings

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

import snwlib
from snwlib.reliability import feldt_ci, reverse_key

from .conftest import REPO

BFI = REPO.parent / "shared" / "testdata" / "bfi.csv"


@pytest.fixture(scope="module")
def agreeableness():
    if not BFI.exists():
        pytest.skip(f"R psych test data not present ({BFI})")
    return pd.read_csv(BFI)[["A1", "A2", "A3", "A4", "A5"]]


def test_alpha_agrees_with_r_psych_on_bfi(agreeableness):
    res = snwlib.alpha(agreeableness, reverse=["A1"])
    assert res.alpha == pytest.approx(0.7030184, abs=5e-7)
    assert res.std_alpha == pytest.approx(0.7126594, abs=5e-7)
    assert res.ci == pytest.approx((0.6852643, 0.7200634), abs=5e-7)
    assert res.n == 2800 and res.n_items == 5
    assert res.alpha_if_deleted.round(4).tolist() == [0.7185, 0.6172, 0.6003, 0.6858, 0.6430]
    assert res.item_rest_r.round(3).tolist() == [0.308, 0.564, 0.587, 0.394, 0.489]
    t = res.table()
    assert list(t.columns) == ["item", "reversed", "n", "mean", "sd", "item_rest_r", "alpha_if_deleted"]
    assert t.reversed.tolist() == [True, False, False, False, False]
    # A1 reversed on the observed 1..6 range: mean becomes 7 - mean(A1)
    assert t.loc[0, "mean"] == pytest.approx(7 - agreeableness.A1.mean())
    assert t.n.tolist() == agreeableness.notna().sum().tolist()


def test_a_miskeyed_item_is_flagged(agreeableness):
    with pytest.warns(UserWarning, match=r"probably need reverse keying.*A1 \(r = -0\.\d\d\)"):
        res = snwlib.alpha(agreeableness)
    assert res.item_rest_r["A1"] < 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        snwlib.alpha(agreeableness, reverse=["A1"])  # correctly keyed: no warning


def test_alpha_agrees_with_pingouins_test_vectors():
    long = pg.read_dataset("cronbach_alpha")
    wide = long.pivot(index="Subj", columns="Items", values="Scores")
    with pytest.warns(UserWarning, match=r"Q5 \(r = -0\.11\), Q6 \(r = -0\.16\)"):
        res = snwlib.alpha(wide)
    assert res.alpha == pytest.approx(0.5917188, abs=5e-7)
    assert res.ci == pytest.approx((0.195, 0.840), abs=5e-4)
    missing = pg.read_dataset("cronbach_wide_missing")
    assert snwlib.alpha(missing, warn=False).alpha == pytest.approx(0.7326608, abs=5e-7)  # pairwise
    assert snwlib.alpha(missing.dropna(), warn=False).alpha == pytest.approx(0.8016949, abs=5e-7)  # listwise


def test_reverse_keying_uses_the_given_range():
    x = pd.DataFrame({"a": [1.0, 2, 3], "b": [2.0, 3, np.nan]})
    assert reverse_key(x, ["a"]).a.tolist() == [3, 2, 1]  # observed range of all items: 1..3
    assert reverse_key(x, ["a"], (1, 5)).a.tolist() == [5, 4, 3]
    assert reverse_key(x, ["b"], {"b": (1, 7)}).b.tolist()[:2] == [6, 5]
    with pytest.raises(KeyError, match="'c' is not a column"):
        reverse_key(x, ["c"])


def test_feldt_ci_narrows_with_n():
    lo1, hi1 = feldt_ci(0.8, 14, 4)
    lo2, hi2 = feldt_ci(0.8, 1400, 4)
    assert lo1 < lo2 < 0.8 < hi2 < hi1
    assert 0.8 - lo1 > hi1 - 0.8, "the interval is asymmetric: longer towards 0"
