"""Image uploads: checked by decoding them, re-encoded without metadata, renamed, resized.

Staff upload office photos, institution logos and instrument images through the admin. The file
is trusted only once Pillow has decoded it: a renamed HTML or SVG page, a truncated file or a
"decompression bomb" (a tiny file declaring enormous dimensions) is refused with a message
saying why. An accepted image is re-encoded, which drops EXIF (camera, GPS position) and any
other metadata, and stored under a name the server generates, with WebP variants beside it
for the pages: ``offices/<uuid>.jpg`` gets ``offices/<uuid>-480.webp`` and
``offices/<uuid>-1200.webp``.
"""

import io
import uuid
import warnings
from pathlib import PurePosixPath

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
VARIANT_WIDTHS = (480, 1200)
# Pillow format name -> extension of the re-encoded original.
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
ACCEPT = "image/jpeg,image/png,image/webp"


def _open(file) -> Image.Image:
    """Decode ``file`` fully, or raise a ValidationError naming what is wrong with it."""
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    if size > MAX_BYTES:
        raise ValidationError(
            _("The file weighs %(size).1f MB; images may weigh at most 5 MB."),
            code="too_heavy",
            params={"size": size / (1024 * 1024)},
        )
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; any bomb is an error here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file)
            image_format = image.format
            width, height = image.size
            if image_format not in FORMATS:
                raise ValidationError(
                    _("Only JPEG, PNG or WebP images are accepted; this file is %(format)s."),
                    code="format",
                    params={"format": image_format or _("of an unknown kind")},
                )
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _(
                        "The image measures %(width)d × %(height)d pixels (%(mp).0f megapixels); "
                        "the limit is 40 megapixels."
                    ),
                    code="too_large",
                    params={"width": width, "height": height, "mp": width * height / 1e6},
                )
            image.load()
    except ValidationError:
        raise
    except UnidentifiedImageError as exc:
        raise ValidationError(
            _(
                "This file is not a JPEG, PNG or WebP image (an HTML page or an SVG drawing "
                "renamed as an image is refused)."
            ),
            code="not_an_image",
        ) from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _(
                "This image declares enormous dimensions (a decompression bomb) and is "
                "refused; the limit is 40 megapixels."
            ),
            code="bomb",
        ) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ValidationError(
            _("The image is truncated or damaged and cannot be read; export it again."),
            code="damaged",
        ) from exc
    image.format_name = image_format
    return image


def validate_image(file) -> None:
    """Form-field validator: the upload is a whole JPEG, PNG or WebP image within the limits."""
    _open(file)
    file.seek(0)


def _encode(image: Image.Image, image_format: str) -> bytes:
    out = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif image_format == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, "WEBP", quality=85)
    return out.getvalue()


def _variant(image: Image.Image, width: int) -> bytes:
    variant = image.copy()
    if variant.width > width:
        height = max(1, round(variant.height * width / variant.width))
        variant = variant.resize((width, height), Image.Resampling.LANCZOS)
    if variant.mode not in ("RGB", "RGBA"):
        variant = variant.convert("RGBA")
    out = io.BytesIO()
    variant.save(out, "WEBP", quality=80)
    return out.getvalue()


class ProcessedImage(ContentFile):
    """A re-encoded upload under a generated name, carrying its resized variants until saved."""

    def __init__(self, content: bytes, name: str, variants: dict[int, bytes]):
        super().__init__(content, name=name)
        self.variants = variants

    def save_variants(self, stored_name: str, storage) -> list[str]:
        """Store the variants beside the original once the model has given it its final name."""
        names = []
        for width, content in self.variants.items():
            name = variant_name(stored_name, width)
            if storage.exists(name):
                storage.delete(name)
            names.append(storage.save(name, ContentFile(content)))
        return names


def process_image(file) -> ProcessedImage:
    """Decode, orient, strip metadata, re-encode and rename an upload; compute its variants."""
    image = _open(file)
    image_format = image.format_name
    image = ImageOps.exif_transpose(image)
    image.info = {}
    content = _encode(image, image_format)
    variants = {width: _variant(image, width) for width in VARIANT_WIDTHS}
    return ProcessedImage(content, f"{uuid.uuid4().hex}{FORMATS[image_format]}", variants)


def variant_name(name: str, width: int) -> str:
    """``offices/ab12.jpg`` -> ``offices/ab12-480.webp``."""
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}-{width}.webp"))


def variant_url(fieldfile, width: int = VARIANT_WIDTHS[0]) -> str:
    """URL of an image field's resized variant (the original's URL if none was made)."""
    if not fieldfile:
        return ""
    name = variant_name(fieldfile.name, width)
    if width in VARIANT_WIDTHS and fieldfile.storage.exists(name):
        return fieldfile.storage.url(name)
    return fieldfile.url


class SafeImageField(forms.FileField):
    """An upload field that accepts only a decodable JPEG, PNG or WebP and re-encodes it."""

    default_validators = [validate_image]
    widget = AdminFileWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", AdminFileWidget(attrs={"accept": ACCEPT}))
        kwargs.setdefault(
            "help_text",
            _(
                "JPEG, PNG or WebP, at most 5 MB and 40 megapixels. The image is re-encoded "
                "without its metadata (camera, GPS position) and renamed."
            ),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            return process_image(value)
        return value
