"""The French administrative territory, loaded from the shipped official open data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mutualis.core.text import normalize_name


class Region(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("région")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Departement(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")

    class Meta:
        verbose_name = _("département")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EpciKind(models.TextChoices):
    CC = "CC", _("Communauté de communes")
    CA = "CA", _("Communauté d'agglomération")
    CU = "CU", _("Communauté urbaine")
    METRO = "METRO", _("Métropole")
    MET69 = "MET69", _("Métropole de Lyon")


class Epci(models.Model):
    """An EPCI à fiscalité propre, identified by its SIREN."""

    siren = models.CharField(_("SIREN"), max_length=9, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=5, choices=EpciKind.choices)
    population = models.PositiveIntegerField(_("population"), default=0)
    # Lower-case, accent-free name for searching; kept by save() and by the loader.
    search_name = models.CharField(_("nom normalisé"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = normalize_name(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)


class Commune(models.Model):
    insee_code = models.CharField(_("code INSEE"), max_length=5, unique=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, db_index=True)
    name = models.CharField(_("nom"), max_length=200)
    population = models.PositiveIntegerField(_("population"), default=0)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(
        Epci, on_delete=models.SET_NULL, null=True, blank=True, related_name="communes"
    )
    # Lower-case, accent-free name for searching; kept by save() and by the loader.
    search_name = models.CharField(_("nom normalisé"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("commune")
        ordering = ["name"]
        indexes = [models.Index(fields=["departement", "name"], name="commune_departement_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.insee_code})"

    def save(self, *args, **kwargs):
        self.search_name = normalize_name(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)
