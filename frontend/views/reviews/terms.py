"""The terms of reference tab: the versions, a new version (the review's workers, the lead's in a
joint review) and the chair's sign-off of the latest (``casework.permissions.may_write_terms``,
``may_sign_off_terms``; the services check them again)."""

from django.core.exceptions import ValidationError

from casework import permissions, selectors, services
from frontend.forms.base import initial_from
from frontend.forms.reviews import TermsForm, TermsSignOffForm
from frontend.views.reviews.workspace import Tab, review_view


def _shows(request, review) -> dict:
    versions = list(selectors.terms_versions(review=review))
    latest = versions[0] if versions else None
    context = {
        "versions": versions,
        "latest": latest,
        "terms_form": TermsForm(initial=initial_from(latest, TermsForm)),
    }
    if latest and not latest.signed_off_at and permissions.may_sign_off_terms(request.actor):
        context["terms_sign_off_form"] = TermsSignOffForm(initial={"version": latest.version})
    return context


TAB = Tab("terms", "reviews/terms.html", _shows)


terms = TAB.view()


@review_view("POST")
def terms_write(request, review):
    return TAB.answer(
        request,
        review,
        "terms",
        form=TermsForm(request.POST),
        form_key="terms_form",
        perform=lambda data: services.terms_write(actor=request.actor, review=review, **data),
        done="A new version of the terms is saved.",
    )


@review_view("POST")
def terms_sign_off(request, review):
    form = TermsSignOffForm(request.POST)

    def sign(data):
        latest = selectors.terms_versions(review=review).first()
        if latest is None or latest.version != data["version"]:
            # Sign off only what was read: a newer version may have been written meanwhile.
            raise ValidationError(["A newer version has been written: read it, then sign it off."])
        services.terms_sign_off(actor=request.actor, terms=latest)

    return TAB.answer(
        request,
        review,
        "terms",
        form=form,
        form_key="terms_sign_off_form",
        perform=sign,
        done="The terms of reference are signed off.",
    )
