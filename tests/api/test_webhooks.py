"""The agency API's webhooks (issue 13, DESIGN §4): subscribing with the secret shown once, each
event only to the agency it concerns (never another agency's, never another partnership's),
signed by the Standard Webhooks scheme and verified here with the ``standardwebhooks`` package
against a real local receiver; an unsafe address refused; deleting."""

import json

import pytest
from standardwebhooks import Webhook as Verifier

from tenants.notifications.models import Webhook
from tests.support.clients import api_client, issue_key
from tests.support.handoffs import told
from tests.support.receivers import receiver
from tests.support.referral_api import body, child, post
from tests.support.world import inside

pytestmark = pytest.mark.django_db

URL = "/api/v1/webhooks/"
EVENTS = ["referral.received", "referral.status_changed"]
CHILD = child(given_name="Zorabel", family_name="Quintrell")


def subscribe(client, url, events=EVENTS):
    return post(client, {"url": url, "events": events}, path=URL)


class TestSubscribing:
    def test_the_secret_is_shown_once_and_the_list_is_the_agencys_own(self, world, met):
        created = subscribe(met, "http://127.0.0.1:9/hooks")
        assert created.status_code == 201, created.content
        answer = created.json()
        assert answer["secret"].startswith("whsec_") and len(answer["secret"]) > 40
        assert answer["events"] == EVENTS and answer["url"] == "http://127.0.0.1:9/hooks"
        listed = met.get(URL).json()
        assert [item["id"] for item in listed] == [answer["id"]]
        assert "secret" not in listed[0]
        nhs = api_client(world.croydon, issue_key(world.croydon, world.nhs_croydon))
        assert nhs.get(URL).json() == []

    def test_an_unknown_event_or_an_unsafe_address_is_a_400(self, met, settings):
        wrong = subscribe(met, "http://127.0.0.1:9/hooks", events=["child.named"])
        assert wrong.status_code == 400
        assert wrong["Content-Type"] == "application/problem+json"
        settings.WEBHOOKS_ALLOW_LOOPBACK = False
        for url in ("http://127.0.0.1:9/hooks", "https://127.0.0.1/hooks", "https://10.1.2.3/x"):
            refused = subscribe(met, url)
            assert refused.status_code == 400, url
            assert [e["name"] for e in refused.json()["errors"]] == ["url"], url

    def test_another_agency_or_partnership_cannot_see_or_delete_it(self, world, met):
        webhook_id = subscribe(met, "http://127.0.0.1:9/hooks").json()["id"]
        path = f"{URL}{webhook_id}/"
        nhs = api_client(world.croydon, issue_key(world.croydon, world.nhs_croydon))
        assert nhs.delete(path).status_code == 404
        lewisham_key = issue_key(world.lewisham, world.met_lewisham)
        assert api_client(world.croydon, lewisham_key).delete(path).status_code == 401
        assert api_client(world.lewisham, lewisham_key).delete(path).status_code == 404
        assert met.delete(path).status_code == 204
        assert met.get(URL).json() == []
        assert met.delete(path).status_code == 404


class TestDeliveries:
    def test_a_referral_is_delivered_signed_to_its_agency_only(
        self, world, met, frozen_today, django_capture_on_commit_callbacks
    ):
        nhs = api_client(world.croydon, issue_key(world.croydon, world.nhs_croydon))
        lewisham = api_client(world.lewisham, issue_key(world.lewisham, world.met_lewisham))
        with receiver() as ours, receiver() as theirs, receiver() as elsewhere:
            secret = subscribe(met, ours.url).json()["secret"]
            assert subscribe(nhs, theirs.url).status_code == 201
            assert subscribe(lewisham, elsewhere.url).status_code == 201
            with told(django_capture_on_commit_callbacks):
                answer = post(met, body(children=[CHILD])).json()
        assert theirs.received == [] and elsewhere.received == []
        ((headers, sent),) = ours.received
        payload = Verifier(secret).verify(sent, headers)
        assert payload["type"] == "referral.received"
        assert payload["data"]["reference"] == answer["reference"]
        assert payload["data"]["status"] == "received"
        assert payload["data"]["clocks"][0]["name"] == answer["clocks"][0]["name"]
        assert headers["webhook-id"].startswith("msg_")
        assert headers["webhook-signature"].startswith("v1,")
        for word in ("Zorabel", "Quintrell", "What happened"):
            assert word not in sent
        with pytest.raises(Exception, match="signature"):
            Verifier("whsec_" + "A" * 44).verify(sent, headers)

    def test_a_status_change_is_delivered_with_the_new_status(
        self, world, met, frozen_today, django_capture_on_commit_callbacks
    ):
        from casework import services
        from casework.models import Referral
        from tests.support.actors import actor

        reference = post(met, body(children=[CHILD])).json()["reference"]
        with receiver() as ours:
            subscribe(met, ours.url, events=["referral.status_changed"])
            with inside(world.croydon), told(django_capture_on_commit_callbacks):
                services.screening_record(
                    actor=actor(world, "dave"),
                    referral=Referral.objects.get(reference=reference),
                    view_met=True,
                    rationale="Met",
                )
        ((_, sent),) = ours.received
        assert json.loads(sent)["data"] == {"reference": reference, "status": "screened"}

    def test_a_deleted_webhook_is_not_called(
        self, world, met, frozen_today, django_capture_on_commit_callbacks
    ):
        with receiver() as ours:
            webhook_id = subscribe(met, ours.url).json()["id"]
            met.delete(f"{URL}{webhook_id}/")
            with told(django_capture_on_commit_callbacks):
                post(met, body(children=[CHILD]))
        assert ours.received == []
        with inside(world.croydon):
            assert Webhook.objects.get(uuid=webhook_id).deliveries.count() == 0
