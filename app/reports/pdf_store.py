"""Rendered PDFs kept in the database: a case's PDF is rendered once for what it shows, whichever worker or
instance is asked for it again (a second download, the help desk's e-mail with the plan attached).

The key is a digest of the HTML the PDF is made from and of what turns that HTML into a PDF (app/reports/pdf.py:
its code, the stylesheet, WeasyPrint's version). The HTML holds everything the PDF shows: the case's answers,
reference and organization, the plan of its version under the rules of the day, the language, the date, the
viewer's voice, the codes staff see. Any change to one of them is another HTML, so another PDF, and nothing
shown can be left out of the key by mistake.

Each row points at its case: erasing an organization (app/staff/organizations.py deletes every row pointing at
its cases) and purging a case after the retention period (app/store.py, ON DELETE CASCADE) take its PDFs with
it. The store is bounded: a PDF older than PDF_STORE_SECONDS is neither served nor kept, and beyond
PDF_STORE_BYTES in all the oldest go first.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ForeignKey, LargeBinary, String, delete, func, insert, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.store import utcnow

from .pdf import render_fingerprint, render_pdf


class RenderedPdf(db.Model):
    __tablename__ = "rendered_pdfs"
    # Made again from the case on demand: not part of the organization's export (app/staff/organizations.py).
    __table_args__ = {"info": {"derived": True}}

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    size: Mapped[int]
    pdf: Mapped[bytes] = mapped_column(LargeBinary)


def case_pdf(case_id: int, html: str) -> bytes:
    """The PDF of ``html``, a page of case ``case_id``: the kept one, or rendered now and kept."""
    digest = hashlib.sha256(render_fingerprint().encode() + b"\0" + html.encode()).hexdigest()
    kept = db.session.scalar(select(RenderedPdf.pdf).where(RenderedPdf.digest == digest, RenderedPdf.case_id == case_id,
                                                           RenderedPdf.created_at >= _oldest_kept()))
    if kept is not None:
        return kept
    pdf = render_pdf(html)
    _keep(case_id, digest, pdf)
    return pdf


def _oldest_kept() -> datetime:
    return utcnow() - timedelta(seconds=current_app.config["PDF_STORE_SECONDS"])


def _keep(case_id: int, digest: str, pdf: bytes) -> None:
    """Store the PDF and drop what is past the store's age or size, in a transaction of its own (never the
    request's: its changes are its own to commit). A PDF not kept is only rendered again: never a failed download."""
    budget = current_app.config["PDF_STORE_BYTES"]
    if len(pdf) > budget:
        return
    table = RenderedPdf.__table__
    newest_first = func.sum(table.c.size).over(order_by=(table.c.created_at.desc(), table.c.digest.desc()))
    running = select(table.c.digest, newest_first.label("total")).subquery()
    try:
        with db.engine.begin() as connection:
            connection.execute(delete(table).where(table.c.digest == digest))  # an expired copy, or a twin's
            connection.execute(insert(table).values(digest=digest, case_id=case_id, created_at=utcnow(),
                                                    size=len(pdf), pdf=pdf))
            connection.execute(delete(table).where(or_(
                table.c.created_at < _oldest_kept(),
                table.c.digest.in_(select(running.c.digest).where(running.c.total > budget)))))
    except SQLAlchemyError as error:  # two workers keeping the same PDF at once, a database that went away
        current_app.logger.warning("A rendered PDF was not kept: %s", type(error).__name__)
