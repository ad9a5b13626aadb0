"""``{% review_url 'review-chronology' review %}``: a review page's address, on the lead's host or
through the joint-review door (``frontend.links``)."""

from django import template

from frontend.links import review_path

register = template.Library()


@register.simple_tag(takes_context=True)
def review_url(context, name, review, *args):
    return review_path(context["request"], name, review, *args)
