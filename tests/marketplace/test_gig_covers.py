"""Gig covers: checked by content before anything is stored, re-encoded without metadata,
thumbnailed once, shown in the list without extra queries; what is refused says why on the
form and leaves nothing behind."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from marketplace import services
from marketplace.models import Gig
from tests.clients import as_user, client_for, count_queries
from tests.factories import grow_marketplace, make_gig

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


def picture(fmt="JPEG", size=(800, 600), *, exif=None, name="cover.jpg") -> SimpleUploadedFile:
    buffer = BytesIO()
    image = Image.new("RGB", size, (200, 40, 40))
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def huge_png_header(width=20_000, height=20_000) -> bytes:
    """A valid PNG that claims 20,000 by 20,000 pixels in a few bytes (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def gig_post(**overrides):
    return {
        "title": "Poster",
        "description": "A poster.",
        "base_price": "40.00",
        "extras-TOTAL_FORMS": "1",
        "extras-INITIAL_FORMS": "0",
        "extras-0-name": "",
        "extras-0-price": "",
        **overrides,
    }


def test_a_cover_is_stored_without_its_metadata_and_thumbnailed_once(seller, media):
    exif = Image.Exif()
    exif[0x010F] = "Spy Camera Inc."  # Make
    exif[0x0110] = "Model with GPS"  # Model
    upload = picture(size=(2400, 1800), exif=exif)
    with Image.open(BytesIO(upload.read())) as original:
        assert original.getexif()[0x010F] == "Spy Camera Inc."
    upload.seek(0)
    response = client_for(seller).post("/gigs/new/", gig_post(cover=upload))
    gig = Gig.objects.get()
    assert response.url == f"/gigs/{gig.id}/"
    with Image.open(gig.cover.path) as cover, Image.open(gig.cover_thumbnail.path) as thumb:
        assert (cover.format, cover.size) == ("JPEG", (1600, 1200))
        assert thumb.size == (480, 360)
        assert dict(cover.getexif()) == {} == dict(thumb.getexif())
        assert "exif" not in cover.info
    assert len(stored(media)) == 2
    page = client_for(None).get("/gigs/").content.decode()
    assert gig.cover_thumbnail.url in page
    assert gig.cover.url in client_for(None).get(f"/gigs/{gig.id}/").content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("cover.jpg", b"just some text", content_type="image/jpeg"),
            "This file is not a picture we can use.",
        ),
        (
            SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"\0" * (30 * 1024 * 1024)),
            "The picture is larger than 5 MB.",
        ),
        (
            SimpleUploadedFile("bomb.png", huge_png_header(), content_type="image/png"),
            "The picture may be at most 8000 pixels wide and high.",
        ),
        (
            SimpleUploadedFile(
                "cover.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                content_type="image/svg+xml",
            ),
            "This file is not a picture we can use.",
        ),
        (picture(fmt="GIF", name="cover.gif"), "Upload a JPEG, PNG or WebP picture."),
        (picture(size=(100, 80)), "The picture must be at least 200 pixels wide and high."),
    ],
    ids=["not-an-image", "30-mb", "20000-px", "svg-with-script", "gif", "tiny"],
)
def test_a_bad_upload_is_refused_on_the_form_and_nothing_is_stored(seller, media, upload, message):
    response = client_for(seller).post("/gigs/new/", gig_post(cover=upload))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Poster"' in page  # what was typed stays
    assert not Gig.objects.exists()
    assert stored(media) == []


def test_a_new_cover_replaces_the_old_files_and_a_refused_one_changes_nothing(
    seller, media, django_capture_on_commit_callbacks
):
    gig = services.create_gig(
        actor=seller,
        title="Poster",
        description="A poster.",
        base_price_cents=4000,
        cover=picture(),
    )
    old = set(stored(media))
    assert len(old) == 2
    client = client_for(seller)
    bad = SimpleUploadedFile("x.jpg", b"nope")
    client.post(f"/gigs/{gig.id}/edit/", gig_post(cover=bad))
    assert set(stored(media)) == old
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/gigs/{gig.id}/edit/", gig_post(cover=picture(fmt="PNG", name="new.png")))
    gig.refresh_from_db()
    now = set(stored(media))
    assert len(now) == 2
    assert now.isdisjoint(old)  # the old files went with the change
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/gigs/{gig.id}/edit/", gig_post(**{"cover-clear": "on"}))
    gig.refresh_from_db()
    assert not gig.cover
    assert stored(media) == []


def test_thumbnails_add_no_queries_to_the_list(seller, buyer, order):
    make_gig(seller, title="Plain")
    services.create_gig(
        actor=seller,
        title="With cover",
        description="d",
        base_price_cents=1000,
        cover=picture(),
    )
    client = client_for(buyer)
    few = count_queries(client, "/gigs/")
    grow_marketplace(buyer=buyer, seller=seller, conversation=order.conversation)
    for i in range(3):
        services.create_gig(
            actor=seller,
            title=f"Cover {i}",
            description="d",
            base_price_cents=1000,
            cover=picture(),
        )
    assert count_queries(client, "/gigs/") == few


def test_the_api_gives_the_cover_and_its_thumbnail(seller, buyer):
    plain = make_gig(seller, title="Plain")
    covered = services.create_gig(
        actor=seller, title="Covered", description="d", base_price_cents=1000, cover=picture()
    )
    rows = {row["id"]: row for row in as_user(buyer).get("/api/gigs/").json()["results"]}
    assert (rows[plain.id]["cover"], rows[plain.id]["cover_thumbnail"]) == (None, None)
    assert rows[covered.id]["cover"] == f"http://testserver{covered.cover.url}"
    assert rows[covered.id]["cover_thumbnail"] == f"http://testserver{covered.cover_thumbnail.url}"
