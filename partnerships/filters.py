"""What institution, agreement, call and milestone list parameters mean, everywhere."""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.filters import (
    CatalogFilterSet,
    MultiValueFilter,
    QuerySetMethodFilter,
    SortFilter,
    StatusFilter,
    ThemeFilter,
    YearFilter,
    lower,
)
from offices.filters import CountryFilter, SectorFilter
from partnerships.models import Agreement, Call, Institution, Milestone


def institution_choices():
    for slug, name, acronym in Institution.objects.published().values_list(
        "slug", "name", "acronym"
    ):
        yield slug, f"{name} ({acronym})" if acronym else name


class ByInstitutionFilter(QuerySetMethodFilter):
    """``institution``: institution slugs (``for_institution``: parties, funders, partners…).

    Thousands of institutions would weigh every form: it offers only the values chosen."""

    queryset_method = "for_institution"
    defaults = {
        "choices_loader": institution_choices,
        "normalize": lower,
        "selected_only": True,
        "label": _("Institution"),
    }


# A ROR id alone or as its address: 02feahw73, ror.org/02feahw73, https://ror.org/02feahw73.
ROR_INPUT = re.compile(
    r"(?:(?:https?://)?(?:www\.)?ror\.org/)?(0[0-9a-hjkmnp-tv-z]{6}[0-9]{2})/?", re.IGNORECASE
)


def parse_ror(text: str) -> str | None:
    """The ROR id (lower case) in ``text``, a bare id or its address; ``None`` if it is neither."""
    match = ROR_INPUT.fullmatch(str(text).strip())
    return match.group(1).lower() if match else None


class RorField(forms.CharField):
    """``ror``: one ROR id, bare or as its address; anything else is an error naming the value."""

    default_error_messages = {
        "invalid": _(
            "“%(value)s” is not a ROR id: give its nine characters (e.g. 02feahw73) or its "
            "address (https://ror.org/02feahw73)."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        # Offered on the page only once used (a link from elsewhere, an integrator's query).
        self.selected_only = True

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return ""
        ror_id = parse_ror(text)
        if ror_id is None:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": text[:60]}
            )
        return ror_id


class RorFilter(django_filters.CharFilter):
    """The institution with this ROR id (``ror_id``)."""

    field_class = RorField

    def filter(self, qs, value):
        return qs.filter(ror_id=value) if value else qs


class InstitutionFilter(CatalogFilterSet):
    country = CountryFilter()
    sector = SectorFilter()
    kind = MultiValueFilter(
        method="filter_kind",
        choices_loader=lambda: Institution.Kind.choices,
        normalize=lower,
        label=_("Kind"),
        widget=forms.CheckboxSelectMultiple,
    )
    ror = RorFilter(label=_("ROR id"))
    sort = SortFilter(
        fields=(("name", "name"), ("acronym", "acronym"), ("country__code", "country")),
        field_labels={"name": _("Name"), "acronym": _("Acronym"), "country__code": _("Country")},
        label=_("Sort by"),
    )

    search_fields = ("name_fr", "name_en", "acronym", "ror_id", "description_fr", "description_en")

    class Meta:
        model = Institution
        fields = []

    def filter_kind(self, queryset, name, value):
        return queryset.filter(kind__in=value)


class AgreementFilter(CatalogFilterSet):
    country = CountryFilter()
    sector = SectorFilter()
    theme = ThemeFilter()
    kind = MultiValueFilter(
        method="filter_kind",
        choices_loader=lambda: Agreement.Kind.choices,
        normalize=lower,
        label=_("Kind"),
        widget=forms.CheckboxSelectMultiple,
    )
    institution = ByInstitutionFilter(label=_("Party"))
    status = StatusFilter()
    year = YearFilter()
    sort = SortFilter(
        fields=(("title", "title"), ("signed_on", "signed"), ("expires_on", "expires")),
        field_labels={"title": _("Title"), "signed_on": _("Signed"), "expires_on": _("Expires")},
        label=_("Sort by"),
    )

    search_fields = ("title_fr", "title_en", "summary_fr", "summary_en")

    class Meta:
        model = Agreement
        fields = []

    def filter_kind(self, queryset, name, value):
        return queryset.filter(kind__in=value)


class CallFilter(CatalogFilterSet):
    country = CountryFilter()
    sector = SectorFilter()
    theme = ThemeFilter()
    institution = ByInstitutionFilter(label=_("Funder"))
    status = StatusFilter()
    year = YearFilter()
    sort = SortFilter(
        fields=(("closes_on", "deadline"), ("opens_on", "opens"), ("title", "title")),
        field_labels={"closes_on": _("Deadline"), "opens_on": _("Opens"), "title": _("Title")},
        label=_("Sort by"),
        empty_label=_("Open calls first"),
    )

    search_fields = (
        "title_fr",
        "title_en",
        "description_fr",
        "description_en",
        "funding_fr",
        "funding_en",
    )

    class Meta:
        model = Call
        fields = []


class MilestoneFilter(CatalogFilterSet):
    country = CountryFilter()
    sector = SectorFilter()
    theme = ThemeFilter()
    institution = ByInstitutionFilter()
    year = YearFilter()
    sort = SortFilter(
        fields=(("date", "date"), ("title", "title")),
        field_labels={"date": _("Date"), "title": _("Title")},
        label=_("Sort by"),
    )

    search_fields = ("title_fr", "title_en", "description_fr", "description_en")

    class Meta:
        model = Milestone
        fields = []
