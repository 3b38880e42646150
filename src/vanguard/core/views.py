"""Login, logout and the health check."""

from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from vanguard.core.forms import LockoutAuthenticationForm


class LoginView(auth_views.LoginView):
    """The login page, with the lockout form."""

    form_class = LockoutAuthenticationForm
    template_name = "core/login.html"
    redirect_authenticated_user = True


@never_cache
def health(request):
    """Answers 200 when the database answers (for load balancers)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
