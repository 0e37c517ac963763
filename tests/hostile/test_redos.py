"""No regular expression in app/ backtracks super-linearly (tests/hostile/redos.py says how they are found and tried).

The next quadratic pattern is caught when it is written: the scan reads every module of app/,
and a pattern built at run time without a provider in redos.PROVIDERS fails it too.
"""
from __future__ import annotations

import itertools
import re
import signal

import pytest

from app.audit.reading import read_configuration, section_title
from tests.hostile import redos

OLD_SECTION = re.compile(r"^#{4}\s*(.*?)\s*#*$")


@pytest.fixture(scope="module")
def scanned():
    return redos.every_pattern()


def test_the_scan_finds_the_patterns_of_every_reader(scanned):
    found, _unchecked = scanned
    places = {item.where.split(":")[0].split("[")[0].split("{")[0] for item in found}
    for reader in ("app/audit/reading.py", "app/audit/values.py", "app/diagnose/decoder.py",
                   "app.audit.reading", "app.diagnose.headers", "app.certs.reading"):
        assert any(place.startswith(reader) for place in places), reader
    assert len(found) > 100


def test_every_pattern_built_at_run_time_has_a_provider(scanned):
    _found, unchecked = scanned
    assert unchecked == []


def test_no_pattern_in_app_backtracks_on_crafted_input(scanned):
    found, _unchecked = scanned
    slow = {f"{item.where} {item.mode} {item.pattern!r}": redos.slow_inputs(item) for item in found}
    assert {where: inputs for where, inputs in slow.items() if inputs} == {}


@pytest.mark.parametrize("pattern, mode", [
    (OLD_SECTION.pattern, "match"),         # issue 23: 40 s on one 40,000-character line
    (r"\s*,\s*", "search"),                 # app/audit/values.py's same_name, until issue 23
    (r"(a+)+$", "match"),                   # the textbook exponential one
    (r"^(\w+\s?)*$", "match"),
    (r"<(.*?)\s*>", "search"),
])
def test_the_analyser_catches_super_linear_patterns(pattern, mode):
    assert redos.slow_inputs(redos.Found(pattern, 0, mode, "sample")), pattern


@pytest.mark.parametrize("pattern, mode", [
    (r"^#{4}", "match"), (r"[^,]+", "search"), (r"^(?P<key>[A-Za-z][A-Za-z0-9_]{0,80})\s*:", "match"),
])
def test_the_analyser_passes_linear_patterns(pattern, mode):
    assert redos.slow_inputs(redos.Found(pattern, 0, mode, "sample")) == []


def test_a_section_line_reads_the_same_title_as_the_old_pattern_did():
    """Every line of up to seven characters from "#", " ", "x", tab and "Y", after four hashes or not."""
    for length in range(8):
        for chars in itertools.product("# x\tY", repeat=length):
            for line in ("".join(chars), "####" + "".join(chars)):
                stripped = line.strip()
                old = OLD_SECTION.match(stripped)
                assert section_title(stripped) == (old.group(1) if old else None), line


def test_a_40000_character_section_line_is_read_at_once():
    """The paste of the finding: "####x", 39,990 spaces, "y" (40 s before; stopped here after 5)."""
    def stop(_signum, _frame):
        raise TimeoutError("reading took more than 5 s")
    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, 5)
    try:
        for text in ("####x" + " " * 39_990 + "y", "####x" + " " * 39_990 + "y\nIdentity : a\n"):
            try:
                read_configuration(text)
            except ValueError:
                pass  # nothing usable in it: refused, quickly
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
