"""The public filter contract, shared by pages, exports, feeds and the API.

Every parameter may be repeated: several values of one parameter combine with OR, different
parameters with AND. A value that means nothing makes the form invalid, naming the parameter,
so pages can show a message and the API can answer 400.
"""

import unicodedata

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core import collation
from core.models import DateStatus, Institute, Theme
from core.search import search_queryset

MAX_VALUES = 50


class MultiValueField(forms.Field):
    """A repeatable parameter whose values must belong to a set loaded once per request."""

    widget = forms.SelectMultiple
    default_error_messages = {
        "invalid_choice": _("“%(value)s” is not a known value for this filter."),
        "too_many": _("At most %(max)d values are accepted."),
    }

    def __init__(self, *, choices_loader, normalize=str.strip, selected_only=False, **kwargs):
        self.choices_loader = choices_loader
        self.normalize = normalize
        # A set too large for a form (thousands of institutions): the form offers only the values
        # already chosen, reached from links on the records' pages, so they can be unticked.
        self.selected_only = selected_only
        self._choices = None
        super().__init__(**kwargs)

    @property
    def choices(self):
        if self._choices is None:
            self._choices = list(self.choices_loader())
        return self._choices

    def get_bound_field(self, form, field_name):
        # The form's options come from the same per-request load as the validation, and only
        # when a page renders them: the API, exports and feeds never pay for unused options.
        if hasattr(self.widget, "choices"):
            if self.selected_only:
                self.widget.choices = lambda: self.selected_choices(form, field_name)
            else:
                self.widget.choices = lambda: self.choices
        return super().get_bound_field(form, field_name)

    def selected_choices(self, form, field_name):
        if not form.is_bound:
            return []
        data = form.data
        raw = data.getlist(field_name) if hasattr(data, "getlist") else data.get(field_name)
        selected = set(self.prepare_value(raw))
        return [choice for choice in self.choices if str(choice[0]) in selected]

    def prepare_value(self, value):
        """Values as the options spell them (``cn`` selects China's ``CN``)."""
        if value in (None, ""):
            return []
        if isinstance(value, str):
            value = [value]
        return [self.normalize(str(v)) for v in value if str(v).strip()]

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        values = [self.normalize(str(v)) for v in value if str(v).strip()]
        if len(values) > MAX_VALUES:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": MAX_VALUES}
            )
        return list(dict.fromkeys(values))

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        known = {str(key) for key, _label in self.choices}
        for item in value:
            if item not in known:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item[:60]},
                )


class MultiValueFilter(django_filters.Filter):
    """Filter taking repeated values; the queryset method does the OR."""

    field_class = MultiValueField

    def __init__(
        self, *args, choices_loader=None, normalize=str.strip, selected_only=False, **kwargs
    ):
        kwargs.setdefault("lookup_expr", "in")
        super().__init__(*args, **kwargs)
        self.extra["choices_loader"] = choices_loader
        self.extra["normalize"] = normalize
        self.extra["selected_only"] = selected_only


class QuerySetMethodFilter(MultiValueFilter):
    """A shared parameter of the contract: its values go to one QuerySet method.

    The method (``for_country``, ``for_theme``…) is the one place that says what the parameter
    means, for pages, exports, feeds, the API and any view calling it directly; the field only
    validates the values against what exists. Subclasses name the method and their defaults.
    """

    queryset_method = ""
    defaults: dict = {}

    def __init__(self, *args, **kwargs):
        for key, value in self.defaults.items():
            kwargs.setdefault(key, value)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return getattr(qs, self.queryset_method)(*value)


class RepeatableTextInput(forms.TextInput):
    """One text box for a parameter that may be repeated (``year=2023&year=2024``)."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        return data.get(name)

    def format_value(self, value):
        if isinstance(value, list | tuple):
            value = " ".join(str(v) for v in value)
        return super().format_value(value)


class YearField(forms.Field):
    """Years, repeated or typed in one box separated by spaces or commas."""

    widget = RepeatableTextInput
    default_error_messages = {
        "invalid": _("“%(value)s” is not a year (four digits, e.g. 2024)."),
    }

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "numeric", "autocomplete": "off"}

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        years = []
        items = [part for v in value for part in str(v).replace(",", " ").split()]
        for item in items:
            item = str(item).strip()
            if not item:
                continue
            if not (item.isdigit() and len(item) == 4 and 1900 <= int(item) <= 2200):
                raise ValidationError(
                    self.error_messages["invalid"], code="invalid", params={"value": item[:20]}
                )
            years.append(int(item))
        return sorted(set(years))


class YearFilter(django_filters.Filter):
    """``year``: active at some point of any of these years (``during_year``)."""

    field_class = YearField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Active during year"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.during_year(*value) if value else qs


class SortFilter(django_filters.OrderingFilter):
    """``sort``: one of the list's orders (``-`` for descending); ties broken by id so pages
    never repeat or skip a row."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Sort by"))
        kwargs.setdefault("empty_label", _("Default order"))
        super().__init__(*args, **kwargs)

    def build_choices(self, fields, labels):
        # Lazy labels: django-filter formats "(descending)" once, in the language at import.
        choices = []
        for field, param in fields.items():
            label = labels.get(field, param)
            choices.append((param, label))
            choices.append((f"-{param}", format_lazy(_("{label} (descending)"), label=label)))
        return choices

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            # Titles and names in French order on PostgreSQL (core/collation.py).
            qs = qs.order_by(*collation.collated(qs.model, qs.query.order_by), "pk")
        return qs


def theme_choices():
    yield from Theme.objects.values_list("slug", "name")


def institute_choices():
    for code, name in Institute.objects.values_list("code", "name"):
        yield code, f"{code} – {name}" if name else code


def status_choices():
    yield from DateStatus.choices


def sort_key(text) -> str:
    """Alphabetical order that ignores case and accents (Égypte among the E)."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def upper(value: str) -> str:
    return value.strip().upper()


def lower(value: str) -> str:
    return value.strip().lower()


class CatalogFilterSet(django_filters.FilterSet):
    """Filters every public list shares; subclasses add what applies to them."""

    q = django_filters.CharFilter(
        method="filter_q", label=_("Search"), max_length=5000, widget=forms.SearchInput
    )

    # Subclasses set the text fields searched by ``q`` (see core.search).
    search_fields: tuple[str, ...] = ()

    def filter_q(self, queryset, name, value):
        return search_queryset(queryset, value, self.search_fields)

    @property
    def qs(self):
        # Without a ``sort``, the model's own order, titles and names in French order on
        # PostgreSQL (core/collation.py); a list given an order of its own keeps it.
        if not getattr(self, "_collated", False):
            self._qs = collation.default_order(super().qs)
            self._collated = True
        return self._qs

    @property
    def active_filters(self) -> list[tuple[str, str]]:
        """(parameter, value) pairs that apply, for chips and feed titles."""
        if not self.is_bound:
            return []
        pairs = []
        for name in self.filters:
            if name == "sort":
                continue
            for value in self.data.getlist(name) if hasattr(self.data, "getlist") else []:
                if str(value).strip():
                    pairs.append((name, str(value).strip()))
        return pairs


class ThemeFilter(QuerySetMethodFilter):
    """``theme``: theme slugs, a parent theme including its sub-themes."""

    queryset_method = "for_theme"
    defaults = {"choices_loader": theme_choices, "normalize": lower, "label": _("Theme")}


class StatusFilter(QuerySetMethodFilter):
    """``status``: ``active``, ``ended``, ``upcoming`` (from the record's dates)."""

    queryset_method = "with_status"
    defaults = {
        "choices_loader": status_choices,
        "normalize": lower,
        "label": _("Status"),
        "widget": forms.CheckboxSelectMultiple,
    }


class InstituteFilter(QuerySetMethodFilter):
    """``institute``: CNRS institute codes, any case."""

    queryset_method = "for_institute"
    defaults = {
        "choices_loader": institute_choices,
        "normalize": upper,
        "label": _("CNRS institute"),
        "widget": forms.CheckboxSelectMultiple,
    }
