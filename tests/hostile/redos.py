"""Inputs crafted to make a regular expression backtrack, and the CPU each costs (tests/hostile/test_redos.py).

The way regexploit does it: for each repetition in the parsed pattern (sre's parser), an input
is the shortest text that reaches it, then 50,000 copies of a character it repeats (one it
shares with another repetition, where there is one: that overlap is what makes a backtracking
matcher try every split), then a character that makes the match fail. A pattern used with
search, sub, split, findall or finditer is tried from every position, as those do. Linear
patterns answer in about a millisecond of CPU; the test allows a quarter of a second, and a
quadratic one takes seconds (the old section pattern: 40 s on 40,000 characters). 50,000 is
more than the longest line any reader keeps (40,000 characters). tests/hostile/regexes.py
finds the patterns.
"""
from __future__ import annotations

import re
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from re import _constants as C  # noqa: N812
from re import _parser as sre_parse

from tests.hostile.regexes import Found, every_pattern  # noqa: F401  every_pattern: the tests' way in

REPEATS = 100_000
CPU_LIMIT = 0.25          # seconds of CPU for one try; a linear pattern needs about 0.001
WALL_STOP = 3.0           # a try still running then is stopped (and fails)
POOL = [" ", "a", "A", "0", "#", "-", ".", ",", ":", ";", "=", "/", "\\", "_", "@", "<", ">", "[", "]",
        "{", "}", "(", ")", "'", '"', "+", "*", "?", "!", "|", "\t", "x", "Z", "9", "é", "\u00a0"]
FAILING_ENDS = ["\x00", "!", "\n", ""]


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
