"""Gig covers: an upload is checked before anything is stored (type by its content, file size,
dimensions; Pillow's decompression-bomb guard), then re-encoded as JPEG — which drops EXIF and
every other piece of metadata (a phone photo's GPS position, say) — once at full size and once
as the list's thumbnail. Stored through Django's storage API, so S3 is a setting
(`MEDIA_STORAGE_BACKEND`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import error_for
from marketplace.errors import INVALID_IMAGE

# What a cover may be made from; the type is read from the content, never from the name.
FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
MIN_SIDE = 200
MAX_SIDE = 8000
# Decoded pixels a cover may have (8000 x 5000): bounds the memory one upload can take.
MAX_PIXELS = 40_000_000
COVER_BOX = (1600, 1600)  # the cover keeps its shape within this
THUMBNAIL = (480, 360)  # the list's cards: 4:3, cropped to fill
JPEG_QUALITY = 85
ORIENTATION = 0x0112  # the EXIF tag


@dataclass(frozen=True)
class Cover:
    full: ContentFile[bytes]
    thumbnail: ContentFile[bytes]


def _refuse(message: str) -> Exception:
    return error_for(INVALID_IMAGE, message)


def prepare_cover(upload: UploadedFile[bytes]) -> Cover:
    """The cover and its thumbnail, ready to store; DomainError `invalid_image` (400) saying
    what is wrong otherwise. Nothing is written anywhere."""
    limit = settings.GIG_COVER_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise _refuse(_("The picture is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    too_large = _("The picture may be at most %(max)s pixels wide and high.") % {"max": MAX_SIDE}
    try:
        with Image.open(upload) as image:  # reads the header only
            if image.format not in FORMATS:
                raise _refuse(_("Upload a JPEG, PNG or WebP picture."))
            width, height = image.size
            if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
                raise _refuse(too_large)
            if min(width, height) < MIN_SIDE:
                raise _refuse(
                    _("The picture must be at least %(min)s pixels wide and high.")
                    % {"min": MIN_SIDE}
                )
            # A JPEG decodes straight at (about) the size we keep, not at full size.
            image.draft("RGB", (COVER_BOX[0] * 2, COVER_BOX[1] * 2))
            image.load()  # decodes: a damaged file fails here
            # Honour the camera's rotation (the upload's EXIF); the result keeps no metadata.
            rotated = image.getexif().get(ORIENTATION, 1) != 1
            pixels = _on_white(ImageOps.exif_transpose(image) if rotated else image)
    except Image.DecompressionBombError:  # Pillow refuses to even open such a size
        raise _refuse(too_large) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _refuse(_("This file is not a picture we can use.")) from None
    full = pixels.copy()
    full.thumbnail(COVER_BOX)
    return Cover(full=_jpeg(full), thumbnail=_jpeg(ImageOps.fit(pixels, THUMBNAIL)))


def _on_white(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> ContentFile[bytes]:
    # Saved without `exif=`: the new file carries no metadata of the upload.
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
