from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Reference and publication")

    def ready(self):
        # Security events on sign-in, sign-out, failures and lockouts (signal receivers).
        from core import staff_auth  # noqa: F401
