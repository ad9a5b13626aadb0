"""The agency API shell: keys bound to one agency in one partnership, problem+json errors, docs."""

import datetime
import json
import re

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from tenants.actors import actor_for_platform
from tenants.agencies.models import AgencyApiKey, AuditEvent
from tenants.agencies.services import api_key_revoke, api_keys_revoke_expired
from tests.support.clients import api_client, issue_key, problem
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def test_whoami_names_the_agency_and_the_partnership(world):
    key = issue_key(world.croydon, world.met_croydon)
    response = api_client(world.croydon, key).get("/api/v1/whoami/")
    assert response.status_code == 200
    assert response.json() == {
        "partnership": {"key": "croydon", "name": "Croydon Safeguarding Children Partnership"},
        "agency": {"id": str(world.met_croydon.uuid), "name": "Met Police"},
    }


def test_two_agencies_of_one_name_in_two_partnerships_are_two_agencies(world):
    croydon_key = issue_key(world.croydon, world.met_croydon)
    lewisham_key = issue_key(world.lewisham, world.met_lewisham)
    croydon = api_client(world.croydon, croydon_key).get("/api/v1/whoami/").json()
    lewisham = api_client(world.lewisham, lewisham_key).get("/api/v1/whoami/").json()
    assert croydon["agency"]["id"] != lewisham["agency"]["id"]
    assert lewisham["partnership"]["key"] == "lewisham"


def test_a_key_works_only_on_its_own_partnerships_host(world):
    croydon_key = issue_key(world.croydon, world.met_croydon)
    lewisham_key = issue_key(world.lewisham, world.met_lewisham)
    body = problem(api_client(world.lewisham, croydon_key).get("/api/v1/whoami/"))
    assert body["status"] == 401
    assert "Croydon" not in json.dumps(body)
    own = api_client(world.lewisham, lewisham_key).get("/api/v1/whoami/").content.decode()
    assert "Croydon" not in own and str(world.met_croydon.uuid) not in own
    # On the platform's bare domain no key is anyone's.
    response = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Api-Key {croydon_key}").get(
        "/api/v1/whoami/"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Api-Key ",
        "Api-Key not-a-key",
        "Api-Key abc.def",
        "Bearer x.y",
        "Api-Key " + "a" * 500,
    ],
)
def test_missing_or_bad_keys_are_401_problems(world, header):
    client = Client(HTTP_HOST="croydon.localhost")
    kwargs = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = client.get("/api/v1/whoami/", **kwargs)
    body = problem(response)
    assert body["status"] == 401
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_revoked_key_is_refused_at_once(world):
    key = issue_key(world.croydon, world.met_croydon)
    assert api_client(world.croydon, key).get("/api/v1/whoami/").status_code == 200
    with inside(world.croydon):
        api_key = AgencyApiKey.objects.get(prefix=key.split(".")[0])
        api_key_revoke(
            actor=actor_for_platform(partnership=world.croydon, label="test"), api_key=api_key
        )
    assert problem(api_client(world.croydon, key).get("/api/v1/whoami/"))["status"] == 401


def test_a_key_of_an_inactive_agency_is_refused(world):
    key = issue_key(world.croydon, world.met_croydon)
    with inside(world.croydon):
        world.met_croydon.is_active = False
        world.met_croydon.save()
    assert api_client(world.croydon, key).get("/api/v1/whoami/").status_code == 401


def test_an_expired_key_is_refused_and_the_daily_job_marks_it_revoked(world):
    key = issue_key(
        world.croydon, world.met_croydon, expires_on=timezone.localdate() + datetime.timedelta(1)
    )
    with inside(world.croydon):
        AgencyApiKey.objects.update(expiry_date=timezone.now() - datetime.timedelta(minutes=1))
    assert api_client(world.croydon, key).get("/api/v1/whoami/").status_code == 401
    actor = actor_for_platform(partnership=world.croydon, label="daily API key expiry")
    with inside(world.croydon):
        assert api_keys_revoke_expired(actor=actor) == 1
        assert api_keys_revoke_expired(actor=actor) == 0  # safe to run twice
        assert AgencyApiKey.objects.get().revoked
        assert AuditEvent.objects.filter(action="api_key.revoked").count() == 1


def test_an_unknown_api_path_is_a_404_problem(world):
    body = problem(Client(HTTP_HOST="croydon.localhost").get("/api/v1/no-such-thing/"))
    assert body["status"] == 404
    assert body["instance"] == "/api/v1/no-such-thing/"


def test_a_wrong_method_is_a_405_problem(world):
    key = issue_key(world.croydon, world.met_croydon)
    response = api_client(world.croydon, key).delete("/api/v1/whoami/")
    assert problem(response)["status"] == 405


class EchoApi(APIView):
    """Stands in for a POST endpoint, to exercise the shell's parser and error handler."""

    authentication_classes = []
    permission_classes = []

    class InputSerializer(serializers.Serializer):
        harm = serializers.ChoiceField(choices=["died", "serious_harm"])
        children = serializers.ListField(child=serializers.DictField(), min_length=1)

    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


def test_malformed_json_is_a_400_problem_naming_the_problem():
    request = APIRequestFactory().post(
        "/api/v1/echo/", data='{"harm": "died",', content_type="application/json"
    )
    response = EchoApi.as_view()(request)
    response.render()
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert "JSON parse error" in body["detail"]


def test_invalid_fields_are_a_400_problem_listing_each_field():
    request = APIRequestFactory().post(
        "/api/v1/echo/", data={"harm": "bruised", "children": []}, format="json"
    )
    response = EchoApi.as_view()(request)
    response.render()
    body = json.loads(response.content)
    assert response.status_code == 400
    assert {error["name"] for error in body["errors"]} == {"harm", "children"}
    assert "harm" in body["detail"] and "children" in body["detail"]


def test_the_openapi_schema_and_docs_are_served_locally(world):
    client = Client(HTTP_HOST="croydon.localhost")
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    document = json.loads(schema.content)
    assert document["openapi"].startswith("3.")
    assert "/api/v1/whoami/" in document["paths"]
    assert "AgencyApiKey" in document["components"]["securitySchemes"]
    docs = client.get("/api/v1/docs/")
    html = docs.content.decode()
    assert docs.status_code == 200
    assert "/static/drf_spectacular_sidecar/" in html
    # Every script and stylesheet comes from our own static files: no other site is named
    # (a random CSRF token may happen to spell "cdn", so look at the addresses only).
    addresses = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)', html)
    assert addresses and all(a.startswith("/") or a.startswith("#") for a in addresses), addresses
    assert not re.search(r"https?://(?!croydon\.localhost)", html), "an address on another site"
