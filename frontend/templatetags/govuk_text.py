"""``{{ text|govuk_paragraphs }}``: text someone wrote, escaped, as GOV.UK body paragraphs (one
a blank-line-separated block; single line breaks kept), as ``linebreaks`` but styled."""

from django import template
from django.utils.html import linebreaks
from django.utils.safestring import SafeString

register = template.Library()


@register.filter(is_safe=True)
def govuk_paragraphs(value) -> SafeString:
    # linebreaks escapes the text, so the only "<p>" left are the paragraphs it made.
    return SafeString(linebreaks(value, autoescape=True).replace("<p>", '<p class="govuk-body">'))
