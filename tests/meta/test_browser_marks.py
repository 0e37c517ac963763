"""Every test that drives Chromium carries the browser mark, so that runs which leave the browser out
(`-m "not browser"`: the shifted-clock pass of `make test`, mutation testing) leave it out wherever it lives."""
from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_every_browser_test_module_is_marked():
    unmarked = []
    for module in TESTS.rglob("test_*.py"):
        text = module.read_text(encoding="utf-8")
        if re.search(r"\bpage: Page\b", text) and "pytest.mark.browser" not in text and "browser" not in module.parts:
            unmarked.append(str(module.relative_to(TESTS)))
    assert unmarked == []
