"""The demo (``make demo``): the dev settings with DEBUG off, as a visitor sees production.

Static files are collected first (``collectstatic``) and served by WhiteNoise; a missing page
or an error gets the French 404 and 500 pages, never a traceback. DEBUG stays off whatever the
environment says.
"""

from mutualis.config.settings.dev import *  # noqa: F403

DEBUG = False
