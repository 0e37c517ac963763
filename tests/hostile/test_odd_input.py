"""Odd input gets an ordinary answer, never a 500 or a 503 (issue 23, finding 7)."""
from __future__ import annotations

import pytest

from tests.staff.conftest import agent, contoso, users  # noqa: F401  the signed-in agent and a case


@pytest.mark.parametrize("target", ["/%0d%0aSet-Cookie:%20x=1", "/wizard%0d%0aX:1", "/%00", "/\\evil.example",
                                    "/%E2%80%AE", "/" + "a" * 5000])
def test_the_language_switch_redirects_somewhere_safe_whatever_next_says(client, target):
    response = client.get(f"/language/sv?next={target}")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "\r" not in location and "\n" not in location and "\x00" not in location
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert "Set-Cookie" not in str(response.headers.get("Set-Cookie", "")).replace("lang", "")


@pytest.mark.parametrize("query", ["a%00bc", "%00%00%00", "con%00toso", "a\u202ebc", "%ff%fe%fd"])
def test_staff_search_with_control_characters_answers(agent, contoso, query):
    response = agent.get(f"/staff/cases?q={query}")
    assert response.status_code == 200


@pytest.mark.parametrize("cursor", ["junk", "2026-01-01T00:00:00_x", "_", "9999-99-99_1", "2026-01-01_99999999999999999999999",
                                    "%00", "2026-01-01T00:00:00+05:00_1", "-1_-1"])
def test_staff_list_with_a_junk_cursor_answers(agent, contoso, cursor):
    for name in ("older", "newer"):
        assert agent.get(f"/staff/cases?{name}={cursor}").status_code == 200
