"""House style of snwlib: every module says what it exports, every public function documents its
parameters and what it returns (numpy style, as pingouin does)."""

import importlib
import inspect
import pkgutil

import pytest

import snwlib

MODULES = sorted(m.name for m in pkgutil.iter_modules(snwlib.__path__) if m.name != "__main__")


def _public_functions(mod):
    for name in mod.__all__:
        obj = getattr(mod, name)
        if inspect.isfunction(obj) and obj.__module__ == mod.__name__:
            yield name, obj
        elif inspect.isclass(obj) and obj.__module__ == mod.__name__:
            for attr, f in vars(obj).items():
                if inspect.isfunction(f) and not attr.startswith("_"):
                    yield f"{name}.{attr}", f


@pytest.mark.parametrize("name", MODULES)
def test_every_module_declares_all(name):
    mod = importlib.import_module(f"snwlib.{name}")
    assert hasattr(mod, "__all__"), f"snwlib.{name} has no __all__"
    assert all(hasattr(mod, n) for n in mod.__all__), [n for n in mod.__all__ if not hasattr(mod, n)]


@pytest.mark.parametrize("name", MODULES)
def test_every_public_function_has_parameters_and_returns(name):
    mod = importlib.import_module(f"snwlib.{name}")
    gaps = []
    for qual, f in _public_functions(mod):
        doc = inspect.getdoc(f) or ""
        params = [p for p in inspect.signature(f).parameters if p not in ("self", "cls")]
        if params and "Parameters\n----------" not in doc:
            gaps.append(f"{qual}: Parameters")
        if "Returns\n-------" not in doc and "Yields\n------" not in doc:
            gaps.append(f"{qual}: Returns")
    assert not gaps, gaps
