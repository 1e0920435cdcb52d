from django.conf import settings


def site(request):
    return {"TEAM_EMAIL": settings.TEAM_EMAIL, "SITE_NAME": "Westminster Prevent"}
