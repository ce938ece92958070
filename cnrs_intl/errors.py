"""Error pages in the site's layout, in the visitor's language; denials go to the security log.

400 and 500 use ``errors/standalone.html`` (no request, no database: they must render when
everything else fails); 403, 404 and 429 the full layout. ``too_many_requests`` is what the
abuse limits and the login lockout answer with.
"""

from django.http import HttpResponseForbidden
from django.template import loader
from django.template.response import TemplateResponse
from django.views.decorators.csrf import requires_csrf_token

from core.security import security_event


@requires_csrf_token
def permission_denied(request, exception=None, template_name="403.html"):
    security_event("permission_denied", request, outcome="denied")
    template = loader.get_template(template_name)
    return HttpResponseForbidden(template.render(request=request, context={}))


def csrf_failure(request, reason=""):
    # Django's reason names what was missing (cookie, token, origin): never the token itself.
    security_event("csrf_failure", request, outcome="denied", reason=reason)
    template = loader.get_template("403.html")
    return HttpResponseForbidden(template.render(request=request, context={"csrf_failure": True}))


def too_many_requests(request, retry_after: int | None = None):
    response = TemplateResponse(request, "429.html", status=429)
    if retry_after is not None:
        response["Retry-After"] = str(max(1, int(retry_after)))
    return response
