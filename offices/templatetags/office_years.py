"""Template helpers for the offices' pages."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def closed_years(office) -> str:
    """When a closed office was open, saying only what is known: ``1947–1984``, ``until 2011``,
    ``opened in 1990, closing year unknown`` or ``closed, dates unknown``."""
    if office.opened and office.closed:
        return f"{office.opened}–{office.closed}"
    if office.closed:
        return _("until %(year)s") % {"year": office.closed}
    if office.opened:
        return _("opened in %(year)s, closing year unknown") % {"year": office.opened}
    return _("closed, dates unknown")
