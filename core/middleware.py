"""Security headers Django's own middleware does not send; admin parameters that are not text;
requests larger than the site takes."""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http.request import RawPostDataException
from django.shortcuts import render

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


class PermissionsPolicyMiddleware:
    """The portal uses no device feature: say so to the browser for every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-site")
        return response


def _undecodable(raw: str) -> bool:
    """Whether a form-encoded string holds a NUL byte or bytes that are not UTF-8."""
    if not raw:
        return False
    try:
        data = raw.encode("latin-1")  # WSGI hands the raw bytes over as latin-1 text
    except UnicodeEncodeError:
        data = raw.encode("utf-8")
    decoded = unquote_to_bytes(data.replace(b"+", b" "))
    if b"\x00" in decoded:
        return True
    try:
        decoded.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


class AdminParametersMiddleware:
    """A NUL byte or invalid UTF-8 in an admin parameter is a bad request (400), never a 500.

    Django decodes parameters leniently (invalid bytes become U+FFFD) and a NUL reaches the
    list filters, which PostgreSQL refuses with an error. The admin's query string, and its
    form-encoded or multipart fields (not the files), are checked before any view runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        if request.path_info.startswith(self.prefix) and self.refused(request):
            raise BadRequest("A parameter holds a NUL byte or invalid UTF-8.")
        return self.get_response(request)

    def refused(self, request) -> bool:
        if _undecodable(request.META.get("QUERY_STRING", "")):
            return True
        if request.method != "POST":
            return False
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            try:
                body = request.body.decode("latin-1")
            except RawPostDataException:
                body = ""
            return _undecodable(body)
        if content_type.startswith("multipart/form-data"):
            texts = [text for key, values in request.POST.lists() for text in (key, *values)]
            return any("\x00" in text or "\ufffd" in text for text in texts)
        return False


class RequestSizeMiddleware:
    """Requests larger than the site takes are refused with their own status, never a 500.

    - a query string over ``MAX_QUERY_STRING_BYTES`` (7 KB): 414, before anything parses it;
    - a declared body (``Content-Length``) over ``MAX_REQUEST_BODY_BYTES`` (12 MB, nginx's
      ``client_max_body_size``): 413, before anything reads it.

    Within those, Django's own limits answer 400: ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (a body other
    than files over 10 MB) and ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` (over 1,000 parameters).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.META.get("QUERY_STRING", "")) > settings.MAX_QUERY_STRING_BYTES:
            return self.refuse(request, "414.html", 414)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise BadRequest("Content-Length is not a number.") from None
        if length > settings.MAX_REQUEST_BODY_BYTES:
            return self.refuse(request, "413.html", 413)
        return self.get_response(request)

    @staticmethod
    def refuse(request, template, status):
        response = render(request, template, status=status)
        response["Cache-Control"] = "no-store"
        return response
