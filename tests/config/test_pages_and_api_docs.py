from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.models import User
from core.rest import server_error
from marketplace import api, selectors
from marketplace.models import Order

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_documents_the_account_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) >= {"/api/auth/token/", "/api/me/"}
    token = schema["paths"]["/api/auth/token/"]["post"]
    assert set(token["responses"]) == {"200", "400", "403", "429", "503"}


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
        "warned@demo.test": "new",
        "restricted@demo.test": "level_1",
        "repeat@demo.test": "new",
        "banned@demo.test": "level_1",
    }
    assert User.objects.get(email="pro@demo.test").buyer_tier == "pro"
    assert (
        User.objects.get(email="reviewer@demo.test").groups.get().name == "Trust & safety reviewer"
    )
    assert User.objects.get(email="admin@demo.test").is_superuser
    for user in User.objects.all():
        assert user.check_password("demo-pass-2026")
    lena = User.objects.get(email="seller@demo.test")
    assert set(Order.objects.filter(seller=lena).values_list("status", flat=True)) == {
        "active",
        "delivered",
        "completed",
        "cancelled",
    }
    # Lena's and Noah's, and the banned seller's order from Wanda (moderation's demo).
    assert Order.objects.filter(status="cancelled").count() == 3
    earnings = selectors.earnings_of(lena)
    # (60 + 25 + 10 tip) and (120 + 40): earnings 127.50; base only (60 + 120) / 2 = 90.00.
    assert (earnings.earnings_asp, earnings.eligibility_asp) == (
        Decimal("127.50"),
        Decimal("90.00"),
    )
    assert selectors.balances(lena) == selectors.Balances(16000, 9500, 0)
    assert selectors.balances(User.objects.get(email="buyer@demo.test")).credit_cents == 2000
    assert selectors.balances(User.objects.get(email="pro@demo.test")).credit_cents == 12000


@override_settings(DEBUG=False)
def test_seed_demo_refuses_to_run_in_production_mode():
    with pytest.raises(Exception, match="only runs with DJANGO_DEBUG=true"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_the_schema_validates_and_documents_every_marketplace_path(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in (
        "/api/gigs/{gig_id}/",
        "/api/orders/{order_id}/request-revision/",
        "/api/conversations/{conversation_id}/messages/",
        "/api/wallet/withdrawals/",
        "/api/earnings/",
    ):
        assert f"  {path}:" in text


def test_an_unexpected_error_under_the_api_answers_json(rf):
    api = server_error(rf.get("/api/orders/"))
    assert (api.status_code, api["Content-Type"]) == (500, "application/json")
    assert json.loads(api.content) == {
        "detail": "Something went wrong on our side.",
        "code": "server_error",
    }
    page = server_error(rf.get("/orders/"))
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")


def test_a_view_that_fails_under_the_api_is_caught_by_the_json_handler(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(api.GigListView, "get", broken)
    client.raise_request_exception = False
    response = client.get("/api/gigs/")
    assert (response.status_code, response.json()["code"]) == (500, "server_error")
