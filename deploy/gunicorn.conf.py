"""gunicorn for CNRS International, behind nginx (deploy/nginx.conf.template).

Start with the control socket off (gunicorn 27 shares one path between instances):
    gunicorn -c deploy/gunicorn.conf.py --no-control-socket cnrs_intl.wsgi
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# nginx buffers whole requests and responses, so a worker only ever talks to nginx: a slow
# client holds an nginx connection, never a worker. The timeouts bound a stuck request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Only nginx may say the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Request line (method, path, query string) up to 8 KB, as nginx's header buffers: Django answers
# a query string over MAX_QUERY_STRING_BYTES (7 KB) with its own 414 page before this applies.
limit_request_line = 8190
limit_request_field_size = 8190
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
