"""The repository carries everything it reads: nothing in app/, tests/, bench/, the Makefile or CI reaches beside it."""
from __future__ import annotations

import re

import pytest

from tests import outside_paths

ROOT = outside_paths.ROOT
LOOKED_AT = ["app", "tests", "bench", "Makefile", ".ci", "wsgi.py", "json_log.py", "gunicorn.conf.py", "Dockerfile"]
REACHING_OUT = re.compile(r"\.\./shared|parents\[[3-9]\]\s*/\s*[\"']shared|[\"']shared[\"']\s*/\s*[\"']reference")


def _files():
    for name in LOOKED_AT:
        path = ROOT / name
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from (p for p in path.rglob("*") if p.is_file() and p.suffix in {".py", ".sh", ".cfg", ".toml", ""}
                        and "__pycache__" not in p.parts)


def test_no_file_names_a_path_beside_the_repository():
    offenders = [str(path.relative_to(ROOT)) for path in _files()
                 if path != ROOT / "tests" / "meta" / "test_self_contained.py"
                 and REACHING_OUT.search(path.read_text(encoding="utf-8", errors="replace"))]
    assert not offenders


def test_the_guard_catches_an_open_beside_the_repository():
    if not outside_paths.SIBLINGS:
        pytest.skip("nothing lies beside this clone, so nothing can be read there")
    target = outside_paths.SIBLINGS[0] + "/no-such-file-for-the-guard"
    before = len(outside_paths.violations)
    with pytest.raises(OSError):
        open(target, "rb")  # noqa: SIM115  the open fails, but the audit hook saw it first
    caught = outside_paths.violations[before:]
    del outside_paths.violations[before:]  # this test's own open is not a failure
    assert caught == [target]


def test_paths_inside_the_repository_and_the_temp_folder_are_fine(tmp_path):
    assert not outside_paths.outside(str(ROOT / "docs" / "reference" / "exchange-facts.md"))
    assert not outside_paths.outside(str(tmp_path / "x"))
