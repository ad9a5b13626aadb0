"""Demo data from the partnerships' own public pages (../shared/seeds/published_reviews.json)."""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from safeguard.demo import joint_reviews as joint_demo
from safeguard.demo.agencies import AGENCY_ALIASES
from safeguard.demo.publications import demo_publications_load
from safeguard.demo.referrals import demo_referrals_load
from tenants.actors import actor_for_platform
from tenants.addresses import partnership_url, platform_url
from tenants.agencies.models import AgencyKind
from tenants.agencies.selectors import agency_get_by_name
from tenants.agencies.services import agency_create, agency_update
from tenants.models import Role
from tenants.selectors import partnership_get

DEFAULT_SEEDS = settings.BASE_DIR.parent / "shared" / "seeds" / "published_reviews.json"
DEFAULT_PASSWORD = "safeguard-demo-2026"

# One demo person per role (DESIGN §1); the lead reviewer works for two partnerships.
DEMO_PEOPLE = [
    ("croydon", "business.manager@croydon.example", "Amira Khan", Role.BUSINESS_MANAGER, None),
    ("croydon", "chair@croydon.example", "Sarah Baker", Role.CHAIR, None),
    ("croydon", "review.group@croydon.example", "Tom Reid", Role.REVIEW_GROUP_MEMBER, None),
    ("croydon", "lead.reviewer@reviews.example", "Jo Holmes", Role.LEAD_REVIEWER, None),
    ("croydon", "referrer@met.example", "PC Dan Ellis", Role.AGENCY_USER, "Met Police"),
    ("lewisham", "business.manager@lewisham.example", "Priya Shah", Role.BUSINESS_MANAGER, None),
    ("lewisham", "chair@lewisham.example", "Nicky Pace", Role.CHAIR, None),
    ("lewisham", "lead.reviewer@reviews.example", "Jo Holmes", Role.LEAD_REVIEWER, None),
    ("lewisham", "police@lewisham.example", "PC Sam Okoro", Role.AGENCY_USER, "Met Police"),
    # Kingston leads "Family A" with Merton (a joint review of the past).
    ("kingston", "business.manager@kingston.example", "Lee Grant", Role.BUSINESS_MANAGER, None),
    ("kingston", "chair@kingston.example", "Ruth Ward", Role.CHAIR, None),
    ("kingston", "lead.reviewer@reviews.example", "Jo Holmes", Role.LEAD_REVIEWER, None),
    ("merton", "business.manager@merton.example", "Alex Moss", Role.BUSINESS_MANAGER, None),
    ("merton", "chair@merton.example", "Keith Makin", Role.CHAIR, None),
]


def agency_kind_for(name: str) -> str:
    lowered = name.lower()
    if "police" in lowered:
        return AgencyKind.POLICE
    if lowered.startswith("nhs") or "health" in lowered or "clinical" in lowered:
        return AgencyKind.HEALTH
    if "children's social care" in lowered:
        return AgencyKind.CHILDRENS_SOCIAL_CARE
    if "school" in lowered or "education" in lowered:
        return AgencyKind.EDUCATION
    if "safer london" in lowered:
        return AgencyKind.VOLUNTARY
    return AgencyKind.OTHER


# The joint reviews of the demo: (lead, participant, the steps in order), each step whose schema
# it runs in ("lead" or "participant", also the name the loader takes it by) and what it loads.
JOINT_DEMOS = (
    (
        "croydon",
        "lewisham",
        (
            ("lead", joint_demo.croydon_joint_review_load),
            ("participant", joint_demo.lewisham_part_load),
        ),
    ),
    (
        "kingston",
        "merton",
        (
            ("lead", joint_demo.family_a_load),
            ("participant", joint_demo.merton_part_load),
            ("lead", joint_demo.family_a_to_sign_off),
            ("participant", joint_demo.merton_sign_off),
            ("lead", joint_demo.family_a_complete),
        ),
    ),
)


class Command(BaseCommand):
    help = (
        "Load the demo partnerships, their agencies and one person per role, from the seeds. "
        "Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seeds", default=str(DEFAULT_SEEDS))
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD),
            help="The demo people's password (default: $DEMO_PASSWORD or a fixed demo one)",
        )

    def handle(self, *args, seeds, password, **options):
        path = Path(seeds)
        if not path.is_file():
            raise CommandError(f"No seeds at {path}: pass --seeds PATH.")
        data = json.loads(path.read_text())
        quiet = {"stdout": open(os.devnull, "w")}  # noqa: SIM115 - closed with the process
        for item in data["partnerships"]:
            call_command(
                "create_partnership",
                item["key"],
                name=item["name"],
                former_name=item.get("former_name") or "",
                months_online=item.get("retention_months_public") or 12,
                **quiet,
            )
            partnership = partnership_get(key=item["key"])
            with tenant_context(partnership):
                actor = actor_for_platform(partnership=partnership, label="load_demo command")
                for name in item.get("agencies", []):
                    aliases = list(AGENCY_ALIASES.get(name, ()))
                    agency = agency_get_by_name(name=name)
                    if agency is None:
                        agency_create(
                            actor=actor, name=name, kind=agency_kind_for(name), aliases=aliases
                        )
                    elif not agency.aliases and aliases:
                        # A demo loaded before the register knew aliases learns them.
                        agency_update(
                            actor=actor,
                            agency=agency,
                            name=agency.name,
                            kind=agency.kind,
                            is_active=agency.is_active,
                            aliases=aliases,
                        )
        for key, email, name, role, agency in DEMO_PEOPLE:
            if partnership_get(key=key) is None:
                continue
            call_command(
                "create_user",
                email,
                partnership=key,
                role=role,
                agency=agency,
                password=password,
                name=name,
                **quiet,
            )
        croydon = partnership_get(key="croydon")
        if croydon is not None:
            with tenant_context(croydon):
                demo_referrals_load(partnership=croydon)
        self._load_joint_reviews()
        # Each seed review in its lead partnership's schema; joint ones name all their partners.
        for item in data["partnerships"]:
            partnership = partnership_get(key=item["key"])
            with tenant_context(partnership):
                demo_publications_load(partnership=partnership, reviews=data.get("reviews", []))
        self._print_sign_in(data, password)

    def _load_joint_reviews(self):
        """Each step runs in the schema of the partnership doing it: the lead commissions and
        invites at home, the participant accepts at home and works through the door."""
        for lead_key, participant_key, steps in JOINT_DEMOS:
            partners = {
                "lead": partnership_get(key=lead_key),
                "participant": partnership_get(key=participant_key),
            }
            if None in partners.values():
                continue
            for who, load in steps:
                with tenant_context(partners[who]):
                    load(**{who: partners[who]})

    def _print_sign_in(self, data, password):
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("Partnerships:")
        for item in data["partnerships"]:
            partnership = partnership_get(key=item["key"])
            self.stdout.write(f"  {partnership.name}: {partnership_url(partnership=partnership)}")
        self.stdout.write(f"\nSign in with password {password!r} as:")
        for key, email, _name, role, agency in DEMO_PEOPLE:
            self.stdout.write(
                f"  {email:<38} {Role(role).label.lower()} in {key}"
                + (f" ({agency})" if agency else "")
            )
        self.stdout.write(
            "\nEveryone but the agency user sets up an authenticator app (TOTP) at first sign-in."
            "\nCroydon has demo referrals at each stage (received, screened, rapid review, "
            "decided)."
            "\nJoint reviews: Croydon leads one with Lewisham (Lewisham's people open it at "
            "/joint-reviews/ on lewisham's host); Kingston's \"Family A\" with Merton is one "
            "of the past."
            "\nEvery seed review is published: see each partnership's /reviews/ page and the "
            f"national library at {platform_url('/library/')}."
            "\nAn agency API key: manage.py create_agency_key croydon --agency 'Met Police'"
        )
