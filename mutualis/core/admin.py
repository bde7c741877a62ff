from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutualis.core.forms import model_formfield
from mutualis.core.models import User


class FrenchFieldsMixin:
    """The admin reads numbers and dates like the application's forms (core.forms): text
    inputs read by core.numbers, never the browser's number input, dates from 1900 to 2100."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.choices or db_field.is_relation:
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.DecimalField | models.IntegerField):
            return model_formfield(db_field, **kwargs)
        is_date = not isinstance(db_field, models.DateTimeField)
        if isinstance(db_field, models.DateField) and is_date:
            return model_formfield(db_field, **{"widget": widgets.AdminDateWidget, **kwargs})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ModelAdmin(FrenchFieldsMixin, admin.ModelAdmin):
    """The project's ModelAdmin (see FrenchFieldsMixin)."""


class TabularInline(FrenchFieldsMixin, admin.TabularInline):
    """The project's TabularInline (see FrenchFieldsMixin)."""


@admin.register(User)
class MutualisUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "operator_role", "is_active")
    list_filter = ("operator_role", "is_active", "is_staff")
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Opérateur"), {"fields": ("operator_role",)}),
    )
