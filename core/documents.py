"""PDF uploads (an agreement's signed text): checked by content, limited in size, renamed.

The file's name and the browser's content type say nothing: an HTML page named ``.pdf`` is
refused. A PDF is accepted when its content reads as one, without a PDF library: the header
(``%PDF-1.x``) at the start, ``startxref`` and its offset then ``%%EOF`` at the end, that offset
inside the file pointing at a cross-reference table (``xref``) or stream (``N G obj``), and at
least one indirect object (``N G obj`` … ``endobj``). It is at most 10 MB and is stored under a
name the server generates (``agreements/<uuid>.pdf``), never the client's.
"""

import io
import re
import uuid

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 10 * 1024 * 1024
HEADER = re.compile(rb"%PDF-[12]\.\d")
TAIL = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
XREF_AT = re.compile(rb"\s*(?:xref|\d+\s+\d+\s+obj)")
OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b.*?endobj", re.DOTALL)
TAIL_BYTES = 2048


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    return size


def read_pdf(file) -> bytes:
    """The upload's bytes if it is a PDF within the limit, or a ValidationError saying why."""
    size = _size(file)
    if size > MAX_BYTES:
        raise ValidationError(
            _("The file weighs %(size).1f MB; a PDF may weigh at most 10 MB."),
            code="too_heavy",
            params={"size": size / (1024 * 1024)},
        )
    file.seek(0)
    content = file.read()
    file.seek(0)
    if not HEADER.match(content):
        raise ValidationError(
            _(
                "This file is not a PDF (it does not start as one: an HTML page or another "
                "document renamed .pdf is refused)."
            ),
            code="not_a_pdf",
        )
    tail = TAIL.search(content[-TAIL_BYTES:])
    offset = int(tail.group(1)) if tail else -1
    if not (
        tail
        and 0 < offset < len(content)
        and XREF_AT.match(content, offset)
        and OBJECT.search(content)
    ):
        raise ValidationError(
            _("The PDF is truncated or damaged and cannot be read; export it again."),
            code="damaged",
        )
    return content


def validate_pdf(file) -> None:
    """Form-field validator: the upload is a whole PDF of at most 10 MB."""
    read_pdf(file)


class SafePdfField(forms.FileField):
    """An upload field accepting only a readable PDF, stored under a generated name."""

    default_validators = [validate_pdf]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", AdminFileWidget(attrs={"accept": "application/pdf,.pdf"}))
        kwargs.setdefault(
            "help_text",
            _("A PDF of at most 10 MB. It is checked and stored under a generated name."),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            return ContentFile(read_pdf(value), name=f"{uuid.uuid4().hex}.pdf")
        return value
