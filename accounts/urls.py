"""Sign-in under /accounts/; the other auth pages (sign-out, password change and reset) are
Django's own, included after these in config/urls.py, with our templates in
templates/registration/. Names are global, as Django's are: `login`, `logout`, ...
"""

from django.urls import path

from accounts import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
]
