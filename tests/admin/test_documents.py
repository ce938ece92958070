"""PDF uploads are checked by content, limited to 10 MB and stored under a generated name."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from core.documents import MAX_BYTES, SafePdfField, read_pdf
from partnerships.models import Agreement
from tests.admin.helpers import admin_url, form_data
from tests.factories import AgreementFactory


def pdf_bytes(padding: int = 0) -> bytes:
    """A minimal but well-formed PDF: header, objects, cross-reference table, trailer."""
    objects = [
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\n",
    ]
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for obj in objects:
        offsets.append(len(out))
        out += obj
    out += b"% " + b"x" * padding + b"\n"
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return out


def upload(content: bytes, name="agreement.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


BAD = {
    "html-named-pdf": (
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        "not_a_pdf",
    ),
    "header-only": (b"%PDF-1.4\n", "damaged"),
    "truncated": (pdf_bytes()[:-40], "damaged"),
    "no-eof": (pdf_bytes().replace(b"%%EOF", b""), "damaged"),
    "bad-offset": (re.sub(rb"startxref\n\d+", b"startxref\n7", pdf_bytes()), "damaged"),
    "too-heavy": (pdf_bytes(padding=MAX_BYTES), "too_heavy"),
}


@pytest.mark.parametrize("kind", BAD)
def test_a_file_that_is_not_a_whole_pdf_is_refused_with_its_reason(kind):
    content, code = BAD[kind]

    with pytest.raises(ValidationError) as refused:
        SafePdfField().clean(upload(content))

    assert [error.code for error in refused.value.error_list] == [code]


def test_a_pdf_is_accepted_as_it_is_under_a_generated_name():
    cleaned = SafePdfField().clean(upload(pdf_bytes(), name="../../etc/My agreement.pdf"))

    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", cleaned.name)
    assert cleaned.read() == pdf_bytes()


def test_a_pdf_just_under_the_limit_is_accepted():
    content = pdf_bytes(padding=MAX_BYTES - len(pdf_bytes()) - 10)
    assert len(content) <= MAX_BYTES
    assert read_pdf(upload(content)) == content


def test_the_agreement_form_stores_the_pdf_under_a_generated_name(derci_client, db):
    agreement = AgreementFactory(slug="cas")
    url = admin_url(Agreement, "change", agreement.pk)
    data = form_data(derci_client.get(url))

    response = derci_client.post(url, {**data, "document": upload(pdf_bytes(), "Signed.pdf")})

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert re.fullmatch(r"agreements/[0-9a-f]{32}\.pdf", agreement.document.name)
    with default_storage.open(agreement.document.name) as stored:
        assert stored.read() == pdf_bytes()


@pytest.mark.parametrize("kind", ["html-named-pdf", "truncated", "too-heavy"])
def test_the_agreement_form_shows_why_a_file_is_refused(derci_client, db, kind):
    agreement = AgreementFactory(slug="cas")
    url = admin_url(Agreement, "change", agreement.pk)
    data = form_data(derci_client.get(url))

    response = derci_client.post(url, {**data, "document": upload(BAD[kind][0])})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()["document"]
    assert [error.code for error in errors] == [BAD[kind][1]]
    agreement.refresh_from_db()
    assert not agreement.document
