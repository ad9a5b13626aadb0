"""Agency API for referrals (DESIGN §4): an agency's referrals with their clocks, a new
referral, and its rapid-review contribution. Parse, call a selector or service, render; no rule
lives here."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from api.idempotency import idempotent
from api.openapi import (
    CONTRIBUTION_BODY,
    IDEMPOTENCY_KEY,
    INVALID,
    INVALID_REFERRAL,
    KEY_REUSED,
    NOT_FOUND,
    REFERRAL_ANSWER,
    REFERRAL_BODY,
    UNAUTHORISED,
    ProblemSerializer,
)
from api.problems import PROBLEM_CONTENT_TYPE
from casework.models import (
    AbuseOrNeglect,
    Circumstance,
    Harm,
    Outcome,
    PanelResponse,
    ReferralStatus,
    Sex,
)
from casework.regimes import REGIME_CHOICES
from casework.selectors import (
    access_contribution_request,
    referral_for_page,
    referral_list,
    referral_waiting,
)
from casework.services import (
    CONTRIBUTION_MAX_LENGTH,
    MAX_AGENCIES_INVOLVED,
    MAX_CHILDREN,
    SUMMARY_MAX_LENGTH,
    ChildInput,
    contribution_submit,
    referral_create,
)
from casework.working_days import working_days_between
from tenants.clock import today


class ServiceCheckedChoiceField(serializers.ChoiceField):
    """A choice listed in the schema but checked by the service, which owns the rule: one 400
    then names every field the service finds wrong, whatever mix of mistakes was sent."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return data


class ClockSerializer(serializers.Serializer):
    """A statutory clock as the contract has it (name, counted_from, due, length, source,
    state), with its label, working days left, whether it is due soon and when it stopped."""

    name = serializers.CharField()
    counted_from = serializers.DateField()
    due = serializers.DateField()
    length = serializers.CharField(source="length_label", help_text="e.g. '5 working days'")
    source = serializers.CharField()
    state = serializers.SerializerMethodField(help_text="running, overdue or stopped")
    label = serializers.CharField()
    days_left = serializers.SerializerMethodField(
        help_text="Working days until due (negative when overdue); null once stopped"
    )
    due_soon = serializers.SerializerMethodField(help_text="Due within 2 working days")
    stopped_on = serializers.DateField(allow_null=True)

    @extend_schema_field(serializers.ChoiceField(choices=["running", "overdue", "stopped"]))
    def get_state(self, clock) -> str:
        return clock.state_on(self.context["today"])

    def get_days_left(self, clock) -> int | None:
        if clock.stopped_on is not None:
            return None
        return working_days_between(self.context["today"], clock.due)

    def get_due_soon(self, clock) -> bool:
        return clock.due_soon_on(self.context["today"])


# Where a referral is and whom it waits for (``casework.selectors.referral_waiting``). (No
# docstring: the subclasses' schemas would take it as their description.)
class WaitingFields(serializers.Serializer):
    step = serializers.SerializerMethodField(help_text="e.g. 'Awaiting the Panel'")
    waiting_for = serializers.SerializerMethodField(
        help_text="Who must act next, e.g. 'The independent chair'; 'Nobody' when done"
    )

    def get_step(self, referral) -> str:
        return referral_waiting(referral).step

    def get_waiting_for(self, referral) -> str:
        return referral_waiting(referral).waits_for


@extend_schema_field(OpenApiTypes.STR)
class ReferralUrlField(serializers.Field):
    """The referral's address in the API, absolute, for the request in the context."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, referral) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api:referral-detail", kwargs={"reference": referral.reference})
        )


# What the list and a referral's own page both begin with. (No docstring: the subclasses'
# schemas would take it as their description.)
class ReferralHeadSerializer(WaitingFields):
    reference = serializers.CharField()
    status = serializers.CharField()
    regime = serializers.CharField()
    incident_date = serializers.DateField()
    aware_date = serializers.DateField()


def _context(request) -> dict:
    return {"request": request, "today": today()}


class ReferralCreateApi(APIView):
    @extend_schema_serializer(component_name="ReferralCreateInput")
    class InputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="ReferralCreateChild")
        class ChildSerializer(serializers.Serializer):
            given_name = serializers.CharField(max_length=100, allow_blank=True)
            family_name = serializers.CharField(max_length=100, allow_blank=True)
            date_of_birth = serializers.DateField()
            sex = ServiceCheckedChoiceField(choices=Sex.choices)
            ethnicity = serializers.CharField(max_length=100, allow_blank=True, default="")
            looked_after = serializers.BooleanField(default=False)
            child_protection_plan = serializers.BooleanField(default=False)

        incident_date = serializers.DateField()
        aware_date = serializers.DateField(help_text="When the partnership became aware")
        harm = ServiceCheckedChoiceField(choices=Harm.choices)
        abuse_or_neglect = ServiceCheckedChoiceField(choices=AbuseOrNeglect.choices)
        circumstances = serializers.ListField(
            child=ServiceCheckedChoiceField(choices=Circumstance.choices),
            default=list,
            max_length=len(Circumstance.choices),
        )
        # A ListField, not many=True: its bounds are validated before any child is, and the
        # schema states them (maxItems).
        children = serializers.ListField(
            child=ChildSerializer(),
            min_length=1,
            max_length=MAX_CHILDREN,
            help_text="One to four children, as on the national notification form",
        )
        agencies_involved = serializers.ListField(
            child=serializers.CharField(max_length=200),
            default=list,
            max_length=MAX_AGENCIES_INVOLVED,
            help_text="Agencies' names; those the partnership has not registered are kept too",
        )
        summary = serializers.CharField(allow_blank=True, max_length=SUMMARY_MAX_LENGTH)
        regime = ServiceCheckedChoiceField(
            choices=REGIME_CHOICES,
            required=False,
            help_text="Leave out: the rules follow from aware_date (scr2015 before 29 June 2018, "
            "csprr2018 from then, wt2023 from 15 December 2023). Rules not in force on "
            "aware_date are refused (400 naming `regime`); other rules in force that day are "
            "the business manager's choice, on the web, with a reason.",
        )
        working_together_concern = serializers.BooleanField(
            required=False,
            allow_null=True,
            default=None,
            help_text="Whether there is cause for concern about how the agencies worked "
            "together to safeguard the child (asked by the 2015 rules when a child was "
            "seriously harmed); null when not known",
        )

    @extend_schema_serializer(component_name="ReferralCreateOutput")
    class OutputSerializer(serializers.Serializer):
        reference = serializers.CharField(help_text="e.g. CRO-2026-0042")
        status = serializers.CharField()
        clocks = ClockSerializer(many=True, source="created_clocks")
        regime = serializers.CharField()
        url = ReferralUrlField()

    @extend_schema(
        operation_id="referral_create",
        summary="Refer a serious incident",
        description=(
            "The referral, its children, clocks and audit row are saved together or not at all. "
            "Dates are ISO 8601; no date may be in the future, the partnership cannot have "
            "become aware before the incident, and no child can be born after it."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=InputSerializer,
        responses={201: OutputSerializer, **INVALID_REFERRAL, **UNAUTHORISED, **KEY_REUSED},
        examples=[
            OpenApiExample("A referral", value=REFERRAL_BODY, request_only=True),
            OpenApiExample(
                "Received", value=REFERRAL_ANSWER, response_only=True, status_codes=["201"]
            ),
        ],
    )
    @idempotent
    def post(self, request):
        serializer = ReferralCreateApi.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        referral = referral_create(
            actor=request.user.actor,
            incident_date=data["incident_date"],
            aware_date=data["aware_date"],
            harm=data["harm"],
            abuse_or_neglect=data["abuse_or_neglect"],
            circumstances=data["circumstances"],
            children=[ChildInput(**child) for child in data["children"]],
            agencies_involved=data["agencies_involved"],
            summary=data["summary"],
            regime=data.get("regime") or None,
            working_together_concern=data["working_together_concern"],
        )
        output = ReferralCreateApi.OutputSerializer(referral, context=_context(request))
        return Response(output.data, status=201)


class ReferralListApi(APIView):
    @extend_schema_serializer(component_name="ReferralListFilter")
    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=ReferralStatus.choices, required=False)

    @extend_schema_serializer(component_name="ReferralListItem")
    class OutputSerializer(ReferralHeadSerializer):
        created_at = serializers.DateTimeField()
        clocks = ClockSerializer(many=True)
        url = ReferralUrlField()

    @extend_schema(
        operation_id="referral_list",
        summary="This agency's referrals, newest first",
        description="Only the referrals this key's agency made, 50 a page (`?page=2`).",
        parameters=[FilterSerializer],
        responses={
            200: inline_serializer(
                "PaginatedReferralList",
                fields={
                    "count": serializers.IntegerField(),
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": OutputSerializer(many=True),
                },
            ),
            **INVALID,
            **UNAUTHORISED,
        },
        examples=[
            OpenApiExample(
                "One page",
                value={
                    "count": 1,
                    "next": None,
                    "previous": None,
                    "results": [
                        {
                            **REFERRAL_ANSWER,
                            "incident_date": "2026-10-30",
                            "aware_date": "2026-11-02",
                            "created_at": "2026-11-02T10:15:00Z",
                        }
                    ],
                },
                response_only=True,
                status_codes=["200"],
            )
        ],
    )
    def get(self, request):
        filters = ReferralListApi.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        referrals = referral_list(actor=request.user.actor, **filters.validated_data)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(referrals, request, view=self)
        output = ReferralListApi.OutputSerializer(page, many=True, context=_context(request))
        return paginator.get_paginated_response(output.data)


# One path for both, as the contract has it: GET is ReferralListApi, POST ReferralCreateApi.
class ReferralsApi(ReferralListApi, ReferralCreateApi):
    pass


class ReferralDetailApi(APIView):
    @extend_schema_serializer(component_name="ReferralDetailOutput")
    class OutputSerializer(ReferralHeadSerializer):
        harm = serializers.CharField()
        abuse_or_neglect = serializers.CharField()
        circumstances = serializers.ListField(child=serializers.CharField())
        children = serializers.SerializerMethodField(help_text="How many children it is about")
        agencies_involved = serializers.SerializerMethodField()
        summary = serializers.CharField()
        created_at = serializers.DateTimeField()
        clocks = ClockSerializer(many=True)
        panel_response = serializers.SerializerMethodField(
            help_text="What the Panel answered to the rapid review, once it has"
        )
        decision = serializers.SerializerMethodField(
            help_text="The decision's outcome and date, once made; whether it came before the "
            "Panel answered (the chair's reason is recorded) and whether it has been "
            "communicated to those the rules name"
        )
        url = ReferralUrlField()

        def get_children(self, referral) -> int:
            return len(referral.children.all())

        def get_agencies_involved(self, referral) -> list[str]:
            registered = [agency.name for agency in referral.agencies_involved.all()]
            return registered + list(referral.other_agencies_involved)

        @extend_schema_field(
            inline_serializer(
                "ReferralDecision",
                fields={
                    "outcome": serializers.ChoiceField(choices=Outcome.choices),
                    "decided_on": serializers.DateField(),
                    "before_the_panel_answered": serializers.BooleanField(),
                    "communicated": serializers.BooleanField(),
                },
                allow_null=True,
            )
        )
        def get_decision(self, referral) -> dict | None:
            decision = getattr(referral, "decision", None)
            if decision is None:
                return None
            return {
                "outcome": decision.outcome,
                "decided_on": decision.decided_on.isoformat(),
                "before_the_panel_answered": bool(decision.exception_reason),
                "communicated": referral.status == ReferralStatus.DECISION_NOTIFIED,
            }

        @extend_schema_field(
            inline_serializer(
                "ReferralPanelResponse",
                fields={
                    "kind": serializers.ChoiceField(choices=PanelResponse.choices),
                    "responded_on": serializers.DateField(),
                },
                allow_null=True,
            )
        )
        def get_panel_response(self, referral) -> dict | None:
            rapid_review = getattr(referral, "rapid_review", None)
            if rapid_review is None or not rapid_review.panel_response_kind:
                return None
            return {
                "kind": rapid_review.panel_response_kind,
                "responded_on": rapid_review.panel_responded_on.isoformat(),
            }

    @extend_schema(
        operation_id="referral_detail",
        summary="One of this agency's referrals, with its clocks",
        responses={200: OutputSerializer, **UNAUTHORISED, **NOT_FOUND},
    )
    def get(self, request, reference: str):
        referral = referral_for_page(actor=request.user.actor, reference=reference)
        output = ReferralDetailApi.OutputSerializer(referral, context=_context(request))
        return Response(output.data)


class ContributionSubmitApi(APIView):
    @extend_schema_serializer(component_name="ContributionSubmitInput")
    class InputSerializer(serializers.Serializer):
        facts = serializers.CharField(allow_blank=True, max_length=CONTRIBUTION_MAX_LENGTH)
        involvement = serializers.CharField(allow_blank=True, max_length=CONTRIBUTION_MAX_LENGTH)
        immediate_safety_actions = serializers.CharField(
            allow_blank=True, default="", max_length=CONTRIBUTION_MAX_LENGTH
        )

    @extend_schema_serializer(component_name="ContributionSubmitOutput")
    class OutputSerializer(serializers.Serializer):
        reference = serializers.CharField(source="rapid_review.referral.reference")
        agency = serializers.CharField(source="agency.name")
        requested_on = serializers.DateField()
        due = serializers.DateField()
        submitted_at = serializers.DateTimeField()
        status = serializers.SerializerMethodField()

        @extend_schema_field(serializers.ChoiceField(choices=["submitted"]))
        def get_status(self, request) -> str:
            return "submitted"

    @extend_schema(
        operation_id="contribution_submit",
        summary="This agency's contribution to the rapid review",
        description=(
            "Facts, the agency's involvement and immediate safety actions, for a referral whose "
            "rapid review asked this agency. 201 the first time, 200 when amended (allowed "
            "until the rapid review goes to the Panel)."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=InputSerializer,
        responses={
            201: OutputSerializer,
            200: OutputSerializer,
            **INVALID,
            **UNAUTHORISED,
            (404, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="This agency was not asked for a contribution."
            ),
            **KEY_REUSED,
        },
        examples=[
            OpenApiExample("A contribution", value=CONTRIBUTION_BODY, request_only=True),
            OpenApiExample(
                "Submitted",
                value={
                    "reference": "CRO-2026-0042",
                    "agency": "NHS Croydon Health Services",
                    "requested_on": "2026-11-10",
                    "due": "2026-11-17",
                    "submitted_at": "2026-11-12T09:30:00Z",
                    "status": "submitted",
                },
                response_only=True,
                status_codes=["201", "200"],
            ),
        ],
    )
    @idempotent
    def post(self, request, reference: str):
        actor = request.user.actor
        contribution = access_contribution_request(actor=actor, reference=reference)
        serializer = ContributionSubmitApi.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        first = not contribution.received
        contribution = contribution_submit(
            actor=actor, request=contribution, **serializer.validated_data
        )
        output = ContributionSubmitApi.OutputSerializer(contribution)
        return Response(output.data, status=201 if first else 200)
