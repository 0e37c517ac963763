"""Trust stores: certifi by default, a PEM bundle when configured, each loaded once."""
from __future__ import annotations

import ast
import sys
import warnings
from pathlib import Path

import app.certs
from app.certs.trust import load_trust_store
from tests.certfactory import make_root, write_trust_store


def test_certifi_roots_load_once_without_warnings():
    load_trust_store.cache_clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        store = load_trust_store(None)
    assert len(store.roots) > 50
    assert load_trust_store(None) is store


def test_configured_bundle_is_used_and_cached_by_path(tmp_path):
    root = make_root("Contoso Private Root")
    path = write_trust_store(tmp_path / "roots.pem", root.cert)
    store = load_trust_store(path)
    assert store.roots == (root.cert,)
    assert load_trust_store(path) is store
    assert store.anchors(root.cert)


def test_certs_package_imports_no_web_code():
    # "app" itself imports Flask (the factory), so the check reads the sources.
    allowed = {"app.certs", "app.translate", "cryptography", "asn1crypto", "certifi", "idna", "__future__"}
    for path in Path(app.certs.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            modules = ([a.name for a in node.names] if isinstance(node, ast.Import)
                       else [node.module] if isinstance(node, ast.ImportFrom) else [])
            for module in modules:
                top = module.split(".")[0]
                assert top in sys.stdlib_module_names or any(
                    module == a or module.startswith(a + ".") for a in allowed), (path.name, module)
