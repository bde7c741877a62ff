from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mutualis.core"
    label = "core"
    verbose_name = "Mutualis"

    def ready(self):
        from django.db import models
        from rest_framework import serializers

        from mutualis.core import serializer_fields

        # The API reads numbers and dates like the forms and the imports, with the one reader
        # of core.numbers: DRF's own DecimalField refuses « 12,5 » and says why in English,
        # its DateField takes the year 20266. Every ModelSerializer builds its fields from this
        # mapping (HyperlinkedModelSerializer shares it), so each model DecimalField and
        # DateField of every serializer gets the project's field, here and nowhere else.
        # A field declared by hand on a serializer uses core.serializer_fields directly.
        mapping = serializers.ModelSerializer.serializer_field_mapping
        mapping[models.DecimalField] = serializer_fields.DecimalField
        mapping[models.DateField] = serializer_fields.DateField
        # Foreign keys are read among the objects the caller may see: another member's id
        # and an id that does not exist get the same « not found ».
        serializers.ModelSerializer.serializer_related_field = serializer_fields.VisibleRelatedField
