"""The seller's gig pages: create with extras, edit, pause and resume; who may see them."""

from __future__ import annotations

import pytest

from accounts import services as accounts_services
from accounts.models import Standing
from accounts.models import User as UserModel
from marketplace.models import Gig, GigStatus
from tests.clients import client_for
from tests.factories import make_gig

pytestmark = pytest.mark.django_db


def gig_post(**overrides):
    data = {
        "title": "Brand kit",
        "description": "Logo, colours and type.",
        "base_price": "80.00",
        "extras-TOTAL_FORMS": "3",
        "extras-INITIAL_FORMS": "0",
        "extras-0-name": "Express",
        "extras-0-price": "25.50",
        "extras-1-name": "",
        "extras-1-price": "",
        "extras-2-name": "",
        "extras-2-price": "",
    }
    data.update(overrides)
    return data


def restrict(user):
    return accounts_services.set_standing(
        user, standing=Standing.RESTRICTED, actor=None, reason="test"
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [("seller", 200), ("buyer", 404), ("outsider", 404), ("support_agent", 404), (None, 302)],
)
@pytest.mark.parametrize("method", ["get_edit", "post_edit", "post_pause", "post_resume"])
def test_gig_edit_access_matrix(cast, gig, role, expected, method):
    client = client_for(cast[role])
    if method == "get_edit":
        response = client.get(f"/gigs/{gig.id}/edit/")
    elif method == "post_edit":
        response = client.post(f"/gigs/{gig.id}/edit/", gig_post(title="Taken over"))
        expected = 302 if expected == 200 else expected
    else:
        response = client.post(f"/gigs/{gig.id}/{method.removeprefix('post_')}/")
        expected = 302 if expected == 200 else expected
    assert response.status_code == expected
    if expected == 404:
        gig.refresh_from_db()
        assert gig.title == "Logo design"
        assert gig.status == GigStatus.ACTIVE


def test_a_seller_offers_a_new_gig_with_an_extra(seller):
    response = client_for(seller).post("/gigs/new/", gig_post())
    gig = Gig.objects.get(seller=seller)
    assert response.url == f"/gigs/{gig.id}/"
    assert gig.base_price_cents == 8000
    assert [(e.name, e.price_cents) for e in gig.extras.all()] == [("Express", 2550)]
    page = client_for(None).get(f"/gigs/{gig.id}/").content.decode()
    assert '<span>Express</span> <span class="price">+$25.50</span>' in page


def test_the_gig_page_lists_extras_as_a_checklist_and_no_empty_heading(seller, buyer):
    plain = make_gig(seller, title="Plain")
    page = client_for(buyer).get(f"/gigs/{plain.id}/").content.decode()
    assert "<legend>Extras</legend>" not in page
    assert "Order now" in page
    with_extras = make_gig(seller, title="Fancy", extras={"Express": "20.00", "Source": "5.00"})
    page = client_for(buyer).get(f"/gigs/{with_extras.id}/").content.decode()
    assert "<legend>Extras</legend>" in page
    assert page.count('type="checkbox" name="extras"') == 2
    assert '<span class="price">+$5.00</span>' in page


def test_the_owner_sees_the_page_as_buyers_do_plus_an_edit_link(seller, buyer):
    gig = make_gig(seller, title="Mine", extras={"Express": "20.00"})
    page = client_for(seller).get(f"/gigs/{gig.id}/").content.decode()
    assert f'href="/gigs/{gig.id}/edit/"' in page
    assert '<span class="price">+$20.00</span>' in page
    assert "disabled" in page.split("<legend>Extras</legend>")[1]
    assert '<button type="submit" disabled aria-describedby="owner-note">Order now</button>' in page
    assert 'id="owner-note"' in page
    # A buyer gets the same page, the button working and without the owner's note and link.
    buyer_page = client_for(buyer).get(f"/gigs/{gig.id}/").content.decode()
    assert '<button type="submit">Order now</button>' in buyer_page
    assert "owner-note" not in buyer_page
    assert f'href="/gigs/{gig.id}/edit/"' not in buyer_page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"base_price": "-5"}, "base_price", "greater than or equal to 1"),
        ({"base_price": "abc"}, "base_price", "Enter a number."),
        ({"base_price": "100000000"}, "base_price", "less than or equal to"),
        ({"title": ""}, "title", "This field is required."),
        ({"extras-0-price": ""}, "extras-0-price", "An extra needs a price."),
        ({"extras-0-name": ""}, "extras-0-name", "An extra needs a name."),
        ({"extras-TOTAL_FORMS": "11"}, None, "Please submit at most 10 forms."),
    ],
)
def test_a_bad_gig_form_shows_what_is_wrong_and_writes_nothing(seller, overrides, field, message):
    response = client_for(seller).post("/gigs/new/", gig_post(**overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    if field:
        assert f'id="id_{field}"' in page
    assert not Gig.objects.exists()


def test_the_owner_edits_title_price_and_extras(gig, seller):
    response = client_for(seller).post(
        f"/gigs/{gig.id}/edit/",
        gig_post(
            title="Logo design deluxe",
            base_price="65.00",
            **{"extras-0-name": "Express", "extras-0-price": "30.00"},
        ),
    )
    assert response.status_code == 302
    gig.refresh_from_db()
    assert (gig.title, gig.base_price_cents) == ("Logo design deluxe", 6500)
    assert [(e.name, e.price_cents) for e in gig.extras.all()] == [("Express", 3000)]


def test_the_edit_form_starts_with_the_gig_as_it_is(gig, seller):
    page = client_for(seller).get(f"/gigs/{gig.id}/edit/").content.decode()
    assert 'value="Logo design"' in page
    assert 'value="50.00"' in page
    assert 'value="Source files"' in page


def test_a_paused_gig_leaves_the_public_list_and_comes_back_when_resumed(gig, seller):
    seller_client, visitor = client_for(seller), client_for(None)
    seller_client.post(f"/gigs/{gig.id}/pause/")
    assert "Logo design" not in visitor.get("/gigs/").content.decode()
    assert visitor.get(f"/gigs/{gig.id}/").status_code == 404
    # The seller still sees it, paused, on their own list and page.
    assert "Paused" in seller_client.get("/gigs/mine/").content.decode()
    assert seller_client.get(f"/gigs/{gig.id}/").status_code == 200
    seller_client.post(f"/gigs/{gig.id}/resume/")
    assert "Logo design" in visitor.get("/gigs/").content.decode()


def test_a_restricted_seller_may_pause_but_not_offer_or_change_gigs(gig, seller):
    restrict(seller)
    client = client_for(seller)
    new = client.get("/gigs/new/")
    assert new.status_code == 403
    assert "restricted" in new.content.decode()
    assert client.post("/gigs/new/", gig_post()).status_code == 403
    assert client.post(f"/gigs/{gig.id}/edit/", gig_post(title="New")).status_code == 403
    client.post(f"/gigs/{gig.id}/pause/")
    response = client.post(f"/gigs/{gig.id}/resume/", follow=True)
    assert "restricted" in response.content.decode()
    gig.refresh_from_db()
    assert (gig.title, gig.status) == ("Logo design", GigStatus.PAUSED)
    assert Gig.objects.count() == 1


def test_the_my_gigs_page_is_paged_by_keyset(seller):
    for i in range(25):
        make_gig(seller, title=f"Gig {i:02}")
    client = client_for(seller)
    first = client.get("/gigs/mine/").content.decode()
    assert "Gig 24" in first
    assert "Gig 04" not in first
    next_url = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(f"/gigs/mine/{next_url}").content.decode()
    assert "Gig 04" in second
    assert "Gig 00" in second
    assert "Gig 05" not in second


def test_a_tampered_cursor_is_a_404_not_a_500(seller):
    import base64

    client = client_for(seller)
    not_an_id = base64.b64encode(b"p=not-a-number").decode()
    assert client.get(f"/gigs/mine/?cursor={not_an_id}").status_code == 404
    not_a_time = base64.b64encode(b"p=yesterday").decode()
    assert client.get(f"/orders/?cursor={not_a_time}").status_code == 404
    assert client.get("/inbox/?cursor=%FF%FE").status_code == 404


def test_a_banned_seller_is_logged_out_of_the_gig_pages(seller):
    client = client_for(seller)
    accounts_services.set_standing(seller, standing=Standing.BANNED, actor=None, reason="t")
    assert client.get("/gigs/new/").status_code == 302
    assert UserModel.objects.get(pk=seller.pk).standing == Standing.BANNED


def test_a_cursor_out_of_the_databases_range_is_a_404(seller, monkeypatch):
    # SQLite's adapter overflows on a position such as 9999-12-31T23:59:59-14:00.
    from rest_framework.pagination import CursorPagination

    def overflow(*args, **kwargs):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(CursorPagination, "paginate_queryset", overflow)
    assert client_for(seller).get("/orders/?cursor=x").status_code == 404
