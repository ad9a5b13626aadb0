"""A partnership's own schema: its agencies, their API keys and its audit trail."""

import uuid

import pgtrigger
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Now
from rest_framework_api_key.models import AbstractAPIKey


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    HEALTH = "health", "Health (NHS trust, integrated care board)"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    LOCAL_AUTHORITY = "local_authority", "Local authority (other services)"
    EDUCATION = "education", "School or education"
    PROBATION = "probation", "Probation and youth justice"
    VOLUNTARY = "voluntary", "Voluntary or community organisation"
    OTHER = "other", "Other"


class AgencyQuerySet(models.QuerySet):
    def own(self):
        """The partnership's own agencies, without the joint-review mirrors."""
        return self.filter(home_partnership_key="")

    def mirrors_of(self, partnership_key: str):
        """The mirrors of another partnership's agencies, for the joint reviews this partnership
        leads with it."""
        return self.filter(home_partnership_key=partnership_key)


class Agency(models.Model):
    """A partner agency with statutory duties for children, as this partnership knows it.

    In a joint review the chronology, information requests and actions of the lead's schema
    refer to the participants' agencies too: those are *mirrors* here, rows naming the
    participant (``home_partnership_key``) and the agency's UUID in the participant's own schema
    (``home_agency_uuid``). Mirrors are kept by the joint-review door, never listed among the
    partnership's own agencies, never given API keys or users here."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    # Other names the agency goes by ("Met Police", "MPS"; an NHS trust's former names): the
    # independence check matches a reviewer's affiliations through them.
    aliases = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices, default=AgencyKind.OTHER)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(db_default=Now())
    home_partnership_key = models.CharField(
        max_length=40, blank=True, help_text="Empty for the partnership's own agencies"
    )
    home_agency_uuid = models.UUIDField(null=True, blank=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(home_partnership_key=""),
                name="one_own_agency_per_name",
            ),
            models.UniqueConstraint(
                fields=["home_partnership_key", "home_agency_uuid"],
                condition=~models.Q(home_partnership_key=""),
                name="one_mirror_per_agency",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(home_partnership_key="", home_agency_uuid__isnull=True)
                    | (
                        ~models.Q(home_partnership_key="")
                        & models.Q(home_agency_uuid__isnull=False)
                    )
                ),
                name="a_mirror_names_its_home_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_mirror(self) -> bool:
        return bool(self.home_partnership_key)

    @property
    def names(self) -> list[str]:
        """Its name and its aliases."""
        return [self.name, *self.aliases]


class AgencyApiKey(AbstractAPIKey):
    """A key an agency's system sends as ``Authorization: Api-Key <key>``; one agency, one
    partnership (the key exists only in this schema), revocable."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="api_keys")
    issued_by = models.CharField(max_length=254, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "agency API key"
        ordering = ["-created"]


class ActorType(models.TextChoices):
    USER = "user", "Person"
    API_KEY = "api_key", "Agency system"
    SYSTEM = "system", "The platform"


class AuditEvent(models.Model):
    """One read or change of casework: who, where, what, when. Append-only: the database
    refuses UPDATE, DELETE and TRUNCATE on this table (DESIGN §5).

    Tamper-evident (DESIGN §5): a trigger in each partnership's schema (migration
    ``workspace.0004_audit_chain``) numbers every new row in its trail (``position``, in commit
    order), sets ``occurred_at`` from the database's clock whatever the client sent, and seals
    the row with ``hash``, SHA-256 over its canonical text, which includes the previous row's
    hash. ``tenants.agencies.chain`` recomputes the chain; a changed, removed or forged row
    breaks it."""

    # Set by the trigger on insert; the database defaults only let Django read them back.
    position = models.BigIntegerField(unique=True, db_default=0, editable=False)
    occurred_at = models.DateTimeField(db_default=Now(), db_index=True)
    request_id = models.CharField(max_length=64, blank=True)
    host = models.CharField(max_length=253, blank=True)
    # The partnership whose trail this is is the schema's; this names the partnership the
    # actor came from, which differs only when a joint review's door is crossed.
    partnership_key = models.CharField(max_length=40)
    actor_type = models.CharField(max_length=16, choices=ActorType.choices)
    actor_uuid = models.UUIDField(null=True, blank=True)
    actor_label = models.CharField(max_length=254)
    actor_role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_ref = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, db_default="", editable=False)
    hash = models.CharField(max_length=64, db_default="", editable=False)

    class Meta:
        ordering = ["-position"]
        indexes = [models.Index(fields=["object_type", "object_ref"])]
        triggers = [
            pgtrigger.Protect(
                name="audit_rows_are_never_changed",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
            pgtrigger.Trigger(
                name="audit_trail_is_never_truncated",
                operation=pgtrigger.Truncate,
                level=pgtrigger.Statement,
                when=pgtrigger.Before,
                func="RAISE EXCEPTION 'The audit trail % is append-only', TG_TABLE_NAME;",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an ``Idempotency-Key``, kept so that a retry with
    the same key and body gets that answer again and changes nothing. Written in the same
    transaction as the change it answers for, so a request that failed leaves no record."""

    api_key_uuid = models.UUIDField(help_text="The agency API key that sent the request")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.TextField()
    body_sha256 = models.CharField(max_length=64, help_text="SHA-256 of the canonical JSON body")
    response_status = models.PositiveSmallIntegerField()
    # The JSON answer as sent, byte for byte (jsonb would reorder its keys).
    response_body = models.TextField()
    created_at = models.DateTimeField(db_default=Now(), db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["api_key_uuid", "key"], name="one_record_per_idempotency_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"
