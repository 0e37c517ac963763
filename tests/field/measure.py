"""Print the corpus totals per reader (read as meant, verdict right) and every sample still wrong.

    .venv/bin/python -m tests.field.measure [--json FILE]
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict

from tests.field.corpus import READERS, known_misses, samples, score


def main(argv: list[str]) -> int:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    wrong, misses = [], known_misses()
    for sample in samples():
        result = score(sample)
        t = totals[sample.reader]
        t[0] += 1
        t[1] += result.read
        t[2] += result.verdict
        t[3] += result.right
        if not result.right:
            wrong.append({"id": sample.id, "read": result.read, "verdict": result.verdict, "said": result.said,
                          "known": misses.get(sample.id, "")})
    print(f"{'reader':8} {'samples':>7} {'read':>5} {'verdict':>7} {'both':>5}")
    for reader in READERS:
        n, r, v, b = totals[reader]
        print(f"{reader:8} {n:7} {r:5} {v:7} {b:5}")
    n, r, v, b = (sum(t[i] for t in totals.values()) for i in range(4))
    print(f"{'all':8} {n:7} {r:5} {v:7} {b:5}  ({100 * b / max(n, 1):.1f}% right)")
    for w in wrong:
        print(f"- {w['id']}: read {'ok' if w['read'] else 'WRONG'}, verdict {'ok' if w['verdict'] else 'WRONG'}"
              f"{' [known: ' + w['known'] + ']' if w['known'] else ''}\n    {json.dumps(w['said'], default=str)[:400]}")
    if "--json" in argv:
        path = argv[argv.index("--json") + 1]
        with open(path, "w", encoding="utf-8") as out:
            json.dump({"totals": dict(totals), "wrong": wrong}, out, indent=1, default=str)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
