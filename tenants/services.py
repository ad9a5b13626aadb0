"""Changes to the public schema: partnerships, people, memberships, the second factor.

Services that also touch a partnership's own tables (an agency, the audit trail) expect the
connection to be on that partnership's schema already: a request on its host, or a management
command or task inside ``tenant_context``.
"""

import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants.actors import Actor
from tenants.addresses import partnership_url
from tenants.agencies.audit import audit_event_record
from tenants.agencies.models import Agency, AuditEvent
from tenants.clock import now
from tenants.models import (
    Domain,
    Membership,
    Partnership,
    Role,
    User,
    schema_name_for,
    validate_partnership_key,
)
from tenants.selectors import membership_for
from tenants.tasks import membership_invitation_send

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery codes"
TOTP_DEVICE_NAME = "authenticator app"


def _require_schema(partnership: Partnership) -> None:
    if connection.schema_name != partnership.schema_name:
        raise RuntimeError(
            f"Expected the connection on {partnership.schema_name!r}, "
            f"found {connection.schema_name!r}."
        )


def default_domain_for(key: str) -> str:
    return f"{key}.{settings.PLATFORM_DOMAIN}"


def _reference_prefix_for(key: str) -> str:
    """CRO for croydon; the next free variant (CRD, CRY…) if another partnership has it."""
    letters = [c for c in key.upper() if c.isalpha()]
    candidates = ["".join(letters[:3])]
    candidates += [letters[0] + a + b for a in letters[1:] for b in letters[2:] if a != b]
    taken = set(Partnership.objects.values_list("reference_prefix", flat=True))
    for candidate in candidates:
        if len(candidate) == 3 and candidate not in taken:
            return candidate
    for n in range(1, 100):
        candidate = f"{letters[0]}{letters[1]}{n}"
        if candidate not in taken:
            return candidate
    raise ValidationError("No free reference prefix; give one explicitly.")


def partnership_create(
    *,
    key: str,
    name: str,
    former_name: str = "",
    domain: str | None = None,
    reference_prefix: str | None = None,
    publication_months_online: int = 12,
) -> Partnership:
    """Create a partnership, its schema (cloned from the template) and its primary domain.

    Everything is checked before anything is written; a failure leaves nothing behind.
    """
    errors: dict[str, list[str]] = {}
    try:
        validate_partnership_key(key)
    except ValidationError as error:
        errors["key"] = error.messages
    if not name or not name.strip():
        errors["name"] = ["Enter the partnership's name."]
    host = (domain or default_domain_for(key)).lower()
    if Partnership.objects.filter(key=key).exists():
        errors.setdefault("key", []).append(f"A partnership with key '{key}' already exists.")
    if Domain.objects.filter(domain=host).exists():
        errors["domain"] = [f"The host '{host}' already serves a partnership."]
    if "_" in host:
        errors["domain"] = ["Host names may not contain underscores."]
    if reference_prefix is not None:
        reference_prefix = reference_prefix.upper()
        if not reference_prefix.isalnum() or not 2 <= len(reference_prefix) <= 5:
            errors["reference_prefix"] = ["Enter 2 to 5 letters or digits."]
        elif Partnership.objects.filter(reference_prefix=reference_prefix).exists():
            errors["reference_prefix"] = [f"'{reference_prefix}' is taken."]
    if publication_months_online < 12:
        errors["publication_months_online"] = [
            "Published reviews stay online for at least 12 months."
        ]
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        partnership = Partnership(
            key=key,
            schema_name=schema_name_for(key),
            name=name.strip(),
            former_name=former_name.strip(),
            reference_prefix=reference_prefix or _reference_prefix_for(key),
            publication_months_online=publication_months_online,
        )
        partnership.full_clean()
        partnership.save(verbosity=0)  # clones the template schema (TENANT_BASE_SCHEMA)
        Domain.objects.create(domain=host, tenant=partnership, is_primary=True)
    return partnership


def user_create(*, email: str, full_name: str = "", password: str | None = None) -> User:
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": [f"There is already an account for {email}."]})
    user = User(email=email, full_name=full_name)
    if password:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def user_set_password(*, user: User, password: str) -> None:
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])


def membership_grant(
    *,
    actor: Actor,
    user: User,
    role: str,
    agency: Agency | None = None,
) -> Membership:
    """Give ``user`` a role in the actor's partnership (or change it). Agency users name their
    agency; other roles name none. Business managers and the platform may grant."""
    if actor.kind != "system":
        actor.require_role(Role.BUSINESS_MANAGER)
    partnership = actor.partnership
    _require_schema(partnership)
    if role not in Role.values:
        raise ValidationError({"role": [f"Unknown role '{role}'."]})
    if role == Role.AGENCY_USER and agency is None:
        raise ValidationError({"agency": ["An agency user must name their agency."]})
    if role != Role.AGENCY_USER:
        agency = None
    with transaction.atomic():
        membership, created = Membership.objects.update_or_create(
            user=user,
            partnership=partnership,
            defaults={"role": role, "agency_uuid": agency.uuid if agency else None},
        )
        audit_event_record(
            actor=actor,
            action="membership.granted" if created else "membership.changed",
            object_type="membership",
            object_ref=str(membership.uuid),
            detail={"email": user.email, "role": role, "agency": agency.name if agency else None},
        )
    return membership


def membership_revoke(*, actor: Actor, membership: Membership) -> None:
    actor.require_role(Role.BUSINESS_MANAGER)
    _require_schema(actor.partnership)
    if membership.partnership_id != actor.partnership.pk:
        raise ValidationError("That membership is not in this partnership.")
    if membership.user_id == actor.user.pk:
        raise ValidationError("You cannot remove your own membership.")
    with transaction.atomic():
        audit_event_record(
            actor=actor,
            action="membership.revoked",
            object_type="membership",
            object_ref=str(membership.uuid),
            detail={"email": membership.user.email, "role": membership.role},
        )
        membership.delete()


# --- Signing in ------------------------------------------------------------------------------


def sign_in_check_password(
    *, request: HttpRequest, partnership: Partnership, email: str, password: str
) -> User | None:
    """The user, if the password is right AND they are a member of this partnership.

    A member of another partnership gets the same answer as a wrong password: signing in on one
    host grants nothing on another's. Failures are counted (and locked out) by django-axes.
    """
    user = authenticate(request, email=(email or "").strip().lower(), password=password)
    if user is None or not user.is_active:
        return None
    # The same rule as every signed-in request: a deactivated agency's people have no access.
    if membership_for(user=user, partnership=partnership) is None:
        return None
    return user


def totp_device_for(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def may_make_recovery_codes(*, user: User) -> bool:
    """Recovery codes stand in for an authenticator: only someone who has one may make them
    (agency users, who sign in without a second factor, have none)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The user's authenticator being set up: the same one until it is confirmed, so the QR code
    does not change when the page is reloaded."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the authenticator with a code from it; returns new single-use recovery codes,
    which are shown to the user once."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError({"token": ["Start setting up your authenticator again."]})
    if not device.verify_token((token or "").replace(" ", "")):
        raise ValidationError({"token": ["The code is wrong or has expired. Try the next one."]})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_generate(user=user)
    return codes


def recovery_codes_generate(*, user: User) -> list[str]:
    """Replace the user's recovery codes with ten new single-use ones."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    # 48 random bits each, as xxxx-xxxx-xxxx (django-otp stores up to 16 characters).
    codes = ["-".join(secrets.token_hex(2) for _ in range(3)) for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_factor_check(*, user: User, token: str) -> tuple[object | None, str]:
    """The device that accepts ``token``, or None and why not.

    Six digits go to the authenticator, anything else to the recovery codes (a used recovery
    code is spent). Only that one device is tried, so a typo in one never counts against the
    other; each device's own back-off after wrong codes (django-otp's throttling) is reported
    rather than hidden behind "wrong code"."""
    token = (token or "").strip().replace(" ", "").lower()
    if not token:
        return None, "Enter a code."
    if token.isdigit() and len(token) == 6:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    else:
        device = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()
    if device is None:
        return None, "The code is wrong or has already been used."
    allowed, why = device.verify_is_allowed()
    if not allowed:
        locked_until = (why or {}).get("locked_until")
        wait = ""
        if locked_until is not None:
            seconds = max(1, int((locked_until - now()).total_seconds()) + 1)
            wait = f" Wait {seconds} second{'s' if seconds != 1 else ''} and try again."
        return None, "Too many wrong codes." + wait
    if device.verify_token(token):
        return device, ""
    return None, "The code is wrong or has already been used."


def member_invite(
    *,
    actor: Actor,
    email: str,
    full_name: str,
    role: str,
    agency: Agency | None = None,
) -> Membership:
    """Add a person to the actor's partnership. A new account gets an email with a link to set
    its password on this partnership's host; an existing one (someone who works for several
    partnerships) is told they have been added. Business managers only."""
    actor.require_role(Role.BUSINESS_MANAGER)
    _require_schema(actor.partnership)
    email = User.objects.normalize_email(email or "").lower()
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        if (
            user is not None
            and Membership.objects.filter(user=user, partnership=actor.partnership).exists()
        ):
            raise ValidationError({"email": [f"{email} is already a member here."]})
        if user is None:
            if not (full_name or "").strip():
                raise ValidationError({"full_name": ["Enter their full name."]})
            user = User(email=email, full_name=(full_name or "").strip())
            user.set_unusable_password()
            user.full_clean()
            user.save()
        membership = membership_grant(actor=actor, user=user, role=role, agency=agency)
        membership_uuid = str(membership.uuid)
        transaction.on_commit(lambda: membership_invitation_send.delay(membership_uuid))
    return membership


def invitation_email_send(*, actor: Actor, membership: Membership) -> bool:
    """Email the member a link to this partnership (with a set-password link if their account has
    no password yet). Sent once per membership: a second call finds the audit row and does not
    send again."""
    _require_schema(actor.partnership)
    ref = str(membership.uuid)
    if AuditEvent.objects.filter(action="invitation.sent", object_ref=ref).exists():
        return False
    user, partnership = membership.user, membership.partnership
    if user.has_usable_password():
        link = partnership_url(partnership=partnership, path=reverse("frontend:sign-in"))
        body = (
            f"You have been added to {partnership.name} on Safeguard as "
            f"{membership.get_role_display().lower()}.\n\nSign in at {link}\n"
        )
    else:
        path = reverse(
            "frontend:set-password",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        link = partnership_url(partnership=partnership, path=path)
        body = (
            f"You have been invited to {partnership.name} on Safeguard as "
            f"{membership.get_role_display().lower()}.\n\n"
            f"Choose your password here (the link works once and expires in 3 days):\n{link}\n"
        )
    with transaction.atomic():
        audit_event_record(
            actor=actor,
            action="invitation.sent",
            object_type="membership",
            object_ref=ref,
            detail={"email": user.email},
        )
        send_mail(
            subject=f"Your access to {partnership.name} on Safeguard",
            message=body,
            from_email=None,
            recipient_list=[user.email],
        )
    return True


def invitation_user_for_token(*, partnership: Partnership, uidb64: str, token: str) -> User | None:
    """The member an invitation link is for, if the link is genuine, unused (setting a password
    spends it) and the person is a member of this partnership."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    # The same rule as every signed-in request: a deactivated agency's people have no access.
    if membership_for(user=user, partnership=partnership) is None:
        return None
    return user
