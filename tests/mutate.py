"""`make mutate`: mutation testing of the rule modules with mutmut.

mutmut (configured in pyproject.toml) copies app/ into mutants/, plants its mutants in the rule
modules and runs, for each mutant, only the tests that reached the mutated function. It keeps each
mutant's result in mutants/ until the mutant's function changes, so a run checks only what has no
result yet; this script also forgets the survivors first, since a new test may kill them. Then it
prints each module's score, each file's, and every mutant that no test killed, with the line it
changed. It exits non-zero when a module scores under the target.

    python -m tests.mutate                  # run, then report every rule module
    python -m tests.mutate certs diagnose   # run, then report some of them
    python -m tests.mutate --report         # only print the last results
    python -m tests.mutate --fresh          # forget every result first (a full run: the better part of an hour)
"""
from __future__ import annotations

import argparse
import ast
import difflib
import functools
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

MODULES = ("certs", "remediation", "diagnose", "audit")
TARGET = 90.0
ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
MUTMUT = Path(sys.executable).with_name("mutmut")
# mutmut's exit codes (mutmut/stats.py): killed by a failing test, by a timeout, by the type checker.
KILLED = {1: "killed", 3: "killed", 36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout",
          255: "timeout", 37: "killed"}
STATUS = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", None: "not checked"}


def run_mutmut(children: int) -> float:
    """Run mutmut over every mutant without a result (named mutants or a pattern would run the checked
    ones again too); its chatter goes to mutants/mutmut.log."""
    MUTANTS.mkdir(exist_ok=True)
    log = MUTANTS / "mutmut.log"
    started = time.monotonic()
    with log.open("w") as out:
        code = subprocess.call([str(MUTMUT), "run", "--max-children", str(children)],
                               cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                               env=os.environ | {"HYPOTHESIS_PROFILE": "ci"},  # the same examples each run
                               start_new_session=True)  # a mutant that signals its process group stops only mutmut
    elapsed = time.monotonic() - started
    if code != 0:
        sys.exit(f"mutmut failed (exit {code}); see {log}")
    return elapsed


def forget_survivors() -> None:
    """A survivor keeps its result until its function changes: check it again against today's tests."""
    for meta in (MUTANTS / "app").rglob("*.py.meta"):
        data = json.loads(meta.read_text())
        codes = data["exit_code_by_key"]
        if any(status(code) in ("survived", "no tests") for code in codes.values()):
            data["exit_code_by_key"] = {k: None if status(v) in ("survived", "no tests") else v for k, v in codes.items()}
            meta.write_text(json.dumps(data, indent=4))


def drop_stale_copies() -> None:
    """mutmut copies a file it does not mutate (app/web, app/staff, the .mo catalogs) only when
    mutants/ lacks it, and keeps that copy: drop them, so that each run tests against today's code."""
    for path in (MUTANTS / "app").rglob("*"):
        relative = path.relative_to(MUTANTS / "app")
        mutated = relative.parts[0] in MODULES and path.name.endswith((".py", ".py.meta"))
        if path.is_file() and not mutated:
            path.unlink()


def status(exit_code: int | None) -> str:
    return KILLED.get(exit_code) or STATUS.get(exit_code, "suspicious")


def results(module: str) -> dict[str, dict[str, str]]:
    """{file: {mutant name: status}} for one module, from mutmut's .meta files."""
    found = {}
    for meta in sorted((MUTANTS / "app" / module).rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        if codes:
            found[str(meta.relative_to(MUTANTS))[: -len(".meta")]] = {k: status(v) for k, v in codes.items()}
    return found


def score(statuses) -> tuple[float, Counter]:
    counts = Counter(statuses)
    killed = counts["killed"] + counts["timeout"]
    total = sum(counts.values())
    return (100.0 * killed / total if total else 100.0), counts


@functools.cache
def mutated_functions(path: str) -> dict[str, list[str]]:
    """The functions of mutants/<path>, by name: mutmut writes each mutant beside the original (``__mutmut_orig``)."""
    text = (MUTANTS / path).read_text()
    lines = text.splitlines()
    return {node.name: lines[node.lineno - 1:node.end_lineno] for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.FunctionDef) and "__mutmut_" in node.name}


def changed_line(name: str, path: str) -> str:
    """The mutant's changed lines, '-old' then '+new' (mutmut's own diff re-mutates the whole file per mutant:
    minutes for a few hundred survivors)."""
    function = name.rsplit(".", 1)[1]
    original = function.rsplit("__mutmut_", 1)[0] + "__mutmut_orig"
    functions = mutated_functions(path)
    before = [line.replace(original, "") for line in functions.get(original, [])]
    after = [line.replace(function, "") for line in functions.get(function, [])]
    diff = difflib.unified_diff(before, after, lineterm="", n=0)
    return " | ".join(line.strip() for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))


def report(modules) -> bool:
    os.chdir(ROOT)
    if not (MUTANTS / "app").is_dir():
        sys.exit("No results yet: run make mutate first.")
    reached = True
    for module in modules:
        by_file = results(module)
        module_score, counts = score(s for f in by_file.values() for s in f.values())
        reached &= module_score >= TARGET
        print(f"\napp/{module}: {module_score:.1f}% of {sum(counts.values())} mutants killed  "
              + "  ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        for path, statuses in by_file.items():
            file_score, file_counts = score(statuses.values())
            print(f"  {file_score:5.1f}%  {sum(file_counts.values()):4d}  {path}")
        for path, statuses in by_file.items():
            for name, state in sorted(statuses.items()):
                if state not in ("killed", "timeout"):
                    print(f"    {state}: {name}\n        {changed_line(name, path)}")
    print(f"\nTarget: {TARGET:.0f}% on each module: {'reached' if reached else 'NOT reached'}.")
    return reached


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", metavar="module", help=", ".join(MODULES) + " (default: all)")
    parser.add_argument("--report", action="store_true", help="print the last results without running")
    parser.add_argument("--fresh", action="store_true", help="forget every result and check every mutant")
    parser.add_argument("--max-children", type=int, default=2)
    args = parser.parse_args()
    modules = args.modules or list(MODULES)
    if unknown := set(modules) - set(MODULES):
        parser.error(f"not a rule module: {', '.join(sorted(unknown))}")
    if not args.report:
        # mutmut copies tests/ over its old copy: start afresh so that a deleted test file is gone. It also
        # keeps which tests reach which function until that function changes: a changed test would keep
        # stale links, so the first module's run links every test afresh and the others reuse that.
        if args.fresh:
            shutil.rmtree(MUTANTS, ignore_errors=True)
        shutil.rmtree(MUTANTS / "tests", ignore_errors=True)
        (MUTANTS / "mutmut-stats.json").unlink(missing_ok=True)
        drop_stale_copies()
        forget_survivors()
        elapsed = run_mutmut(args.max_children)
        print(f"mutmut ran in {elapsed / 60:.1f} min", flush=True)
    sys.exit(0 if report(modules) else 1)


if __name__ == "__main__":
    main()
