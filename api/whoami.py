"""Agency API: who a key acts for (DESIGN §4, ``GET /api/v1/whoami/``). Parse, call, render."""

from drf_spectacular.utils import (
    extend_schema,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.openapi import (
    UNAUTHORISED,
)
from tenants.agencies.selectors import agency_for_actor


class WhoAmIApi(APIView):
    @extend_schema_serializer(component_name="WhoAmIOutput")
    class OutputSerializer(serializers.Serializer):
        partnership = inline_serializer(
            "WhoAmIPartnership",
            fields={"key": serializers.CharField(), "name": serializers.CharField()},
        )
        agency = inline_serializer(
            "WhoAmIAgency",
            fields={"id": serializers.UUIDField(), "name": serializers.CharField()},
        )

    @extend_schema(
        operation_id="whoami",
        summary="The partnership and agency this key acts for",
        responses={200: OutputSerializer, **UNAUTHORISED},
    )
    def get(self, request):
        actor = request.user.actor
        agency = agency_for_actor(actor=actor)
        data = {
            "partnership": {"key": actor.partnership.key, "name": actor.partnership.name},
            "agency": {"id": agency.uuid, "name": agency.name},
        }
        return Response(self.OutputSerializer(data).data)
