"""Issue 24, item 17: the README says each thing once."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_no_sentence_of_the_readme_is_said_twice():
    text = " ".join(README.read_text(encoding="utf-8").split())
    sentences = Counter(s for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 40)
    assert [s for s, n in sentences.items() if n > 1] == []
