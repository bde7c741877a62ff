"""Local development: DEBUG on, plain HTTP on 127.0.0.1 (the demo turns DEBUG off: demo.py)."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-not-secret-mutualis-demo-key-0123456789")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from mutualis.config.settings.base import *  # noqa: F403
