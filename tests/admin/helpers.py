"""What a browser would post back from an admin form, so tests can change one field of it."""

import datetime
from decimal import Decimal

from django import forms
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.urls import reverse


def admin_url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def _serialize(value):
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    if isinstance(value, (list, tuple)):
        return [str(_serialize(item)) for item in value]
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, (datetime.date, datetime.time, Decimal, int)):
        return str(value)
    return value


def _form_fields(form, data: dict) -> None:
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, FieldFile) or field.widget.needs_multipart_form:
            continue
        if isinstance(field.widget, forms.MultiWidget):  # a date and a time, side by side
            for i, part in enumerate(field.widget.decompress(value)):
                data[f"{form.add_prefix(name)}_{i}"] = _serialize(part)
            continue
        value = _serialize(value)
        if value is not None:
            data[form.add_prefix(name)] = value


def form_data(response, **changes) -> dict:
    """The admin change (or add) form of ``response`` as it would be submitted, with changes."""
    data: dict = {}
    _form_fields(response.context["adminform"].form, data)
    inlines = response.context.get("inline_admin_formsets") or []
    for inline in inlines:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.forms:
            _form_fields(form, data)
    data.update(changes)
    data.setdefault("_save", "Save")
    return {key: value for key, value in data.items() if value is not None}
