"""A .pfx is opened only within the hashing ceilings it states (app/certs/pkcs12.py), read in-process here
so that each counting rule and the child's answer format is tested where it runs (issue 16)."""
from __future__ import annotations

import os
import threading
import time

import pytest
from asn1crypto import core, pkcs12 as asn1_pkcs12
from cryptography.hazmat.primitives.serialization import Encoding

from app.certs import pkcs12
from app.certs.pkcs12 import MAX_ITERATIONS, MAX_TOTAL_ITERATIONS, TooCostly, Unreadable
from tests.certfactory import make_hierarchy, to_pkcs12
from tests.hostile.pfx import genuine_pfx, hidden_costly_key, with_mac_iterations

H = make_hierarchy("mail.contoso.com")
GENUINE = genuine_pfx(H.leaf, "pw", 1000)  # MAC 2,048; certificates and key 1,000 each


def _key_bag(iterations: int) -> asn1_pkcs12.SafeBag:
    for info in asn1_pkcs12.Pfx.load(GENUINE).authenticated_safe:
        if info["content_type"].native == "data":
            bag = asn1_pkcs12.SafeContents.load(info["content"].native)[0]
            value = bag["bag_value"]
            value["encryption_algorithm"]["parameters"]["key_derivation_func"]["parameters"]["iteration_count"] = \
                iterations
            return asn1_pkcs12.SafeBag({"bag_id": "pkcs8_shrouded_key_bag", "bag_value": value,
                                        "bag_attributes": []})
    raise AssertionError("no key bag")


def crafted(*bags: asn1_pkcs12.SafeBag) -> bytes:
    """A .pfx without a MAC whose one plain part holds ``bags``: only the structure matters to the count."""
    contents = asn1_pkcs12.SafeContents(list(bags)).dump(force=True)
    safe = asn1_pkcs12.AuthenticatedSafe([{"content_type": "data", "content": core.OctetString(contents)}])
    return asn1_pkcs12.Pfx({"version": "v3", "auth_safe": {
        "content_type": "data", "content": core.OctetString(safe.dump(force=True))}}).dump(force=True)


def nested(*bags: asn1_pkcs12.SafeBag) -> asn1_pkcs12.SafeBag:
    return asn1_pkcs12.SafeBag({"bag_id": "safe_contents", "bag_value": asn1_pkcs12.SafeContents(list(bags)),
                                "bag_attributes": []})


def test_the_mac_the_certificates_and_the_key_are_each_counted():
    assert pkcs12.iteration_counts(GENUINE) == [2048, 1000, 1000]


def test_a_key_inside_a_nested_bag_is_counted():
    assert pkcs12.iteration_counts(crafted(_key_bag(7), nested(_key_bag(11), nested(_key_bag(13))))) == [7, 11, 13]


def test_a_file_at_the_ceiling_is_opened_and_one_iteration_more_is_refused():
    pkcs12.check_cost(with_mac_iterations(GENUINE, MAX_ITERATIONS))
    with pytest.raises(TooCostly):
        pkcs12.check_cost(with_mac_iterations(GENUINE, MAX_ITERATIONS + 1))


def test_the_total_is_capped_too():
    each = MAX_TOTAL_ITERATIONS // 4
    pkcs12.check_cost(crafted(*[_key_bag(each)] * 4))  # exactly the total
    with pytest.raises(TooCostly):
        pkcs12.check_cost(crafted(*[_key_bag(each)] * 4, _key_bag(1)))


def test_bytes_that_are_no_pfx_are_unreadable():
    with pytest.raises(Unreadable):
        pkcs12.iteration_counts(b"\x30\x03\x02\x01\x03")


def test_the_childs_answer_carries_every_certificate_and_whether_a_key_was_there():
    with_key = to_pkcs12(H.leaf, H.intermediate.cert, password="pw")
    answer = pkcs12._decode(pkcs12._open_encoded(with_key, [b"wrong", b"pw"]))
    assert answer == ([H.leaf.cert.public_bytes(Encoding.DER), H.intermediate.cert.public_bytes(Encoding.DER)], True)
    without_key = to_pkcs12(H.leaf, with_key=False)
    assert pkcs12._decode(pkcs12._open_encoded(without_key, [None])) == (
        [H.leaf.cert.public_bytes(Encoding.DER)], False)


def test_the_childs_answer_says_so_when_no_password_opens_the_file():
    assert pkcs12._open_encoded(to_pkcs12(H.leaf, password="pw"), [None, b"nope"]) == b"-"
    assert pkcs12._decode(b"-") is None


def test_the_child_writes_an_answer_larger_than_a_pipe_holds():
    data = os.urandom(300_000)
    read_end, write_end = os.pipe()
    received = []
    reader = threading.Thread(target=lambda: received.append(pkcs12._read_until_closed(read_end, time.monotonic() + 60)))
    reader.start()
    pkcs12._write_all(write_end, data)
    reader.join(timeout=30)
    os.close(read_end)
    assert received == [data]


def test_the_whole_path_opens_a_genuine_file():
    assert pkcs12.load_bounded(GENUINE, [b"pw"]) == ([H.leaf.cert.public_bytes(Encoding.DER)], True)


def test_a_child_that_never_answers_is_given_up_at_the_deadline():
    read_end, write_end = os.pipe()
    started = time.monotonic()
    assert pkcs12._read_until_closed(read_end, started + 0.3) is None
    assert 0.25 < time.monotonic() - started < 30
    os.close(read_end)
    os.close(write_end)


def test_an_answer_that_arrives_within_the_last_second_is_read():
    read_end, write_end = os.pipe()
    os.write(write_end, b"answer")
    os.close(write_end)
    assert pkcs12._read_until_closed(read_end, time.monotonic() + 0.9) == b"answer"
    os.close(read_end)


def test_the_child_is_collected_not_left_as_a_zombie(monkeypatch):
    children = []
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(pkcs12.os, "fork", fork)  # the real fork, its child's pid noted
    pkcs12.load_bounded(GENUINE, [b"pw"])
    (child,) = children
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # already collected: not even a finished child is left


def test_a_child_stopped_by_its_cpu_limit_is_refused_as_too_costly():
    # A key bag whose count shows only once decrypted: the child's CPU limit (two seconds) strikes first.
    with pytest.raises(TooCostly):
        pkcs12.load_bounded(hidden_costly_key(H.leaf, "pw"), [b"pw"])
