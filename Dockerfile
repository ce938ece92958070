# CNRS International: the application image (gunicorn). nginx, PostgreSQL and Redis are their own
# services in compose.yaml. Not built on the development machines (no Docker engine there).
FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/app/.venv \
    DJANGO_DEBUG=0 TRUSTED_PROXIES=1
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends gettext postgresql-client \
    && rm -rf /var/lib/apt/lists/* && pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-install-project
COPY . .
RUN msgfmt --check -o locale/fr/LC_MESSAGES/django.mo locale/fr/LC_MESSAGES/django.po \
    && DJANGO_SECRET_KEY=build-only .venv/bin/python manage.py collectstatic --no-input -v0
RUN useradd --system --home /app app && mkdir -p /app/media && chown app /app/media
USER app
EXPOSE 8000
CMD [".venv/bin/gunicorn", "-c", "deploy/gunicorn.conf.py", "--no-control-socket", "--bind", "0.0.0.0:8000", "cnrs_intl.wsgi"]
