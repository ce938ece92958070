"""Identifiers that last: ``/<lang>/r/<type>/<id>/`` answers with the record's current page.

``<type>`` is the changes feed's (``instrument``, ``country``…), ``<id>`` the record's database
id, which never changes. The answer is a 302 (the page may move again when the slug changes); a
record that is not public (a draft, unpublished, deleted) or an unknown type answers 404.

``OldIdentifierMiddleware``: an address under a record's former slug (or code) answers 301 to
its current address, pages and API details alike.
"""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import get_language_from_path

from cnrs_intl.changes import BY_NAME
from cnrs_intl.models import Change


def record(request, type, pk):
    record_type = BY_NAME.get(type)
    if record_type is None:
        raise Http404
    rows = record_type.model._default_manager.filter(pk=pk)
    if record_type.publishable:
        rows = rows.published()
    obj = rows.first()
    if obj is None:
        raise Http404
    return redirect(obj.get_absolute_url())


# -- old identifiers -----------------------------------------------------------------------------

# The URL keyword arguments that carry a record's identifier (pages and API details).
IDENTIFIER_KWARGS = ("slug", "code", "iso2")


def _moved_record(match, value):
    """The public record whose former identifier is ``value``, at an address like ``match``'s."""
    old = (
        Change.objects.filter(action=Change.Action.SLUG_CHANGED, old_identifier=value)
        .order_by("-xid", "-id")
        .values_list("type", "record_id")
    )
    if match.namespace == "api":
        wanted = match.url_name.removesuffix("-detail")
        old = old.filter(type=wanted)
    for type_name, pk in old[:5]:
        record_type = BY_NAME.get(type_name)
        if record_type is None:
            continue
        rows = record_type.model._default_manager.filter(pk=pk)
        if record_type.publishable:
            rows = rows.published()
        obj = rows.first()
        if obj is None:
            continue
        identifier = record_type.identify(getattr(obj, record_type.identifier))
        if identifier == value:
            continue  # the former identifier is its own again: the 404 stands
        if match.namespace == "api":
            return reverse(record_type.url_name, kwargs={record_type.url_kwarg: identifier})
        try:
            path = obj.get_absolute_url()
            current = resolve(path)
        except (AttributeError, NoReverseMatch, Resolver404):
            continue
        if current.view_name == match.view_name:  # the same kind of page, not a list
            return path
    return None


class OldIdentifierMiddleware:
    """A page or API detail answering 404 under a record's former slug: 301 to its current one.

    Only a 404 pays for the look-up: the address is resolved, and its slug (code…) looked up
    among the changes feed's ``slug_changed`` rows, which keep every former identifier. Chains
    (a → b → c) end at the current address, in the address's language, query string kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return response
        value = next((match.kwargs[k] for k in IDENTIFIER_KWARGS if k in match.kwargs), None)
        # A NUL byte can name no record (and PostgreSQL refuses it in a query): the 404 stands.
        if not value or len(str(value)) > 255 or "\x00" in str(value):
            return response
        language = get_language_from_path(request.path_info)
        with translation.override(language or translation.get_language()):
            target = _moved_record(match, str(value))
        if target is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
