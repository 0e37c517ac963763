"""Every regular expression in app/: where it is, its flags, and how it is used (tests/hostile/redos.py tries them).

Each module of app/ is imported and its compiled patterns collected (module globals, one level
into tuples, lists and dicts, and class attributes); each call of re.compile, re.match,
re.search, re.fullmatch, re.sub, re.subn, re.split, re.findall, re.finditer and of WTForms'
Regexp in app/'s source is read, its pattern taken from the literal or the module constant it
names. A pattern built at run time inside a function must have a provider here (PROVIDERS),
which makes every pattern the function can build; a new one without a provider is reported, so
none goes unchecked.
"""
from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.server import REPO

APP = REPO / "app"
RE_FUNCTIONS = {"compile": 1, "match": 2, "search": 2, "fullmatch": 2, "findall": 2, "finditer": 2,
                "split": 3, "sub": 4, "subn": 4}   # the position of each one's flags argument
SEARCHING = {"search", "sub", "subn", "split", "findall", "finditer"}
METHODS = SEARCHING | {"match", "fullmatch"}


@dataclass(frozen=True)
class Found:
    pattern: str | bytes
    flags: int
    mode: str      # "search" (tried from every position), "match" or "fullmatch"
    where: str

    def compiled(self) -> re.Pattern:
        return re.compile(self.pattern, self.flags)



def app_modules() -> dict[str, object]:
    modules = {}
    for info in pkgutil.walk_packages([str(APP)], "app."):
        modules[info.name] = importlib.import_module(info.name)
    return modules


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _flags(node: ast.AST | None, module) -> int:
    if node is None:
        return 0
    value = _evaluate(node, module)
    if isinstance(value, (int, re.RegexFlag)):
        return int(value)
    raise ValueError(f"flags I cannot read: {ast.unparse(node)}")


def _evaluate(node: ast.AST, module):
    """A literal, a module constant, ``re.X`` or an ``|`` of them; None when only running code tells."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return getattr(module, node.id, None)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
        return getattr(re, node.attr)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _evaluate(node.left, module), _evaluate(node.right, module)
        return None if left is None or right is None else left | right
    return None


def _call_kind(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "re" \
            and func.attr in RE_FUNCTIONS:
        return func.attr
    if isinstance(func, ast.Name) and func.id == "Regexp":
        return "Regexp"
    return None


def _enclosing_functions(tree: ast.Module) -> dict[ast.AST, str]:
    """Each call node inside a function -> the function's name."""
    inside = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            name = getattr(node, "name", "<lambda>")
            for child in ast.walk(node):
                inside.setdefault(child, name)
    return inside


def _methods_used(trees: dict[Path, ast.Module]) -> dict[str, set[str]]:
    """Name -> the pattern methods called on it anywhere in app/ (``_SECTION.match`` -> match)."""
    used: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in METHODS:
                target = node.value
                name = target.id if isinstance(target, ast.Name) else (
                    target.attr if isinstance(target, ast.Attribute) else None)
                if name:
                    used.setdefault(name, set()).add(node.attr)
    return used


def _mode(methods: set[str] | None) -> str:
    if not methods or methods & SEARCHING:
        return "search"
    return "match" if "match" in methods else "fullmatch"


def _globals_patterns(name: str, module, used: dict[str, set[str]]) -> Iterator[Found]:
    def values(owner, prefix):
        for attr, value in list(vars(owner).items()):
            yield f"{prefix}.{attr}", attr, value
            if isinstance(value, (tuple, list, frozenset, set)):
                for item in value:
                    for inner in (item if isinstance(item, tuple) else (item,)):
                        yield f"{prefix}.{attr}[]", attr, inner
            elif isinstance(value, dict):
                for item in value.values():
                    yield f"{prefix}.{attr}{{}}", attr, item
    for where, attr, value in values(module, name):
        if isinstance(value, type) and value.__module__ == name:
            for inner_where, inner_attr, inner in values(value, where):
                if isinstance(inner, re.Pattern):
                    yield Found(inner.pattern, inner.flags, _mode(used.get(inner_attr)), inner_where)
        if isinstance(value, re.Pattern):
            yield Found(value.pattern, value.flags, _mode(used.get(attr)), where)


def _provided_decoder_terms() -> Iterator[tuple[re.Pattern, str]]:
    from app.diagnose import decoder
    from app.diagnose.rules import RULES
    for rule in RULES:
        for signature in rule.signatures:
            for term in signature:
                yield decoder._term_pattern(term.lstrip("!")), "search"


# (module, function) -> the patterns that function can build, with how they are used.
PROVIDERS: dict[tuple[str, str], Callable[[], Iterator[tuple[re.Pattern, str]]]] = {
    ("app.diagnose.decoder", "_term_pattern"): _provided_decoder_terms,
}


def every_pattern() -> tuple[list[Found], list[str]]:
    """(every pattern in app/, the places that build one at run time with no provider)."""
    modules = app_modules()
    files = sorted(APP.rglob("*.py"))
    trees = {path: ast.parse(path.read_text(), str(path)) for path in files}
    used = _methods_used(trees)
    found: list[Found] = []
    unchecked: list[str] = []
    for name, module in modules.items():
        found.extend(_globals_patterns(name, module, used))
    for path, tree in trees.items():
        name = module_name(path)
        module = modules.get(name)
        inside = _enclosing_functions(tree)
        for node in ast.walk(tree):
            kind = _call_kind(node) if isinstance(node, ast.Call) else None
            if kind is None:
                continue
            where = f"{path.relative_to(REPO)}:{node.lineno}"
            argument = node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg in ("pattern", "regex")), None)
            value = _evaluate(argument, module) if argument is not None else None
            if isinstance(value, re.Pattern):
                value = value.pattern
            function = inside.get(node)
            if isinstance(value, (str, bytes)):
                if kind == "Regexp":
                    flags = _flags(node.args[1] if len(node.args) > 1 else None, module)
                    found.append(Found(value, flags, "match", where))
                else:
                    position = RE_FUNCTIONS[kind]
                    flag_node = node.args[position] if len(node.args) > position else next(
                        (k.value for k in node.keywords if k.arg == "flags"), None)
                    mode = "search" if kind in SEARCHING else ("fullmatch" if kind == "fullmatch" else "match")
                    if kind == "compile":
                        mode = "search"  # refined by the globals scan, which knows the name it is kept under
                    found.append(Found(value, _flags(flag_node, module), mode, where))
            elif function is None:
                continue  # built at import: the globals scan has the compiled pattern
            elif (name, function) in PROVIDERS:
                for pattern, mode in PROVIDERS[(name, function)]():
                    found.append(Found(pattern.pattern, pattern.flags, mode, f"{where} ({function})"))
            else:
                unchecked.append(f"{where} in {function}(): {ast.unparse(node)[:120]}")
    unique = {}
    for item in found:
        unique.setdefault((item.pattern, item.flags & ~re.UNICODE, item.mode), item)
    return list(unique.values()), unchecked
