"""The site layer's own table: the public catalogue's change log (``cnrs_intl/changes.py``)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Change(models.Model):
    """One change to a public record, as the changes feed (``/api/v1/changes/``) reports it.

    Written by signals in the transaction of the change itself; ``xid`` is that transaction
    (PostgreSQL; 0 on SQLite, where writers take turns), and the feed is ordered by
    (``xid``, ``id``). Rows are tombstones too: a deleted or unpublished record keeps its row.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        UNPUBLISHED = "unpublished", _("unpublished")
        DELETED = "deleted", _("deleted")
        SLUG_CHANGED = "slug_changed", _("slug changed")

    id = models.BigAutoField(primary_key=True)
    xid = models.BigIntegerField(_("transaction"), default=0, editable=False)
    type = models.CharField(_("type"), max_length=20)
    record_id = models.BigIntegerField(_("record id"))
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    identifier = models.CharField(_("identifier"), max_length=255)
    old_identifier = models.CharField(_("former identifier"), max_length=255, blank=True)

    class Meta:
        ordering = ("xid", "id")
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        indexes = [
            models.Index(fields=["xid", "id"], name="cnrs_intl_change_position"),
            models.Index(fields=["at"], name="cnrs_intl_change_at"),
            models.Index(fields=["type", "old_identifier"], name="cnrs_intl_change_old"),
        ]

    def __str__(self):
        return f"{self.type} {self.record_id} {self.action}"
