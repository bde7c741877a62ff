"""`make serve`: the gunicorn settings read the environment as the README says."""

import importlib
import multiprocessing

import mutualis.config.gunicorn as gunicorn_settings


def reload(monkeypatch, **env):
    for name in ("WEB_CONCURRENCY", "BIND", "WEB_TIMEOUT", "ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return importlib.reload(gunicorn_settings)


def test_workers_default_to_twice_the_cores_plus_one(monkeypatch):
    settings = reload(monkeypatch)
    assert settings.workers == 2 * multiprocessing.cpu_count() + 1
    assert (settings.bind, settings.timeout, settings.preload_app) == ("127.0.0.1:8000", 60, True)


def test_the_environment_sets_workers_address_and_timeout(monkeypatch):
    settings = reload(monkeypatch, WEB_CONCURRENCY="3", BIND="0.0.0.0:8080", WEB_TIMEOUT="30")
    assert (settings.workers, settings.bind, settings.timeout) == (3, "0.0.0.0:8080", 30)
    reload(monkeypatch)


def test_the_wsgi_application_loads_with_whitenoise_first_after_security():
    from django.conf import settings

    from mutualis.config.wsgi import application

    assert application is not None
    assert settings.MIDDLEWARE[:2] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
