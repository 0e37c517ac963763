"""Every reachable path of the wizard ends in a plan with every download (issue 10).

The paths come from the step registry (tests/paths/registry.py) crossed with
the certificate cases (tests/paths/certificates.py). Each walks the real views
with CSRF on, in a browser of its own, following the wizard's own redirects:
nothing here hard-codes the order of the steps.
"""
from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

from app.remediation.request_step import NEW_CERTIFICATE_ERRORS
from app.extensions import db
from app.remediation.answers import EGRESS
from app.store import Case
from app.wizard.steps import NO_CERTIFICATE, STEPS
from tests.conftest import page
from tests.paths.certificates import ACCEPTED, GET_CERTIFICATE, certificate_cases
from tests.paths.registry import Path, branches_taken, enumerate_paths, registry_branches, step_choices
from tests.remediation.pwsh import errors, parse

CAPTION = re.compile(r"Step (\d+) of (\d+)")
NUMBERED = [step.name for step in STEPS if step.numbered]


def csrf(soup, name="csrf_token") -> str:
    return soup.find("input", attrs={"name": name})["value"]


def answers_of(path: Path) -> dict:
    """What the path answers on each step (the certificate and connector-domain steps are handled apart)."""
    return {
        "start": {"role": path.role, "organization": f"Paths {path.number}", "ticket": f"INC-{path.number}"},
        "scenarios": {"scenarios": path.scenarios},
        "not-affected": {},
        "domains": {"accepted_domains": ACCEPTED},
        "connector": {"kind": path.connector},
        "connector-name": {"name": "Legacy relay"},
        "server": {"kind": path.server},
        "exchange-setup": {"hybrid_wizard": path.hybrid, "egress": egress_of(path)},
        "server-details": {"fqdn": "mail.contoso.com", "mx_endpoint": "contoso-com.mail.protection.outlook.com"},
    }


def egress_of(path: Path) -> str:
    """Which Exchange server connects to Exchange Online (issue 21 item 5): each answer on some path."""
    return EGRESS[path.number % len(EGRESS)]


def route_answers(path: Path) -> dict:
    """The answers that choose the route, as the case stores them."""
    chosen = {name: data for name, data in answers_of(path).items() if name in ("scenarios", "connector", "server")}
    if path.hybrid:
        chosen["exchange-setup"] = {"hybrid_wizard": path.hybrid, "egress": egress_of(path)}
    chosen["certificate"] = {"source": NO_CERTIFICATE if path.certificate.upload is None else "file"}
    return chosen


def walk(client, path: Path) -> tuple[list[tuple[str, str]], str | None]:
    """Answer every page the wizard shows until the check page: (step, caption) per page, and the
    connector value chosen."""
    url, pages, chosen = "/wizard/start", [], None
    for _ in range(len(STEPS) + 1):
        name = url.split("/wizard/", 1)[1].split("?")[0]
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        soup = page(response)
        pages.append((name, (soup.select_one(".caption") or soup.new_tag("span")).get_text()))
        if name == "certificate" and path.certificate.upload is None:
            response = client.post("/wizard/certificate/skip", data={"skip-csrf_token": csrf(soup, "skip-csrf_token")})
        else:
            if name == "certificate":
                data = path.certificate.form_data()
            elif name == "connector-domain":
                offered = [i["value"] for i in soup.select("input[name=connector_domain]")]
                assert offered == list(path.certificate.choices), soup.select_one(".findings")
                chosen = offered[path.number % len(offered)] if offered else None
                data = {"connector_domain": chosen} if chosen else {}
            else:
                data = answers_of(path)[name]
            response = client.post(url, data={**data, "csrf_token": csrf(soup)}, content_type="multipart/form-data")
        assert response.status_code == 302, (name, [e.get_text(" ", strip=True) for e in page(response).select(".error-message")])
        url = response.headers["Location"]
        if url.endswith("/wizard/check"):
            return pages, chosen
    raise AssertionError(f"no check page after {pages}")


def assert_counter(pages: list[tuple[str, str]], branching: set[str]) -> None:
    """Step N of M: M the same on every page, the longest route (issue 24: a total that shrank read as going
    back); N rises, by more than one only past a step that an answer before it skipped."""
    numbered = [(name, *map(int, CAPTION.search(caption).groups())) for name, caption in pages if CAPTION.search(caption)]
    assert [name for name, _c in pages if not CAPTION.search(_c)] in ([], ["not-affected"])
    assert numbered[0] == ("start", 1, len(NUMBERED))
    assert {total for _name, _n, total in numbered} == {len(NUMBERED)}
    for (before, n, _total), (name, m, _same) in zip(numbered, numbered[1:]):
        assert m == NUMBERED.index(name) + 1 and m > n, (before, n, name, m)
        skipped = NUMBERED[n:m - 1]
        assert not skipped or any(step in branching for step in NUMBERED[:n]), (before, skipped)


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def script_text(data: bytes) -> str:
    text = data.decode("utf-8-sig")
    assert errors(parse(text)) == []
    return text


def json_text(data: bytes) -> str:
    return json.dumps(json.loads(data))


def zip_names(data: bytes) -> list[str]:
    """The chain .zip opened and every file in it parsed: the intermediates' CNs, in the plan's order."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    numbered = sorted((n for n in archive.namelist() if n.endswith(".cer")), key=lambda n: int(re.sub(r"\D", "", n)))
    assert numbered == [f"intermediate-{n}.cer" for n in range(1, len(numbered) + 1)]
    certificates = [x509.load_der_x509_certificate(archive.read(name)) for name in numbered]
    assert pkcs7.load_der_pkcs7_certificates(archive.read("intermediates.p7b")) == certificates
    assert x509.load_pem_x509_certificates(archive.read("relay-cert-chain.pem"))[1:] == certificates
    assert set(archive.namelist()) == {*numbered, "intermediates.p7b", "relay-cert-chain.pem"}
    return [c.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value for c in certificates]


# Every download of the result page: file name, content type, and how to read it back.
REQUEST_TITLE = "Request a certificate from a public CA"
DOWNLOADS = {
    "report.pdf": ("application/pdf", pdf_text),
    "remediation.ps1": ("text/plain", script_text),
    "plan.json": ("application/json", json_text),
}
CHAIN = "intermediates.zip"  # only when the upload held intermediates: else 404 with where to get them


@pytest.fixture(scope="module")
def branching(paths_app) -> set[str]:
    return {step for step, _field, _outcome in registry_branches(paths_app)}


def test_every_path_reaches_a_plan_with_every_download(paths_app, path: Path, branching):
    client = paths_app.test_client()
    pages, chosen = walk(client, path)
    assert_counter(pages, branching)
    with paths_app.app_context():
        case = db.session.scalars(db.select(Case).where(Case.organization == f"Paths {path.number}")).one()
        stored = case.answers
        reference = case.reference
    assert {name: stored[name] for name in route_answers(path)} | {"certificate": {"source": stored["certificate"]["source"]}} \
        == route_answers(path) | {"certificate": {"source": stored["certificate"]["source"]}}
    assert (stored["certificate"]["source"] == NO_CERTIFICATE) == (path.certificate.upload is None)

    check = client.get("/wizard/check")
    assert check.status_code == 200
    response = client.post("/wizard/check", data={"csrf_token": csrf(page(check))})
    assert response.headers["Location"].endswith(f"/cases/{reference}")

    first = path.certificate.choices[chosen] if chosen else GET_CERTIFICATE
    result = client.get(f"/cases/{reference}")
    assert result.status_code == 200
    assert first in " ".join(page(result).select_one(".checklist").get_text(" ").split())

    plan = json.loads(client.get(f"/cases/{reference}/plan.json").data)
    # Exchange Online blocks Exchange 2010 and 2013: their plans are never ready and start with the upgrade
    # (issue 21 item 6).
    upgrade = path.server in ("exchange-2010", "exchange-2013")
    blocked = upgrade and path.certificate.verdict != "in_progress"
    assert plan["verdict"] == ("blocked" if blocked else path.certificate.verdict)
    assert (plan["checklist"][0]["id"] == "upgrade_exchange") == upgrade
    # Issue 25: a certificate that no setting can save (expired, self-signed, private CA) leads with its request.
    titles = [item["title"] for item in plan["checklist"]][1 if upgrade else 0:]
    replace = path.certificate.finding in NEW_CERTIFICATE_ERRORS
    assert titles[:2] == [REQUEST_TITLE, first] if replace else titles[0] == first
    if path.certificate.finding:
        assert path.certificate.finding in {f["code"] for f in plan["findings"]}
    for name, (content_type, read) in DOWNLOADS.items():
        download = client.get(f"/cases/{reference}/{name}")
        assert download.status_code == 200 and download.mimetype == content_type, name
        assert download.data, name
        text = " ".join(read(download.data).split())
        assert reference in text or name == "plan.json", name
        if name == "report.pdf":
            assert first in text
        if name == "remediation.ps1":
            # The script leads with the fix; a domain already covered needs no line.
            register = next(item for item in plan["checklist"] if item["id"] == "register_domain")
            assert (f"# First: {first}." in text) == (register["status"] != "done")
            assert ("# Request a certificate from a public CA" in text or "# Request the certificate" in text) == (
                replace or first == GET_CERTIFICATE)
    assert_chain_download(client, reference, path.certificate, plan, page(result))


def assert_chain_download(client, reference: str, certificate, plan: dict, result) -> None:
    """The intermediates as files to install, or a 404 page that says where to get them; the result page
    offers the one it has."""
    download = client.get(f"/cases/{reference}/{CHAIN}")
    link = result.select_one(f"a[href$='/{CHAIN}']")
    if certificate.intermediates:
        assert download.status_code == 200 and download.mimetype == "application/zip"
        assert download.headers["Content-Disposition"] == f'attachment; filename="{reference}-{CHAIN}"'
        assert zip_names(download.data) == list(certificate.intermediates)
        assert [i["file"] for i in plan["intermediates"]] == [f"intermediate-{n}.cer"
                                                              for n in range(1, len(certificate.intermediates) + 1)]
        assert link is not None
    else:
        assert download.status_code == 404 and download.mimetype == "text/html"
        soup = page(download)
        assert soup.h1.get_text() == "This case holds no intermediate certificates"
        assert certificate.no_chain_advice in " ".join(soup.main.get_text(" ").split())
        assert soup.find("a", href=f"/cases/{reference}", string="Back to the plan")
        assert plan["intermediates"] == [] and link is None


def test_the_paths_cover_every_branch_server_kind_and_certificate_case(paths_app):
    found = enumerate_paths(paths_app, certificate_cases())
    taken = set().union(*(branches_taken(route_answers(p), paths_app) for p in found))
    assert registry_branches(paths_app) <= taken
    choices = step_choices(paths_app)
    assert {p.server for p in found} == set(choices[("server", "kind")])
    assert {(p.server, p.hybrid) for p in found if p.hybrid} == {
        (kind, answer) for kind in choices[("server", "kind")] if kind.startswith("exchange")
        for answer in choices[("exchange-setup", "hybrid_wizard")]}
    assert {p.connector for p in found} == set(choices[("connector", "kind")])
    assert {p.certificate.name for p in found} == {c.name for c in certificate_cases()}
    # Each certificate case meets two different servers.
    for case in certificate_cases():
        assert len({p.server for p in found if p.certificate is case}) >= 2, case.name
