"""Public addresses the site layer gives records of the lower layers.

A theme or an institute has no page of its own: its page is the instruments list filtered on it.
``core`` cannot name that list, so ``settings.ABSOLUTE_URL_OVERRIDES`` installs these as their
``get_absolute_url``.
"""

from django.urls import reverse
from django.utils.http import urlencode


def theme_url(theme) -> str:
    return f"{reverse('instruments:list')}?{urlencode({'theme': theme.slug})}"


def institute_url(institute) -> str:
    return f"{reverse('instruments:list')}?{urlencode({'institute': institute.code})}"
