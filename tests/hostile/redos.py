"""Every regular expression in app/, found and tried against inputs made to make it backtrack.

Finding them: each module of app/ is imported and its compiled patterns collected (module
globals, one level into tuples, lists and dicts, and class attributes); each call of re.compile,
re.match, re.search, re.fullmatch, re.sub, re.subn, re.split, re.findall, re.finditer and of
WTForms' Regexp in app/'s source is read, its pattern taken from the literal or the module
constant it names. A pattern built at run time inside a function must have a provider here
(PROVIDERS), which makes every pattern the function can build; a new one without a provider fails
the test, so none goes unchecked.

Trying them, the way regexploit does: for each repetition in the parsed pattern (sre's parser),
an input is the shortest text that reaches it, then 50,000 copies of a character it repeats
(one it shares with another repetition, where there is one: that overlap is what makes a
backtracking matcher try every split), then a character that makes the match fail. A pattern
used with search, sub, split, findall or finditer is tried from every position, as those do.
Linear patterns answer in about a millisecond of CPU; the test allows a quarter of a second,
and a quadratic one takes seconds (the old section pattern: 40 s on 40,000 characters). 50,000 is
more than the longest line any reader keeps (40,000 characters).
"""
from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from re import _constants as C  # noqa: N812
from re import _parser as sre_parse

from bench.server import REPO

APP = REPO / "app"
RE_FUNCTIONS = {"compile": 1, "match": 2, "search": 2, "fullmatch": 2, "findall": 2, "finditer": 2,
                "split": 3, "sub": 4, "subn": 4}   # the position of each one's flags argument
SEARCHING = {"search", "sub", "subn", "split", "findall", "finditer"}
METHODS = SEARCHING | {"match", "fullmatch"}
REPEATS = 50_000
CPU_LIMIT = 0.25          # seconds of CPU for one try; a linear pattern needs about 0.001
WALL_STOP = 3.0           # a try still running then is stopped (and fails)
POOL = [" ", "a", "A", "0", "#", "-", ".", ",", ":", ";", "=", "/", "\\", "_", "@", "<", ">", "[", "]",
        "{", "}", "(", ")", "'", '"', "+", "*", "?", "!", "|", "\t", "x", "Z", "9", "é", "\u00a0"]
FAILING_ENDS = ["\x00", "!", "\n", ""]


@dataclass(frozen=True)
class Found:
    pattern: str | bytes
    flags: int
    mode: str      # "search" (tried from every position), "match" or "fullmatch"
    where: str

    def compiled(self) -> re.Pattern:
        return re.compile(self.pattern, self.flags)


# ---------------------------------------------------------------------------------------------
# Finding them

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


# ---------------------------------------------------------------------------------------------
# Crafting inputs

_CATEGORY = {
    C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
    C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W",
}
_REPEAT_OPS = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}


def _order(char: str) -> tuple[int, str]:
    return (POOL.index(char) if char in POOL else len(POOL), char)


def _in_set(items, char: str, flags: int) -> bool:
    negate, hit = False, False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            hit |= ord(char) == av or bool(flags & re.IGNORECASE and char.lower() == chr(av).lower())
        elif op is C.RANGE:
            low, high = av
            hit |= low <= ord(char) <= high or bool(
                flags & re.IGNORECASE and any(low <= ord(c) <= high for c in (char.lower(), char.upper())))
        elif op is C.CATEGORY:
            hit |= bool(re.fullmatch(_CATEGORY.get(av, r"\w"), char, flags & re.ASCII))
    return hit != negate


def chars_of(op, av, flags: int) -> set[str]:
    """The pool's characters that one single-character node matches."""
    if op is C.LITERAL:
        return {chr(av)}
    if op is C.NOT_LITERAL:
        return {c for c in POOL if ord(c) != av}
    if op is C.ANY:
        return set(POOL) - ({"\n"} if not flags & re.DOTALL else set())
    if op is C.IN:
        return {c for c in POOL if _in_set(av, c, flags)}
    return set()


def sample(items, flags: int) -> str:
    """A shortest text the node list matches (best effort: lookarounds and back-references count as empty)."""
    out = []
    for op, av in items:
        if op is C.LITERAL:
            out.append(chr(av))
        elif op in (C.NOT_LITERAL, C.ANY, C.IN):
            chars = sorted(chars_of(op, av, flags), key=_order)
            out.append(chars[0] if chars else "a")
        elif op in _REPEAT_OPS:
            out.append(sample(av[2], flags) * av[0])
        elif op is C.SUBPATTERN:
            out.append(sample(av[3], flags))
        elif op is getattr(C, "ATOMIC_GROUP", None):
            out.append(sample(av, flags))
        elif op is C.BRANCH:
            out.append(min((sample(alt, flags) for alt in av[1]), key=len))
    return "".join(out)


def first_chars(items, flags: int) -> set[str]:
    """The pool's characters that the node list can start with."""
    chars: set[str] = set()
    for op, av in items:
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            return chars | chars_of(op, av, flags)
        if op in _REPEAT_OPS:
            chars |= first_chars(av[2], flags)
            if av[0] > 0:
                return chars
        elif op is C.SUBPATTERN:
            chars |= first_chars(av[3], flags)
            if sample(av[3], flags):
                return chars
        elif op is C.BRANCH:
            for alt in av[1]:
                chars |= first_chars(alt, flags)
            return chars
    return chars


@dataclass
class Repeat:
    prefix: str            # a text that reaches it
    chars: set[str]        # what it repeats
    body: str              # one repetition


def repeats(items, flags: int, prefix: str = "") -> Iterator[Repeat]:
    """Every unbounded (or long) repetition, with the text that leads to it."""
    for index, (op, av) in enumerate(items):
        before = prefix + sample(items[:index], flags)
        if op in _REPEAT_OPS:
            low, high, body = av
            if high > 50:
                yield Repeat(before, first_chars(body, flags) | {c for c in POOL if c in sample(body, flags)},
                             sample(body, flags) or "a")
            yield from repeats(body, flags, before)
        elif op is C.SUBPATTERN:
            yield from repeats(av[3], flags, before)
        elif op is getattr(C, "ATOMIC_GROUP", None):
            yield from repeats(av, flags, before)
        elif op is C.BRANCH:
            for alt in av[1]:
                yield from repeats(alt, flags, before)


def attacks(found: Found) -> Iterator[str | bytes]:
    """Inputs of about REPEATS characters made to make ``found`` backtrack."""
    text = found.pattern.decode("latin-1") if isinstance(found.pattern, bytes) else found.pattern
    parsed = sre_parse.parse(text, found.flags & ~re.UNICODE if isinstance(found.pattern, bytes) else found.flags)
    items = list(parsed)
    found_repeats = list(repeats(items, found.flags))
    seen = set()
    for number, repeat in enumerate(found_repeats):
        shared = set().union(*(other.chars for i, other in enumerate(found_repeats) if i != number)) \
            if len(found_repeats) > 1 else set()
        units = sorted(repeat.chars & shared, key=_order)[:6] or sorted(repeat.chars, key=_order)[:3]
        units = list(dict.fromkeys(units + [repeat.body]))
        for unit in units:
            for end in FAILING_ENDS:
                attack = repeat.prefix + unit * max(1, REPEATS // max(len(unit), 1)) + end
                if attack in seen:
                    continue
                seen.add(attack)
                yield attack.encode("latin-1", "replace") if isinstance(found.pattern, bytes) else attack


# ---------------------------------------------------------------------------------------------
# Trying them

class _Stopped(Exception):
    pass


def cpu_of(found: Found, attack) -> float:
    """CPU seconds one try takes (WALL_STOP and more when it had to be stopped)."""
    pattern = found.compiled()
    run = {"search": pattern.search, "match": pattern.match, "fullmatch": pattern.fullmatch}[found.mode]

    def stop(_signum, _frame):
        raise _Stopped
    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, WALL_STOP)
    started = time.process_time()
    try:
        run(attack)
    except _Stopped:
        return WALL_STOP
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return time.process_time() - started


def slow_inputs(found: Found) -> list[tuple[str, float]]:
    """The crafted inputs that cost ``found`` more than CPU_LIMIT: (a shortened view of the input, seconds)."""
    slow = []
    for attack in attacks(found):
        seconds = cpu_of(found, attack)
        if seconds > CPU_LIMIT:
            view = attack[:30] + (b"..." if isinstance(attack, bytes) else "...") + attack[-5:]
            slow.append((repr(view), seconds))
            break
    return slow
