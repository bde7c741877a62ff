"""Login required by default, plus the security headers Django does not set itself."""

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.utils.cache import patch_vary_headers


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's login-by-default, except for the API, which answers 401/403 itself."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SecurityHeadersMiddleware:
    CONTENT_SECURITY_POLICY = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def _policy(self) -> str:
        """The logout form redirects to ProConnect's end_session when the session came from
        it: browsers check a form's redirects against form-action too."""
        from mutualis.proconnect import config

        if not config.enabled():
            return self.CONTENT_SECURITY_POLICY
        return self.CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", f"form-action 'self' {config.origin()}"
        )

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(("/api/docs/", "/admin/")):
            response.headers.setdefault("Content-Security-Policy", self._policy())
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        # Pages that answer htmx with a fragment must not be cached as the whole page.
        patch_vary_headers(response, ["HX-Request"])
        return response
