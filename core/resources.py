"""Bases for bulk import and export (django-import-export), shared by the apps' resources.

Rows are matched on natural keys (slug, ROR id, code), related rows are named by theirs, so a
file can be written by hand and importing the same file twice changes nothing. A file with one
bad row writes nothing: the import runs in a transaction rolled back on any error, and each bad
row is reported with its number, the column and the reason.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from core.models import Audited, DatePrecision, Publishable

ISO_DATE = "%Y-%m-%d"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet turns 2022 into 2022.0
    return str(value).strip()


class KeyWidget(widgets.ForeignKeyWidget):
    """A related row named by its natural key; an unknown key is an error naming it."""

    def __init__(self, model, field, *, upper=False, **kwargs):
        self.upper = upper
        super().__init__(model, field=field, **kwargs)

    def normalize(self, value) -> str:
        text = _text(value)
        return text.upper() if self.upper else text

    def clean(self, value, row=None, **kwargs):
        key = self.normalize(value)
        if not key:
            return None
        try:
            return self.get_queryset(key, row, **kwargs).get(**{self.field: key})
        except self.model.DoesNotExist:
            raise ValueError(
                _("no %(model)s has the %(field)s “%(key)s”.")
                % {"model": self.model._meta.verbose_name, "field": self.field, "key": key}
            ) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return _text(getattr(value, self.field))


class KeysWidget(widgets.ManyToManyWidget):
    """Related rows named by their natural keys, separated by commas; each must exist."""

    def __init__(self, model, field, *, upper=False, **kwargs):
        self.upper = upper
        super().__init__(model, separator=",", field=field, **kwargs)

    def keys(self, value) -> list[str]:
        keys = [k.strip() for k in _text(value).split(self.separator) if k.strip()]
        return [k.upper() for k in keys] if self.upper else keys

    def clean(self, value, row=None, **kwargs):
        keys = self.keys(value)
        if not keys:
            return self.model.objects.none()
        found = self.model.objects.filter(**{f"{self.field}__in": keys})
        known = {_text(getattr(obj, self.field)) for obj in found}
        missing = [k for k in keys if k not in known]
        if missing:
            raise ValueError(
                _("unknown %(model)s %(field)s: %(keys)s.")
                % {
                    "model": self.model._meta.verbose_name,
                    "field": self.field,
                    "keys": ", ".join(missing),
                }
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.separator.join(sorted(_text(getattr(o, self.field)) for o in value.all()))


class StatusWidget(widgets.CharWidget):
    """Publication status; an empty cell means a draft."""

    def clean(self, value, row=None, **kwargs):
        return _text(value).lower() or Publishable.Status.DRAFT


def text_field(name: str) -> fields.Field:
    """A text column; an empty XLSX cell (None) becomes "" rather than a NOT NULL failure."""
    return fields.Field(
        attribute=name, column_name=name, widget=widgets.CharWidget(allow_blank=True)
    )


def date_field(name: str) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=widgets.DateWidget(ISO_DATE))


class PrecisionWidget(widgets.CharWidget):
    """A date's precision (day, month, year); an empty cell means the day is known."""

    def clean(self, value, row=None, **kwargs):
        return _text(value).lower() or DatePrecision.DAY


def precision_field(date_name: str) -> fields.Field:
    """The ``<date_name>_precision`` column, next to its date."""
    name = f"{date_name}_precision"
    return fields.Field(attribute=name, column_name=name, widget=PrecisionWidget())


def key_field(name: str, model, key: str, **kwargs) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=KeyWidget(model, key, **kwargs))


def keys_field(name: str, model, key: str, **kwargs) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=KeysWidget(model, key, **kwargs))


def status_field() -> fields.Field:
    return fields.Field(attribute="status", column_name="status", widget=StatusWidget())


class CuratedResource(resources.ModelResource):
    """Import with validation, natural keys, audit stamps and history; nothing half-written.

    Subclasses declare their columns with the helpers above and set ``Meta.import_id_fields``.
    """

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def import_data(self, dataset, *args, rollback_on_validation_errors=True, **kwargs):
        """A file with one bad row writes nothing, whoever calls the import."""
        return super().import_data(
            dataset, *args, rollback_on_validation_errors=rollback_on_validation_errors, **kwargs
        )

    def import_instance(self, instance, row, **kwargs):
        """Check the many-to-many columns with the others, so their errors name the column."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as exc:
                    errors.setdefault(field.attribute, []).append(
                        ValidationError(str(exc), code="invalid")
                    )
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        """Stamp the importing user; without the publish permission, rows stay drafts."""
        user = kwargs.get("user")
        if user is None or not user.is_authenticated:
            return
        if isinstance(instance, Audited):
            if instance._state.adding:
                instance.created_by = user
            instance.updated_by = user
        if isinstance(instance, Publishable):
            opts = instance._meta
            if not user.has_perm(f"{opts.app_label}.publish_{opts.model_name}"):
                instance.status = Publishable.Status.DRAFT
            if instance.is_published and instance.published_at is None:
                instance.published_at = timezone.now()
