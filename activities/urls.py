from django.urls import path

from activities import views

app_name = "activities"
urlpatterns = [
    path("<int:pk>/", views.activity_detail, name="detail"),
]
