"""`{% path "name" %}`: `{% url "name" %}` for an address with no arguments, reversed once per
process (core.paths). The header and footer of every page name 20."""

from django import template

from core.paths import path_to

register = template.Library()


@register.simple_tag
def path(name: str) -> str:
    return path_to(name)
