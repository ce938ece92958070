"""What changed in the public catalogue: the last change, and the change log behind the feed.

``last_change()`` is the moment of the latest change of any record the API, feeds, downloads and
open data show (a save, a link added or removed, a deletion, an unpublication: the history
tables of django-simple-history record them all; ``updated_at`` catches a save made with history
off). ``core.conditional`` uses it for ``Last-Modified``; the site layer registers it at start-up.

The change log (``cnrs_intl.models.Change``) is what ``/api/v1/changes/`` reads. Signals write
it in the transaction of the change, from the public's point of view:

- ``created``: a record becomes public (a new published record, or a draft published);
- ``updated``: a public record's API representation may have changed — its own fields, a link
  added or removed (many-to-many, either side), or a record it embeds (an instrument's partner
  renamed, unpublished or deleted; an office's coverage; a kind's former names);
- ``unpublished``, ``deleted``: a public record is no more (a tombstone, kept a year at least);
- ``slug_changed``: a public record's identifier (slug, code) changed; ``old_identifier`` kept.

Drafts are never mentioned. Like history, the log follows ``SIMPLE_HISTORY_ENABLED``, and
``QuerySet.update()`` or ``bulk_create()`` bypass both.

**Order and cursor.** The feed is ordered by (``xid``, ``id``): ``xid`` is the writing
transaction (PostgreSQL ``pg_current_xact_id()``), ``id`` the row's sequence. A reader returns
only rows of transactions below the *horizon*: the oldest transaction of this database still in
progress (or, with none, the next transaction id). Every row below it is final, and every row
written later is above it, so a cursor ``(xid, id)`` never skips or repeats a row under
concurrent writes; a long transaction only delays what comes after it. On SQLite writers take
turns (one write lock until commit), so ``id`` alone is the commit order and ``xid`` is 0.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, Expression, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse

from cnrs_intl.models import Change
from core.api import (
    LANGUAGE_CODES,
    WHOLE_NUMBER,
    CatalogAutoSchema,
    CatalogViewSet,
    parameter_error,
    parse_modified_since,
    requested_language,
)
from core.models import Institute, Publishable, Theme
from instruments.models import Instrument, Kind, LegacyName, Network
from offices.models import Country, Coverage, Office, Sector
from partnerships.models import Agreement, Call, Institution, Milestone

CATALOGUE_MODELS = (
    Sector,
    Country,
    Office,
    Coverage,
    Theme,
    Institute,
    Kind,
    LegacyName,
    Network,
    Institution,
    Instrument,
    Agreement,
    Call,
    Milestone,
)


def _as_moment(value) -> datetime.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite hands back text from raw SQL
        value = parse_datetime(value)
        if value is None:
            return None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


def last_change_sql() -> str:
    quote = connection.ops.quote_name
    parts = []
    for model in CATALOGUE_MODELS:
        parts.append(
            f"SELECT MAX({quote('history_date')}) AS m FROM {quote(model.history.model._meta.db_table)}"
        )
        if any(field.name == "updated_at" for field in model._meta.concrete_fields):
            parts.append(
                f"SELECT MAX({quote('updated_at')}) AS m FROM {quote(model._meta.db_table)}"
            )
    return f"SELECT MAX(m) FROM ({' UNION ALL '.join(parts)}) AS changes"


def last_change() -> datetime.datetime | None:
    """The latest change to anything public, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(last_change_sql())
        row = cursor.fetchone()
    return _as_moment(row[0] if row else None)


# -- the kinds of public record ------------------------------------------------------------------


@dataclass(frozen=True)
class RecordType:
    """A kind of public record: its name in the feed, its identifier, its API address."""

    name: str
    model: type
    identifier: str = "slug"
    url_kwarg: str = "slug"
    lower: bool = False

    def identify(self, value) -> str:
        value = str(value)
        return value.lower() if self.lower else value

    @property
    def url_name(self) -> str:
        return f"api:{self.name}-detail"

    @property
    def publishable(self) -> bool:
        return issubclass(self.model, Publishable)


RECORD_TYPES = (
    RecordType("sector", Sector),
    RecordType("country", Country, identifier="code", url_kwarg="iso2", lower=True),
    RecordType("office", Office),
    RecordType("theme", Theme),
    RecordType("institute", Institute, identifier="code", url_kwarg="code"),
    RecordType("kind", Kind, identifier="code", url_kwarg="code"),
    RecordType("network", Network),
    RecordType("institution", Institution),
    RecordType("instrument", Instrument),
    RecordType("agreement", Agreement),
    RecordType("call", Call),
    RecordType("milestone", Milestone),
)
BY_MODEL = {record_type.model: record_type for record_type in RECORD_TYPES}
BY_NAME = {record_type.name: record_type for record_type in RECORD_TYPES}
# Rows shown inside their owner's record (an office's coverage, a kind's former names): a change
# to one is a change to the records it links.
OWNED = (Coverage, LegacyName)
# Summaries that embed a third record (an institution's country, an instrument's kind code):
# a change to these reaches the records embedding the summaries too.
SECOND_HOP = {Country: (Institution,), Kind: (Instrument,)}
# Fields whose change alone changes no other record's representation.
AUDIT_FIELDS = {"updated_at", "updated_by", "created_at", "created_by", "published_at"}


class TransactionId(Expression):
    """The writing transaction's id (PostgreSQL); 0 elsewhere."""

    output_field = BigIntegerField()

    def as_sql(self, compiler, connection):
        return "0", []

    def as_postgresql(self, compiler, connection):
        return "(pg_current_xact_id()::text::bigint)", []


def enabled() -> bool:
    return getattr(settings, "SIMPLE_HISTORY_ENABLED", True)


def visible(instance) -> bool:
    return not isinstance(instance, Publishable) or instance.status == Publishable.Status.PUBLISHED


def _row_state(record_type: RecordType, row: dict) -> tuple[bool, str]:
    is_visible = row["status"] == Publishable.Status.PUBLISHED if record_type.publishable else True
    return is_visible, record_type.identify(row[record_type.identifier])


def _write(entries) -> None:
    """``entries``: (record type, pk, action, identifier, old identifier), duplicates dropped."""
    seen, rows = set(), []
    now = timezone.now()
    for record_type, pk, action, identifier, old in entries:
        key = (record_type.name, pk, action)
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            Change(
                xid=TransactionId(),
                type=record_type.name,
                record_id=pk,
                action=action,
                at=now,
                identifier=identifier,
                old_identifier=old or "",
            )
        )
    if rows:
        Change.objects.bulk_create(rows)


# -- which records embed which -------------------------------------------------------------------


def _m2m_accessor(field) -> str:
    return field.get_accessor_name() if field.auto_created else field.name


def related(instance, *, created=False) -> dict:
    """The public records one hop from ``instance``: {model: {pk}} (either direction).

    A record just created has no links yet but its own foreign keys (no query then).
    """
    found = defaultdict(set)
    model = type(instance)
    for field in model._meta.get_fields():
        target = field.related_model
        if target is None or not (target in BY_MODEL or target in OWNED):
            continue
        if field.many_to_one and field.concrete:
            value = getattr(instance, field.attname)
            if value is not None and target in BY_MODEL:
                found[target].add(value)
        elif created:
            continue
        elif field.one_to_many:
            rows = target._base_manager.filter(**{field.field.name: instance.pk})
            if target in BY_MODEL:
                found[target] |= set(rows.values_list("pk", flat=True))
            else:  # an owned row links the instance to other records (coverage: office, country)
                for other in target._meta.concrete_fields:
                    if (
                        other.many_to_one
                        and other.related_model in BY_MODEL
                        and other != field.field
                    ):
                        found[other.related_model] |= set(
                            rows.exclude(**{f"{other.attname}__isnull": True}).values_list(
                                other.attname, flat=True
                            )
                        )
        elif field.many_to_many and target in BY_MODEL:
            manager = getattr(instance, _m2m_accessor(field))
            found[target] |= set(manager.values_list("pk", flat=True))
    if model in found:
        found[model].discard(instance.pk)
    return found


def _owner_links(instance) -> dict:
    """The records an owned row (coverage, former name) belongs to."""
    found = defaultdict(set)
    for field in type(instance)._meta.concrete_fields:
        if field.many_to_one and field.related_model in BY_MODEL:
            value = getattr(instance, field.attname)
            if value is not None:
                found[field.related_model].add(value)
    return found


def _merge(*groups) -> dict:
    merged = defaultdict(set)
    for group in groups:
        for model, pks in group.items():
            merged[model] |= set(pks)
    return merged


def _deep_related(instance, *, created=False) -> dict:
    found = related(instance, created=created)
    if created:
        return found
    for via in SECOND_HOP.get(type(instance), ()):
        for obj in via._base_manager.filter(pk__in=found.get(via, ())):
            found = _merge(found, related(obj))
    return found


def _updated_entries(groups: dict, exclude=()) -> list:
    """``updated`` for the public records among ``groups``."""
    entries = []
    for model, pks in groups.items():
        record_type = BY_MODEL.get(model)
        pks = {pk for pk in pks if (model, pk) not in exclude}
        if record_type is None or not pks:
            continue
        rows = model._base_manager.filter(pk__in=pks)
        if record_type.publishable:
            rows = rows.filter(status=Publishable.Status.PUBLISHED)
        for pk, identifier in rows.values_list("pk", record_type.identifier):
            entries.append(
                (record_type, pk, Change.Action.UPDATED, record_type.identify(identifier), "")
            )
    return entries


# -- signals ---------------------------------------------------------------------------------------


def _before_save(sender, instance, raw=False, **kwargs):
    if raw or not enabled() or instance.pk is None or instance._state.adding:
        instance._change_before = None
        return
    fields = [field.attname for field in sender._meta.concrete_fields]
    instance._change_before = sender._base_manager.filter(pk=instance.pk).values(*fields).first()


def _changed_fields(sender, instance, before: dict | None) -> set:
    if before is None:
        return {field.name for field in sender._meta.concrete_fields}
    return {
        field.name
        for field in sender._meta.concrete_fields
        if before.get(field.attname) != getattr(instance, field.attname)
    }


def _after_save(sender, instance, created=False, raw=False, **kwargs):
    if raw or not enabled():
        return
    before = None if created else getattr(instance, "_change_before", None)
    instance._change_before = None
    if sender in OWNED:
        old = {}
        if before is not None:
            old = {
                field.related_model: {before[field.attname]}
                for field in sender._meta.concrete_fields
                if field.many_to_one
                and field.related_model in BY_MODEL
                and before[field.attname] is not None
            }
        _write(_updated_entries(_merge(_owner_links(instance), old)))
        return
    record_type = BY_MODEL[sender]
    was_visible, old_identifier = _row_state(record_type, before) if before else (False, None)
    is_visible = visible(instance)
    identifier = record_type.identify(getattr(instance, record_type.identifier))
    entries = []
    if is_visible and not was_visible:
        entries.append((record_type, instance.pk, Change.Action.CREATED, identifier, ""))
    elif was_visible and not is_visible:
        entries.append((record_type, instance.pk, Change.Action.UNPUBLISHED, old_identifier, ""))
    elif is_visible and old_identifier != identifier:
        entries.append(
            (record_type, instance.pk, Change.Action.SLUG_CHANGED, identifier, old_identifier)
        )
    elif is_visible:
        entries.append((record_type, instance.pk, Change.Action.UPDATED, identifier, ""))
    changed = _changed_fields(sender, instance, before) - AUDIT_FIELDS
    if (was_visible or is_visible) and (changed or was_visible != is_visible):
        links = _deep_related(instance, created=before is None)
        entries += _updated_entries(links, exclude={(sender, instance.pk)})
    _write(entries)


def _before_delete(sender, instance, **kwargs):
    if not enabled():
        return
    if sender in OWNED:
        instance._change_deleting = (False, _owner_links(instance))
    else:
        shown = visible(instance)
        instance._change_deleting = (shown, _deep_related(instance) if shown else {})


def _after_delete(sender, instance, **kwargs):
    state = getattr(instance, "_change_deleting", None)
    if state is None or not enabled():
        return
    shown, links = state
    entries = []
    if shown:
        record_type = BY_MODEL[sender]
        identifier = record_type.identify(getattr(instance, record_type.identifier))
        entries.append((record_type, instance.pk, Change.Action.DELETED, identifier, ""))
    entries += _updated_entries(links, exclude={(sender, instance.pk)})
    _write(entries)


def _linked_ids(instance, through, reverse: bool) -> set:
    """The other side's ids of the many-to-many ``through`` on ``instance``."""
    for field in type(instance)._meta.get_fields():
        if not field.many_to_many:
            continue
        if field.auto_created:
            field_through = field.through
        else:
            field_through = field.remote_field.through
        if field_through is through and field.auto_created == reverse:
            return set(getattr(instance, _m2m_accessor(field)).values_list("pk", flat=True))
    return set()


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not enabled() or type(instance) not in BY_MODEL:
        return
    if action == "pre_clear":
        instance._change_cleared = _linked_ids(instance, sender, reverse)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    others = pk_set if action != "post_clear" else getattr(instance, "_change_cleared", set())
    groups = {type(instance): {instance.pk}}
    if model in BY_MODEL and others:
        groups = _merge(groups, {model: set(others)})
    _write(_updated_entries(groups))


def connect() -> None:
    for model in (*BY_MODEL, *OWNED):
        uid = f"changes-{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre-save")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-post-save")
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"{uid}-pre-delete")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}-post-delete")
    m2m_changed.connect(_links_changed, dispatch_uid="changes-links")


# -- reading the feed ------------------------------------------------------------------------------

CURSOR = re.compile(r"c([0-9]{1,19})\.([0-9]{1,19})")

HORIZON_SQL = """
WITH s AS (SELECT pg_current_snapshot() AS snap),
elsewhere AS (
    SELECT backend_xid::text::bigint AS x FROM pg_stat_activity
    WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database()
)
SELECT
    (SELECT MIN(v::text::bigint) FROM s, pg_snapshot_xip(s.snap) AS v
     WHERE mod(v::text::bigint, 4294967296) NOT IN (SELECT x FROM elsewhere)),
    (SELECT pg_snapshot_xmax(snap)::text::bigint FROM s),
    pg_current_xact_id_if_assigned()::text::bigint
"""


def horizon() -> int | None:
    """Rows of transactions below this id are final (PostgreSQL); ``None``: every row is.

    The oldest transaction of this database in progress, else the snapshot's ``xmax`` (every
    transaction from it on is in progress or to come). A reader's own transaction (a test
    writing then reading) counts as final to itself when nothing of this database runs beside.
    """
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        # The activity view is otherwise read once per transaction, then kept.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(HORIZON_SQL)
        oldest, xmax, own = cursor.fetchone()
    if oldest is not None:
        return int(oldest)
    return max(int(xmax), int(own) + 1) if own is not None else int(xmax)


def encode_cursor(xid: int, pk: int) -> str:
    return f"c{xid}.{pk}"


def decode_cursor(text: str) -> tuple[int, int] | None:
    match = CURSOR.fullmatch(text.strip())
    if match is None:
        return None
    xid, pk = int(match[1]), int(match[2])
    if xid >= 2**63 or pk >= 2**63:
        return None
    return xid, pk


def start_cursor() -> str:
    """The position before every change kept."""
    return encode_cursor(0, 0)


def read(*, after: tuple[int, int] | None = None, since=None, limit: int = 100):
    """(rows, next cursor, more): final changes after the cursor or at/after the moment."""
    limit_xid = horizon()
    rows = Change.objects.all()
    if limit_xid is not None:
        rows = rows.filter(xid__lt=limit_xid)
    if after is not None:
        xid, pk = after
        rows = rows.filter(Q(xid__gt=xid) | Q(xid=xid, id__gt=pk))
    if since is not None:
        rows = rows.filter(at__gte=since)
    rows = list(rows.order_by("xid", "id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if rows:
        position = encode_cursor(rows[-1].xid, rows[-1].id)
    elif after is not None:
        position = encode_cursor(*after)
    elif since is not None:
        # Nothing final at or after the moment yet: resume from what is final now.
        position = _final_position(limit_xid, before=since)
    else:
        position = start_cursor()
    return rows, position, more


def _final_position(limit_xid, *, before) -> str:
    rows = Change.objects.filter(at__lt=before)
    if limit_xid is not None:
        rows = rows.filter(xid__lt=limit_xid)
    last = rows.order_by("-xid", "-id").values_list("xid", "id").first()
    return encode_cursor(*last) if last else start_cursor()


def latest_cursor() -> str:
    """The position after every final change: where a fresh mirror starts reading."""
    limit_xid = horizon()
    rows = Change.objects.all()
    if limit_xid is not None:
        rows = rows.filter(xid__lt=limit_xid)
    last = rows.order_by("-xid", "-id").values_list("xid", "id").first()
    return encode_cursor(*last) if last else start_cursor()


# -- the feed: /api/v1/changes/ --------------------------------------------------------------------

MAX_CHANGES_PAGE = 1000
CHANGES_PAGE = 100


class ChangeSerializer(serializers.Serializer):
    """One change to one public record."""

    type = serializers.ChoiceField(
        choices=[record_type.name for record_type in RECORD_TYPES],
        help_text="The kind of record (the API resource's name in the singular).",
    )
    id = serializers.IntegerField(
        source="record_id",
        help_text="The record's database id: it never changes (`/<lang>/r/<type>/<id>/` finds "
        "its page).",
    )
    action = serializers.ChoiceField(choices=Change.Action.values)
    at = serializers.DateTimeField(default_timezone=datetime.UTC, help_text="ISO 8601, UTC.")
    url = serializers.SerializerMethodField(
        help_text="The record in the API, under its identifier at the time of the change (a "
        "deleted or unpublished record's answers 404)."
    )
    old_url = serializers.SerializerMethodField(
        help_text="For `slug_changed` only: the address under the former identifier."
    )

    def _link(self, change, identifier):
        record_type = BY_NAME[change.type]
        return reverse(
            record_type.url_name,
            kwargs={record_type.url_kwarg: identifier},
            request=self.context.get("request"),
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, change):
        return self._link(change, change.identifier)

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_old_url(self, change):
        return self._link(change, change.old_identifier)

    def to_representation(self, instance):
        data = {
            "type": instance.type,
            "id": instance.record_id,
            "action": instance.action,
            "at": self.fields["at"].to_representation(instance.at),
            "url": self.get_url(instance),
        }
        if instance.action == Change.Action.SLUG_CHANGED:
            data["old_url"] = self.get_old_url(instance)
        return data


class ChangesPageSerializer(serializers.Serializer):
    results = ChangeSerializer(many=True)
    next = serializers.CharField(
        help_text="The cursor after these changes: ask again with `since=<next>` (now or later)."
    )
    next_url = serializers.URLField(help_text="The same, as an address.")
    more = serializers.BooleanField(help_text="More changes are ready now: ask `next_url` at once.")


def _changes_parameters():
    return [
        OpenApiParameter(
            "since",
            str,
            description="Where to start: a cursor (`next` of the previous answer, e.g. "
            "`c0.1234`), or an ISO 8601 date or date-time (the changes made at or after it; a "
            "date is midnight, Paris time). Without it, from the oldest change kept. Only the "
            "cursor guarantees that no change is skipped or repeated.",
        ),
        OpenApiParameter(
            "page_size",
            int,
            description=f"Changes per answer (default {CHANGES_PAGE}, at most {MAX_CHANGES_PAGE}).",
        ),
    ]


class PageSchema(CatalogAutoSchema):
    """The feed answers one page object, not the array a viewset's list action implies."""

    def _is_list_view(self, serializer=None):
        return False

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        responses.pop("404", None)
        if "400" in responses:
            responses["400"]["description"] = str(
                _("A parameter has a value that means nothing; the body names it.")
            )
        return responses


class ChangesView(CatalogViewSet):
    """Every change to any public record, in order: created, updated (links and embedded names
    included), unpublished, deleted, slug changed. Poll it with the cursor `next`."""

    serializer_class = ChangeSerializer
    schema = PageSchema()
    filter_backends = []
    pagination_class = None
    filterset_class = None

    def get_queryset(self):
        return Change.objects.none()

    def initial(self, request, *args, **kwargs):
        # No ``Last-Modified`` here: a change committed late may be older than the last one
        # reported; only the ``ETag`` (the body) and the cursor say what is new.
        super(CatalogViewSet, self).initial(request, *args, **kwargs)
        if requested_language(request) == "":
            raise parameter_error(
                "lang",
                _("Expected one of: %(codes)s.") % {"codes": ", ".join(LANGUAGE_CODES)},
            )
        self.check_parameters(request)

    def known_parameters(self):
        return {"lang", "since", "page_size"}

    def _page_size(self, request) -> int:
        raw = request.query_params.get("page_size")
        if raw is None:
            return CHANGES_PAGE
        raw = raw.strip()
        if not WHOLE_NUMBER.fullmatch(raw) or not 1 <= int(raw) <= MAX_CHANGES_PAGE:
            raise parameter_error(
                "page_size",
                _("Expected a whole number from 1 to %(max)d.") % {"max": MAX_CHANGES_PAGE},
            )
        return int(raw)

    @extend_schema(parameters=_changes_parameters(), responses={200: ChangesPageSerializer})
    def list(self, request, *args, **kwargs):
        limit = self._page_size(request)
        raw = request.query_params.get("since")
        after = since = None
        if raw is not None:
            after = decode_cursor(raw)
            if after is None:
                since = parse_modified_since(raw)
                if since is None:
                    raise parameter_error(
                        "since",
                        _(
                            "“%(value)s” is neither a cursor (the `next` of an answer, e.g. "
                            "c0.1234) nor an ISO 8601 date or date-time."
                        )
                        % {"value": str(raw)[:40]},
                    )
        rows, position, more = read(after=after, since=since, limit=limit)
        query = {"since": position}
        for name in ("page_size", "lang"):
            if name in request.query_params:
                query[name] = request.query_params[name]
        next_url = request.build_absolute_uri(f"{request.path}?{urlencode(query)}")
        results = ChangeSerializer(rows, many=True, context=self.get_serializer_context()).data
        return Response({"results": results, "next": position, "next_url": next_url, "more": more})
