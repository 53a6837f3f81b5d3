from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "de" / "LC_MESSAGES" / "django.po"


def test_every_german_message_is_translated_and_none_is_fuzzy():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="de")
    untranslated = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []


def test_placeholders_survive_translation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="de")
    for message in catalogue:
        if message.id and "%(" in str(message.id):
            for name in ("%(name)s", "%(value)s"):
                assert (name in str(message.id)) == (name in str(message.string)), message.id
