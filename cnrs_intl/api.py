"""API resource for the published key figures (``/api/v1/key-figures/``).

A site-layer resource: a figure names its countries by code, and the API shows them as the
countries resource does, with the ``country`` and ``kind`` parameters of the figures page.
"""

from rest_framework import serializers

from cnrs_intl.figures import KeyFigureFilter, attach_countries, public_key_figures
from core.api import (
    ApiLinkField,
    CatalogViewSet,
    OptionalTextField,
    created_field,
    modified_field,
    precision_field,
    source_field,
)
from core.models import KeyFigure
from offices.api import CountrySummarySerializer


class KeyFigureSerializer(serializers.Serializer):
    """A figure as an official source published it, with its date: history, not a live count."""

    slug = serializers.SlugField()
    figure = serializers.CharField(
        source="display_value", help_text='The figure as the source writes it ("about 80").'
    )
    value = serializers.FloatField(
        allow_null=True, help_text="The number, when the source writes one."
    )
    qualifier = serializers.ChoiceField(choices=KeyFigure.Qualifier.choices)
    label = serializers.CharField(help_text="What the figure counts.")
    kind = OptionalTextField(
        help_text="Code of the tool the figure counts, as the source names it (IRL, UMI…)."
    )
    countries = CountrySummarySerializer(
        many=True, source="country_list", help_text="Empty for a worldwide figure."
    )
    as_of = serializers.DateField(
        allow_null=True, help_text="The date the figure describes; null when undated."
    )
    as_of_precision = precision_field("as_of")
    as_of_label = OptionalTextField(help_text="How the source dates it, when it gives a period.")
    contradictions = OptionalTextField(help_text="Where the sources disagree, as each states it.")
    other_sources = serializers.ListField(
        child=serializers.URLField(),
        source="other_source_list",
        help_text="Other pages that state the same figure.",
    )
    source = source_field()
    created = created_field()
    modified = modified_field()
    url = ApiLinkField("key-figure-detail")


class KeyFigureViewSet(CatalogViewSet):
    """Published key figures, the latest "as of" first."""

    serializer_class = KeyFigureSerializer
    filterset_class = KeyFigureFilter
    modified_field = "updated_at"

    def get_queryset(self):
        return public_key_figures()

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return attach_countries(page) if page is not None else None

    def get_object(self):
        return attach_countries([super().get_object()])[0]
