"""The yardstick of `make bench`: bare Flask, no extensions, one route returning a short string.

gunicorn serves it with the product's gunicorn.conf.py and settings (bench.server.BareFlask),
so a ratio to it says what the product adds on top of the framework and the server.
It is not part of the product.
"""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
