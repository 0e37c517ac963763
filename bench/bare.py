"""The yardstick of `make bench`: bare Flask, no extensions, one route returning a short string.

gunicorn serves it with the product's gunicorn.conf.py and settings (bench.server.BareFlask),
so a ratio to it says what the product adds on top of the framework and the server.
It is not part of the product.

POST /verify is the floor of the certificate API's row: the least any certificate check can do with
a chain. It reads the same JSON body, loads its PEM certificates and has cryptography's verifier
build and verify the path from the leaf to a root of TRUSTED_ROOTS_FILE at this instant (the
product's own `verified_chain`, so the same store and policy), and answers the chain's length: no
names, facts, findings or report, and none of the product's extensions, hooks, logs or metrics.
Its ratio to GET / is the most the certificate API's row could reach on this machine.
"""
import datetime
import os

from cryptography import x509
from flask import Flask, request

from app.certs.trust import load_trust_store, verified_chain

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"


@app.post("/verify")
def verify() -> dict:
    certs = x509.load_pem_x509_certificates(request.get_json()["certificate_pem"].encode())
    store = load_trust_store(os.environ["TRUSTED_ROOTS_FILE"])
    return {"chain": len(verified_chain(certs, store, datetime.datetime.now(datetime.timezone.utc)))}
