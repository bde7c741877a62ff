"""Admin views of the territory: read-only, the data comes from `mutualis territory load`."""

from django.contrib import admin

from mutualis.core.admin import ModelAdmin
from mutualis.core.text import normalize_name
from mutualis.territory.models import Commune, Departement, Epci, Region


class ReadOnlyAdmin(ModelAdmin):
    """Browse and search only: rows are created and updated by the loader."""

    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NormalizedSearchMixin:
    """Also match the accent-free name: "saint emilion" finds "Saint-Émilion"."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        normalized = normalize_name(search_term)
        if normalized:
            results |= queryset.filter(search_name__contains=normalized)
        return results, may_have_duplicates


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Departement)
class DepartementAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["=code", "name"]


@admin.register(Epci)
class EpciAdmin(NormalizedSearchMixin, ReadOnlyAdmin):
    list_display = ["name", "siren", "kind", "population"]
    list_filter = ["kind"]
    search_fields = ["=siren", "name"]


@admin.register(Commune)
class CommuneAdmin(NormalizedSearchMixin, ReadOnlyAdmin):
    list_display = ["name", "insee_code", "siren", "population", "departement", "epci"]
    list_filter = ["departement__region", "departement"]
    list_select_related = ["departement", "epci"]
    search_fields = ["=insee_code", "=siren", "name", "=epci__siren"]
    raw_id_fields = ["departement", "epci"]
