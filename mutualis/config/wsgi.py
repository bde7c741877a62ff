import os

from django.core.wsgi import get_wsgi_application

if "DJANGO_SETTINGS_MODULE" not in os.environ:
    raise RuntimeError("Set DJANGO_SETTINGS_MODULE explicitly (mutualis.config.settings.base).")

application = get_wsgi_application()
