"""Sign-in and the (throttled) password reset request under /accounts/; the other auth pages
(sign-out, password change, reset confirmation) are Django's own, included after these in
config/urls.py, with our templates in templates/registration/. Names are global, as
Django's are: `login`, `logout`, ...
"""

from django.urls import path

from accounts import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("password_reset/", views.ThrottledPasswordResetView.as_view(), name="password_reset"),
]
