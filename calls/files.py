"""Serving a recording's file without ever giving it a public URL (C-11).

On the file system it streams through Django with HTTP range requests (players seek, and Safari
insists on ranges for media); on a storage with signed URLs (S3) the browser is redirected to a
presigned URL that lives at most `RECORDING_URL_SECONDS`. Callers have checked who may read it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase

from calls.models import Recording
from core.errors import DomainError

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def serve_recording(
    request: HttpRequest, recording: Recording, *, transcript: bool = False
) -> HttpResponseBase:
    """A readable recording's media file, or its transcript (404 when it has none): for its
    participants, and for staff through their audited link. Callers have checked both."""
    if transcript:
        if not recording.transcript:
            raise Http404
        return serve(
            request,
            recording.transcript,
            content_type="text/vtt",
            filename=f"call-{recording.call_id}.vtt",
        )
    extension = str(recording.media.name).rsplit(".", 1)[-1]
    return serve(
        request,
        recording.media,
        content_type=recording.media_type,
        filename=f"call-{recording.call_id}.{extension}",
    )


def refusal(error: DomainError) -> HttpResponse:
    """A refusal where a player asked for the file: the status says it all, the words are for
    whoever opens the link."""
    return HttpResponse(
        error.detail, status=error.status_code, content_type="text/plain; charset=utf-8"
    )


def serve(
    request: HttpRequest, file: FieldFile, *, content_type: str, filename: str
) -> HttpResponseBase:
    storage, name = file.storage, str(file.name)
    if not isinstance(storage, FileSystemStorage):
        # django-storages' S3 storage signs the URL for `expire` seconds.
        url = storage.url(name, expire=settings.RECORDING_URL_SECONDS)  # type: ignore[call-arg]
        return _private(HttpResponseRedirect(url))
    size = storage.size(name)
    handle = storage.open(name, "rb")
    wanted = RANGE.match(request.headers.get("Range", "").strip())
    if wanted is None or not (wanted.group(1) or wanted.group(2)):
        response: HttpResponseBase = FileResponse(
            handle, content_type=content_type, filename=filename
        )
        response["Accept-Ranges"] = "bytes"
        return _private(response)
    first, last = wanted.groups()
    if first == "":  # the last N bytes
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    if start >= size or start > end:
        handle.close()
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return _private(refused)
    handle.seek(start)
    response = FileResponse(
        _part(handle, end - start + 1), content_type=content_type, filename=filename, status=206
    )
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    return _private(response)


def _part(handle: IO[bytes], length: int) -> Iterator[bytes]:
    try:
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()


def _private(response: HttpResponseBase) -> HttpResponseBase:
    # A recording is personal: never kept by a shared cache, not even a browser's disk cache.
    response["Cache-Control"] = "private, no-store"
    return response
