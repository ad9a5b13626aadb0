"""``{% scrolling_table "Actions" %}<table …>…</table>{% endscrolling_table %}``: a table that,
wider than the screen, scrolls inside its own container instead of the page (the container is
focusable and named ``label``, so a keyboard can scroll it; styles in frontend/static/app.css)."""

from django import template
from django.utils.html import format_html

register = template.Library()


class ScrollingTableNode(template.Node):
    def __init__(self, nodelist, label):
        self.nodelist, self.label = nodelist, label

    def render(self, context):
        return format_html(
            '<div class="app-table-container" tabindex="0" role="region" aria-label="{}">{}</div>',
            self.label.resolve(context),
            self.nodelist.render(context),  # already safe: the template escaped what it holds
        )


@register.tag
def scrolling_table(parser, token):
    try:
        _, label = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError("scrolling_table takes one label") from None
    nodelist = parser.parse(("endscrolling_table",))
    parser.delete_first_token()
    return ScrollingTableNode(nodelist, parser.compile_filter(label))
