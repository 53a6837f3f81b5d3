from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.forms import AdminLoginForm
from config import views
from core.rest import no_such_endpoint

api_patterns: list[URLPattern | URLResolver] = [
    path("", include("core.api_urls")),
    path("", include("accounts.api_urls")),
    path("", include("marketplace.api_urls")),
    path("", include("calls.api_urls")),
    path("", include("moderation.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script from our origin instead of inline (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Last: whatever matched nothing above is the API's JSON 404, in debug too.
    re_path(r"^(?P<path>.*)$", no_such_endpoint),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("", include("core.urls")),
    path("", include("marketplace.urls")),
    path("", include("calls.urls")),
    path("", include("moderation.urls")),
    path("admin/", admin.site.urls),
    path("api/", include((api_patterns, "api"))),
]

# Under /api/, a view's 404 and an unexpected error are JSON like every other API error.
handler404 = "core.rest.not_found"
handler500 = "core.rest.server_error"

if settings.SERVE_MEDIA:
    # Uploaded files from the app itself: for `make run` and the tests. In production a proxy
    # or the storage (S3) serves MEDIA_URL, and SERVE_MEDIA stays off.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", views.media)]

admin.site.site_header = "Marketplace support"
# The admin's login counts against the same per-client limit as the site's (accounts.forms).
admin.site.login_form = AdminLoginForm
admin.site.site_title = "Marketplace support"
