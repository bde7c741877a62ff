"""Gunicorn settings for production (`make serve`): `-c python:mutualis.config.gunicorn`.

Workers: ``WEB_CONCURRENCY`` if set, else 2 × cores + 1 (gunicorn's advice for sync workers:
while one worker waits on the database another computes). Sync workers suit pages rendered
in a few tens of milliseconds behind a reverse proxy (nginx) that buffers slow clients.
The application is loaded once before forking (``preload_app``): workers share its memory and
a broken setting fails at start, not at the first request. Static files are served by
WhiteNoise from ``STATIC_ROOT`` (run ``manage.py collectstatic`` first).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
preload_app = True
# A request longer than this is killed (the billing run and imports are background jobs).
timeout = int(os.environ.get("WEB_TIMEOUT", 60))
graceful_timeout = 30
# Workers are replaced after so many requests, staggered, to bound any slow memory growth.
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("ACCESS_LOG", "-")
errorlog = "-"
# Behind the reverse proxy: trust its X-Forwarded-* only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
