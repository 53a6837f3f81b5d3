from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_documents_the_account_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) >= {"/api/auth/token/", "/api/me/"}
    token = schema["paths"]["/api/auth/token/"]["post"]
    assert set(token["responses"]) == {"200", "400", "403", "429"}


def test_the_interactive_docs_are_served_without_a_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()


def test_htmx_is_served_locally(client):
    html = client.get("/").content.decode()
    assert '<script src="/static/vendor/htmx/htmx.min.js"' in html


def test_the_admin_answers(client):
    assert client.get("/admin/login/").status_code == 200


@override_settings(DEBUG=True)
def test_seed_demo_is_idempotent_and_creates_the_documented_cast():
    call_command("seed_demo")
    call_command("seed_demo")
    cast = dict(User.objects.values_list("email", "seller_level"))
    assert cast == {
        "seller@demo.test": "level_2",
        "newseller@demo.test": "new",
        "buyer@demo.test": "new",
        "pro@demo.test": "new",
        "support@demo.test": "new",
        "reviewer@demo.test": "new",
        "admin@demo.test": "new",
    }
    assert User.objects.get(email="pro@demo.test").buyer_tier == "pro"
    assert (
        User.objects.get(email="reviewer@demo.test").groups.get().name == "Trust & safety reviewer"
    )
    assert User.objects.get(email="admin@demo.test").is_superuser
    for user in User.objects.all():
        assert user.check_password("demo-pass-2026")


@override_settings(DEBUG=False)
def test_seed_demo_refuses_to_run_in_production_mode():
    with pytest.raises(Exception, match="only runs with DJANGO_DEBUG=true"):
        call_command("seed_demo")
    assert not User.objects.exists()
