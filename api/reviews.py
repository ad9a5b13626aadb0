"""Agency API for reviews: the information requests to the key's agency and its answers, the
actions it owns and its progress updates (DESIGN §4). Parse, call, render; no rule lives here."""

import base64
import binascii

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from api.idempotency import idempotent
from casework.joint import door
from casework.joint.selectors import review_partnerships_by_uuid
from casework.models import ActionStatus
from casework.selectors import access_action, access_information_request
from casework.selectors.lists import action_tracker_for_page, agency_information_requests_for_page
from casework.services import (
    ASKS,
    DOCUMENT_MAX_BYTES,
    action_rag,
    action_update_add,
    information_response_submit,
)
from tenants.clock import today
from tenants.files import UploadedFile

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    location=OpenApiParameter.HEADER,
    required=False,
    description="Send the same key with a retried request to get the first answer, not a "
    "second change.",
)


def _named(partnership) -> dict:
    return {"key": partnership.key, "name": partnership.name}


def _lead_of(review, context):
    """The partnership whose review it is: the lead of a joint review read through the door,
    else the partnership whose host was called."""
    return getattr(review, "lead_partnership", None) or context["partnership"]


class ReviewSummarySerializer(serializers.Serializer):
    """The review an item belongs to. A joint review names its lead and every partnership that
    takes (or took) part."""

    reference = serializers.CharField()
    title = serializers.CharField()
    lead_partnership = serializers.SerializerMethodField()
    partnerships = serializers.SerializerMethodField()

    def get_lead_partnership(self, review) -> dict:
        return _named(_lead_of(review, self.context))

    def get_partnerships(self, review) -> list[dict]:
        partnerships = self.context.get("partnerships_by_review", {}).get(review.uuid)
        return [_named(p) for p in partnerships or [_lead_of(review, self.context)]]


def _page_of_review_items(view, request, items, serializer_class):
    """One page of ``items`` (each of one review), serialized with the host's partnership and
    every joint review's partnerships in the context (two queries for the page)."""
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(items, request, view=view)
    context = {
        "partnership": request.user.actor.partnership,
        "partnerships_by_review": review_partnerships_by_uuid(
            review_uuids={item.review.uuid for item in page}
        ),
    }
    return paginator.get_paginated_response(serializer_class(page, many=True, context=context).data)


def _created_here_or_through(request, work):
    """201 with what ``work(actor)`` returns, done here or else through the joint-review door."""
    data = door.here_or_through(actor=request.user.actor, purpose=f"POST {request.path}", work=work)
    return Response(data, status=status.HTTP_201_CREATED)


class InformationRequestSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    review = ReviewSummarySerializer()
    asks = serializers.SerializerMethodField()
    details = serializers.CharField()
    requested_on = serializers.DateField()
    due = serializers.DateField()
    status = serializers.CharField()

    def get_asks(self, request) -> list[dict]:
        return [{"code": ask, "label": ASKS.get(ask, ask)} for ask in request.asks]


class InformationRequestListApi(APIView):
    @extend_schema(
        summary="Information requests to your agency",
        responses={200: InformationRequestSerializer(many=True)},
    )
    def get(self, request):
        actor = request.user.actor
        # The agency's requests in joint reviews other partnerships lead, with its own.
        requests = agency_information_requests_for_page(actor=actor)
        return _page_of_review_items(self, request, requests, InformationRequestSerializer)


class InformationResponseCreateApi(APIView):
    @extend_schema_serializer(component_name="InformationResponseCreateInput")
    class InputSerializer(serializers.Serializer):
        text = serializers.CharField(max_length=100_000)

    @extend_schema_serializer(component_name="InformationResponseCreateOutput")
    class OutputSerializer(serializers.Serializer):
        id = serializers.UUIDField(source="uuid")
        request = serializers.UUIDField(source="request.uuid")
        text = serializers.CharField()
        submitted_at = serializers.DateTimeField()
        status = serializers.CharField(source="request.status")

    @extend_schema(
        summary="Answer an information request",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=InputSerializer,
        responses={201: OutputSerializer},
        examples=[
            OpenApiExample(
                "An answer",
                value={"text": "Our chronology of involvement from 2024-11 to 2026-10 follows."},
                request_only=True,
            )
        ],
    )
    @idempotent
    def post(self, request, request_id):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def answer(actor):
            information_request = access_information_request(actor=actor, request_uuid=request_id)
            response = information_response_submit(
                actor=actor, request=information_request, text=serializer.validated_data["text"]
            )
            return self.OutputSerializer(response).data

        return _created_here_or_through(request, answer)


class ActionSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    description = serializers.CharField()
    owner = serializers.SerializerMethodField()
    due = serializers.DateField()
    status = serializers.CharField()
    rag = serializers.SerializerMethodField()
    recommendation = serializers.SerializerMethodField()
    review = ReviewSummarySerializer()

    def get_owner(self, action) -> dict:
        if action.owner_agency_id:
            agency = action.owner_agency
            # A participant's agency is named by its own id (as whoami gives it), not its
            # mirror's in the lead's records.
            return {
                "type": "agency",
                "id": str(agency.home_agency_uuid or agency.uuid),
                "name": agency.name,
            }
        partnership = _lead_of(action.review, self.context)
        if action.owner_partnership_key:
            owners = self.context.get("partnerships_by_review", {}).get(action.review.uuid, [])
            partnership = next(
                (p for p in owners if p.key == action.owner_partnership_key), partnership
            )
        return {"type": "partnership", "key": partnership.key, "name": partnership.name}

    def get_rag(self, action) -> str:
        return getattr(action, "rag", None) or action_rag(action, today())

    def get_recommendation(self, action) -> dict:
        return {"number": action.recommendation.number, "text": action.recommendation.text}


class ActionListApi(APIView):
    @extend_schema_serializer(component_name="ActionListFilter")
    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
        rag = serializers.ChoiceField(choices=["red", "amber", "green"], required=False)

    @extend_schema(
        summary="Actions your agency owns, in single and joint reviews",
        parameters=[FilterSerializer],
        responses={200: ActionSerializer(many=True)},
    )
    def get(self, request):
        actor = request.user.actor
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        chosen = {"open_only": False, **filters.validated_data}
        tracked = action_tracker_for_page(actor=actor, filters=chosen, purpose="API actions")
        actions, joint = tracked["board"]["actions"], tracked["joint"]
        if joint["actions"]:
            # The actions it owns in joint reviews other partnerships lead, with its own.
            actions = sorted([*actions, *joint["actions"]], key=lambda a: (a.due, str(a.uuid)))
        return _page_of_review_items(self, request, actions, ActionSerializer)


class ActionUpdateCreateApi(APIView):
    @extend_schema_serializer(component_name="ActionUpdateCreateInput")
    class InputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="ActionUpdateEvidence")
        class EvidenceSerializer(serializers.Serializer):
            name = serializers.CharField(max_length=255)
            # A document of the largest size accepted, in base64 (4 characters per 3 bytes).
            content_base64 = serializers.CharField(max_length=-(-DOCUMENT_MAX_BYTES // 3) * 4)

        status = serializers.ChoiceField(
            choices=[ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.COMPLETE]
        )
        note = serializers.CharField(max_length=20_000)
        evidence = EvidenceSerializer(required=False)

        def validate_evidence(self, value):
            try:
                content = base64.b64decode(value["content_base64"], validate=True)
            except (binascii.Error, ValueError):
                raise serializers.ValidationError("content_base64 is not base64.") from None
            return UploadedFile(value["name"], content)

    @extend_schema_serializer(component_name="ActionUpdateCreateOutput")
    class OutputSerializer(serializers.Serializer):
        id = serializers.UUIDField(source="uuid")
        action = serializers.UUIDField(source="action.uuid")
        status = serializers.CharField()
        note = serializers.CharField()
        evidence = serializers.CharField(source="evidence_name")
        written_at = serializers.DateTimeField()

    @extend_schema(
        summary="Report progress on an action your agency owns",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=InputSerializer,
        responses={201: OutputSerializer},
        examples=[
            OpenApiExample(
                "Progress with evidence",
                value={
                    "status": "complete",
                    "note": "All call handlers trained; register attached.",
                    "evidence": {"name": "register.pdf", "content_base64": "JVBERi0xLjcK..."},
                },
                request_only=True,
            )
        ],
    )
    @idempotent
    def post(self, request, action_id):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        def update(actor):
            action = access_action(actor=actor, action_uuid=action_id)
            added = action_update_add(
                actor=actor,
                action=action,
                status=data["status"],
                note=data["note"],
                evidence=data.get("evidence"),
            )
            return self.OutputSerializer(added).data

        return _created_here_or_through(request, update)
