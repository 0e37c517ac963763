"""A worker of the PDFs' gunicorn warms up when it starts (app/reports/pdf.py warm_up, gunicorn.conf.py):
its first plan PDF then compiles no template, and is the same PDF as a cold worker's."""
from __future__ import annotations

from app.reports import pdf as pdf_module
from tests.web.test_reports import pdf_text, result_url  # noqa: F401 (a fixture)


def test_after_the_warm_up_the_first_pdf_compiles_no_template_and_shows_the_same_plan(app, client, result_url,
                                                                                        tmp_path, monkeypatch):
    cold = client.get(result_url + "/report.pdf")
    app.jinja_env.cache.clear()
    pdf_module.warm_up(app)

    def compiled_at_request_time(environment, name):
        raise AssertionError(f"{name} was compiled by the request, not by the warm-up")

    monkeypatch.setattr(app.jinja_env.loader, "get_source", compiled_at_request_time)
    warm = client.get(result_url + "/report.pdf")
    assert warm.status_code == cold.status_code == 200
    assert pdf_text(warm.data, tmp_path, "-layout") == pdf_text(cold.data, tmp_path, "-layout")
