"""`make demo` shows the product as production would: DEBUG off, static files by WhiteNoise."""

import os
import subprocess
import sys

READ_SETTINGS = (
    "from django.conf import settings; "
    "print(settings.DEBUG, settings.STORAGES['staticfiles']['BACKEND'], "
    "'whitenoise.middleware.WhiteNoiseMiddleware' in settings.MIDDLEWARE)"
)


def test_the_demo_runs_with_debug_off_whatever_the_environment():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mutualis.config.settings.demo", "DEBUG": "true"}
    done = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == [
        "False",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "True",
    ]
