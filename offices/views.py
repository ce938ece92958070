from django.views.generic import ListView

from offices.models import Office


class OfficeListView(ListView):
    model = Office
