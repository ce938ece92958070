"""Admin for themes, CNRS institutes and key figures, and the bases every curated admin shares.

The bases, from the most general:

- ``HistoryAdmin``: French and English fields side by side (modeltranslation), the history of
  every change with its diff and a way back (django-simple-history), deleted records listed and
  restorable, a selection exported as CSV or XLSX (django-import-export).
- ``ReferenceAdmin``: reference data loaded from the fixtures (sectors, countries, institutes),
  read-only for staff.
- ``CuratedAdmin``: records staff curate: audit stamps, "checked today", staff warnings.
- ``PublishableAdmin``: drafts until a DERCI editor publishes them; preview of a draft.
"""

import dataclasses
import datetime
from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import CASCADE, SET_NULL, Count, F, Max, Q, QuerySet
from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext
from import_export.admin import ExportActionMixin, ImportMixin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model, get_m2m_reverse_field_name

from core.documents import SafePdfField
from core.images import SafeImageField
from core.models import (
    Audited,
    DateStatus,
    Institute,
    KeyFigure,
    Provenance,
    Publishable,
    Revision,
    Theme,
    today,
)
from core.security import security_event
from core.spreadsheets import SafeCSV, SafeXLSX

# The admin's header and page titles (French typography through the catalogue).
admin.site.site_header = _("CNRS International — administration")
admin.site.site_title = _("CNRS International — administration")

AUDIT_FIELDS = ("created_at", "created_by", "updated_at", "updated_by")
# Rows deleted by the cascade of a record's deletion are recorded within this many seconds of it.
RESTORE_WINDOW_SECONDS = 60
PROVENANCE_FIELDSET = (
    _("Provenance"),
    {
        "fields": ("source_title", "source_url", "checked_on"),
        "description": _(
            "Every fact comes from a source: name the document or page it was taken from and "
            "when it was last checked against it. Records without a source are listed under "
            "the “source” filter."
        ),
    },
)
PUBLICATION_FIELDSET = (
    _("Publication"),
    {
        "fields": ["status", "published_at"],
        "description": _(
            "Only a DERCI editor publishes. A new record saved by an office editor stays a "
            "draft, out of the public site, the API, exports and feeds, until it is published; "
            "their change to a published record waits for a DERCI editor's review while the "
            "published version stays online."
        ),
    },
)
RECORD_FIELDSET = (_("Record"), {"fields": AUDIT_FIELDS, "classes": ["collapse"]})


def publish_permission(model) -> str:
    """``instruments.publish_instrument``: the custom permission the roles migration creates."""
    return f"{model._meta.app_label}.publish_{model._meta.model_name}"


def stamp(obj, user, *, created: bool) -> None:
    """Record who created and last changed an audited record."""
    if not isinstance(obj, Audited) or not getattr(user, "is_authenticated", False):
        return
    if created and obj.created_by_id is None:
        obj.created_by = user
    obj.updated_by = user


# --- list filters shared by the apps ---------------------------------------------------------


class SourceFilter(admin.SimpleListFilter):
    """Records whose facts cannot be traced back (no source), or never checked."""

    title = _("source")
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return [
            ("none", _("No source")),
            ("unchecked", _("Never checked")),
            ("given", _("With a source")),
        ]

    def queryset(self, request, queryset):
        no_source = Q(source_title="") & Q(source_url="")
        if self.value() == "none":
            return queryset.filter(no_source)
        if self.value() == "unchecked":
            return queryset.filter(checked_on__isnull=True)
        if self.value() == "given":
            return queryset.exclude(no_source)
        return queryset


class DateStatusFilter(admin.SimpleListFilter):
    """Active, ended or upcoming, from the record's start and end dates."""

    title = _("dates")
    parameter_name = "dates"

    def lookups(self, request, model_admin):
        return DateStatus.choices

    def queryset(self, request, queryset):
        if self.value() in DateStatus.values:
            return queryset.with_status(self.value())
        return queryset


class EndingSoonFilter(admin.SimpleListFilter):
    """Records whose end date falls within the next six months: renewals to prepare."""

    title = _("ending")
    parameter_name = "ending"

    def lookups(self, request, model_admin):
        return [("6m", _("Within 6 months")), ("past", _("Already ended"))]

    def queryset(self, request, queryset):
        end = queryset.end_field
        if self.value() == "6m":
            start = today()
            return queryset.filter(
                **{f"{end}__range": (start, start + datetime.timedelta(days=183))}
            )
        if self.value() == "past":
            return queryset.filter(**{f"{end}__lt": today()})
        return queryset


@dataclasses.dataclass(frozen=True)
class Check:
    """A question staff should look at: its filter label, its warning and the rows it finds."""

    label: str
    message: Callable[[int], str]
    rows: Callable[[QuerySet], QuerySet]


class AttentionFilter(admin.SimpleListFilter):
    """Rows needing a staff member's attention; subclasses list their checks.

    The changelist also warns, above the list, how many rows each check finds.
    """

    title = _("needs attention")
    parameter_name = "attention"
    checks: dict[str, Check] = {}

    @classmethod
    def all_checks(cls, model) -> dict[str, Check]:
        """The subclass's own checks, then those every record of this kind gets."""
        return {**cls.checks, **common_checks(model)}

    def lookups(self, request, model_admin):
        return [(key, check.label) for key, check in self.all_checks(model_admin.model).items()]

    def queryset(self, request, queryset):
        check = self.all_checks(queryset.model).get(self.value())
        return check.rows(queryset) if check else queryset


STALE_AFTER_DAYS = 365


def common_checks(model) -> dict[str, Check]:
    """Checks that follow from what a model is: dated and published, sourced, in a chain."""
    checks = {}
    published = Publishable.Status.PUBLISHED
    queryset = model._default_manager.all()
    start, end = getattr(queryset, "start_field", None), getattr(queryset, "end_field", None)
    if issubclass(model, Publishable) and start and end:
        checks["undated"] = Check(
            label=_("Published without any date"),
            message=lambda n: (
                ngettext(
                    "%(count)d published record has no date at all: nothing says it is current.",
                    "%(count)d published records have no date at all: nothing says they are "
                    "current.",
                    n,
                )
                % {"count": n}
            ),
            rows=lambda qs: qs.filter(
                status=published, **{f"{start}__isnull": True, f"{end}__isnull": True}
            ),
        )
    if issubclass(model, Provenance):
        checks["stale-source"] = Check(
            label=_("Source last checked over a year ago"),
            message=lambda n: (
                ngettext(
                    "%(count)d record was last checked against its source more than a year ago.",
                    "%(count)d records were last checked against their source more than a year "
                    "ago.",
                    n,
                )
                % {"count": n}
            ),
            rows=lambda qs: qs.filter(
                checked_on__lt=today() - datetime.timedelta(days=STALE_AFTER_DAYS)
            ),
        )
    predecessor = next(
        (f for f in model._meta.get_fields() if f.name in ("predecessor", "predecessors")), None
    )
    if predecessor is not None and issubclass(model, Publishable):
        # One predecessor (a foreign key) or several (a many-to-many: two LIAs merged into one).
        name = predecessor.name

        def broken(qs):
            unpublished = model._default_manager.exclude(status=published)
            chain = Q(**{f"{name}__in": unpublished})
            if start:  # a predecessor starts after the record it precedes
                chain |= Q(**{f"{name}__{start}__gt": F(start)})
            linked = model._default_manager.filter(chain).values("pk")
            return qs.filter(status=published, pk__in=linked)

        checks["broken-chain"] = Check(
            label=_("Broken predecessor chain"),
            message=lambda n: (
                ngettext(
                    "%(count)d record has a predecessor that is not published or starts after "
                    "it: a broken chain.",
                    "%(count)d records have a predecessor that is not published or starts after "
                    "them: broken chains.",
                    n,
                )
                % {"count": n}
            ),
            rows=broken,
        )
    return checks


def past_end_still_published(end_field: str) -> Check:
    return Check(
        label=_("Past its end date, still published"),
        message=lambda n: (
            ngettext(
                "%(count)d published record is past its end date: renewed, or to be archived?",
                "%(count)d published records are past their end date: renewed, or to be archived?",
                n,
            )
            % {"count": n}
        ),
        rows=lambda qs: qs.filter(
            **{f"{end_field}__lt": today(), "status": Publishable.Status.PUBLISHED}
        ),
    )


# --- comfort: headings, inputs and columns --------------------------------------------------

# A CharField this long (titles, names, sources) or a URL gets an input about 80 characters wide.
WIDE_INPUT_MIN_LENGTH = 200
# French headings need the article and its elision ("Modification de l’instrument", "Ajout d’une
# institution"): the catalogue gives, for each verbose name (its English msgid), the words that
# follow the heading's noun. A kind with no such entry keeps Django's heading.
HEADING_CONTEXTS = {
    "add": "admin heading: the record after “Add”",
    "change": "admin heading: the record after “Change” or “View”",
    "add-button": "admin button: the record after “Add”",
}


def heading_words(opts, context: str) -> str | None:
    """The words naming this kind of record in a heading, or ``None`` when none are translated."""
    with translation.override("en"):
        english = str(opts.verbose_name)
    words = pgettext(HEADING_CONTEXTS[context], english)
    return None if words == english else words


def form_heading(opts, *, add: bool, may_change: bool) -> str | None:
    if add:
        words = heading_words(opts, "add")
        return words and _("Add %(record)s") % {"record": words}
    words = heading_words(opts, "change")
    if words is None:
        return None
    if may_change:
        return _("Change %(record)s") % {"record": words}
    return _("View %(record)s") % {"record": words}


def is_wide_field(db_field) -> bool:
    return isinstance(db_field, models.URLField) or (
        isinstance(db_field, models.CharField)
        and not db_field.choices
        and (db_field.max_length or 0) >= WIDE_INPUT_MIN_LENGTH
    )


def record_column(model) -> Callable:
    """The record's name in a changelist, in two lines at most; the full name on hover."""

    @admin.display(description=model._meta.verbose_name)
    def column(obj):
        text = str(obj)
        return format_html('<span class="cell-text" title="{}">{}</span>', text, text)

    column.__name__ = "__str__"  # the cell keeps Django's class, field-__str__
    return column


# --- the bases -------------------------------------------------------------------------------


class HistoryAdmin(ExportActionMixin, SimpleHistoryAdmin, TranslationAdmin):
    """FR/EN side by side, history with diff and revert, undelete, export of a selection."""

    export_formats = [SafeCSV, SafeXLSX]  # text cells, never formulas (core.spreadsheets)
    import_formats = [SafeCSV, SafeXLSX]
    show_change_form_export = False
    list_per_page = 50

    # -- comfort: headings, inputs, columns --

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """French headings with their article ("Modification de l’instrument")."""
        opts = self.opts
        defaults = {_("Add %s") % opts.verbose_name, _("Change %s") % opts.verbose_name}
        defaults.add(_("View %s") % opts.verbose_name)
        if str(context.get("title")) in {str(d) for d in defaults}:
            heading = form_heading(
                opts, add=add, may_change=add or self.has_change_permission(request, obj)
            )
            if heading:
                context["title"] = heading
        return super().render_change_form(request, context, add, change, form_url, obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and is_wide_field(db_field):
            classes = formfield.widget.attrs.get("class", "").split()
            if "wide-input" not in classes:
                formfield.widget.attrs["class"] = " ".join([*classes, "wide-input"])
        return formfield

    def get_list_display(self, request):
        """The record's name in two lines at most (``__str__`` columns), the rest as declared."""
        return [
            record_column(self.model) if name == "__str__" else name
            for name in super().get_list_display(request)
        ]

    # -- permissions for history and export --

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def has_undelete_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_delete_permission(request)

    # -- nothing lost on delete --

    def get_deleted_objects(self, objs, request):
        """Records other records link to (many-to-many included) are protected from deletion:
        the confirmation page lists the links and refuses, like a protected foreign key."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, model_count, perms_needed, [*protected, *linking_records(objs, self)]

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        # Staff taking data out of the workbench: a security event (what, never the rows).
        security_event(
            "staff_export",
            request,
            outcome="success",
            model=self.model._meta.label,
            format=file_format.get_title(),
        )
        return data

    # -- links on the pages --

    def view_on_site(self, obj):
        """The public page, once the record is published and the page exists."""
        if isinstance(obj, Publishable) and not obj.is_published:
            return None
        try:
            return obj.get_absolute_url()
        except (AttributeError, NoReverseMatch):
            return None

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="{}_{}_deleted".format(*info),
            ),
            path(
                "deleted/<int:history_id>/restore/",
                self.admin_site.admin_view(self.undelete_view),
                name="{}_{}_undelete".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        # A list has its filters beside it: it takes the width of the navigation sidebar too.
        extra_context.setdefault("is_nav_sidebar_enabled", False)
        words = heading_words(self.opts, "add-button")
        if words:
            extra_context["add_button_label"] = pgettext("admin button", "Add %(record)s") % {
                "record": words
            }
        if self.has_undelete_permission(request):
            extra_context["deleted_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_deleted"
            )
        return super().changelist_view(request, extra_context)

    # -- revert to an earlier version --

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Show an earlier version; saving it (revert) needs the right to change the record.

        simple_history checks only the right to view before saving a posted version: a viewer
        could revert. The current record is checked here, with the office editor's scope.
        """
        history = get_history_manager_for_model(self.model)
        record = get_object_or_404(
            history, **{self.opts.pk.attname: unquote(object_id), "history_id": version_id}
        )
        current = self.get_object(request, unquote(object_id))
        if request.method == "POST" and (
            # A deleted record comes back through "Deleted records", not a revert.
            current is None or not self.has_change_permission(request, current)
        ):
            raise PermissionDenied
        request._history_record = record
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        record = getattr(request, "_history_record", None)
        if record is None:
            return form
        initial = historical_m2m(record)

        class RevertForm(form):
            """The earlier version's many-to-many values, which simple_history leaves out."""

            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                if not self.is_bound:
                    for name, values in initial.items():
                        if name in self.fields:
                            self.initial[name] = values

        return RevertForm

    # -- deleted records, and bringing one back --

    def deleted_records(self):
        """The last deletion of each record of this model that does not exist any more."""
        history = get_history_manager_for_model(self.model)
        pk = self.opts.pk.attname
        last = (
            history.filter(history_type="-")
            .values(pk)
            .annotate(last=Max("history_id"))
            .values("last")
        )
        return (
            history.filter(history_id__in=last)
            .exclude(**{f"{pk}__in": self.model._default_manager.values("pk")})
            .select_related("history_user")
            .order_by("-history_date")
        )

    def deleted_view(self, request):
        if not self.has_undelete_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(name)s") % {"name": self.opts.verbose_name_plural},
            "opts": self.opts,
            "records": self.deleted_records()[:200],
            "app_label": self.opts.app_label,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/deleted_records.html", context)

    @transaction.atomic
    def undelete_view(self, request, history_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_undelete_permission(request):
            raise PermissionDenied
        history = get_history_manager_for_model(self.model)
        record = get_object_or_404(history, history_id=history_id, history_type="-")
        pk = getattr(record, self.opts.pk.attname)
        info = self.opts.app_label, self.opts.model_name
        obj = record.instance
        missing = missing_links(obj)
        if self.model._default_manager.filter(pk=pk).exists():
            self.message_user(request, _("This record already exists."), messages.WARNING)
        elif missing:
            self.message_user(
                request,
                _("It cannot be restored: its %(fields)s no longer exists; restore that first.")
                % {"fields": ", ".join(missing)},
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:{}_{}_deleted".format(*info)))
        else:
            obj = self.restore(request, obj, record)
            self.log_addition(request, obj, [{"added": {}}])
            self.message_user(
                request,
                format_html(
                    _("“{}” was restored as it was before its deletion."),
                    str(obj),
                ),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:{}_{}_change".format(*info), args=[pk]))

    def restore(self, request, obj, record):
        """Recreate a deleted record from its history, with its many-to-many links."""
        stamp(obj, request.user, created=False)
        obj.save(force_insert=True)
        before = record.prev_record or record
        for name, values in historical_m2m(before).items():
            related = self.opts.get_field(name).related_model
            existing = related._default_manager.filter(pk__in=values)
            getattr(obj, name).set(existing)
        self.restore_related(request, obj, record)
        return obj

    def restore_related(self, request, obj, record):
        """Bring back the rows deleted together with ``obj``: its owned rows (a foreign key to it
        that cascades, with history: a kind's former names), deleted at the same moment."""
        window = datetime.timedelta(seconds=RESTORE_WINDOW_SECONDS)
        for rel in obj._meta.related_objects:
            if not rel.one_to_many or rel.on_delete is not CASCADE:
                continue
            related = rel.related_model
            try:
                history = get_history_manager_for_model(related)
            except NotHistoricalModelError:
                continue
            deleted = history.filter(
                history_type="-",
                history_date__gte=record.history_date - window,
                history_date__lte=record.history_date + window,
                **{rel.field.attname: obj.pk},
            ).exclude(**{f"{related._meta.pk.attname}__in": related._default_manager.values("pk")})
            for row in deleted:
                row.instance.save(force_insert=True)


def missing_links(obj) -> list[str]:
    """The relations of a record to restore whose target was deleted meanwhile.

    A link to a deleted account (who created or changed it) is simply emptied.
    """
    missing = []
    for field in obj._meta.concrete_fields:
        if not field.many_to_one:
            continue
        value = getattr(obj, field.attname)
        if value is None or field.related_model._default_manager.filter(pk=value).exists():
            continue
        if field.remote_field.on_delete is SET_NULL:
            setattr(obj, field.attname, None)
        else:
            missing.append(str(field.verbose_name))
    return missing


def linking_records(objs, model_admin) -> list[str]:
    """ "Kind: <a>record</a> (field)" for each record whose many-to-many field links to one of
    ``objs`` — what a deletion would silently unlink."""
    found = []
    for obj in objs:
        for rel in obj._meta.related_objects:
            accessor = rel.get_accessor_name()
            if not rel.many_to_many or not accessor:
                continue
            for other in getattr(obj, accessor).all()[:50]:
                opts = other._meta
                label = f"{str(opts.verbose_name).capitalize()}: "
                try:
                    url = reverse(
                        f"{model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                        args=[other.pk],
                    )
                except NoReverseMatch:
                    found.append(f"{label}{other} ({rel.field.verbose_name})")
                    continue
                found.append(
                    format_html(
                        '{}<a href="{}">{}</a> ({})', label, url, str(other), rel.field.verbose_name
                    )
                )
    return found


def historical_m2m(record) -> dict[str, list]:
    """Many-to-many values saved with a historical record: field name -> related pks."""
    values = {}
    for field in getattr(record, "_history_m2m_fields", ()):
        target = get_m2m_reverse_field_name(field)
        values[field.name] = list(
            getattr(record, field.name).values_list(f"{target}_id", flat=True)
        )
    return values


class ReferenceAdmin(HistoryAdmin):
    """Reference data loaded from the fixtures: staff read it, only a superuser may fix it."""

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class CuratedAdmin(HistoryAdmin):
    """A record staff curate: audit stamps, "checked today", warnings above the list."""

    actions = ["mark_checked"]
    image_fields: tuple[str, ...] = ()
    pdf_fields: tuple[str, ...] = ()

    def is_scoped(self, request) -> bool:
        """Whether the user's changes are limited to some records (office editors)."""
        return False

    # -- fields --

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if issubclass(self.model, Audited):
            fields += [f for f in AUDIT_FIELDS if f not in fields]
        if issubclass(self.model, Publishable) and "published_at" not in fields:
            fields.append("published_at")
        return fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.image_fields:
            return SafeImageField(
                label=db_field.verbose_name.capitalize(), required=not db_field.blank
            )
        if db_field.name in self.pdf_fields:
            return SafePdfField(
                label=db_field.verbose_name.capitalize(), required=not db_field.blank
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # -- saving --

    def save_model(self, request, obj, form, change):
        stamp(obj, request.user, created=not change)
        super().save_model(request, obj, form, change)
        for name in self.image_fields:
            upload = form.cleaned_data.get(name)
            if hasattr(upload, "save_variants"):
                fieldfile = getattr(obj, name)
                upload.save_variants(fieldfile.name, fieldfile.storage)

    def save_formset(self, request, form, formset, change):
        """Inline rows are saved one by one (history for each), with audit stamps."""
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            stamp(obj, request.user, created=obj._state.adding)
            obj.save()
        formset.save_m2m()

    # -- bulk actions --

    def refuse_out_of_scope(self, request, queryset) -> bool:
        """True (and a message) if any selected row may not be changed by this user."""
        refused = [obj for obj in queryset if not self.has_change_permission(request, obj)]
        if refused:
            self.message_user(
                request,
                _("Nothing was changed: you may not change %(count)d of the selected records.")
                % {"count": len(refused)},
                messages.ERROR,
            )
        return bool(refused)

    @admin.action(permissions=["change"], description=_("Mark as checked against the source today"))
    def mark_checked(self, request, queryset):
        if self.refuse_out_of_scope(request, queryset):
            return
        count = 0
        for obj in queryset:  # one save each, so each change enters the history
            obj.checked_on = today()
            stamp(obj, request.user, created=False)
            obj.save()
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d record marked as checked today.",
                "%(count)d records marked as checked today.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not issubclass(self.model, Provenance):
            actions.pop("mark_checked", None)
        return actions

    # -- warnings --

    def get_list_filter(self, request):
        """The list's filters, with the common checks' filter when the list has none."""
        filters = list(super().get_list_filter(request))
        has_attention = any(isinstance(f, type) and issubclass(f, AttentionFilter) for f in filters)
        if not has_attention and common_checks(self.model):
            filters.append(AttentionFilter)
        return filters

    def attention_messages(self, request, list_url: str = "") -> list[str]:
        """One warning per check that finds rows, with a link to the filtered list."""
        found = []
        base = self.get_queryset(request)
        for list_filter in self.get_list_filter(request):
            if not (isinstance(list_filter, type) and issubclass(list_filter, AttentionFilter)):
                continue
            for key, check in list_filter.all_checks(self.model).items():
                count = check.rows(base).count()
                if count:
                    query = urlencode({list_filter.parameter_name: key})
                    found.append(
                        format_html(
                            '{} <a href="{}?{}">{}</a>',
                            check.message(count),
                            list_url,
                            query,
                            _("Show them"),
                        )
                    )
        return found

    def changelist_view(self, request, extra_context=None):
        popup = IS_POPUP_VAR in request.GET or TO_FIELD_VAR in request.GET
        if request.method == "GET" and not popup:
            for warning in self.attention_messages(request):
                self.message_user(request, warning, messages.WARNING)
        return super().changelist_view(request, extra_context)


class ImportAdminMixin(ImportMixin):
    """Bulk import from CSV or XLSX, with a dry run first; DERCI editors only.

    Put before ``CuratedAdmin`` in the bases. The rows are matched on natural keys and a file
    with a bad row writes nothing (see the resources).
    """

    import_export_change_list_template = "admin/import_export/change_list_import_export.html"

    def has_import_permission(self, request):
        return (
            self.has_add_permission(request)
            and self.has_change_permission(request)
            and not self.is_scoped(request)
        )

    def get_import_data_kwargs(self, **kwargs):
        data_kwargs = super().get_import_data_kwargs(**kwargs)
        data_kwargs["rollback_on_validation_errors"] = True
        return data_kwargs


class PublishableAdmin(CuratedAdmin):
    """Drafts until someone with the publish permission publishes them."""

    actions = ["publish_selected", "unpublish_selected", "mark_checked"]

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(publish_permission(self.model))

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not self.has_publish_permission(request) and "status" not in fields:
            fields = [*fields, "status"]
        return fields

    change_form_template = "admin/publishable_change_form.html"

    # -- saving: a change to a published record is a proposal --

    def is_published_now(self, obj) -> bool:
        """Whether the stored record (not the form's copy of it) is published."""
        return (
            obj.pk is not None
            and self.model._default_manager.filter(
                pk=obj.pk, status=Publishable.Status.PUBLISHED
            ).exists()
        )

    def proposes(self, request, obj, change) -> bool:
        """Whether this save becomes a pending revision instead of changing the live record:
        always for someone who may not publish, on request (*Save as a proposal*) otherwise."""
        if not change or not self.is_published_now(obj):
            return False
        return not self.has_publish_permission(request) or "_propose" in request.POST

    def save_model(self, request, obj, form, change):
        if self.proposes(request, obj, change):
            reverting = getattr(request, "_history_record", None) is not None
            revision = Revision.propose(
                obj, form, request.user, names=list(form.fields) if reverting else None
            )
            request._proposal = revision or "unchanged"
            form.save_m2m = lambda: None  # the live record's links stay as published
            if revision is None:
                self.message_user(request, _("Nothing was changed."), messages.INFO)
            else:
                self.message_user(
                    request,
                    format_html(
                        _(
                            "Your change is waiting for a DERCI editor’s review "
                            '(<a href="{}">{}</a>): the public site keeps showing the '
                            "published version until it is approved."
                        ),
                        reverse("admin:core_revision_change", args=[revision.pk]),
                        str(revision),
                    ),
                    messages.INFO,
                )
            return
        if self.has_publish_permission(request):
            if obj.is_published and obj.published_at is None:
                obj.published_at = timezone.now()
        else:
            obj.status = Publishable.Status.DRAFT
            self.message_user(
                request,
                _("Saved as a draft: a DERCI editor will review and publish it."),
                messages.INFO,
            )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if getattr(request, "_proposal", None) is not None:
            return  # a proposal holds field values only: inline rows are left as they are
        super().save_related(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "_proposal", None) is not None:
            return []  # the inline formsets were not saved
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "_proposal", None) is not None:
            return None  # nothing changed yet: the revision is the record of the proposal
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if getattr(request, "_proposal", None) is not None:
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        return super().response_change(request, obj)

    # -- publish / unpublish --

    def _set_publication(self, request, queryset, publish: bool):
        if self.refuse_out_of_scope(request, queryset):
            return
        count = 0
        for obj in queryset:  # one save each, so each change enters the history
            if obj.is_published == publish:
                continue
            if publish:
                obj.publish(user=request.user)
            else:
                obj.unpublish(user=request.user)
            count += 1
        text = (
            ngettext("%(count)d record published.", "%(count)d records published.", count)
            if publish
            else ngettext(
                "%(count)d record unpublished (back to draft).",
                "%(count)d records unpublished (back to draft).",
                count,
            )
        )
        self.message_user(request, text % {"count": count}, messages.SUCCESS)

    @admin.action(permissions=["publish"], description=_("Publish the selected records"))
    def publish_selected(self, request, queryset):
        self._set_publication(request, queryset, publish=True)

    @admin.action(
        permissions=["publish"], description=_("Unpublish the selected records (back to draft)")
    )
    def unpublish_selected(self, request, queryset):
        self._set_publication(request, queryset, publish=False)

    # -- preview of a draft --

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="{}_{}_preview".format(*info),
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        """Send staff to the public page with ``?preview=1``, which shows them a draft."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        try:
            url = obj.get_absolute_url()
        except (AttributeError, NoReverseMatch):
            self.message_user(
                request, _("This kind of record has no public page yet."), messages.WARNING
            )
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        return HttpResponseRedirect(f"{url}?preview=1")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if hasattr(self.model, "get_absolute_url"):
            info = self.opts.app_label, self.opts.model_name
            extra_context["preview_url"] = reverse(
                "admin:{}_{}_preview".format(*info), args=[object_id]
            )
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and obj.is_published:
            # A DERCI editor may also send a change for review instead of publishing it.
            extra_context["can_propose"] = self.has_publish_permission(
                request
            ) and self.has_change_permission(request, obj)
            extra_context["proposes_only"] = not self.has_publish_permission(request)
            if request.method == "GET":
                self.revision_messages(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def revision_messages(self, request, obj):
        """Pending changes to this record, and the reviewer's note on the user's rejected ones."""
        revisions = Revision.objects.for_object(obj).select_related("author")
        pending = list(revisions.pending())
        if pending:
            self.message_user(
                request,
                format_html(
                    "{} {}",
                    ngettext(
                        "%(count)d proposed change to this record is waiting for review:",
                        "%(count)d proposed changes to this record are waiting for review:",
                        len(pending),
                    )
                    % {"count": len(pending)},
                    format_html_join(
                        ", ",
                        '<a href="{}">{}</a>',
                        (
                            (reverse("admin:core_revision_change", args=[r.pk]), str(r))
                            for r in pending
                        ),
                    ),
                ),
                messages.INFO,
            )
        since = timezone.now() - datetime.timedelta(days=30)
        for revision in revisions.filter(
            status=Revision.Status.REJECTED, author=request.user, reviewed_at__gte=since
        ):
            self.message_user(
                request,
                format_html(
                    _('Your proposed change <a href="{}">{}</a> was not accepted: {}'),
                    reverse("admin:core_revision_change", args=[revision.pk]),
                    str(revision),
                    revision.note,
                ),
                messages.WARNING,
            )

    @admin.display(description=_("publication"), ordering="status")
    def publication(self, obj):
        return obj.get_status_display()


# --- core records ----------------------------------------------------------------------------


class ThemeLevelFilter(admin.SimpleListFilter):
    title = _("level")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [("top", _("Top-level themes")), ("sub", _("Sub-themes"))]

    def queryset(self, request, queryset):
        if self.value() == "top":
            return queryset.filter(parent__isnull=True)
        if self.value() == "sub":
            return queryset.filter(parent__isnull=False)
        return queryset


@admin.register(Theme)
class ThemeAdmin(CuratedAdmin):
    list_display = ["name", "slug", "parent", "order", "sub_themes"]
    list_filter = [ThemeLevelFilter, SourceFilter]
    search_fields = ["slug", "name_fr", "name_en"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ("name_fr",)}
    fieldsets = [
        (
            None,
            {
                "fields": [("name_fr", "name_en"), "slug", "parent", "order"],
                "description": _(
                    "A theme may sit under a broader one (biodiversity under environment): "
                    "filtering on the broader theme includes its sub-themes. The slug is part "
                    "of public filter links: do not change it once published."
                ),
            },
        ),
        (_("Description"), {"fields": [("description_fr", "description_en")]}),
        PROVENANCE_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(sub_theme_count=Count("children"))

    @admin.display(description=_("sub-themes"), ordering="sub_theme_count")
    def sub_themes(self, obj):
        return obj.sub_theme_count


@admin.register(Institute)
class InstituteAdmin(ReferenceAdmin):
    list_display = ["code", "name", "usage_name", "website"]
    list_filter = [SourceFilter]
    search_fields = ["code", "name_fr", "name_en", "usage_name_fr", "usage_name_en"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    ("name_fr", "name_en"),
                    ("usage_name_fr", "usage_name_en"),
                    "website",
                ],
                "description": _(
                    "The ten CNRS institutes are reference data loaded with the site; "
                    "ask an administrator to correct one."
                ),
            },
        ),
        (_("Description"), {"fields": [("description_fr", "description_en")]}),
        PROVENANCE_FIELDSET,
    ]


@admin.register(KeyFigure)
class KeyFigureAdmin(PublishableAdmin):
    list_display = [
        "__str__",
        "kind",
        "countries",
        "as_of",
        "compare_with",
        "on_home_page",
        "publication",
        "order",
    ]
    list_filter = ["status", "on_home_page", "kind", "qualifier", SourceFilter]
    search_fields = ["slug", "figure", "label_fr", "label_en", "kind", "countries", "compare_with"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("figure", "qualifier", "value", "unit"),
                    ("label_fr", "label_en"),
                    "slug",
                    ("kind", "countries"),
                    ("as_of", "as_of_precision"),
                    ("as_of_label_fr", "as_of_label_en"),
                    "compare_with",
                    ("on_home_page", "order"),
                ],
                "description": _(
                    "A figure as an official source published it, with its date; the site "
                    "shows it beside the live count of what the portal holds, never instead "
                    "of it. A key figure needs its source below."
                ),
            },
        ),
        PUBLICATION_FIELDSET,
        PROVENANCE_FIELDSET,
        RECORD_FIELDSET,
    ]


# --- proposed changes (pending revisions) ------------------------------------------------------


def publishable_admins(admin_site) -> list:
    return [
        model_admin
        for model, model_admin in admin_site._registry.items()
        if issubclass(model, Publishable)
    ]


class ReviewFilter(admin.SimpleListFilter):
    """Pending revisions first: the list opens on those waiting for a review."""

    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [*Revision.Status.choices, ("all", _("All"))]

    def value(self):
        return super().value() or Revision.Status.PENDING

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() in Revision.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class RecordKindFilter(admin.SimpleListFilter):
    title = _("kind of record")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [
            (str(ContentType.objects.get_for_model(a.model).pk), a.opts.verbose_name_plural)
            for a in publishable_admins(model_admin.admin_site)
        ]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(content_type_id=int(self.value()))
        return queryset


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """The pending revisions in one list; each opens on its field-by-field review."""

    list_display = ["change", "kind", "author", "created_at", "review_status", "reviewed_by"]
    list_filter = [ReviewFilter, RecordKindFilter]
    list_select_related = ["content_type", "author", "reviewed_by"]
    search_fields = ["record_label", "author__username"]
    date_hierarchy = None
    actions = None

    # -- who sees what --

    def is_reviewer(self, request) -> bool:
        """Someone who may publish some kind of record reviews the changes proposed to it."""
        return any(a.has_publish_permission(request) for a in publishable_admins(self.admin_site))

    def is_author(self, request) -> bool:
        return any(a.has_change_permission(request) for a in publishable_admins(self.admin_site))

    def has_module_permission(self, request):
        user = request.user
        return (
            user.is_active
            and user.is_staff
            and (self.is_reviewer(request) or self.is_author(request))
        )

    def has_view_permission(self, request, obj=None):
        if not self.has_module_permission(request):
            return False
        return obj is None or self.is_reviewer(request) or obj.author_id == request.user.pk

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.is_reviewer(request):
            return queryset
        return queryset.filter(author=request.user)

    def may_review(self, request, revision, live) -> bool:
        """The right to publish that kind of record, and to change this one."""
        model_admin = self.admin_site._registry.get(revision.model)
        return bool(
            model_admin is not None
            and live is not None
            and model_admin.has_publish_permission(request)
            and model_admin.has_change_permission(request, live)
        )

    def attention_messages(self, request, list_url: str = "") -> list[str]:
        """For the admin index's "Needs attention": the changes waiting for this reviewer."""
        if not self.is_reviewer(request):
            return []
        count = Revision.objects.pending().count()
        if not count:
            return []
        message = ngettext(
            "%(count)d proposed change is waiting for review.",
            "%(count)d proposed changes are waiting for review.",
            count,
        ) % {"count": count}
        return [
            format_html('{} <a href="{}?review=pending">{}</a>', message, list_url, _("Show them"))
        ]

    # -- the list --

    @admin.display(description=_("proposed change"), ordering="-created_at")
    def change(self, obj):
        return str(obj)

    @admin.display(description=_("kind of record"), ordering="content_type")
    def kind(self, obj):
        model = obj.model
        return model._meta.verbose_name if model else "—"

    @admin.display(description=_("review"), ordering="status")
    def review_status(self, obj):
        return obj.get_status_display()

    # -- the review --

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        if not object_id.isdigit():
            raise Http404
        revision = get_object_or_404(
            self.get_queryset(request).select_related("author", "reviewed_by"), pk=int(object_id)
        )
        live = revision.live_record()
        may_review = revision.is_pending and self.may_review(request, revision, live)
        if request.method == "POST":
            if not may_review:
                security_event(
                    "permission_denied",
                    request,
                    outcome="denied",
                    model=Revision._meta.label,
                    action="review",
                )
                raise PermissionDenied
            response = self.review(request, revision)
            if response is not None:
                return response
        record_admin = self.admin_site._registry.get(revision.model)
        record_url = None
        if live is not None and record_admin is not None:
            opts = record_admin.opts
            record_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[live.pk])
        context = {
            **self.admin_site.each_context(request),
            "title": str(revision),
            "opts": self.opts,
            "revision": revision,
            "record_opts": revision.model._meta if revision.model else None,
            "record_url": record_url,
            "live": live,
            "changes": revision.changes(),
            "may_review": may_review,
            "note": request.POST.get("note", ""),
            "changelist_url": reverse("admin:core_revision_changelist"),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/core/revision/review.html", context)

    def review(self, request, revision):
        """Approve or reject a pending revision; ``None`` shows the review page again."""
        changelist = HttpResponseRedirect(reverse("admin:core_revision_changelist"))
        if "_approve" in request.POST:
            try:
                obj = revision.approve(request.user)
            except ValidationError as error:
                self.message_user(
                    request,
                    _("It cannot be approved as it is: %(errors)s")
                    % {"errors": "; ".join(error.messages)},
                    messages.ERROR,
                )
                return None
            record_admin = self.admin_site._registry[revision.model]
            record_admin.log_change(
                request, obj, [{"changed": {"fields": [r["label"] for r in revision.changes()]}}]
            )
            self.message_user(
                request,
                format_html(_("{} was approved: it is live."), str(revision)),
                messages.SUCCESS,
            )
            return changelist
        if "_reject" in request.POST:
            note = request.POST.get("note", "").strip()
            if not note:
                self.message_user(
                    request,
                    _("Say why in the note: its author reads it."),
                    messages.ERROR,
                )
                return None
            revision.reject(request.user, note)
            self.message_user(
                request,
                format_html(_("{} was rejected; its author will read your note."), str(revision)),
                messages.SUCCESS,
            )
            return changelist
        return HttpResponseBadRequest()
