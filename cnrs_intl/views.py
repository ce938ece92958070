"""Site-wide pages that combine the apps."""

from django.views.generic import TemplateView


class HomeView(TemplateView):
    template_name = "home.html"
