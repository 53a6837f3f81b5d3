"""Clients logged in as one of the cast (None: an anonymous visitor), and a query counter."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient


def client_for(user):
    """A browser-like client for the pages, with a session."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def as_user(user):
    """An API client authenticated as `user`."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)
