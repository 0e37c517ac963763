"""Every sample of the field corpus against the answer written for it by hand (tests/field/README.md)."""
from __future__ import annotations

import pytest

from tests.field.corpus import known_misses, samples, score

SAMPLES = samples()
MISSES = known_misses()


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.id for s in SAMPLES])
def test_sample(sample):
    result = score(sample)
    if sample.id in MISSES:
        if result.right:
            pytest.fail(f"{sample.id} is answered right now: take it off known_misses.json ({MISSES[sample.id]})")
        pytest.xfail(MISSES[sample.id])
    assert result.read, f"not read as meant: {result.said}"
    assert result.verdict, f"wrong verdict: {result.said}"


def test_every_known_miss_is_a_sample_with_a_reason():
    ids = {s.id for s in SAMPLES}
    assert set(MISSES) <= ids
    assert all(reason.strip() for reason in MISSES.values())


def test_the_corpus_has_every_kind():
    kinds = {s.reader for s in SAMPLES}
    assert kinds == {"config", "headers", "ndr"}
    assert all((s.expect.get("reader") == s.reader) for s in SAMPLES)


def test_no_sample_is_counted_twice():
    """Repositories copy their test data between folders: a byte-identical copy is one sample, not two."""
    seen: dict[str, str] = {}
    for sample in SAMPLES:
        assert sample.text not in seen, f"{sample.id} is the same text as {seen.get(sample.text)}"
        seen[sample.text] = sample.id
