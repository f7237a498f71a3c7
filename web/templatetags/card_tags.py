"""Project cards in the lists (the search page; area, theme and phase pages), built by web.cards."""

from django import template
from django.utils.safestring import SafeString

from web.cards import ProjectCard, card_html

register = template.Library()


@register.simple_tag
def project_card(card: ProjectCard, selectable: bool = False, compare_selection=()) -> SafeString:
    return card_html(card, selectable=selectable, compare_selection=compare_selection)
