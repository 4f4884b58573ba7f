"""Deployment checks of the login protection (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

ROLES_THAT_MUST_USE_TWO_FACTOR = ("leader", "partner", "admin")


@register(Tags.security, deploy=True)
def check_login_protection(app_configs, **kwargs):
    warnings = []
    missing = [
        r for r in ROLES_THAT_MUST_USE_TWO_FACTOR if r not in settings.TWO_FACTOR_REQUIRED_ROLES
    ]
    if missing:
        warnings.append(
            Warning(
                f"Two-factor login is not required for: {', '.join(missing)}.",
                hint="Unset TWO_FACTOR_REQUIRED_ROLES in production.",
                id="partnerskap.W001",
            )
        )
    if not settings.AXES_ENABLED:
        warnings.append(
            Warning(
                "Failed logins are not throttled (AXES_ENABLED is off).",
                hint="Unset AXES_ENABLED in production.",
                id="partnerskap.W002",
            )
        )
    directives = getattr(settings, "CONTENT_SECURITY_POLICY", {}).get("DIRECTIVES", {})
    for name in ("script-src", "style-src"):
        sources = directives.get(name, directives.get("default-src"))
        if not sources or "'unsafe-inline'" in sources or "'unsafe-eval'" in sources:
            warnings.append(
                Warning(
                    f"The Content-Security-Policy's {name} allows inline or eval'd code, "
                    "or is missing.",
                    id="partnerskap.W003",
                )
            )
    if directives.get("frame-ancestors") != ["'none'"]:
        warnings.append(
            Warning(
                "The Content-Security-Policy does not forbid framing (frame-ancestors).",
                id="partnerskap.W004",
            )
        )
    return warnings
