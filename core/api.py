"""The read-only JSON API's shared parts, and the core resources (themes, CNRS institutes).

Every resource's viewset lives in its app's ``api.py`` and filters with the app's FilterSet, so
``?country=cn&theme=biodiversity`` means the same on the pages, the exports, the feeds and here.
What this module adds around them: pagination with bounded ``page_size``, ``modified_since``,
``lang``, errors that name the parameter, throttling, and the schema of all of it.
"""

import base64
import datetime
import difflib
import logging
import re

import django_filters
from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import JsonResponse
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import serializers, viewsets
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle
from rest_framework.utils.urls import replace_query_param

from core import conditional
from core.filters import CatalogFilterSet, MultiValueFilter, YearFilter
from core.limits import client_key
from core.models import DatePrecision, Institute, Theme

logger = logging.getLogger(__name__)

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


# -- errors ------------------------------------------------------------------------------------


def parameter_error(name: str, message) -> ValidationError:
    """A 400 whose JSON body names the parameter: ``{"country": ["…"]}``."""
    return ValidationError({name: [str(message)]})


# -- language ----------------------------------------------------------------------------------


def requested_language(request) -> str | None:
    """The ``lang`` parameter when it names a site language; ``None`` when absent."""
    value = request.GET.get("lang")
    if value is None:
        return None
    value = value.strip().lower()
    return value if value in LANGUAGE_CODES else ""


# -- modified_since ----------------------------------------------------------------------------


def parse_modified_since(raw: str) -> datetime.datetime | None:
    """An aware datetime from an ISO 8601 date or date-time; ``None`` when it is not one.

    A date means its midnight, and a date-time without offset is read, in the site's time zone.
    """
    text = str(raw).strip().upper()
    if not text or len(text) > 40:
        return None
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            if day is None:
                return None
            moment = datetime.datetime.combine(day, datetime.time.min)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # The database compares in UTC: a moment that cannot be expressed there is no moment.
        return moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        return None


# -- parameters --------------------------------------------------------------------------------


def unknown_parameters_error(unknown, known) -> ValidationError:
    """A 400 naming each parameter the resource does not take, with the closest known one."""
    known = sorted(known)
    errors = {}
    for name in unknown:
        close = difflib.get_close_matches(name, known, n=1)
        if close:
            message = _(
                "Unknown parameter; did you mean “%(close)s”? This resource takes: %(known)s."
            )
        else:
            message = _("Unknown parameter. This resource takes: %(known)s.")
        errors[name[:60]] = [
            str(message % {"close": close[0] if close else "", "known": ", ".join(known)})
        ]
    return ValidationError(errors)


# -- filtering ---------------------------------------------------------------------------------


class CatalogFilterBackend:
    """Applies the view's shared FilterSet and ``modified_since`` to lists; 400 on a bad value."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        errors = {}
        data = request.query_params
        modified_field = getattr(view, "modified_field", None)
        view.sort_by_modified = None
        if modified_field and data.get("sort", "").strip() in MODIFIED_SORTS:
            view.sort_by_modified = data.get("sort").strip()
            data = data.copy()
            del data["sort"]
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None:
            filterset = filterset_class(data=data, queryset=queryset, request=request)
            if filterset.is_valid():
                queryset = filterset.qs
            else:
                errors.update(
                    {
                        name: [str(message) for message in messages]
                        for name, messages in filterset.errors.items()
                    }
                )
        raw = request.query_params.get("modified_since")
        if modified_field and raw is not None:
            since = parse_modified_since(raw)
            if since is None:
                errors["modified_since"] = [
                    str(
                        _(
                            "“%(value)s” is not an ISO 8601 date or date-time "
                            "(e.g. 2024-06-01 or 2024-06-01T08:00:00Z)."
                        )
                        % {"value": str(raw)[:40]}
                    )
                ]
            else:
                queryset = queryset.filter(**{f"{modified_field}__gte": since})
        if errors:
            raise ValidationError(errors)
        if view.sort_by_modified:
            descending = view.sort_by_modified.startswith("-")
            queryset = queryset.order_by(
                *(f"-{name}" if descending else name for name in (modified_field, "pk"))
            )
        return queryset

    def get_schema_operation_parameters(self, view):
        parameters = []
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None:
            for name, filter_ in filterset_class.base_filters.items():
                parameters.append(filter_parameter(name, filter_))
        if getattr(view, "modified_field", None):
            sort = next((p for p in parameters if p["name"] == "sort"), None)
            if sort is None:
                parameters.append(
                    {
                        "name": "sort",
                        "in": "query",
                        "required": False,
                        "description": MODIFIED_SORT_HELP,
                        "schema": {"type": "string", "enum": list(MODIFIED_SORTS)},
                    }
                )
            else:
                sort["schema"]["items"]["enum"] += list(MODIFIED_SORTS)
                sort["description"] += " " + MODIFIED_SORT_HELP
            parameters.append(
                {
                    "name": "modified_since",
                    "in": "query",
                    "required": False,
                    "description": (
                        "Only records created or modified at or after this moment: an ISO 8601 "
                        "date (midnight, Paris time) or date-time (Paris time without an "
                        "offset). Integrators pass the time of their last sync."
                    ),
                    "schema": {
                        "anyOf": [
                            {"type": "string", "format": "date"},
                            {"type": "string", "format": "date-time"},
                        ]
                    },
                }
            )
        return parameters


# ``sort=modified``: by modification time, then id (the order a sync wants), on every resource
# that records one; ``-modified`` for the latest first.
MODIFIED_SORTS = ("modified", "-modified")
MODIFIED_SORT_HELP = (
    "`modified`: by modification time then id, oldest first (`-modified`: latest first); with "
    "`cursor`, a record modified during the pull comes again later with its new version."
)

PARAMETER_HELP = {
    "q": "Text search: records containing every word, in French or English.",
    "country": "ISO 3166-1 alpha-2 country code, any case (e.g. `cn`).",
    "sector": "Sector slug (e.g. `asia-oceania`).",
    "theme": "Theme slug; a parent theme includes its sub-themes (e.g. `biodiversity`).",
    "kind": "Kind code; a former name finds the current kind (`LIA` finds IRPs).",
    "institute": "CNRS institute code, any case (e.g. `INEE`).",
    "institution": "Institution slug.",
    "network": "Network slug.",
    "status": "Status from the dates on the day of the request.",
    "year": "Active at some point of that year (four digits).",
    "ror": "A ROR id, bare or as its address: `02feahw73`, `ror.org/02feahw73` or "
    "`https://ror.org/02feahw73`; anything else answers 400.",
}


def filter_parameter(name: str, filter_) -> dict:
    """The OpenAPI description of one shared filter parameter."""
    with translation.override("en"):  # the schema is written in English
        label = str(filter_.label or name)
    help_text = PARAMETER_HELP.get(name, "")
    if isinstance(filter_, django_filters.OrderingFilter):
        choices = [value for value, _label in filter_.extra["choices"]]
        return {
            "name": name,
            "in": "query",
            "required": False,
            "description": (
                f"{label}: one or more of the values, separated by commas; "
                "a leading `-` sorts in descending order."
            ),
            "style": "form",
            "explode": False,
            "schema": {"type": "array", "items": {"type": "string", "enum": choices}},
        }
    if isinstance(filter_, YearFilter):
        items = {"type": "integer", "minimum": 1900, "maximum": 2200}
    elif isinstance(filter_, MultiValueFilter):
        items = {"type": "string", "minLength": 1}
        if name == "status":
            items["enum"] = ["active", "ended", "upcoming"]
        elif name == "country":
            items["pattern"] = "^[A-Za-z]{2}$"
    else:
        return {
            "name": name,
            "in": "query",
            "required": False,
            "description": f"{label}. {help_text}".strip(),
            "schema": {"type": "string", "maxLength": 5000},
        }
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": (
            f"{label}. {help_text} Repeat the parameter for several values: a record matching "
            "any of them is listed (different parameters must all match). An unknown value "
            "answers 400."
        ).replace("  ", " "),
        "style": "form",
        "explode": True,
        "schema": {"type": "array", "items": items, "maxItems": 50},
    }


# -- pagination --------------------------------------------------------------------------------


def encode_cursor(key: tuple) -> str:
    """An opaque position: ``("i", pk)`` in id order, ``("m", moment, pk)`` in modified order."""
    if key[0] == "m":
        text = f"m|{key[1].astimezone(datetime.UTC).isoformat()}|{key[2]}"
    else:
        text = f"i|{key[1]}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(token: str) -> tuple | None:
    """The position a cursor names, or ``None`` when it names none."""
    token = token.strip()
    if len(token) > 200:
        return None
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    parts = text.split("|")
    if parts[0] == "i" and len(parts) == 2 and WHOLE_NUMBER.fullmatch(parts[1]):
        return ("i", int(parts[1]))
    if parts[0] == "m" and len(parts) == 3 and WHOLE_NUMBER.fullmatch(parts[2]):
        moment = parse_datetime(parts[1])
        if moment is not None and timezone.is_aware(moment):
            return ("m", moment, int(parts[2]))
    return None


class CatalogPagination(PageNumberPagination):
    """``page`` and ``page_size`` (1–100); a page or size that does not exist answers 400.

    ``cursor`` (opt-in; empty to start) pages by position instead: in id order, or by
    (modification time, id) with ``sort=modified``. Each page continues after the last record
    of the previous one, so a record unpublished, added or edited meanwhile never makes another
    skipped or repeated; a record edited during a ``sort=modified`` pull comes again later, as
    its new version. A cursor that names no position answers 400 naming ``cursor``.
    """

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = "cursor"
    cursor_mode = False

    def paginate_queryset(self, queryset, request, view=None):
        self.cursor_mode = self.cursor_query_param in request.query_params
        if not self.cursor_mode:
            return super().paginate_queryset(queryset, request, view)
        return self.paginate_by_cursor(queryset, request, view)

    def paginate_by_cursor(self, queryset, request, view):
        if self.page_query_param in request.query_params:
            raise parameter_error(
                self.cursor_query_param,
                _("Give either “cursor” or “page”, not both."),
            )
        sort = getattr(view, "sort_by_modified", None)
        if sort is None and request.query_params.get("sort", "").strip():
            raise parameter_error(
                "sort",
                _(
                    "With “cursor”, records come in id order, or by modification with "
                    "sort=modified (or -modified)."
                ),
            )
        page_size = self.get_page_size(request)
        raw = request.query_params.get(self.cursor_query_param, "")
        position = None
        if raw.strip():
            position = decode_cursor(raw)
            if position is None or (position[0] == "m") != (sort is not None):
                raise parameter_error(
                    self.cursor_query_param,
                    _(
                        "This cursor names no position in this list: start again with an empty "
                        "cursor, and keep the same “sort”."
                    ),
                )
        self.count = queryset.count()
        descending = bool(sort and sort.startswith("-"))
        if sort:
            field = view.modified_field
            queryset = queryset.order_by(
                *(f"-{name}" if descending else name for name in (field, "pk"))
            )
            if position is not None:
                _kind, moment, pk = position
                after = "lt" if descending else "gt"
                queryset = queryset.filter(
                    Q(**{f"{field}__{after}": moment}) | Q(**{field: moment, f"pk__{after}": pk})
                )
        else:
            field = None
            queryset = queryset.order_by("pk")
            if position is not None:
                queryset = queryset.filter(pk__gt=position[1])
        rows = list(queryset[: page_size + 1])
        self.request = request
        self.next_cursor = None
        if len(rows) > page_size:
            rows = rows[:page_size]
            last = rows[-1]
            if field:
                self.next_cursor = encode_cursor(("m", getattr(last, field), last.pk))
            else:
                self.next_cursor = encode_cursor(("i", last.pk))
        return rows

    def get_paginated_response(self, data):
        if not self.cursor_mode:
            return super().get_paginated_response(data)
        next_url = None
        if self.next_cursor is not None:
            next_url = replace_query_param(
                self.request.build_absolute_uri(), self.cursor_query_param, self.next_cursor
            )
        return Response(
            {
                "count": self.count,
                "next": next_url,
                "previous": None,
                "next_cursor": self.next_cursor,
                "results": data,
            }
        )

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        raw = raw.strip()
        if not WHOLE_NUMBER.fullmatch(raw) or not 1 <= int(raw) <= self.max_page_size:
            raise parameter_error(
                self.page_size_query_param,
                _("Expected a whole number from 1 to %(max)d.") % {"max": self.max_page_size},
            )
        return int(raw)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        raw = raw.strip()
        if not WHOLE_NUMBER.fullmatch(raw) or int(raw) < 1:
            raise parameter_error(self.page_query_param, _("Expected a page number (1, 2…)."))
        number = int(raw)
        if number > max(paginator.num_pages, 1):
            raise parameter_error(
                self.page_query_param,
                _("There is no page %(number)d: the last page is %(last)d.")
                % {"number": number, "last": max(paginator.num_pages, 1)},
            )
        return number

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "How many records match, over all pages.",
                },
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page, with the same parameters.",
                },
                "previous": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The previous page, with the same parameters.",
                },
                "next_cursor": {
                    "type": "string",
                    "nullable": True,
                    "description": "With `cursor` only: the value of `cursor` for the next page "
                    "(also in `next`); null on the last page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "in": "query",
                "required": False,
                "description": "Page number, from 1. A page past the last answers 400.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Records per page (default {PAGE_SIZE}, at most {MAX_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": (
                    "Cursor paging, instead of `page`: empty (`cursor=`) for the first page, then "
                    "the `next_cursor` of the previous page (or follow `next`). Records come in id "
                    "order, or by modification with `sort=modified`; each page continues after the "
                    "previous one's last record, so records unpublished, added or edited during a "
                    "pull never make another skipped or repeated. `previous` is null. A cursor "
                    "that names no position (or another `sort`'s) answers 400."
                ),
                "schema": {"type": "string", "maxLength": 200},
            },
        ]


# -- throttling --------------------------------------------------------------------------------


class AnonymousThrottle(AnonRateThrottle):
    """Anonymous clients per address; the rate is read at each request (``API_ANON_RATE``).

    The address is the client's, read through ``TRUSTED_PROXIES`` only (``core.security``): a
    client rotating ``X-Forwarded-For`` is still one client, an IPv6 client one per /64 (as the
    pages' budgets, ``core.limits.client_key``). With the cache unreachable the request is let
    through (and logged), never answered 500.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_key(request)

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache backend's own errors, whatever the backend
            logger.warning("API throttle: cache unreachable, request let through", exc_info=True)
            return True


def rate_limit_headers(response, throttles) -> None:
    """``X-RateLimit-Limit`` (requests per window), ``X-RateLimit-Remaining`` and
    ``X-RateLimit-Reset`` (seconds until a request is counted out of the window)."""
    for throttle in throttles:
        history = getattr(throttle, "history", None)
        limit = getattr(throttle, "num_requests", None)
        if history is None or not limit:
            continue  # no rate, or the cache could not be read
        response.headers["X-RateLimit-Limit"] = str(limit)
        response.headers["X-RateLimit-Remaining"] = str(max(limit - len(history), 0))
        reset = throttle.duration - (throttle.now - history[-1]) if history else 0
        response.headers["X-RateLimit-Reset"] = str(max(int(reset + 0.999), 0))
        return


# -- schema ------------------------------------------------------------------------------------

VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Each invalid parameter, named, with what is wrong with its value "
        '(e.g. `{"country": ["“ZZ” is not a known value for this filter."]}`).'
    ),
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "minProperties": 1,
}
DETAIL_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}


RATE_LIMIT_HEADERS = {
    "X-RateLimit-Limit": {
        "description": "Requests allowed per window to this address (`API_ANON_RATE`).",
        "schema": {"type": "integer"},
    },
    "X-RateLimit-Remaining": {
        "description": "Requests left in the current window.",
        "schema": {"type": "integer"},
    },
    "X-RateLimit-Reset": {
        "description": "Seconds until the oldest request counted leaves the window.",
        "schema": {"type": "integer"},
    },
}
CACHE_HEADERS = {
    "ETag": {
        "description": "Send it back in `If-None-Match`: 304 when nothing changed.",
        "schema": {"type": "string"},
    },
    "Last-Modified": {
        "description": "The catalogue's last change; send it back in `If-Modified-Since`.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {"description": "`public, max-age=60`.", "schema": {"type": "string"}},
}


class CatalogAutoSchema(AutoSchema):
    """Adds what every operation shares: ``lang``, ``Accept-Language``, the 400/404/429 answers."""

    def _get_parameters(self):
        parameters = super()._get_parameters()
        if not self._is_catalog_view():
            return parameters
        return [
            *parameters,
            {
                "name": "lang",
                "in": "query",
                "required": False,
                "description": (
                    "Language of names, titles and page links; without it the `Accept-Language` "
                    "header chooses, then French."
                ),
                "schema": {"type": "string", "enum": LANGUAGE_CODES},
            },
            {
                "name": "Accept-Language",
                "in": "header",
                "required": False,
                "description": "Preferred languages (e.g. `en-GB,en;q=0.9`); `lang` wins over it.",
                "schema": {"type": "string"},
            },
        ]

    def _is_catalog_view(self) -> bool:
        return isinstance(self.view, CatalogViewSet)

    def _component(self, name: str, schema: dict):
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method != "GET" or not self._is_catalog_view():
            return responses
        validation = self._component("ValidationError", VALIDATION_ERROR_SCHEMA)
        detail = self._component("ErrorDetail", DETAIL_ERROR_SCHEMA)
        if self._is_list_view():
            described = _("A parameter has a value that means nothing; the body names it.")
        else:
            described = _("The `lang` parameter names no site language.")
        responses["400"] = {
            "description": str(described),
            "content": {"application/json": {"schema": validation}},
        }
        if not self._is_list_view():
            responses["404"] = {
                "description": "No published record has this identifier.",
                "content": {"application/json": {"schema": detail}},
            }
        if "200" in responses:
            responses["200"]["headers"] = {**RATE_LIMIT_HEADERS, **CACHE_HEADERS}
        responses["304"] = {
            "description": "Nothing changed since the client's copy (`If-None-Match`, "
            "`If-Modified-Since`): no body.",
            "headers": {**RATE_LIMIT_HEADERS, **CACHE_HEADERS},
        }
        responses["414"] = {
            "description": "The address is longer than the server takes (query string over its "
            "limit): shorten it.",
        }
        responses["429"] = {
            "description": "Too many requests from this address: wait `Retry-After` seconds.",
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait before the next request.",
                    "schema": {"type": "integer"},
                },
                **RATE_LIMIT_HEADERS,
            },
            "content": {"application/json": {"schema": detail}},
        }
        return responses


# -- serializer fields -------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.URI)
class ApiLinkField(serializers.Field):
    """This record in the API (absolute URL)."""

    def __init__(
        self, view_name: str, *, attribute: str = "slug", kwarg: str = "slug", lower=False, **kwargs
    ):
        self.view_name = view_name
        self.attribute = attribute
        self.kwarg = kwarg
        self.lower = lower
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        identifier = str(getattr(value, self.attribute))
        return reverse(
            f"api:{self.view_name}",
            kwargs={self.kwarg: identifier.lower() if self.lower else identifier},
            request=self.context.get("request"),
        )


def absolute(request, path: str | None) -> str | None:
    if not path:
        return None
    return request.build_absolute_uri(path) if request is not None else path


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class PageLinkField(serializers.Field):
    """This record's public page in the requested language (absolute URL)."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        try:
            path = value.get_absolute_url()
        except (AttributeError, NoReverseMatch):
            return None
        return absolute(self.context.get("request"), path)


@extend_schema_field({"type": "string", "nullable": True})
class OptionalTextField(serializers.CharField):
    """Text the record may not have: ``null`` rather than an empty string."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(value) if value not in (None, "") else None


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class OptionalUrlField(OptionalTextField):
    """A link the record may not have."""


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class FileLinkField(serializers.Field):
    """An uploaded file's absolute URL, or ``null``."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        # An empty file is falsy; DRF would skip to_representation only for None.
        value = super().get_attribute(instance)
        return value if value else None

    def to_representation(self, value):
        return absolute(self.context.get("request"), value.url)


class PublishedOnlyMixin:
    """A to-one relation shown only when the related record is published (else ``null``)."""

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        if value is not None and not getattr(value, "is_published", True):
            return None
        return value


class SourceSerializer(serializers.Serializer):
    """Where the facts come from and when they were last checked."""

    title = OptionalTextField(source="source_title")
    url = OptionalUrlField(source="source_url")
    checked_on = serializers.DateField(allow_null=True)


def source_field():
    return SourceSerializer(source="*", help_text="The source of the facts.")


class PrecisionField(serializers.ChoiceField):
    """``<date_field>_precision``: ``null`` when there is no date."""

    def __init__(self, date_field: str, **kwargs):
        self.date_field = date_field
        super().__init__(choices=DatePrecision.choices, **kwargs)

    def get_attribute(self, instance):
        if getattr(instance, self.date_field) is None:
            return None
        return super().get_attribute(instance)


def precision_field(date_field: str, *, allow_null=True):
    """How precisely the source gives the date in ``date_field``, named ``<date_field>_precision``."""
    return PrecisionField(
        date_field,
        allow_null=allow_null,
        help_text=f"How precisely the source gives `{date_field}`: `day`; `month` or `year` when "
        f"it gives only those (`{date_field}` is then a day of that month or year, usually the "
        "first, and is not to be shown as a full date)."
        + (f" Null when `{date_field}` is." if allow_null else ""),
    )


def record_id_field():
    return serializers.IntegerField(
        source="pk",
        read_only=True,
        help_text="The record's lasting id: it never changes (a slug may), the changes feed names "
        "the record by it, and `/<lang>/r/<type>/<id>/` redirects to its current page.",
    )


def created_field():
    return serializers.DateTimeField(
        source="created_at",
        default_timezone=datetime.UTC,
        help_text="When the record was created in the catalogue (ISO 8601, UTC).",
    )


def modified_field():
    return serializers.DateTimeField(
        source="updated_at",
        default_timezone=datetime.UTC,
        help_text="When the record was last modified (ISO 8601, UTC).",
    )


# -- the base viewset --------------------------------------------------------------------------


class NotModified(APIException):
    """The client's copy (``If-Modified-Since``) is current: ``304`` with no body."""

    status_code = 304


class CatalogViewSet(viewsets.ReadOnlyModelViewSet):
    """List and detail of one resource; only published records (the querysets say so)."""

    filter_backends = [CatalogFilterBackend]
    pagination_class = CatalogPagination
    throttle_classes = [AnonymousThrottle]
    schema = CatalogAutoSchema()
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    # The timestamp ``modified_since`` compares with, on resources that carry one.
    modified_field: str | None = None

    def dispatch(self, request, *args, **kwargs):
        language = requested_language(request) or translation.get_language()
        self.last_modified_seconds = None
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
            # Render inside the override: error messages are lazy translations.
            if callable(getattr(response, "render", None)) and not response.is_rendered:
                response.render()
        response.headers["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
        rate_limit_headers(response, getattr(self, "used_throttles", ()))
        seconds = self.last_modified_seconds
        if response.status_code == 304:
            return conditional.public_headers(response, last_modified_seconds=seconds)
        etag = None
        if response.status_code == 200:
            etag = conditional.body_etag(response.content, language)
        return conditional.conditional(request, response, etag=etag, last_modified_seconds=seconds)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if requested_language(request) == "":
            raise parameter_error(
                "lang",
                _("Expected one of: %(codes)s.") % {"codes": ", ".join(LANGUAGE_CODES)},
            )
        self.check_parameters(request)
        # The catalogue has not changed since the client's copy: answer before reading it.
        self.last_modified_seconds = conditional.timestamp(conditional.catalogue_moment())
        if conditional.unchanged_since_asked(request, self.last_modified_seconds):
            raise NotModified

    def get_throttles(self):
        # Kept, so the response can say how many requests are left (``X-RateLimit-*``).
        self.used_throttles = super().get_throttles()
        return self.used_throttles

    def handle_exception(self, exc):
        if isinstance(exc, NotModified):
            return Response(status=304)
        return super().handle_exception(exc)

    def known_parameters(self) -> set[str]:
        """The query parameters this resource takes; any other answers 400 naming it.

        A detail accepts the list's filters too (a list's query kept when following a record's
        ``url``), and ignores them.
        """
        known = {"lang"}
        if self.filterset_class is not None:
            known |= set(self.filterset_class.base_filters)
        if getattr(self, "action", None) == "list":
            if self.modified_field:
                known.add("modified_since")
                known.add("sort")
            paginator = self.paginator
            if paginator is not None:
                known |= {
                    paginator.page_query_param,
                    paginator.page_size_query_param,
                    paginator.cursor_query_param,
                }
        return known

    def check_parameters(self, request):
        known = self.known_parameters()
        unknown = [name for name in request.query_params if name not in known]
        if unknown:
            raise unknown_parameters_error(unknown, known)

    def normalize_lookup(self, value: str) -> str:
        return value

    def get_object(self):
        key = self.lookup_url_kwarg or self.lookup_field
        self.kwargs[key] = self.normalize_lookup(self.kwargs[key])
        return super().get_object()


# -- core resources ----------------------------------------------------------------------------


class ThemeSummarySerializer(serializers.Serializer):
    id = record_id_field()
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = ApiLinkField("theme-detail")
    html_url = PageLinkField()


class InstituteSummarySerializer(serializers.Serializer):
    id = record_id_field()
    code = serializers.CharField()
    name = serializers.CharField()
    url = ApiLinkField("institute-detail", attribute="code", kwarg="code")
    html_url = PageLinkField()


class ThemeSerializer(serializers.Serializer):
    """A scientific theme; filtering on a parent theme includes its sub-themes."""

    id = record_id_field()
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    parent = ThemeSummarySerializer(allow_null=True)
    children = ThemeSummarySerializer(many=True, source="child_list")
    source = source_field()
    url = ApiLinkField("theme-detail")
    html_url = PageLinkField(help_text="The public list of instruments on this theme.")


class InstituteSerializer(serializers.Serializer):
    """One of the ten CNRS institutes."""

    id = record_id_field()
    code = serializers.CharField()
    name = serializers.CharField()
    usage_name = OptionalTextField()
    description = serializers.CharField()
    website = OptionalUrlField()
    source = source_field()
    url = ApiLinkField("institute-detail", attribute="code", kwarg="code")
    html_url = PageLinkField(help_text="The public list of this institute's instruments.")


class ReferenceFilterSet(CatalogFilterSet):
    """Text search over a reference list (themes, institutes, sectors, kinds)."""


class ThemeFilter(ReferenceFilterSet):
    search_fields = ("slug", "name_fr", "name_en", "description_fr", "description_en")

    class Meta:
        model = Theme
        fields = []


class InstituteFilter(ReferenceFilterSet):
    search_fields = ("code", "name_fr", "name_en", "usage_name_fr", "usage_name_en")

    class Meta:
        model = Institute
        fields = []


class ThemeViewSet(CatalogViewSet):
    """Scientific themes, broader ones first."""

    serializer_class = ThemeSerializer
    filterset_class = ThemeFilter

    def get_queryset(self):
        return Theme.objects.select_related("parent").prefetch_related(
            Prefetch(
                "children", queryset=Theme.objects.order_by("order", "slug"), to_attr="child_list"
            )
        )

    def normalize_lookup(self, value):
        return value.lower()


class InstituteViewSet(CatalogViewSet):
    """The CNRS institutes."""

    serializer_class = InstituteSerializer
    filterset_class = InstituteFilter
    lookup_field = "code"

    def get_queryset(self):
        return Institute.objects.all()

    def normalize_lookup(self, value):
        return value.upper()


def not_found(request, *args, **kwargs):
    """Any other address under the API: a JSON 404 like the API's own, not the site's page."""
    return JsonResponse({"detail": str(_("Not found."))}, status=404)


# -- docs ----------------------------------------------------------------------------------------


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from static files (drf-spectacular-sidecar), its set-up script a separate file.

    With the script served from this same URL (``?script``) and no inline style, the page works
    under the site's strict Content-Security-Policy.
    """

    template_name = "open_data/api_docs.html"
    title = "CNRS International API"
