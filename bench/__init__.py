"""Proof under load: `make bench` (wrk figures per endpoint) and `make soak` (mixed load, integrity).

The helpers here are shared with the crash and hostile-input tests:
:mod:`bench.server` runs gunicorn in its production configuration on loopback,
:mod:`bench.client` walks the wizard over real HTTP with a cookie jar and the
forms' CSRF tokens.
"""
