from django.conf import settings


def site(request):
    """Values every page's layout needs."""
    return {"ADMIN_URL": settings.ADMIN_URL}
