"""Searching the partnership's referrals and reviews (issue 14). Who finds what, and the audit
row each search writes, are the selector's (``casework.selectors.search``)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from casework import permissions, selectors
from frontend.decorators import allowed_if, member_required
from frontend.forms.search import CaseworkSearchForm


@member_required
@require_GET
@allowed_if(permissions.may_search_casework, "Search is for the people who work on casework.")
def search(request):
    form = CaseworkSearchForm(request.GET or None, agencies=selectors.referral_agency_choices())
    result = selectors.casework_search(actor=request.actor, terms=form.terms())
    context = {
        "form": form,
        "may_export_referrals": permissions.may_see_referrals(request.actor),
        **result,
    }
    return render(request, "search/search.html", context)
