"""Fill German translations into locale/de/LC_MESSAGES/django.po from a JSON file.

    .venv/bin/python scripts/fill_translations.py translations.json

The JSON maps each English msgid to its German text (a list for plural forms). Entries given
here replace what is there and lose their fuzzy mark; everything else is left alone. The test
suite fails on any untranslated or fuzzy entry, so this is how new strings get translated
after `make makemessages`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "de" / "LC_MESSAGES" / "django.po"


def main(source: str) -> None:
    german = json.loads(Path(source).read_text(encoding="utf-8"))
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file)
    for message in catalogue:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in german:
            value = german[key]
            message.string = tuple(value) if isinstance(value, list) else value
            message.flags.discard("fuzzy")
    with CATALOGUE.open("wb") as file:
        write_po(file, catalogue, width=100, include_previous=False)


if __name__ == "__main__":
    main(sys.argv[1])
