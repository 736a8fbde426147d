from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core.views import session_status

admin.site.site_header = "Technical Assistance Tracker administration"
admin.site.site_title = "TAT administration"

urlpatterns = [
    # Configurable, and for administrators only (core.middleware.AdminOnlyMiddleware).
    path(settings.ADMIN_PATH, admin.site.urls),
    path("accounts/session/", session_status, name="session_status"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("goals/", include("goals.urls")),
    path("activities/", include("activities.urls")),
    path("search/", include("search.urls")),
    path("review/", include("oversight.urls")),
    path("reference/", include("reference.urls")),
    path("api/", include("api.urls")),
    path("transfer/", include("transfer.urls")),
    path("reports/", include("reports.urls")),
    path("administration/", include("administration.urls")),
    path("", include("workspace.urls")),
]
