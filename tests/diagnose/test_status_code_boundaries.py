"""A status code is read only where it stands on its own, never inside a longer number (issue 16)."""
from __future__ import annotations

import pytest

from app.diagnose.decoder import diagnose


def codes(text: str) -> list[str]:
    return [m.code for m in diagnose(text).matches]


def test_550_15_7_64_does_not_decode_as_5_7_64():
    assert codes("550 15.7.64 TenantAttribution") == []


def test_an_address_ending_in_5_7_64_is_not_the_status_code():
    assert codes("Remote server 10.5.7.64 returned TenantAttribution") == []


def test_5_7_640_is_not_5_7_64():
    assert codes("550 5.7.640 TenantAttribution") == []


@pytest.mark.parametrize("text", ["550 5.7.64 TenantAttribution", "(5.7.64) TenantAttribution",
                                  "550-5.7.64 TenantAttribution", "550 5.7.64. TenantAttribution"])
def test_5_7_64_next_to_punctuation_is_recognized(text):
    assert codes(text) == ["5.7.64 TenantAttribution"]


def test_an_unknown_code_inside_a_longer_number_is_not_reported_as_found():
    assert diagnose("Error 15.1.10 at 10.5.1.10 and 5.1.1000").codes_found == []


def test_an_unknown_code_on_its_own_is_reported_as_found():
    assert diagnose("Error (5.1.10) then 4.4.7.").codes_found == ["5.1.10", "4.4.7"]
