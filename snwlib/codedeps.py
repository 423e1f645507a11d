"""Which code of snwlib each notebook can reach: a fingerprint per notebook, so that Make reruns a
notebook when that code changes, and only then.

A notebook's outputs depend on the snwlib code its cells call, on what that code calls in turn,
and on the code of the command that runs it and exports its HTML (``python -m snwlib run``:
:func:`snwlib.pipeline.main_run`, :mod:`snwlib.export`, the warm server of
:mod:`snwlib.forkserver` and the modules it imports into every kernel). This module finds that
code by reading the source, without importing it (the standard library only, so it starts in a
fraction of a second):

- *units*: each top-level function and each top-level class (with all its methods) of each module,
  and one *body* per module: its other top-level statements (imports, constants, dictionaries).
  A unit's content is its syntax tree (:func:`ast.dump`), so a comment, blank lines or code moving
  within the file change nothing, and any other edit changes the unit.
- *roots*: what a notebook's code cells name: ``figures.diverging_bars`` after ``from snwlib import
  figures``, ``open_wave`` after ``from snwlib.processed import open_wave``, and the bodies of the
  modules it imports; plus the body of ``snwlib.__main__`` for the command (its branches for other
  commands left out: see *dispatch* below).
- *edges*: a name of the same module's top level; ``alias.attr`` for a snwlib module imported at
  the top or inside the function (``from . import nl``, ``from .figures import save``); every unit
  depends on its module's body, and a body on what its statements name (a dictionary of functions
  reaches them all) and on the bodies of the modules it imports.

What cannot be resolved from the source errs on the side of more: a module used as a value
(``getattr(figures, name)``, ``vars(figures)``), ``from x import *``, ``globals()``: the whole
module. ``importlib.import_module`` (and ``__import__``) with an argument built only from string
constants of the module (a literal, a loop over a constant tuple, a constant dictionary's values)
reaches those modules; with any other argument every module. ``exec``, ``eval`` and ``compile``
reach every module. A decorated top-level function or class (other than with ``dataclass``,
``cache``, ``property`` and the like) is reached from its module's body, since a decorator can
register it where a name cannot be followed.

Two narrow, exact refinements keep the analysis useful:

- *lazy names* (PEP 562): ``snwlib.__getattr__`` runs on ``from snwlib import figures``; when it is
  guarded by ``if name in _LAZY:`` (a constant dictionary), a name outside ``_LAZY`` reaches only
  the guard and the statements after it, not the imports it makes for the lazy names.
- *dispatch*: in a function that calls ``add_subparsers(dest="cmd")``, a branch ``if a.cmd ==
  "collect":`` cannot run for the command ``run`` and is left out of that command's edges (the
  function's content still counts whole).

A fingerprint also covers the Python version and the set of snwlib modules (a module added or
removed changes every fingerprint). A module that does not parse is part of every fingerprint, as
its text. Non-Python files that snwlib reads (``snwlib/templates``, ``codebooks``) are not
analysed here: the Makefile makes every notebook depend on all of them.

``python -m snwlib.codedeps --out DIR [TARGET ...]`` writes ``DIR/<target>.sha`` (the fingerprint)
only when it changed, so its date says when that code last changed, and ``DIR/<target>.units``:
every unit reached, its digest, and the unit it was reached from; the listing before the last change
is kept as ``<target>.units.before``. A target is a notebook (``C7``) or a command whose output
Make keeps (``collect``, ``index``). Without ``--out`` it prints what each target reaches.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sys
from collections import deque
from pathlib import Path

__all__ = ["Analysis", "COMMANDS", "write", "main"]

PACKAGE = "snwlib"
REPO = Path(__file__).resolve().parents[1]
#: The commands, besides ``run`` (each notebook's), whose outputs Make keeps: their code is a
#: target of its own.
COMMANDS = ("collect", "index")
#: The module whose body a command starts from (``python -m snwlib <command>``).
ENTRY = f"{PACKAGE}.__main__"
BODY = "<body>"
SOURCE = "<source>"
MISS = "#miss"
#: Decorators that only wrap or describe what they decorate: they register it nowhere.
PLAIN_DECORATORS = frozenset(
    {"dataclass", "cache", "lru_cache", "cached_property", "contextmanager", "property", "staticmethod"}
    | {"classmethod", "wraps", "total_ordering", "abstractmethod", "setter", "getter", "deleter"}
)
#: Methods that change a list, dictionary or set in place.
MUTATORS = frozenset(
    {"append", "extend", "insert", "remove", "pop", "popitem", "clear", "update", "setdefault", "add", "discard"}
    | {"sort", "reverse", "__setitem__", "__delitem__", "__ior__", "difference_update", "intersection_update"}
)
#: Built-in functions that read a container and do not keep or change it.
READERS = frozenset({"sorted", "list", "tuple", "set", "frozenset", "dict", "len", "iter", "any", "all", "enumerate"})
DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _walk(*roots):
    """Every node under ``roots`` (like :func:`ast.walk`, faster; expression contexts left out)."""
    stack = list(roots)
    while stack:
        node = stack.pop()
        yield node
        for field in node._fields:
            if field == "ctx":
                continue
            value = getattr(node, field, None)
            if value.__class__ is list:
                stack.extend([v for v in value if isinstance(v, ast.AST)])
            elif isinstance(value, ast.AST):
                stack.append(value)


class _Facts:
    """What a piece of code binds and changes, gathered in one walk before its names are followed.

    Attributes
    ----------
    local : dict
        Names its import statements bind (:func:`_import_bindings`).
    loops : dict
        Names bound only as a ``for`` target: the iterables.
    stored : set
        Names it binds otherwise (assignments, parameters).
    bare_calls : set
        ``id`` of calls that are statements of their own (their value unused).
    dispatch : str or None
        ``dest`` of an ``add_subparsers(dest=...)`` call.
    changed, passed, outside : set
        Names changed in place or rebound through ``global``; names passed to a function (which
        may change them); attribute names changed in place or assigned (``module.NAME[k] = v``).
    subclass_hook : bool
        Whether it defines ``__init_subclass__``.
    """

    def __init__(self, nodes, here):
        self.local: dict[str, list] = {}
        self.loops: dict[str, list] = {}
        self.stored: set[str] = set()
        self.bare_calls: set[int] = set()
        self.dispatch = None
        self.changed: set[str] = set()
        self.passed: set[str] = set()
        self.outside: set[str] = set()
        self.subclass_hook = False
        loop_targets, stores = set(), []
        for node in _walk(*nodes):
            kind = node.__class__
            if kind is ast.Name:
                if node.ctx.__class__ is not ast.Load:
                    stores.append(node)
            elif kind is ast.Call:
                f = node.func
                if f.__class__ is ast.Attribute:
                    if f.attr == "add_subparsers":
                        for k in node.keywords:
                            if k.arg == "dest" and isinstance(k.value, ast.Constant):
                                self.dispatch = k.value.value
                    if f.attr in MUTATORS:
                        if f.value.__class__ is ast.Name:
                            self.changed.add(f.value.id)
                        elif f.value.__class__ is ast.Attribute:
                            self.outside.add(f.value.attr)
                if not (f.__class__ is ast.Name and f.id in READERS):
                    for arg in [*node.args, *(k.value for k in node.keywords)]:
                        if arg.__class__ is ast.Name:
                            self.passed.add(arg.id)
            elif kind is ast.Attribute:
                if node.ctx.__class__ is not ast.Load:
                    self.outside.add(node.attr)
            elif kind is ast.Subscript:
                if node.ctx.__class__ is not ast.Load:
                    if node.value.__class__ is ast.Name:
                        self.changed.add(node.value.id)
                    elif node.value.__class__ is ast.Attribute:
                        self.outside.add(node.value.attr)
            elif kind is ast.Import or kind is ast.ImportFrom:
                for alias, binding in _import_bindings(node, here):
                    if alias != "*":
                        self.local.setdefault(alias, []).append(binding)
            elif kind is ast.For or kind is ast.AsyncFor or kind is ast.comprehension:
                if node.target.__class__ is ast.Name:
                    loop_targets.add(id(node.target))
                    self.loops.setdefault(node.target.id, []).append(node.iter)
            elif kind is ast.arg:
                self.stored.add(node.arg)
            elif kind is ast.Expr:
                if node.value.__class__ is ast.Call:
                    self.bare_calls.add(id(node.value))
            elif kind is ast.AugAssign:
                if node.target.__class__ is ast.Name:
                    self.changed.add(node.target.id)
            elif kind is ast.Global:
                self.changed.update(node.names)
            elif kind is ast.FunctionDef and node.name == "__init_subclass__":
                self.subclass_hook = True
        self.stored.update(n.id for n in stores if id(n) not in loop_targets)
        for name in [n for n in self.loops if n in self.stored]:
            del self.loops[name]  # a loop's name that is also assigned otherwise is not the loop's alone


class _Module:
    """One module of snwlib as read from its source: its units and what its top level binds."""

    def __init__(self, name: str, text: str, is_package: bool):
        self.name = name
        self.text = text
        self.is_package = is_package
        self.package = name if is_package else name.rpartition(".")[0]
        self.defs: dict[str, list] = {}
        self.body: list = []
        self.facts: dict[str, _Facts] = {}
        self.bound: set[str] = set()
        self.imports: dict[str, list] = {}
        self.stars: list[str] = []
        self.consts: dict[str, ast.expr] = {}
        self.registering: set[str] = set()
        self.hook_keys = None
        self.hook_dict = None
        self.hook_miss: list = []
        try:
            self.tree = ast.parse(text)
        except (SyntaxError, ValueError):
            self.tree = None
            return
        for stmt in self.tree.body:
            if isinstance(stmt, DEFS):
                self.defs.setdefault(stmt.name, []).append(stmt)
                if not all(_plain_decorator(d) for d in stmt.decorator_list) or (
                    isinstance(stmt, ast.ClassDef) and stmt.keywords
                ):
                    self.registering.add(stmt.name)
            else:
                self.body.append(stmt)
        self.facts = {name: _Facts(nodes, self) for name, nodes in self.defs.items()}
        self.facts[BODY] = _Facts(self.body, self)
        assigned: dict[str, int] = {}
        for stmt in self.body:
            for node in _walk_outside_defs(stmt):
                if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                    self.bound.add(node.id)
                    assigned[node.id] = assigned.get(node.id, 0) + 1
                elif isinstance(node, DEFS):
                    self.bound.add(node.name)
                    assigned[node.name] = assigned.get(node.name, 0) + 1
                elif isinstance(node, (ast.Import, ast.ImportFrom)):
                    for alias, binding in _import_bindings(node, self):
                        if binding[0] == "star":
                            self.stars.append(binding[1])
                        else:
                            self.bound.add(alias)
                            self.imports.setdefault(alias, []).append(binding)
                            assigned[alias] = assigned.get(alias, 0) + 1
        self._constants(assigned)
        self._lazy_hook()

    def uids(self) -> list[str]:
        """Every unit of the module (its body first)."""
        if self.tree is None:
            return [f"{self.name}:{SOURCE}"]
        out = [f"{self.name}:{BODY}"] + [f"{self.name}:{d}" for d in self.defs]
        if "__getattr__" in self.defs and self.hook_keys is not None:
            out.append(f"{self.name}:__getattr__{MISS}")
        return out

    def _constants(self, assigned: dict) -> None:
        """Names the top level assigns once to a literal of strings, and nothing changes."""
        changed = set().union(*(f.changed for f in self.facts.values()))
        passed = set().union(*(f.passed for f in self.facts.values()))
        for stmt in self.body:
            target = None
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                target = stmt.targets[0].id
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                target = stmt.target.id
            if not target or assigned.get(target) != 1 or not _literal_strings(stmt.value) or target in changed:
                continue
            if target in passed and not isinstance(stmt.value, (ast.Tuple, ast.Constant)):
                continue  # a function given the dictionary (or list, set) could change it
            self.consts[target] = stmt.value

    def _lazy_hook(self) -> None:
        """PEP 562: ``__getattr__(name)`` guarded by ``if name in CONST_DICT:``; what a name outside
        the dictionary runs is the function without that branch."""
        fns = self.defs.get("__getattr__", [])
        if len(fns) != 1 or not isinstance(fns[0], ast.FunctionDef) or len(fns[0].args.args) != 1:
            return
        fn = fns[0]
        param = fn.args.args[0].arg
        for i, stmt in enumerate(fn.body):
            if (
                isinstance(stmt, ast.If)
                and not stmt.orelse
                and isinstance(stmt.test, ast.Compare)
                and isinstance(stmt.test.left, ast.Name)
                and stmt.test.left.id == param
                and len(stmt.test.ops) == 1
                and isinstance(stmt.test.ops[0], ast.In)
                and isinstance(stmt.test.comparators[0], ast.Name)
                and isinstance(self.consts.get(stmt.test.comparators[0].id), ast.Dict)
            ):
                # Stores to the parameter before the guard would make the guard test another name.
                before = [n for s in fn.body[:i] for n in ast.walk(s)]
                if any(isinstance(n, ast.Name) and n.id == param and not isinstance(n.ctx, ast.Load) for n in before):
                    return
                self.hook_dict = stmt.test.comparators[0].id
                self.hook_keys = frozenset(k.value for k in self.consts[self.hook_dict].keys)
                self.hook_miss = [*fn.decorator_list, fn.args, stmt.test, *fn.body[:i], *fn.body[i + 1 :]]
                return


def _plain_decorator(node) -> bool:
    while isinstance(node, ast.Call):
        node = node.func
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
    return name in PLAIN_DECORATORS


def _walk_outside_defs(stmt):
    """The nodes of a top-level statement, not descending into functions or classes it defines."""
    todo = [stmt]
    while todo:
        node = todo.pop()
        yield node
        if node is stmt or not isinstance(node, (*DEFS, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))
        elif isinstance(node, DEFS):
            # decorators and defaults run where the function or class is defined
            todo.extend(node.decorator_list)
            if isinstance(node, ast.ClassDef):
                todo.extend([*node.bases, *node.keywords])
            else:
                todo.extend([*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)])


def _literal_strings(node) -> bool:
    """A literal tuple, list, set or dictionary of strings (a dictionary's keys and values), or a string."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts)
    if isinstance(node, ast.Dict):
        items = [*node.keys, *node.values]
        return all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in items)
    return False


def _absolute(level: int, module: str | None, here: _Module | None) -> str:
    """The absolute name of ``from <level dots><module> import``, seen from module ``here``."""
    if not level:
        return module or ""
    if here is None:
        return ""
    parts = here.package.split(".")
    base = ".".join(parts[: len(parts) - (level - 1)]) if level - 1 < len(parts) else ""
    return f"{base}.{module}" if module and base else (module or base)


def _import_bindings(node, here: _Module | None):
    """``(name, binding)`` for each name an import statement binds.

    A binding is ``("module", m)`` (the name is module ``m``), ``("from", m, attr)`` (attribute
    ``attr`` of module ``m``), ``("star", m)``, or ``("ext", m)`` / ``("extfrom", m, attr)`` for
    modules outside snwlib.
    """
    if isinstance(node, ast.Import):
        for alias in node.names:
            ours = alias.name == PACKAGE or alias.name.startswith(PACKAGE + ".")
            if alias.asname:
                yield alias.asname, ("module" if ours else "ext", alias.name)
            else:
                top = alias.name.partition(".")[0]
                yield top, ("module" if ours else "ext", top)
        return
    module = _absolute(node.level, node.module, here)
    ours = module == PACKAGE or module.startswith(PACKAGE + ".")
    for alias in node.names:
        if alias.name == "*":
            yield "*", ("star" if ours else "extstar", module)
        else:
            yield alias.asname or alias.name, ("from" if ours else "extfrom", module, alias.name)


def _parents(module: str):
    """The packages a module's import executes first, outermost first."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _notebook_code(text: str) -> ast.Module:
    """The code cells of a notebook (its JSON text) as one module.

    Raises
    ------
    SyntaxError
        A cell that is not plain Python (an IPython magic, ``!command``, ``name?``): such a
        notebook is not analysed, and reaches everything.
    """
    body = []
    for cell in json.loads(text).get("cells", []):
        if cell.get("cell_type") == "code":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            body += ast.parse(source).body
    return ast.Module(body=body, type_ignores=[])


class _Scan:
    """The units (and whole modules) a piece of code can reach: one unit's statements, a module's
    body, or a notebook's code (``here`` None)."""

    def __init__(self, analysis: Analysis, here: _Module | None, nodes, facts: _Facts, command: str | None):
        self.a = analysis
        self.here = here
        self.command = command
        self.facts = facts
        self.local = facts.local
        self.loops = facts.loops
        self.stored = facts.stored
        self.dispatch = facts.dispatch
        self.bare_calls = facts.bare_calls
        self.targets: set[str] = set()
        self.handled: set[int] = set()
        for root in nodes:
            self.visit(root)

    # --- walking ---------------------------------------------------------------------------------
    def visit(self, node) -> None:
        if isinstance(node, ast.If) and self._pruned(node.test):
            self.visit(node.test)
            for stmt in node.orelse:
                self.visit(stmt)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self._import(node)
            return
        if id(node) in self.handled:
            return
        if isinstance(node, ast.Attribute):
            self._attribute(node)
            return
        if isinstance(node, ast.Name):
            self._name(node)
            return
        if isinstance(node, ast.Call):
            self._call(node)
        elif isinstance(node, ast.Subscript):
            self._sys_modules(node.value, node.slice)
        for field in node._fields:
            if field == "ctx":
                continue
            value = getattr(node, field, None)
            if value.__class__ is list:
                for child in value:
                    if isinstance(child, ast.AST):
                        self.visit(child)
            elif isinstance(value, ast.AST):
                self.visit(value)

    def _pruned(self, test) -> bool:
        """``if a.<dest> == "<other command>":`` in the command line's dispatch."""
        if self.dispatch is None or self.command is None:
            return False
        if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
            return False
        sides = [test.left, test.comparators[0]]
        attr = [s for s in sides if isinstance(s, ast.Attribute) and s.attr == self.dispatch]
        const = [s for s in sides if isinstance(s, ast.Constant) and isinstance(s.value, str)]
        return bool(attr and const) and const[0].value != self.command

    def _import(self, node) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                    self._execute(alias.name)  # `import snwlib.figures` executes snwlib, then figures
            return
        module = _absolute(node.level, node.module, self.here)
        if module not in self.a.modules:
            return
        self._execute(module)
        for alias in node.names:
            if alias.name == "*":
                for m in self.a._star_modules(module):
                    self._whole(m)
                continue
            # importing a name runs no function, but a submodule it names is executed, and a
            # package's __getattr__ runs for a name the package does not bind
            for value in self.a._attr_values(module, alias.name):
                if value[0] == "module":
                    self._execute(value[1])
                elif value[0] == "hook":
                    self.targets.add(value[1])

    def _execute(self, module: str) -> None:
        """Importing ``module``: the bodies of its packages and its own."""
        for m in [*_parents(module), module]:
            if m in self.a.modules:
                self.targets.add(self.a.modules[m].uids()[0])

    def _whole(self, module: str) -> None:
        if module in self.a.modules:
            self.targets.add(f"{module}:*")

    def _everything(self) -> None:
        for m in self.a.modules:
            self._whole(m)

    def _values(self, name: str) -> list:
        values = []
        for binding in self.local.get(name, ()):
            values += self.a._binding_values(binding)
        if self.here is not None:
            values += self.a._attr_values(self.here.name, name, top=True)
        return values

    def _name(self, node) -> None:
        for value in self._values(node.id):
            if value[0] in ("units", "hook"):
                self.targets.add(value[1])
            elif value[0] == "module":
                self._whole(value[1])  # a module as a value: anything of it may be used
            elif value[0] == "whole":
                self._whole(value[1])
            elif value == ("ext", "sys") or value == ("extfrom", "importlib", "import_module"):
                self._everything()  # sys or import_module as a value: any module

    def _attribute(self, node) -> None:
        attrs, base = [], node
        while isinstance(base, ast.Attribute):
            if id(base) in self.handled:
                return  # sys.modules with a constant key, or import_module called (see _call)
            attrs.append(base.attr)
            base = base.value
        attrs.reverse()
        if not isinstance(base, ast.Name):
            self.visit(base)
            return
        for value in self._values(base.id):
            kind = value[0]
            if kind in ("units", "hook"):
                self.targets.add(value[1])
            elif kind == "whole":
                self._whole(value[1])
            elif kind == "module":
                module = value[1]
                for attr in attrs:
                    following = None
                    for v in self.a._attr_values(module, attr):
                        if v[0] == "module":
                            following = v[1]
                        elif v[0] == "whole":
                            self._whole(v[1])
                        else:
                            self.targets.add(v[1])
                    if following is None:
                        break
                    module = following
                else:
                    self._whole(module)  # the chain ends at a module used as a value
            elif kind == "ext" and value[1] == "sys" and attrs[:1] == ["modules"]:
                self._everything()  # sys.modules other than a constant key (see _sys_modules)
            elif kind == "ext" and value[1] == "importlib" and attrs[:1] == ["import_module"]:
                self._everything()  # import_module as a value, not called

    def _call(self, node) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else None
        unbound = name is not None and not self._values(name) and name not in self.stored
        if unbound and name in ("globals", "locals", "vars") and not node.args:
            if self.here is not None:
                self._whole(self.here.name)
        elif unbound and name in ("exec", "eval", "compile"):
            self._everything()
        elif self._is_import_module(func) or (unbound and name == "__import__"):
            self.handled.add(id(func))
            candidates = self._strings(node.args[0]) if node.args else None
            if candidates is None:
                self._everything()
                return
            for c in candidates:
                if c.startswith(".") and self.here is not None:
                    # relative to the package argument: the module's package (or, given
                    # __name__ in a module that is not a package, nothing that exists)
                    c = _absolute(len(c) - len(c.lstrip(".")), c.lstrip(".") or None, self.here)
                if c in self.a.modules:
                    self._execute(c)
                    if id(node) not in self.bare_calls:
                        self._whole(c)  # the module object is used: anything of it
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Attribute) and node.args:
            self._sys_modules(func.value, node.args[0])

    def _is_import_module(self, func) -> bool:
        if isinstance(func, ast.Name):
            return any(v[:3] == ("extfrom", "importlib", "import_module") for v in self._local_ext(func.id))
        if isinstance(func, ast.Attribute) and func.attr == "import_module" and isinstance(func.value, ast.Name):
            return any(v[:2] == ("ext", "importlib") for v in self._local_ext(func.value.id))
        return False

    def _local_ext(self, name: str) -> list:
        return [v for v in self._values(name) if v[0] in ("ext", "extfrom")]

    def _sys_modules(self, value, key) -> None:
        """``sys.modules[KEY]``, ``sys.modules.get(KEY)``: a constant key outside snwlib reaches nothing."""
        if not (isinstance(value, ast.Attribute) and value.attr == "modules" and isinstance(value.value, ast.Name)):
            return
        if not any(v[:2] == ("ext", "sys") for v in self._local_ext(value.value.id)):
            return
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            self.handled.add(id(value))
            if key.value in self.a.modules:
                self._whole(key.value)

    # --- strings an expression can have -----------------------------------------------------------
    def _strings(self, node) -> set | None:
        """The strings ``node`` can evaluate to, if only constants of the module make it; else None."""
        if isinstance(node, ast.Constant):
            return {node.value} if isinstance(node.value, str) else None
        if isinstance(node, ast.JoinedStr):
            out = {""}
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    if part.format_spec is not None or part.conversion not in (-1, ord("s")):
                        return None
                    values = self._strings(part.value)
                else:
                    values = self._strings(part)
                if values is None:
                    return None
                out = {a + b for a in out for b in values}
            return out
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self._strings(node.left), self._strings(node.right)
            return None if left is None or right is None else {a + b for a in left for b in right}
        if isinstance(node, ast.Name):
            if node.id in self.loops:
                out = set()
                for it in self.loops[node.id]:
                    values = self._elements(it)
                    if values is None:
                        return None
                    out |= values
                return out
            const = self._const(node.id)
            if isinstance(const, ast.Constant):
                return {const.value}
            return None
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            const = self._const(node.value.id)
            if isinstance(const, ast.Dict):
                return {v.value for v in const.values}
            if isinstance(const, (ast.Tuple, ast.List)):
                return {e.value for e in const.elts}
            return None
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and isinstance(node.func.value, ast.Name)
            and isinstance(self._const(node.func.value.id), ast.Dict)
        ):
            out = {v.value for v in self._const(node.func.value.id).values}
            if len(node.args) > 1:
                default = self._strings(node.args[1])
                return None if default is None else out | default
            return out
        return None

    def _elements(self, node) -> set | None:
        """The strings a ``for`` over ``node`` gives."""
        if isinstance(node, ast.Name):
            if node.id in self.stored or node.id in self.loops:
                return None
            node = self._const(node.id)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and _literal_strings(node):
            return {e.value for e in node.elts}
        if isinstance(node, ast.Dict) and _literal_strings(node):
            return {k.value for k in node.keys}
        return None

    def _const(self, name: str):
        if self.here is None or name in self.stored or name in self.local or name in self.a.mutated:
            return None
        return self.here.consts.get(name)


class Analysis:
    """The units of snwlib and what each notebook and command can reach.

    Parameters
    ----------
    sources : dict
        Source text per file of the package, by its path relative to ``snwlib/`` (``"figures.py"``,
        ``"__init__.py"``).
    notebooks : dict
        Each notebook's JSON text, by its name (``"C7"``).
    python : str, optional
        The Python version the fingerprints are for (default: this interpreter's).

    Examples
    --------
    >>> a = Analysis.from_repo()
    >>> [nb for nb in ("C1", "C2", "C7", "C8", "C9") if "snwlib.figures:diverging_bars" in a.reach(nb)]
    ['C7']
    """

    def __init__(self, sources: dict, notebooks: dict, python: str | None = None):
        self.python = python if python is not None else sys.version
        self.modules: dict[str, _Module] = {}
        for rel, text in sorted(sources.items()):
            parts = Path(rel).with_suffix("").parts
            is_package = parts[-1] == "__init__"
            name = ".".join((PACKAGE, *parts[:-1])) if is_package else ".".join((PACKAGE, *parts))
            self.modules[name] = _Module(name, text, is_package)
        self.notebooks = dict(notebooks)
        # names another module could change (module.NAME[k] = v, module.NAME.update(...)) are no constants
        self.mutated = set().union(*(f.outside for m in self.modules.values() for f in m.facts.values()))
        for m in self.modules.values():
            if m.hook_dict in self.mutated:
                m.hook_keys = None
        # A class with __init_subclass__ may register its subclasses when they are defined: then
        # every subclass is reached from its module's body (as a decorated function is).
        if any(f.subclass_hook for m in self.modules.values() for f in m.facts.values()):
            for m in self.modules.values():
                m.registering |= {k for k, nodes in m.defs.items() if any(getattr(d, "bases", None) for d in nodes)}
        self._edge_cache: dict = {}
        self._content: dict = {}

    @classmethod
    def from_repo(cls, repo=REPO, overrides: dict | None = None) -> Analysis:
        """The analysis of a repository's ``snwlib/**/*.py`` and ``notebooks/*.ipynb``.

        Parameters
        ----------
        repo : str or Path
            The repository (default: the one this module is in).
        overrides : dict, optional
            Source text to use instead of a file's, by its path relative to ``snwlib/``; ``None``
            as the text leaves the file out.

        Returns
        -------
        Analysis
        """
        root = Path(repo) / PACKAGE
        sources = {}
        for path in sorted(root.rglob("*.py")):
            rel = path.relative_to(root)
            if "__pycache__" in rel.parts or "templates" in rel.parts:
                continue
            sources[rel.as_posix()] = path.read_text(encoding="utf-8", errors="surrogateescape")
        for rel, text in (overrides or {}).items():
            if text is None:
                sources.pop(rel, None)
            else:
                sources[rel] = text
        notebooks = {p.stem: p.read_text(encoding="utf-8") for p in sorted((Path(repo) / "notebooks").glob("*.ipynb"))}
        return cls(sources, notebooks)

    def _star_modules(self, module: str) -> list[str]:
        """What ``from module import *`` may bring in: the module, and for a package (whose
        ``__all__`` may name submodules) every module under it."""
        if module not in self.modules:
            return []
        if not self.modules[module].is_package:
            return [module]
        return [m for m in self.modules if m == module or m.startswith(module + ".")]

    # --- names -----------------------------------------------------------------------------------
    def _binding_values(self, binding) -> list:
        kind = binding[0]
        if kind == "module":
            return [("module", binding[1])] if binding[1] in self.modules else []
        if kind == "from":
            return self._attr_values(binding[1], binding[2])
        if kind in ("ext", "extfrom"):
            return [binding]
        return []

    def _attr_values(self, module: str, attr: str, top: bool = False, _seen=None) -> list:
        """What ``module.attr`` (or, with ``top``, a name in the module's own code) can be.

        Returns
        -------
        list of tuple
            ``("units", uid)``, ``("module", name)``, ``("hook", uid)`` (the module's
            ``__getattr__``), ``("whole", module)``, ``("ext", ...)``.
        """
        m = self.modules.get(module)
        if m is None:
            return []
        if m.tree is None:
            return [("units", f"{module}:{SOURCE}")]
        seen = _seen or set()
        if (module, attr) in seen:
            return []
        seen.add((module, attr))
        out = []
        found = False
        if attr in m.defs:
            out.append(("units", f"{module}:{attr}"))
            found = True
        for binding in m.imports.get(attr, ()):
            found = True
            if binding[0] == "from":
                out += self._attr_values(binding[1], binding[2], _seen=seen)
            else:
                out += self._binding_values(binding)
        if attr in m.bound:
            found = True  # bound by the body, which every unit of the module reaches
        if not found:
            if m.stars:
                out += [("whole", w) for s in m.stars for w in self._star_modules(s)]
            if top:
                return out  # a local variable or a built-in
            if m.is_package and f"{module}.{attr}" in self.modules:
                out.append(("module", f"{module}.{attr}"))
            if "__getattr__" in m.defs:
                hit = m.hook_keys is None or attr in m.hook_keys
                out.append(("hook", f"{module}:__getattr__" + ("" if hit else MISS)))
        return out

    # --- edges -----------------------------------------------------------------------------------
    def units(self) -> list[str]:
        """Every unit of every module.

        Returns
        -------
        list of str
            ``"snwlib.figures:<body>"``, ``"snwlib.figures:diverging_bars"``, ...
        """
        return [u for m in self.modules.values() for u in m.uids()]

    def edges(self, uid: str, command: str | None = None) -> set[str]:
        """What one unit reaches directly.

        Parameters
        ----------
        uid : str
            The unit, e.g. ``"snwlib.figures:diverging_bars"``.
        command : str, optional
            The command of ``python -m snwlib`` being analysed: in the command line's dispatch,
            the branches of the other commands are left out.

        Returns
        -------
        set of str
            Units, and ``"<module>:*"`` for a module reached whole.
        """
        module, _, name = uid.partition(":")
        m = self.modules[module]
        facts = m.facts.get(name.removesuffix(MISS))
        key = (uid, command if facts is not None and facts.dispatch else None)
        if key in self._edge_cache:
            return self._edge_cache[key]
        if name == SOURCE:
            out = set()
        elif name == BODY:
            out = _Scan(self, m, m.body, facts, command).targets
            out |= {self.modules[p].uids()[0] for p in _parents(module) if p in self.modules}
            out |= {f"{module}:{d}" for d in m.registering}
        else:
            nodes = m.hook_miss if name.endswith(MISS) else m.defs[name]
            out = _Scan(self, m, nodes, facts, command).targets | {f"{module}:{BODY}"}
        self._edge_cache[key] = out
        return out

    def roots(self, target: str) -> tuple[dict, str]:
        """Where the code of a target starts.

        Parameters
        ----------
        target : str
            A notebook's name (``"C7"``) or a command of :data:`COMMANDS`.

        Returns
        -------
        roots : dict
            The units its code names first (the body of ``snwlib.__main__``; a notebook's
            imports and the names its cells use), each with what names it.
        command : str
            The command that runs it: ``"run"`` for a notebook.

        Raises
        ------
        KeyError
            No such notebook or command.
        """
        command = target if target in COMMANDS else "run"
        roots = {}
        if ENTRY in self.modules:
            roots[self.modules[ENTRY].uids()[0]] = f"python -m {PACKAGE} {command}"
        if target not in COMMANDS:
            if target not in self.notebooks:
                raise KeyError(f"no notebook notebooks/{target}.ipynb and no command {target!r}")
            try:
                code = _notebook_code(self.notebooks[target])
                scan = _Scan(self, None, [code], _Facts([code], None), None)
                for uid in sorted(scan.targets):
                    roots.setdefault(uid, f"notebook {target}")
            except (SyntaxError, ValueError) as err:
                for m in self.modules:
                    roots.setdefault(f"{m}:*", f"notebook {target} (not analysed: {err})")
        for m in self.modules.values():
            if m.tree is None:
                roots.setdefault(f"{m.name}:{SOURCE}", "a module that does not parse")
        return roots, command

    def reach(self, target: str) -> dict[str, str]:
        """Every unit a target can reach.

        Parameters
        ----------
        target : str
            A notebook's name (``"C7"``) or a command of :data:`COMMANDS`.

        Returns
        -------
        dict
            Unit (``"snwlib.figures:diverging_bars"``, ``"snwlib.figures:<body>"``) to the unit or
            root it was first reached from.
        """
        roots, command = self.roots(target)
        seen: dict[str, str] = {}
        queue = deque(roots.items())
        while queue:
            uid, parent = queue.popleft()
            if uid in seen:
                continue
            module, _, name = uid.partition(":")
            if name == "*":
                queue.extend((u, parent) for u in self.modules[module].uids())
                continue
            seen[uid] = parent
            queue.extend((u, uid) for u in sorted(self.edges(uid, command)) if u not in seen)
        return seen

    def content(self, uid: str) -> str:
        """A unit's content.

        Parameters
        ----------
        uid : str
            The unit.

        Returns
        -------
        str
            Its syntax tree (:func:`ast.dump`, without positions), or the module's text if it does
            not parse.
        """
        if uid not in self._content:
            module, _, name = uid.partition(":")
            m = self.modules[module]
            if name == SOURCE:
                text = m.text
            elif name == BODY:
                text = ast.dump(ast.Module(body=m.body, type_ignores=[]))
            else:
                text = "\n".join(ast.dump(n) for n in m.defs[name.removesuffix(MISS)])
            self._content[uid] = text
        return self._content[uid]

    def fingerprint(self, target: str) -> tuple[str, list]:
        """The SHA-256 of what a target reaches, and its listing.

        Parameters
        ----------
        target : str
            A notebook's name (``"C7"``) or a command of :data:`COMMANDS`.

        Returns
        -------
        fingerprint : str
            Hex digest over the sorted (unit, content) pairs, the Python version and the set of
            snwlib modules.
        listing : list of tuple
            ``(unit, digest of its content, reached from)``, sorted by unit.
        """
        reached = self.reach(target)
        items = {uid: self.content(uid) for uid in reached}
        items["<python>"] = self.python
        items["<modules>"] = "\n".join(sorted(self.modules))
        listing = []
        for uid in sorted(items):
            digest = hashlib.sha256(items[uid].encode("utf-8", "surrogateescape")).hexdigest()
            listing.append((uid, digest, reached.get(uid, "every target")))
        total = hashlib.sha256(json.dumps([[u, d] for u, d, _ in listing]).encode()).hexdigest()
        return total, listing


def _replace(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` (atomically) unless it already holds it; whether it wrote."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return True


def write(analysis: Analysis, out_dir, targets) -> list[str]:
    """Write ``<target>.sha`` and ``<target>.units`` into ``out_dir`` where they changed.

    Parameters
    ----------
    analysis : Analysis
    out_dir : str or Path
        Created if needed.
    targets : iterable of str
        Notebooks' names and commands.

    Returns
    -------
    list of str
        The targets whose fingerprint changed (or was new).
    """
    total = len(analysis.units())
    return _write_all(out_dir, {t: analysis.fingerprint(t) for t in targets}, total)


def _write_all(out_dir, results: dict, total: int) -> list[str]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    changed = []
    for target, (fp, listing) in results.items():
        units = sum(1 for uid, _, _ in listing if not uid.startswith("<"))
        header = (
            f"# {target}: {units} of {total} units of snwlib (fingerprint {fp[:16]}); "
            f"each unit, the digest of its content, and what it is reached from\n"
        )
        text = header + "".join(f"{uid}  {digest[:12]}  <- {parent}\n" for uid, digest, parent in listing)
        sha, listed = out / f"{target}.sha", out / f"{target}.units"
        try:
            old = sha.read_text(encoding="utf-8")
        except OSError:
            old = None
        if old != fp + "\n":
            if listed.exists():
                os.replace(listed, out / f"{target}.units.before")
            _replace(listed, text)
            _replace(sha, fp + "\n")  # last: its date is what Make compares
            changed.append(target)
        else:
            _replace(listed, text)
    return changed


def _everything(repo, targets) -> tuple[dict, int]:
    """Every target depends on every file of snwlib: what a failed analysis falls back to."""
    root = Path(repo) / PACKAGE
    files = sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)
    listing = [(str(p.relative_to(root)), hashlib.sha256(p.read_bytes()).hexdigest(), "analysis failed") for p in files]
    listing.append(("<python>", hashlib.sha256(sys.version.encode()).hexdigest(), "every target"))
    fp = hashlib.sha256(json.dumps([[u, d] for u, d, _ in listing]).encode()).hexdigest()
    return {t: (fp, listing) for t in targets}, len(files)


def main(argv=None) -> int:
    """``python -m snwlib.codedeps [--out DIR] [--repo DIR] [TARGET ...]``.

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default: the command line's).

    Returns
    -------
    int
        The exit status. A failure of the analysis itself (a flaw in this module) is not one: with
        ``--out`` every target then depends on every file of snwlib, and a warning says so.
    """
    import argparse

    parser = argparse.ArgumentParser(prog="python -m snwlib.codedeps", description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help="notebooks (C7) and commands (collect, index); default: all")
    parser.add_argument("--out", help="write <target>.sha and <target>.units here, where they changed")
    parser.add_argument("--repo", default=str(REPO), help="the repository to analyse (default: this one)")
    a = parser.parse_args(argv)
    try:
        analysis = Analysis.from_repo(a.repo)
        targets = a.targets or [*analysis.notebooks, *COMMANDS]
        results = {t: analysis.fingerprint(t) for t in targets}
        total = len(analysis.units())
    except KeyError as err:
        print(f"python -m snwlib.codedeps: {err.args[0]}", file=sys.stderr)
        return 2
    except Exception as err:  # a flaw of the analysis must not leave an output stale: rerun all
        if not a.out:
            raise
        print(
            f"snwlib.codedeps: the analysis failed ({type(err).__name__}: {err}); "
            "every notebook depends on all of snwlib until it is fixed",
            file=sys.stderr,
        )
        results, total = _everything(a.repo, a.targets or [])
    if a.out:
        _write_all(a.out, results, total)
        return 0
    for target, (fp, listing) in results.items():
        units = sum(1 for uid, _, _ in listing if not uid.startswith("<"))
        print(f"{target:<8} {units:>4} of {total} units  {fp[:16]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
