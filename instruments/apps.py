from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "instruments"
    verbose_name = _("Cooperation instruments")

    def ready(self):
        from core.models import KeyFigure
        from instruments.models import Kind

        # A key figure compared with "kind:CODE" names a current kind, which core cannot read.
        KeyFigure.kind_codes = staticmethod(lambda: Kind.objects.values_list("code", flat=True))
