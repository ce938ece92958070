"""Identifiers that last: ``/<lang>/r/<type>/<id>/`` answers with the record's current page.

``<type>`` is the changes feed's (``instrument``, ``country``…), ``<id>`` the record's database
id, which never changes. The answer is a 302 (the page may move again when the slug changes); a
record that is not public (a draft, unpublished, deleted) or an unknown type answers 404.
"""

from django.http import Http404
from django.shortcuts import redirect

from cnrs_intl.changes import BY_NAME


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
