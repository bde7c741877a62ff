from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from mutualis.core.models import User


@admin.register(User)
class MutualisUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "operator_role", "is_active")
    list_filter = ("operator_role", "is_active", "is_staff")
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Opérateur"), {"fields": ("operator_role",)}),
    )
