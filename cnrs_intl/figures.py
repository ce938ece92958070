"""Published key figures: what ``country`` and ``kind`` mean for them, and their public list.

A key figure (``core.KeyFigure``) stores the ISO codes of the countries it is about and the code
of the tool it counts; core knows neither countries nor kinds, so the site layer gives them
their filter (the same ``country`` parameter as every list, known tool codes for ``kind``), and
the page, the downloads (``cnrs_intl/exports.py``) and the API (``cnrs_intl/api.py``) share it.
"""

from django.utils.translation import gettext_lazy as _

from core.filters import CatalogFilterSet, QuerySetMethodFilter, upper
from core.models import KeyFigure
from core.views import FilteredListView
from instruments.filters import kind_choices
from offices.filters import CountryFilter
from offices.models import Country


def tool_code_choices():
    """Current and former kind codes, then any other code a published figure counts."""
    seen = set()
    for code, label in kind_choices():
        seen.add(code)
        yield code, label
    counted = KeyFigure.objects.published().exclude(kind="").values_list("kind", flat=True)
    for code in sorted(set(counted) - seen):
        yield code, code


class ToolCodeFilter(QuerySetMethodFilter):
    """``kind``: the tool a figure counts, as its source names it (``UMI`` gives the figures
    counting UMIs), any case."""

    queryset_method = "of_kind"
    defaults = {"choices_loader": tool_code_choices, "normalize": upper, "label": _("Tool counted")}


class KeyFigureFilter(CatalogFilterSet):
    country = CountryFilter()
    kind = ToolCodeFilter()

    search_fields = ("figure", "label_fr", "label_en", "as_of_label_fr", "as_of_label_en")

    class Meta:
        model = KeyFigure
        fields = []


def public_key_figures():
    """Published figures, the latest "as of" first, undated ones last."""
    return KeyFigure.objects.published().newest_first()


def countries_by_code(figures) -> dict[str, Country]:
    """The countries the figures name, in one query, by upper-case code."""
    codes = {code for figure in figures for code in figure.country_code_list}
    if not codes:
        return {}
    return {str(country.code): country for country in Country.objects.filter(code__in=codes)}


def attach_countries(figures, known: dict[str, Country] | None = None) -> list:
    """Each figure's ``country_list``: its countries as records, in the order of their codes."""
    figures = list(figures)
    known = countries_by_code(figures) if known is None else known
    for figure in figures:
        figure.country_list = [known[code] for code in figure.country_code_list if code in known]
    return figures


class KeyFigureListView(FilteredListView):
    """Every published figure with what it counts, its date at its precision, its source and
    where sources disagree; filtered by country and by the tool counted; newest first."""

    filterset_class = KeyFigureFilter
    template_name = "figures/keyfigure_list.html"
    nav = "figures"
    paginate_by = 25

    def get_queryset(self):
        return public_key_figures()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = attach_countries(context["object_list"])
        return context
