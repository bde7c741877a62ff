"""A sensor's building or equipment gets a field of its own: it was the part of the sensor's
name before its first comma (« École Jules-Ferry, salle 2 » → « École Jules-Ferry »), which
fills it for the sensors already registered."""

from django.db import migrations, models

BATCH = 2000


def building_from_name(apps, schema_editor):
    Sensor = apps.get_model("iot", "Sensor")
    rows = list(Sensor.objects.filter(building="").values_list("pk", "name"))
    changed = [
        Sensor(pk=pk, building=name.split(",", 1)[0].strip()[:200]) for pk, name in rows
    ]
    changed = [sensor for sensor in changed if sensor.building]
    Sensor.objects.bulk_update(changed, ["building"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("iot", "0006_rollup_fillfactor")]

    operations = [
        migrations.AlterField(
            model_name="sensor",
            name="name",
            field=models.CharField(
                help_text="Par exemple « École Jules-Ferry, chaufferie ».",
                max_length=200,
                verbose_name="libellé",
            ),
        ),
        migrations.AddField(
            model_name="sensor",
            name="building",
            field=models.CharField(
                blank=True,
                help_text="Ce qui regroupe les capteurs d'un même lieu, par exemple « École Jules-Ferry ».",
                max_length=200,
                verbose_name="Bâtiment ou équipement",
            ),
        ),
        migrations.AddIndex(
            model_name="sensor",
            index=models.Index(fields=["member", "building"], name="iot_sensor_building"),
        ),
        migrations.RunPython(building_from_name, migrations.RunPython.noop),
    ]
