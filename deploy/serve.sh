#!/usr/bin/env bash
# `make serve`: the production stack on this machine — gunicorn (DJANGO_DEBUG=0) on PostgreSQL
# and Redis behind nginx with a self-signed certificate: https://localhost:8443/ (HTTP on 8080).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
command -v nginx >/dev/null || { [ "$(id -u)" = 0 ] && apt-get update -qq && \
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null; }
mkdir -p .serve/tls
[ -s .serve/tls/cert.pem ] || openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
  -keyout .serve/tls/key.pem -out .serve/tls/cert.pem 2>/dev/null
[ -s .serve/secret_key ] || python3 -c 'import secrets; print(secrets.token_urlsafe(50))' >.serve/secret_key
export DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$(cat .serve/secret_key)" TRUSTED_PROXIES=1
export DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-localhost,127.0.0.1}"
export DJANGO_CSRF_TRUSTED_ORIGINS="${DJANGO_CSRF_TRUSTED_ORIGINS:-https://localhost:8443}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cnrs_intl}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
.venv/bin/python manage.py collectstatic --no-input -v0
.venv/bin/python manage.py migrate --no-input -v0
deploy/render-nginx.sh .serve/nginx.conf
nginx -c "$root/.serve/nginx.conf" -p "$root/.serve/nginx" -g 'daemon off;' &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true' EXIT
echo "Serving https://localhost:8443/ (self-signed certificate)"
.venv/bin/gunicorn -c deploy/gunicorn.conf.py --no-control-socket cnrs_intl.wsgi
