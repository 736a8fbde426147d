"""Admin for people (DESIGN §1): accounts sign in by e-mail and hold one or more roles."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User

ERR_EMAIL_TAKEN = "A person with this e-mail address already exists."

ROLE_FIELDS = ("is_ta_staff", "is_sss", "is_center_lead", "is_federal_viewer", "is_tat_admin")


def _clean_unique_email(form: forms.ModelForm) -> str:
    """E-mail addresses are unique regardless of case (they are stored lower-cased)."""
    email = User.objects.normalize_email(form.cleaned_data.get("email") or "").strip().lower()
    others = User.objects.filter(email__iexact=email)
    if form.instance.pk:
        others = others.exclude(pk=form.instance.pk)
    if email and others.exists():
        raise forms.ValidationError(ERR_EMAIL_TAKEN, code="unique")
    return email


class UserCreationForm(BaseUserCreationForm):
    """Add form: e-mail, name, center, and the password typed twice."""

    class Meta:
        model = User
        fields = ("email", "full_name", "title", "center")

    def clean_email(self) -> str:
        return _clean_unique_email(self)


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        return _clean_unique_email(self)


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "title", "center")}),
        ("Roles", {"fields": (*ROLE_FIELDS, "sss_jurisdictions", "region")}),
        (
            "Admin site access",
            {
                "classes": ("collapse",),
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "title", "center", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("full_name", "email", "center", "roles", "is_active", "is_staff")
    list_filter = (*ROLE_FIELDS, "center", "is_active", "is_staff")
    list_select_related = ("center",)
    search_fields = ("full_name", "email", "title")
    ordering = ("full_name", "email")
    filter_horizontal = ("sss_jurisdictions", "groups", "user_permissions")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("center")

    @admin.display(description="roles")
    def roles(self, obj: User) -> str:
        names = [str(User._meta.get_field(f).verbose_name) for f in ROLE_FIELDS if getattr(obj, f)]
        return ", ".join(names) or "—"
