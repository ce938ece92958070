"""Public pages for offices and sectors."""

from django.views.generic import ListView

from offices.models import Office


class OfficeListView(ListView):
    """Offices grouped by sector."""

    template_name = "offices/office_list.html"

    def get_queryset(self):
        return Office.objects.published().select_related("sector", "country")
