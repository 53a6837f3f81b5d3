"""M-1: the C-9 conduct rules as the first warning types, in English and German. Staff add
more in the admin; removing the migration's rows again leaves types that warnings use alone."""

from typing import Any

from django.db import migrations

TYPES = [
    (
        "inappropriate_language",
        "Inappropriate language",
        "Unangemessene Sprache",
        "Keep your language professional in messages and calls.",
        "Bleib in Nachrichten und Anrufen bei einer professionellen Sprache.",
    ),
    (
        "offensive_comments",
        "Offensive comments",
        "Anstößige Kommentare",
        "Comments about gender, gender identity, sexual orientation, disability, mental "
        "illness, appearance, body size, race, religion, accent, dialect or nationality are "
        "not allowed.",
        "Kommentare über Geschlecht, Geschlechtsidentität, sexuelle Orientierung, Behinderung, "
        "psychische Erkrankungen, Aussehen, Körpergröße, Herkunft, Religion, Akzent, Dialekt "
        "oder Nationalität sind nicht erlaubt.",
    ),
    (
        "hate_or_harassment",
        "Hate speech or harassment",
        "Hassrede oder Belästigung",
        "Hate speech and harassment of any kind are not allowed.",
        "Hassrede und Belästigung jeder Art sind nicht erlaubt.",
    ),
    (
        "adult_content",
        "Adult content",
        "Inhalte für Erwachsene",
        "Adult content, nudity and sexual activity of any kind are not allowed.",
        "Inhalte für Erwachsene, Nacktheit und sexuelle Handlungen jeder Art sind nicht erlaubt.",
    ),
    (
        "threats",
        "Threats of violence",
        "Gewaltandrohungen",
        "Threatening anyone with violence is not allowed.",
        "Gewaltandrohungen gegen andere sind nicht erlaubt.",
    ),
    (
        "prohibited_services",
        "Prohibited services",
        "Verbotene Dienstleistungen",
        "Neither offer nor ask for services that the marketplace prohibits.",
        "Biete keine Dienstleistungen an, die auf dem Marktplatz verboten sind, und frag nicht "
        "danach.",
    ),
    (
        "off_platform",
        "Moving business off the platform",
        "Geschäfte außerhalb der Plattform",
        "Keep all communication and payments on the platform.",
        "Wickle deine gesamte Kommunikation und alle Zahlungen über die Plattform ab.",
    ),
    (
        "personal_data",
        "Requests for personal or payment data",
        "Fragen nach persönlichen oder Zahlungsdaten",
        "Do not ask for personal or payment details the order does not need.",
        "Frag nicht nach persönlichen Daten oder Zahlungsdaten, die der Auftrag nicht braucht.",
    ),
]


def seed(apps: Any, schema_editor: Any) -> None:
    WarningType = apps.get_model("moderation", "WarningType")
    for code, name_en, name_de, rule_en, rule_de in TYPES:
        WarningType.objects.update_or_create(
            code=code,
            defaults={
                "name_en": name_en,
                "name_de": name_de,
                "rule_en": rule_en,
                "rule_de": rule_de,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("moderation", "0003_sanctions")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
