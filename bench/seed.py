"""`python -m bench.seed --cases N`: fill DATABASE_URL with N realistic cases for `make bench-scale`.

A help desk's years of cases: about one customer per five cases, each customer
with its own organization name and one to three accepted domains; about eight
answer rows per case, shaped exactly as the wizard saves them; a mix of server
kinds; 70 % completed; a third with the customer's certificate (issued by the
test CA, some mismatched, self-signed or expiring); owners, resolutions and
times spread over three years. The stored facts (verdict, expiry, search text,
domain rows) come from the app's own functions (app/staff/facts.py), computed
once per customer and certificate. The schema comes from the migrations.

Deterministic for a given N (fixed random seed), so SQLite and PostgreSQL get
the same data. Rows are written with bulk INSERTs in chunks, ids given, so it
runs in minutes at a million cases.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, text

REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
FIRST = ("North South East West Blue Red Green Silver Golden Iron Stone River Lake Forest Mountain Harbor Bay "
         "Sun Moon Star Cedar Oak Pine Birch Maple Willow Eagle Falcon Raven Fox Wolf Bear Lion Tiger Swift "
         "Bright Clear Fresh Grand Great Prime Royal Noble True Alpine Arctic Coastal Nordic Polar Urban Rural "
         "Alder Amber Apex Atlas Aurora Beacon Bolt Cascade Citadel Comet Crest Delta Echo Ember Fjord Frost "
         "Glacier Granite Haven Horizon Indigo Jade Juniper Keystone Lantern Linden Lumen Meridian Mistral "
         "Nimbus Onyx Orbit Pioneer Quartz Rapid Summit Tundra Vertex Vista Zenith Cobalt").split()
SECOND = ("Traders Logistics Systems Bank Insurance Foods Motors Pharma Energy Media Works Labs Partners "
          "Consulting Health Retail Airlines Shipping Textiles Chemicals Robotics Software Networks Dynamics "
          "Foundry Mills Brewery Dairy Farms Builders Electric Optics Audio Games Studios Publishing Press "
          "Clinics Dental Legal Capital Ventures Holdings Estates Hotels Travel Transport Freight Marine Mining "
          "Metals Plastics Paper Packaging Printing Security Solutions Services Supplies Tools Instruments "
          "Devices Sensors Semiconductors Telecom Cables Power Water Waste Recycling Agritech Biotech Medtech "
          "Fintech Edtech Analytics Data Cloud Hosting Studio Design Architects Engineering Construction "
          "Cleaning Catering Bakery Coffee Tea Wines Spirits Sports Outdoor Fashion Furniture Interiors").split()
SUFFIXES = ("AB", "Ltd", "GmbH", "Inc", "Oy", "AS", "BV", "SA", "Group", "ApS", "LLC", "SRL", "AG", "Plc",
            "Pty", "KK", "NV", "Sp. z o.o.", "S.p.A.", "Corp")
TLDS = ("com", "se", "net", "org", "co.uk", "de", "fi", "no", "dk", "nl", "fr", "es", "it", "ch", "at", "be",
        "pl", "ie", "eu", "io")
SERVERS = {"exchange-2019": 35, "exchange-2016": 20, "exchange-se": 10, "exchange-2013": 5, "exchange-2010": 2,
           "postfix": 10, "exim": 5, "sendmail": 3, "other": 10}
SCENARIOS = ("ndr", "forwarding", "applications", "non-accepted-domains")
CHUNK = 2000
YEARS = 3
STAFF = 20
BENCH_USER = "bench@helpdesk.example"
# A throwaway account in a throwaway database.
BENCH_PASSWORD = "bench-scale-password"  # nosec B105


@dataclass(frozen=True)
class Customer:
    organization: str
    domains: tuple[str, ...]


def customer(number: int) -> Customer:
    """Customer ``number``: unique name and domains for up to a few million customers."""
    a, rest = FIRST[number % len(FIRST)], number // len(FIRST)
    b, rest = SECOND[rest % len(SECOND)], rest // len(SECOND)
    suffix, rest = SUFFIXES[rest % len(SUFFIXES)], rest // len(SUFFIXES)
    tld = TLDS[(number * 7 + rest) % len(TLDS)]
    stem = f"{a}{b}".lower() + (str(rest) if rest else "")
    extra = number % 4
    domains = [f"{stem}.{tld}"] + ([f"{stem}-group.com"] if extra == 1 else []) + (
        [f"{a.lower()}-{b.lower()}{rest or ''}.{TLDS[(number + 3) % len(TLDS)]}", f"mail.{stem}.{tld}"]
        if extra == 2 else [])
    return Customer(f"{a} {b}{' ' + str(rest) if rest else ''} {suffix}", tuple(domains))


@dataclass(frozen=True)
class CertificateKind:
    """What decides a certificate's verdict: issuer, whether its names fit, when it expires."""

    self_signed: bool
    wrong_names: bool
    days_left: int


def certificate_kind(number: int) -> CertificateKind:
    """Customer ``number``'s certificate: mostly right, some wrong names, self-signed or expiring."""
    rng = random.Random(number)
    days_left, kind = rng.randint(-120, 420), rng.random()
    return CertificateKind(kind < 0.05, kind > 0.9, days_left)


def certificate_pem(number: int, now: datetime) -> str:
    """Customer ``number``'s own certificate, for its own first domain, of its kind."""
    from tests.certfactory import make_hierarchy, make_leaf, to_pem

    domain, kind = customer(number).domains[0], certificate_kind(number)
    issuer = None if kind.self_signed else make_hierarchy().intermediate  # the test CA's, cached
    sans = [f"mail.{domain}.local"] if kind.wrong_names else [f"mail.{domain}", domain]
    not_after = now.replace(hour=0, minute=0, second=0) + timedelta(days=kind.days_left)
    leaf = make_leaf(issuer, sans[0], sans=sans, not_before=not_after - timedelta(days=365), not_after=not_after)
    return to_pem(leaf.cert, *([issuer.cert] if issuer else [])).decode()


def reference(case_id: int) -> str:
    """A reference that looks random and is unique per id: 40 random bits would collide
    about once in a million cases (the app retries; a bulk load cannot), so the id goes
    through a bijection of the 40-bit space instead."""
    number = (case_id * 0x9E3779B97 + 0x5DEECE66D) % (1 << 40)  # odd multiplier: one-to-one
    chars = "".join(REFERENCE_ALPHABET[(number >> shift) & 31] for shift in range(35, -1, -5))
    return f"KB-{chars[:4]}-{chars[4:]}"


def answers(person: Customer, server: str, rng: random.Random) -> dict[str, dict]:
    """Every step a completed walk stores, in order, in the wizard's own shapes (app/wizard/views.py)."""
    domain = person.domains[0]
    steps = {
        "start": {"role": rng.choice(("agent", "admin")), "organization": person.organization,
                  "ticket": f"INC-{rng.randint(10000, 999999)}"},
        "scenarios": {"scenarios": rng.sample(SCENARIOS, rng.randint(1, 3))},
        "domains": {"accepted_domains": "\n".join(person.domains), "domains": list(person.domains)},
        "connector": {"kind": rng.choice(("none", "ip", "certificate"))},
        "server": {"kind": server},
        "server-details": {"fqdn": f"mail.{domain}",
                           "mx_endpoint": f"{domain.replace('.', '-')}.mail.protection.outlook.com"},
    }
    if steps["connector"]["kind"] != "none":
        steps["connector-name"] = {"name": f"From {person.organization}"[:60]}
    if server.startswith("exchange"):
        steps["exchange-setup"] = {"hybrid_wizard": rng.choice(("yes", "no"))}
    steps["certificate"] = {"source": rng.choice(("file", "text")), "thumbprint": "", "common_name": f"mail.{domain}"}
    steps["connector-domain"] = {"connector_domain": domain}
    return steps


def facts(case_columns: dict, steps: dict[str, dict], kind: CertificateKind | None,
          cache: dict) -> tuple[dict, set[str]]:
    """The stored facts, from app/staff/facts.py.

    The certificate analysis (a few ms) runs once per certificate kind, completion and
    dropped key, on the first case of that combination: every customer's certificate
    is made for its own domains, so cases that share those share their verdict.
    """
    from app.staff.facts import domain_names, listed_facts, verdict_facts
    from app.store import Case, CaseStep

    case = Case(**case_columns, steps=[CaseStep(step=name, data=steps[name])
                                       for name in ("domains", "server") if name in steps])
    key = (kind, case.completed_at is not None, case.private_key_dropped)
    if key not in cache:
        cache[key] = verdict_facts(case)
    return {**listed_facts(case), **cache[key]}, domain_names(case)


def generate(first_id: int, count: int, total: int, now: datetime, expired: bool = False):
    """Rows of cases ``first_id`` .. ``first_id + count - 1``: (cases, steps, domains) lists per chunk."""
    customers = max(1, total // 5)
    cache: dict = {}
    pems: dict[int, str] = {}
    for start in range(first_id, first_id + count, CHUNK):
        cases, steps, domains = [], [], []
        for case_id in range(start, min(start + CHUNK, first_id + count)):
            rng = random.Random(case_id * 7919 + (1 if expired else 0))
            number = rng.randrange(customers)
            person = customer(number)
            age = timedelta(days=YEARS * 365 * rng.random())
            created = now - age - (timedelta(days=5000) if expired else timedelta())
            updated = min(created + timedelta(minutes=rng.randint(5, 60 * 24 * 30)), now)
            completed = rng.random() < 0.7
            server = rng.choices(list(SERVERS), weights=list(SERVERS.values()))[0]
            answered = answers(person, server, rng)
            if not completed:  # stopped somewhere on the way
                answered = dict(list(answered.items())[:rng.randint(1, len(answered) - 1)])
            kind = certificate_kind(number) if "certificate" in answered else None
            if kind and number not in pems:
                pems[number] = certificate_pem(number, now)
            pem = pems[number] if kind else None
            columns = {"reference": reference(case_id), "organization": person.organization, "certificate_pem": pem,
                       "private_key_dropped": rng.random() < 0.2 if pem else False,
                       "completed_at": updated if completed else None,
                       "resolved_at": updated if completed and age > timedelta(days=30) and rng.random() < 0.8
                       else None}
            stored, names = facts(columns, answered, kind, cache)
            cases.append({"id": case_id, **columns, **stored, "secret_token": f"{rng.getrandbits(160):040x}",
                          "created_at": created, "updated_at": updated,
                          "owner_id": rng.randint(1, STAFF) if rng.random() < 0.6 else None})
            steps.extend({"case_id": case_id, "step": name, "data": data, "updated_at": updated}
                         for name, data in answered.items())
            domains.extend({"case_id": case_id, "domain": name} for name in sorted(names))
        yield cases, steps, domains


def ensure_staff(db) -> None:
    from app.staff.models import ADMIN, AGENT, User

    if db.session.scalar(select(func.count(User.id))):
        return
    bench = User(email=BENCH_USER, role=ADMIN, active=True)
    bench.set_password(BENCH_PASSWORD)
    agents = [User(email=f"agent{n}@helpdesk.example", role=AGENT, active=True, password_hash="!")
              for n in range(2, STAFF + 1)]
    db.session.add_all([bench, *agents])
    db.session.commit()


def insert_cases(db, count: int, total: int, *, expired: bool = False, report=print) -> None:
    """Append ``count`` cases after the highest id (``expired``: past any retention, for the purge)."""
    from app.store import Case, CaseDomain, CaseStep

    now = datetime.now().replace(microsecond=0)
    first_id = (db.session.scalar(select(func.max(Case.id))) or 0) + 1
    started = time.monotonic()
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA synchronous=OFF")
        # One transaction per chunk: an interrupted seed goes on from the last id next time.
        for done, (cases, steps, domains) in enumerate(generate(first_id, count, total, now, expired), 1):
            connection.execute(insert(Case.__table__), cases)
            connection.execute(insert(CaseStep.__table__), steps)
            if domains:
                connection.execute(insert(CaseDomain.__table__), domains)
            connection.commit()
            if done % 50 == 0:
                report(f"  {done * CHUNK:,} of {count:,} cases ({time.monotonic() - started:.0f} s)")
        if connection.dialect.name == "postgresql":
            for table in ("cases", "case_steps"):
                connection.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
        else:
            connection.exec_driver_sql("ANALYZE")
        connection.commit()
    if db.engine.dialect.name == "postgresql":  # statistics and the visibility map, as autovacuum would
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


def seed(database_url: str, cases: int, report=print) -> None:
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.store import Case

    app = create_app({"SECRET_KEY": "seed", "SQLALCHEMY_DATABASE_URI": database_url,
                      "TRUSTED_ROOTS_FILE": trust_store_file(),
                      "DATABASE_STATEMENT_TIMEOUT": 0})  # a bulk load of a million cases, not a page
    with app.app_context():
        upgrade()
        ensure_staff(db)
        have = db.session.scalar(select(func.count(Case.id)))
        if have < cases:
            report(f"seeding {cases - have:,} cases into {db.engine.url.render_as_string(hide_password=True)}")
            insert_cases(db, cases - have, cases, report=report)
        db.engine.dispose()


def trust_store_file() -> str:
    """The test CA's root, so the seeded certificates verify as they would in production."""
    from bench.server import write_factory_trust_store
    from pathlib import Path

    folder = Path(os.environ.get("BENCH_DATA_DIR", "instance/bench"))
    folder.mkdir(parents=True, exist_ok=True)
    return write_factory_trust_store(folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cases", type=int, required=True, help="how many cases the database should hold")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        print("Set DATABASE_URL (sqlite:///path or postgresql+psycopg://...).", file=sys.stderr)
        return 2
    seed(url, args.cases)
    return 0


if __name__ == "__main__":
    sys.exit(main())
