"""Changes to published records are proposed, reviewed, then go live: pending revisions.

When an office editor changes a published record (or a DERCI editor chooses *Save as a
proposal*), the record is not saved: the public keeps seeing the published version, and the
change waits as a ``Revision`` — who, when, and the proposed value of each changed field (many-
to-many links as lists of ids, a file as its stored name). A DERCI editor sees the pending
revisions in one admin list, each with a field-by-field comparison, and approves it (the values
are written to the record, which enters its history with the revision's number and author) or
rejects it with a note its author reads.

A revision holds field values only: inline rows (an office's coverage) are not part of it.
"""

import json

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.fields.files import FieldFile, FileField
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Never part of a proposal: publication and the audit stamps follow from the review itself.
NOT_PROPOSED = frozenset(
    {"status", "published_at", "created_at", "created_by", "updated_at", "updated_by"}
)


def _json(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def stored_value(obj, field):
    """The record's current value of ``field`` as a revision stores it."""
    if field.many_to_many:
        if obj.pk is None:
            return []
        return sorted(getattr(obj, field.name).values_list("pk", flat=True))
    if field.is_relation:
        return getattr(obj, field.attname)
    value = field.value_from_object(obj)
    if isinstance(value, FieldFile) or isinstance(field, FileField):
        return value.name if value else ""
    return _json(value)


def proposed_value(field, value):
    """A form's cleaned value of ``field`` as a revision stores it (files already stored)."""
    if field.many_to_many:
        return sorted(item.pk for item in value or [])
    if field.is_relation:
        return value.pk if value is not None else None
    return _json(value)


def store_upload(obj, field, upload) -> str:
    """Keep a proposed file under its final name now; the record points to it on approval."""
    if upload is False or upload is None:  # "clear" ticked, or nothing
        return ""
    name = field.generate_filename(obj, upload.name)
    stored = field.storage.save(name, upload)
    if hasattr(upload, "save_variants"):  # an image and its resized variants
        upload.save_variants(stored, field.storage)
    return stored


def same(a, b) -> bool:
    """Equal stored values; an empty text and no value (a nullable translation) are the same."""
    return a == b or (a in ("", None) and b in ("", None))


class RevisionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Revision.Status.PENDING)

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        )


class Revision(models.Model):
    """A proposed change to a published record, waiting for a DERCI editor's review."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"), on_delete=models.PROTECT
    )
    object_id = models.CharField(_("record id"), max_length=64, db_index=True)
    record = GenericForeignKey("content_type", "object_id")
    record_label = models.CharField(_("record"), max_length=300)
    values = models.JSONField(_("proposed values"), encoder=DjangoJSONEncoder)
    before = models.JSONField(_("published values"), encoder=DjangoJSONEncoder)
    status = models.CharField(
        _("review"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    note = models.TextField(_("reviewer's note"), blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return gettext("Change #%(number)s to “%(record)s”") % {
            "number": self.pk,
            "record": self.record_label,
        }

    @property
    def model(self):
        return self.content_type.model_class()

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    # -- proposing --

    @classmethod
    def propose(cls, obj, form, user, names=None) -> "Revision | None":
        """A pending revision of the fields of ``form`` (``names``: those it changed) whose
        value differs from the stored record's (None if none does). The record is not written.
        """
        model = type(obj)
        live = model._default_manager.get(pk=obj.pk)
        values, before = {}, {}
        for name in form.changed_data if names is None else names:
            if name in NOT_PROPOSED:
                continue
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not field.editable or field.auto_created:
                continue
            value = form.cleaned_data.get(name)
            if isinstance(field, FileField):
                values[name] = store_upload(live, field, value)
            else:
                values[name] = proposed_value(field, value)
            before[name] = stored_value(live, field)
        values = {name: value for name, value in values.items() if not same(value, before[name])}
        if not values:
            return None
        return cls.objects.create(
            content_type=ContentType.objects.get_for_model(model),
            object_id=str(obj.pk),
            record_label=str(live)[:300],
            values=values,
            before={name: before[name] for name in values},
            author=user,
        )

    # -- reading --

    def live_record(self):
        model = self.model
        return model._default_manager.filter(pk=self.object_id).first() if model else None

    def changes(self) -> list[dict]:
        """One row per proposed field: its label, the value published when it was proposed,
        the value published now, the proposed value (readable), and for links what is added
        and removed."""
        model = self.model
        live = self.live_record()
        rows = []
        for name, proposed in self.values.items():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            current = stored_value(live, field) if live is not None else None
            row = {
                "name": name,
                "label": str(field.verbose_name),
                "before": readable(field, self.before.get(name)),
                "current": readable(field, current),
                "proposed": readable(field, proposed),
                "changed_since": live is not None and current != self.before.get(name),
                "added": [],
                "removed": [],
            }
            if field.many_to_many:
                old, new = set(current or []), set(proposed or [])
                row["added"] = readable(field, sorted(new - old))
                row["removed"] = readable(field, sorted(old - new))
            rows.append(row)
        return rows

    # -- review --

    @transaction.atomic
    def approve(self, user):
        """Write the proposed values to the record; it enters the history as this revision.

        Raises ``ValidationError`` (nothing written) if the values no longer fit the record.
        """
        model = self.model
        obj = model._default_manager.select_for_update().get(pk=self.object_id)
        links = {}
        for name, value in self.values.items():
            field = model._meta.get_field(name)
            if field.many_to_many:
                links[name] = value
            elif field.is_relation:
                setattr(obj, field.attname, value)
            elif isinstance(field, FileField):
                setattr(obj, field.attname, value)
            else:
                setattr(obj, field.attname, field.to_python(value))
        obj.full_clean(exclude=[*links, *NOT_PROPOSED])
        if hasattr(obj, "updated_by"):
            obj.updated_by = user
        author = self.author.get_username() if self.author else "?"
        obj._change_reason = f"Change #{self.pk} by {author}"[:100]
        obj.save()
        for name, pks in links.items():
            getattr(obj, name).set(pks)
        self.status = self.Status.APPROVED
        self.reviewed_by = user
        self.reviewed_at = timezone.now()
        self.save()
        return obj

    def reject(self, user, note: str):
        self.status = self.Status.REJECTED
        self.reviewed_by = user
        self.reviewed_at = timezone.now()
        self.note = note
        self.save()


def readable(field, value):
    """A stored value as staff read it: names for links, labels for choices."""
    if value is None or value == "" or value == []:
        return "—" if not field.many_to_many else []
    if field.many_to_many or (field.is_relation and isinstance(value, list)):
        related = field.related_model._default_manager.in_bulk(value)
        return [str(related[pk]) if pk in related else f"#{pk}" for pk in value]
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(value)
