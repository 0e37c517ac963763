"""Robustness: real-world oddities from cryptography_vectors, truncated files, random bytes.

Whatever is uploaded, the user gets a report or a CertificateInputError with a
message: never a crash (a 500 page).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.certs.analysis import analyze
from app.certs.reading import CertificateInputError, read_certificates
from app.certs.serialize import report_to_dict
from tests.certfactory import NOW, to_pem

CORPUS = sorted((Path(__file__).parent / "corpus").iterdir())
# The PKCS#12 vectors use this password.
PASSWORDS = [None, "cryptography"]


def outcome(data: bytes, password: str | None, store) -> str:
    """"report" or the input error code; any other exception fails the test."""
    try:
        upload = read_certificates(data, password)
    except CertificateInputError as error:
        assert error.message(), error.code
        return error.code
    report = analyze(upload.certificates, ["cryptography.io", "example.com"], now=NOW,
                     trust_store=store, private_key_dropped=upload.private_key_dropped)
    report_to_dict(report)
    return "report"


def test_corpus_is_large_and_small():
    assert len(CORPUS) >= 150
    assert sum(p.stat().st_size for p in CORPUS) < 3_000_000


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_file_gives_a_report_or_an_input_error(path, store):
    data = path.read_bytes()
    for password in PASSWORDS:
        outcome(data, password, store)
    outcome(data[: len(data) // 2], None, store)


def test_corpus_covers_every_outcome(store):
    seen = {outcome(p.read_bytes(), password, store) for p in CORPUS for password in PASSWORDS}
    assert {"report", "not_a_certificate", "password_required", "wrong_password",
            "private_key_only"} <= seen


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2048))
def test_random_bytes(store, data):
    outcome(data, None, store)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mutated_certificates(store, hierarchy, data):
    original = bytearray(to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert))
    position = data.draw(st.integers(0, len(original) - 1))
    original[position] = data.draw(st.integers(0, 255))
    outcome(bytes(original), None, store)
