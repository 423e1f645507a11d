"""The environment is described three times (pyproject, lock, environment.yml); they must agree."""

import re

import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from .conftest import REPO


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = meta["dependencies"] + [r for extra in meta["optional-dependencies"].values() for r in extra]
    return {_name(r): r for r in reqs}


def _environment_yml() -> dict:
    """Requirement per package name: conda's, plus the pip section's packages (not its options)."""
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    reqs = [d for d in env["dependencies"] if isinstance(d, str)]
    reqs += [r for d in env["dependencies"] if isinstance(d, dict) for r in d.get("pip", []) if not r.startswith("-")]
    return {_name(r): r.replace(" ", "") for r in reqs if _name(r) not in ("python", "pip")}


def test_environment_yml_names_the_same_packages_as_pyproject():
    assert set(_environment_yml()) == set(_pyproject())


def test_environment_yml_has_the_same_bounds_as_pyproject():
    conda = _environment_yml()
    for name, req in _pyproject().items():
        assert conda[name] == req.replace(" ", ""), name


def test_lock_pins_every_dependency_with_hashes():
    lock = (REPO / "requirements.lock").read_text()
    pinned = {m.group(1).lower().replace("_", "-") for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==", lock, re.M)}
    assert set(_pyproject()) <= pinned
    blocks = [b for b in re.split(r"\n(?=[A-Za-z0-9])", lock) if "==" in b.split("\n")[0]]
    assert blocks and all("--hash=sha256:" in b for b in blocks)


def test_python_310_is_supported_by_the_lock():
    lock = (REPO / "requirements.lock").read_text()
    # a universal lock: either one version for every Python, or a fork that covers 3.10
    assert re.search(r"^pingouin==[\d.]+ ; python_full_version < '3.11'", lock, re.M)
    assert tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"] == ">=3.10"
