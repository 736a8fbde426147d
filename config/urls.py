from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Technical Assistance Tracker administration"
admin.site.site_title = "TAT administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("goals/", include("goals.urls")),
    path("activities/", include("activities.urls")),
    path("search/", include("search.urls")),
    path("reference/", include("reference.urls")),
    path("", include("workspace.urls")),
]
