"""Each stored recording file keeps the provider's id, unique: a file is stored once."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0004_provider_events"),
    ]

    operations = [
        migrations.AddField(
            model_name="recording",
            name="media_file_id",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="recording",
            name="transcript_file_id",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddConstraint(
            model_name="recording",
            constraint=models.UniqueConstraint(
                condition=models.Q(("media_file_id", ""), _negated=True),
                fields=("media_file_id",),
                name="calls_recording_media_file_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="recording",
            constraint=models.UniqueConstraint(
                condition=models.Q(("transcript_file_id", ""), _negated=True),
                fields=("transcript_file_id",),
                name="calls_recording_transcript_file_once",
            ),
        ),
    ]
