"""The public schema: partnerships, their domains, people and their memberships.

Nothing confidential about casework lives here; that is in each partnership's own schema
(``tenants.agencies``, ``casework``, ``publishing``).
"""

import re
import uuid

import pgtrigger
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django_tenants.models import DomainMixin, TenantMixin

# Declared in tenants.roles; imported here too, where the models that hold them live.
from tenants.roles import ROLES_WITHOUT_SECOND_FACTOR, Role

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
# Host labels a partnership may not take: they name parts of the platform itself.
RESERVED_KEYS = frozenset(
    {
        "www",
        "api",
        "admin",
        "public",
        "static",
        "media",
        "mail",
        "smtp",
        "ftp",
        "platform",
        "safeguard",
        "library",
        "reviews",
        "help",
        "status",
        "docs",
        "partnership-template",
        "template",
        "test",
        "localhost",
        "pg-catalog",
        "information-schema",
    }
)


def validate_partnership_key(key: str) -> None:
    """A key is one DNS label: lowercase letters, digits and hyphens, not reserved."""
    if not KEY_PATTERN.match(key or ""):
        raise ValidationError(
            "Enter a key of 3 to 40 lowercase letters, digits and hyphens, starting with a "
            "letter and not ending with a hyphen (no capitals, no underscores).",
            code="invalid_key",
        )
    if key in RESERVED_KEYS or key.startswith("pg-"):
        raise ValidationError(f"'{key}' is reserved by the platform.", code="reserved_key")


def schema_name_for(key: str) -> str:
    """Keys are host labels (hyphens); schema names use underscores, which hosts may not."""
    return key.replace("-", "_")


class Partnership(TenantMixin):
    """A local safeguarding children partnership: one tenant, one PostgreSQL schema."""

    key = models.CharField(max_length=40, unique=True, validators=[validate_partnership_key])
    name = models.CharField(max_length=200)
    former_name = models.CharField(
        max_length=200, blank=True, help_text="e.g. Croydon Safeguarding Children Board"
    )
    reference_prefix = models.CharField(
        max_length=5,
        unique=True,
        help_text="Starts every referral and review reference, e.g. CRO in CRO-2026-0042.",
    )
    publication_months_online = models.PositiveSmallIntegerField(
        default=12,
        help_text="How long a published review stays online before it is available on request.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        """Clone the template schema with ``tenants.cloning`` rather than django-tenants'
        function, whose time grows with the number of partnerships. The migration records come
        with the copy; there is nothing to fake (faking would mark as applied a migration the
        template lacked, where the next migrate_schemas will apply it for real). Then the
        runtime database role is given its privileges on it."""
        from django_tenants.utils import get_creation_fakes_migrations, schema_exists

        from tenants.cloning import clone_schema
        from tenants.privileges import runtime_privileges_grant

        base = self.get_base_schema() if get_creation_fakes_migrations() else False
        if not (sync_schema and base and schema_exists(base)):
            created = super().create_schema(check_if_exists, sync_schema, verbosity)
        elif check_if_exists and schema_exists(self.schema_name):
            return False
        else:
            clone_schema(base, self.schema_name)
            created = True
        # The runtime database role may use the new schema, on its terms (tenants.privileges).
        runtime_privileges_grant(schemas=[self.schema_name])
        return created


class Domain(DomainMixin):
    """A host name that serves one partnership, e.g. ``croydon.localhost``."""


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("is_platform_operator", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """One person, one account across the platform; what they may do is per partnership."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    is_platform_operator = models.BooleanField(
        default=False,
        help_text="Creates partnerships, domains and first users; never reads casework.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class Membership(models.Model):
    """A person's role in one partnership; an agency user also names their agency."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    # The agency lives in the partnership's own schema, so it is named by its UUID, not a key
    # across schemas.
    agency_uuid = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership"], name="one_membership_per_partnership"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(role="agency_user", agency_uuid__isnull=False)
                    | (~models.Q(role="agency_user") & models.Q(agency_uuid__isnull=True))
                ),
                name="agency_users_and_only_they_name_an_agency",
            ),
        ]
        ordering = ["partnership__name"]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.partnership}"

    @property
    def requires_second_factor(self) -> bool:
        return self.role not in ROLES_WITHOUT_SECOND_FACTOR


class AuditCheckpoint(models.Model):
    """The head of a partnership's audit trail (its last row's position and hash) as the daily
    verification found it intact. Kept outside the partnership's schema, so that rewriting a
    whole trail from a changed row onwards — possible for whoever can switch its trigger off —
    still differs from what was recorded here (``tenants.agencies.chain``). The platform's
    runtime database role may only insert and read these rows (``tenants.privileges``); the
    database refuses to change one."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="audit_checkpoints"
    )
    position = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    verified_on = models.DateField()
    recorded_at = models.DateTimeField(db_default=Now())

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "position"], name="one_checkpoint_per_position"
            )
        ]
        ordering = ["partnership", "position"]
        triggers = [
            pgtrigger.Protect(
                name="audit_checkpoints_are_never_changed", operation=pgtrigger.Update
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership.key} at {self.position} on {self.verified_on}"
