"""`make demo` and `make serve` run collectstatic with the production storage (whitenoise's
compressed manifest), which follows every url() and source map a file names: one missing
file stops the demo before it serves anything. The test settings use a plain storage, so this
test runs the production one."""

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

PRODUCTION_STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_collectstatic_with_the_production_storage(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text(encoding="utf-8")
    assert "vendor/accessible-autocomplete/accessible-autocomplete.min.js" in manifest
    assert "js/searchable-select.js" in manifest
