"""Fake Énergie's browser: woob's LoginBrowser with fixed bills and a
notice. Password "wrong": wrong credentials; login "partial…": one bill's
download fails (the other documents do not)."""

from datetime import date
from decimal import Decimal

from woob.browser.browsers import LoginBrowser, need_login
from woob.capabilities.bill import Bill, Document, DocumentTypes, Subscription
from woob.exceptions import BrowserIncorrectPassword, BrowserUnavailable

__all__ = ["FakeBillerBrowser"]

BILLS = [
    ("F-2026-01", date(2026, 1, 15), "84.32"),
    ("F-2026-02", date(2026, 2, 15), "91.08"),
    ("F-2026-03", date(2026, 3, 2), "77.61"),
]


def pdf(title):
    """A small valid PDF whose bytes depend only on title."""
    stream = ("BT /F1 18 Tf 72 720 Td (%s) Tj ET" % title).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


class FakeBillerBrowser(LoginBrowser):
    BASEURL = "https://fakebiller.invalid/"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.logged = False

    def do_login(self):
        if self.password == "wrong":
            raise BrowserIncorrectPassword("Adresse e-mail ou mot de passe incorrect")
        self.logged = True

    @need_login
    def iter_subscription(self):
        sub = Subscription("CTR-001")
        sub.label = "Contrat électricité"
        sub.subscriber = "Hector Berlioz"
        return [sub]

    @need_login
    def iter_documents(self, sub):
        docs = []
        for id, d, amount in BILLS:
            b = Bill(id)
            b.label = "Facture %s" % d.strftime("%m/%Y")
            b.date = d
            b.duedate = date(d.year, d.month, 28)
            b.format = "pdf"
            b.type = DocumentTypes.BILL
            b.total_price = Decimal(amount)
            b.currency = "EUR"
            docs.append(b)
        notice = Document("N-2025-12")
        notice.label = "Échéancier 2026"
        notice.date = date(2025, 12, 20)
        notice.format = "pdf"
        notice.type = DocumentTypes.NOTICE
        docs.append(notice)
        return docs

    @need_login
    def download_document(self, doc):
        if doc.id == "F-2026-02" and self.username.startswith("partial"):
            raise BrowserUnavailable("Document indisponible")
        return pdf("%s %s" % (doc.id, doc.label.encode("ascii", "replace").decode()))
