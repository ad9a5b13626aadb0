"""Agency API: the agency's webhook subscriptions (DESIGN §4, ``/api/v1/webhooks/``). Parse,
call, render; the rules (events, SSRF checks, the secret) are ``tenants.notifications``'."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.idempotency import idempotent
from api.openapi import IDEMPOTENCY_KEY, INVALID, KEY_REUSED, UNAUTHORISED, WEBHOOK_NOT_FOUND
from tenants.handoffs import WEBHOOK_EVENTS
from tenants.notifications.selectors import access_agency_webhook, webhooks_of_agency
from tenants.notifications.webhooks import webhook_create, webhook_delete


class WebhookOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    url = serializers.URLField()
    events = serializers.ListField(child=serializers.ChoiceField(choices=WEBHOOK_EVENTS))
    active = serializers.BooleanField(source="is_active")
    created_at = serializers.DateTimeField()


class WebhooksApi(APIView):
    @extend_schema_serializer(component_name="WebhookCreateInput")
    class InputSerializer(serializers.Serializer):
        url = serializers.URLField(max_length=500, help_text="https only, on a public address")
        events = serializers.ListField(
            child=serializers.ChoiceField(choices=WEBHOOK_EVENTS),
            min_length=1,
            max_length=len(WEBHOOK_EVENTS),
        )

    @extend_schema_serializer(component_name="WebhookCreateOutput")
    class CreatedSerializer(WebhookOutputSerializer):
        secret = serializers.CharField(
            help_text="whsec_<base64>: verifies each delivery's webhook-signature. Shown once."
        )

    @extend_schema(
        operation_id="webhooks_create",
        summary="Subscribe an address of your agency's system to events",
        parameters=[IDEMPOTENCY_KEY],
        request=InputSerializer,
        responses={201: CreatedSerializer, **INVALID, **UNAUTHORISED, **KEY_REUSED},
        examples=[
            OpenApiExample(
                "Referrals and actions",
                value={
                    "url": "https://hooks.met.example/safeguard",
                    "events": ["referral.received", "referral.status_changed", "action.assigned"],
                },
                request_only=True,
            )
        ],
    )
    @idempotent
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        webhook, secret = webhook_create(
            actor=request.user.actor,
            url=serializer.validated_data["url"],
            events=serializer.validated_data["events"],
        )
        webhook.secret = secret
        return Response(self.CreatedSerializer(webhook).data, status=201)

    @extend_schema(
        operation_id="webhooks_list",
        summary="Your agency's webhooks (never their secrets)",
        responses={200: WebhookOutputSerializer(many=True), **UNAUTHORISED},
    )
    def get(self, request):
        webhooks = webhooks_of_agency(actor=request.user.actor)
        return Response(WebhookOutputSerializer(webhooks, many=True).data)


class WebhookDetailApi(APIView):
    @extend_schema(
        operation_id="webhooks_destroy",
        summary="Remove one of your agency's webhooks",
        responses={204: None, **WEBHOOK_NOT_FOUND, **UNAUTHORISED},
    )
    def delete(self, request, webhook_id):
        actor = request.user.actor
        webhook_delete(
            actor=actor, webhook=access_agency_webhook(actor=actor, webhook_uuid=webhook_id)
        )
        return Response(status=204)
