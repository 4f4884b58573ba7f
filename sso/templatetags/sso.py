from django import template

from ..selectors import providers_for_login

register = template.Library()


@register.inclusion_tag("sso/_login_buttons.html", takes_context=True)
def sso_login_buttons(context):
    """'Log in with <region>' for each enabled identity provider (nothing when there is none)."""
    return {"providers": list(providers_for_login()), "next": context.get("next", "")}
