"""Root URLs. Public pages live under a language prefix (/fr/, /en/); `/` redirects by browser."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import include, path

from cnrs_intl import errors, health, open_data, partnership_urls, redirects, views
from cnrs_intl.sitemaps import SITEMAPS
from core import two_factor

urlpatterns = [
    # Staff second factor, before the admin's own URLs (core/two_factor.py).
    path(f"{settings.ADMIN_URL}two-factor/", two_factor.verify, name="two-factor-verify"),
    path(f"{settings.ADMIN_URL}two-factor/setup/", two_factor.setup, name="two-factor-setup"),
    path(
        f"{settings.ADMIN_URL}two-factor/recovery/", two_factor.recovery, name="two-factor-recovery"
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # 200, or 503 naming the failing component (database, cache, storage): cnrs_intl/health.py
    path("healthz", health.healthz, name="healthz"),
    # -- operations and crawlers (robots.txt, sitemap.xml) --
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemap_view,
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    # -- API (/api/v1/) --
    path("api/v1/", include("cnrs_intl.api_urls")),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("", include("cnrs_intl.office_urls")),
    # -- public lists and records --
    path("", include("instruments.urls")),
    path("", include((partnership_urls.agreement_patterns, "partnerships"))),
    path("", include((partnership_urls.institution_patterns, "institutions"))),
    path("", include((partnership_urls.call_patterns, "calls"))),
    # -- site-wide pages: countries, search, accessibility --
    path("", include("cnrs_intl.country_urls")),
    path("search/", views.SearchView.as_view(), name="search"),
    path("accessibility/", views.AccessibilityView.as_view(), name="accessibility"),
    # -- a record by its lasting id: redirects to its current page (cnrs_intl/redirects.py) --
    path("r/<str:type>/<int:pk>/", redirects.record, name="record"),
    path("", include("cnrs_intl.figure_urls")),
    # -- feeds and open data --
    path("", include("cnrs_intl.feed_urls")),
    path("open-data/", open_data.OpenDataView.as_view(), name="open-data"),
    path(
        f"open-data/{open_data.ARCHIVE_NAME}", open_data.download_archive, name="open-data-archive"
    ),
    path(
        "open-data/<str:release>.zip",
        open_data.download_release_archive,
        name="open-data-release-archive",
    ),
    path("open-data/<str:name>", open_data.download_file, name="open-data-file"),
    path(
        "open-data/<str:release>/<str:name>",
        open_data.download_release_file,
        name="open-data-release-file",
    ),
    prefix_default_language=True,
)

# Error pages in the site's layout (cnrs_intl/errors.py); 404 and 500 are Django's own views with
# templates/404.html and 500.html, 400 with templates/400.html.
handler403 = errors.permission_denied
