"""Uploads are trusted only once decoded: bad files refused, good ones cleaned and resized."""

import io
import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from core.images import (
    FORMATS,
    ProcessedImage,
    SafeImageField,
    process_image,
    validate_image,
    variant_name,
    variant_url,
)
from instruments.models import Instrument
from offices.models import Office
from partnerships.models import Institution
from tests.admin.helpers import admin_url, form_data
from tests.factories import InstitutionFactory, InstrumentFactory, KindFactory


def image_bytes(fmt="JPEG", size=(1600, 900), mode="RGB", **save_kwargs) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 40, 40) if mode == "RGB" else (200, 40, 40, 128)).save(
        out, fmt, **save_kwargs
    )
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.0)
    return image_bytes("JPEG", exif=exif)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares the given dimensions (a decompression bomb when huge)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def upload(content: bytes, name="photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


BAD_FILES = {
    "renamed-html": (
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        "not_an_image",
    ),
    "renamed-svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script></svg>",
        "not_an_image",
    ),
    "gif": (image_bytes("GIF", size=(20, 20)), "format"),
    "truncated-jpeg": (image_bytes("JPEG")[:2000], "damaged"),
    "truncated-png": (image_bytes("PNG", size=(800, 800))[:400], "damaged"),
    "bomb": (png_claiming(100_000, 100_000), "bomb"),
    "over-40-megapixels": (png_claiming(8_000, 6_000), "too_large"),
    "over-5-mb": (image_bytes("JPEG", size=(100, 100)) + b"\0" * (5 * 1024 * 1024), "too_heavy"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_file_is_refused_with_its_reason(kind):
    content, code = BAD_FILES[kind]

    with pytest.raises(ValidationError) as refused:
        validate_image(upload(content))

    assert refused.value.code == code
    assert str(refused.value.message)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_good_images_are_accepted_in_each_format(fmt):
    file = upload(image_bytes(fmt))

    assert validate_image(file) is None
    assert file.tell() == 0, "the validator rewinds the file for the next reader"
    cleaned = SafeImageField().clean(file)

    assert isinstance(cleaned, ProcessedImage)
    assert cleaned.name.endswith(FORMATS[fmt])
    stored = Image.open(io.BytesIO(cleaned.read()))
    assert (stored.format, stored.size) == (fmt, (1600, 900))


def test_processing_strips_metadata_renames_and_keeps_the_format():
    processed = process_image(upload(jpeg_with_gps(), name="holiday GPS.jpeg"))

    cleaned = Image.open(io.BytesIO(processed.read()))
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", processed.name)
    assert cleaned.format == "JPEG"
    assert cleaned.size == (1600, 900)
    assert dict(cleaned.getexif()) == {}
    assert "exif" not in cleaned.info


def test_variants_are_webp_at_the_page_widths():
    processed = process_image(upload(image_bytes("PNG", mode="RGBA"), name="logo.png"))

    sizes = {w: Image.open(io.BytesIO(data)) for w, data in processed.variants.items()}
    assert processed.name.endswith(".png")
    assert {w: (img.format, img.size) for w, img in sizes.items()} == {
        480: ("WEBP", (480, 270)),
        1200: ("WEBP", (1200, 675)),
    }


def test_variant_name_is_predictable():
    assert variant_name("offices/ab12.jpg", 480) == "offices/ab12-480.webp"


@pytest.mark.django_db
def test_office_photo_upload_is_cleaned_stored_and_resized(derci_client, own_office):
    url = admin_url(Office, "change", own_office.pk)
    data = form_data(derci_client.get(url), photo_credit="© CNRS")

    response = derci_client.post(url, {**data, "photo": upload(jpeg_with_gps())})

    assert response.status_code == 302
    own_office.refresh_from_db()
    name = own_office.photo.name
    assert re.fullmatch(r"offices/[0-9a-f]{32}\.jpg", name)
    with default_storage.open(name) as stored:
        assert dict(Image.open(stored).getexif()) == {}
    for width in (480, 1200):
        assert default_storage.exists(variant_name(name, width))
    assert variant_url(own_office.photo, 480).endswith(f"{name[:-4]}-480.webp")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["renamed-html", "renamed-svg", "truncated-jpeg", "bomb"])
def test_office_photo_refusal_is_shown_on_the_form(derci_client, own_office, kind):
    url = admin_url(Office, "change", own_office.pk)
    data = form_data(derci_client.get(url), photo_credit="© CNRS")

    response = derci_client.post(url, {**data, "photo": upload(BAD_FILES[kind][0])})

    assert response.status_code == 200
    assert [e.code for e in response.context["adminform"].form.errors.as_data()["photo"]] == [
        BAD_FILES[kind][1]
    ]
    own_office.refresh_from_db()
    assert not own_office.photo


@pytest.mark.django_db
def test_photo_without_credit_is_refused(derci_client, own_office):
    url = admin_url(Office, "change", own_office.pk)
    data = form_data(derci_client.get(url))

    response = derci_client.post(url, {**data, "photo": upload(image_bytes())})

    assert list(response.context["adminform"].form.errors) == ["photo_credit"]
    own_office.refresh_from_db()
    assert not own_office.photo


@pytest.mark.django_db
def test_institution_logo_and_instrument_image_use_the_same_checks(derci_client):
    institution = InstitutionFactory(slug="cas")
    instrument = InstrumentFactory(slug="cnc", kind=KindFactory(code="IRN"))
    logo_url = admin_url(Institution, "change", institution.pk)
    image_url = admin_url(Instrument, "change", instrument.pk)

    logo = derci_client.post(
        logo_url,
        {
            **form_data(derci_client.get(logo_url)),
            "logo": upload(BAD_FILES["renamed-svg"][0], "logo.png"),
        },
    )
    image = derci_client.post(
        image_url,
        {
            **form_data(derci_client.get(image_url), image_credit="© CNRS"),
            "image": upload(image_bytes("WEBP"), "cnc.webp"),
        },
    )

    assert "logo" in logo.context["adminform"].form.errors
    assert image.status_code == 302
    instrument.refresh_from_db()
    assert re.fullmatch(r"instruments/[0-9a-f]{32}\.webp", instrument.image.name)
