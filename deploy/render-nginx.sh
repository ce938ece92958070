#!/usr/bin/env bash
# Writes an nginx configuration from deploy/nginx.conf.template: render-nginx.sh OUT.conf
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
export NGINX_PREFIX="${NGINX_PREFIX:-$root/.serve/nginx}"
export APP_UPSTREAM="${APP_UPSTREAM:-127.0.0.1:8000}"
export SERVER_NAME="${SERVER_NAME:-localhost}"
export HTTP_PORT="${HTTP_PORT:-8080}" HTTPS_PORT="${HTTPS_PORT:-8443}"
export TLS_CERT="${TLS_CERT:-$root/.serve/tls/cert.pem}" TLS_KEY="${TLS_KEY:-$root/.serve/tls/key.pem}"
export STATIC_ROOT="${STATIC_ROOT:-$root/staticfiles}" MEDIA_ROOT="${MEDIA_ROOT:-$root/media}"
mkdir -p "$NGINX_PREFIX"
vars='${NGINX_PREFIX} ${APP_UPSTREAM} ${SERVER_NAME} ${HTTP_PORT} ${HTTPS_PORT} ${TLS_CERT} ${TLS_KEY} ${STATIC_ROOT} ${MEDIA_ROOT}'
envsubst "$vars" <"$here/nginx.conf.template" >"$1"
