"""People: one account per person, signing in by e-mail, holding one or more roles (DESIGN §1)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from reference.models import Center, Jurisdiction, Region


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True, is_tat_admin=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Roles are flags because one person may hold several."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150)
    title = models.CharField(max_length=150, blank=True)
    center = models.ForeignKey(
        Center,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text="The national center this person works for.",
    )
    is_ta_staff = models.BooleanField(
        "TA staff", default=False, help_text="Creates TA activities and edits their own."
    )
    is_sss = models.BooleanField(
        "State Systems Specialist",
        default=False,
        help_text="SCBC staff who keep goals and review activities of their assigned States.",
    )
    is_center_lead = models.BooleanField(
        "center lead", default=False, help_text="Edits every activity led by their center."
    )
    is_federal_viewer = models.BooleanField(
        "federal viewer",
        default=False,
        help_text="OCC, Regional Program Manager or COR: reads everything, records approvals.",
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=(
            "The ACF region this person follows (a Regional Program Manager's): a federal "
            "viewer's home shows that region's figures. Leave empty for the whole nation."
        ),
    )
    is_tat_admin = models.BooleanField(
        "TAT administrator",
        default=False,
        help_text="Everything; the only role that closes goals and keeps reference lists.",
    )
    sss_jurisdictions = models.ManyToManyField(
        Jurisdiction,
        blank=True,
        related_name="specialists",
        verbose_name="assigned States and Territories",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "admin site access", default=False, help_text="May sign in to the admin site."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="uniq_user_email_ci"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs) -> None:
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_admin(self) -> bool:
        return self.is_active and (self.is_tat_admin or self.is_superuser)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class RateLimitCounter(models.Model):
    """How many times one thing was asked for in one time window (issue 12, door 5).

    The key is a hash of the scope and the value counted (an e-mail address or a client
    address: neither is stored in clear) and of the window. The web processes share the
    database, so they share the counts; `accounts.throttling.rate_limit_hit` increments with
    one UPDATE, which the database serialises, so concurrent requests are never under-counted.
    A counter is bookkeeping, not a record anyone edits: it has no history.
    """

    key = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key[:12]}… = {self.count}"
