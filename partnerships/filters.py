"""What institution, agreement, call and milestone list parameters mean, everywhere."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import (
    CatalogFilterSet,
    CountryThemeMixin,
    MultiValueFilter,
    SortFilter,
    lower,
    status_filter,
    theme_filter,
    year_filter,
)
from offices.filters import country_filter, sector_filter
from partnerships.models import Agreement, Call, Institution, Milestone


def institution_choices():
    for slug, name, acronym in Institution.objects.published().values_list(
        "slug", "name", "acronym"
    ):
        yield slug, f"{name} ({acronym})" if acronym else name


def institution_filter(label=None):
    return MultiValueFilter(
        method="filter_institution",
        choices_loader=institution_choices,
        normalize=lower,
        selected_only=True,
        label=label or _("Institution"),
    )


class InstitutionFilter(CountryThemeMixin, CatalogFilterSet):
    country = country_filter()
    sector = sector_filter()
    kind = MultiValueFilter(
        method="filter_kind",
        choices_loader=lambda: Institution.Kind.choices,
        normalize=lower,
        label=_("Kind"),
        widget=forms.CheckboxSelectMultiple,
    )
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


class AgreementFilter(CountryThemeMixin, CatalogFilterSet):
    country = country_filter()
    sector = sector_filter()
    theme = theme_filter()
    kind = MultiValueFilter(
        method="filter_kind",
        choices_loader=lambda: Agreement.Kind.choices,
        normalize=lower,
        label=_("Kind"),
        widget=forms.CheckboxSelectMultiple,
    )
    institution = institution_filter(_("Party"))
    status = status_filter()
    year = year_filter()
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

    def filter_institution(self, queryset, name, value):
        return queryset.for_institution(*value)


class CallFilter(CountryThemeMixin, CatalogFilterSet):
    country = country_filter()
    sector = sector_filter()
    theme = theme_filter()
    institution = institution_filter(_("Funder"))
    status = status_filter()
    year = year_filter()
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

    def filter_institution(self, queryset, name, value):
        return queryset.for_institution(*value)


class MilestoneFilter(CountryThemeMixin, CatalogFilterSet):
    country = country_filter()
    sector = sector_filter()
    theme = theme_filter()
    institution = institution_filter()
    year = year_filter()
    sort = SortFilter(
        fields=(("date", "date"), ("title", "title")),
        field_labels={"date": _("Date"), "title": _("Title")},
        label=_("Sort by"),
    )

    search_fields = ("title_fr", "title_en", "description_fr", "description_en")

    class Meta:
        model = Milestone
        fields = []

    def filter_institution(self, queryset, name, value):
        return queryset.filter(
            pk__in=Milestone.objects.filter(institutions__slug__in=value).values("pk")
        )
