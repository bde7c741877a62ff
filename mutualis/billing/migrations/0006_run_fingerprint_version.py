from django.db import migrations, models


class Migration(migrations.Migration):
    """Runs stored before keep their fingerprint, of version 1 (the frames as JSON); new runs
    are fingerprinted over the engine's columns (version 2)."""

    dependencies = [
        ("billing", "0005_correction_bordereaux"),
    ]

    operations = [
        migrations.AddField(
            model_name="allocationrun",
            name="fingerprint_version",
            field=models.PositiveSmallIntegerField(default=1, editable=False),
        ),
        migrations.AlterField(
            model_name="allocationrun",
            name="fingerprint_version",
            field=models.PositiveSmallIntegerField(
                default=2,
                editable=False,
                help_text=(
                    "1 : les données triées et écrites en JSON (calculs anciens) ; 2 : les "
                    "colonnes du moteur."
                ),
                verbose_name="version de l'empreinte",
            ),
        ),
    ]
