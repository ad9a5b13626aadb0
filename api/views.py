"""Agency API: parse, call a selector or service, render. No rule lives here."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.workspace.selectors import agency_for_actor


class WhoAmIApi(APIView):
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
        summary="The partnership and agency this key acts for",
        responses={200: OutputSerializer},
    )
    def get(self, request):
        actor = request.user.actor
        agency = agency_for_actor(actor=actor)
        data = {
            "partnership": {"key": actor.partnership.key, "name": actor.partnership.name},
            "agency": {"id": agency.uuid, "name": agency.name},
        }
        return Response(self.OutputSerializer(data).data)
