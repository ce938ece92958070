from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The site layer: what combines the domain apps (pages, search registry, open data, loaders).

    Installed last, so its management commands and ``ready()`` see every domain app.
    """

    name = "cnrs_intl"
    verbose_name = _("Portal")

    def ready(self):
        from cnrs_intl import changes, search
        from core import conditional

        search.register()
        changes.connect()
        conditional.register_last_change(changes.last_change)
