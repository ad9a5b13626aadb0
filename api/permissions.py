from rest_framework.permissions import BasePermission

from api.authentication import AgencySystem


class IsAgencySystem(BasePermission):
    """Every agency endpoint needs a valid key of this partnership."""

    def has_permission(self, request, view):
        return isinstance(request.user, AgencySystem)
