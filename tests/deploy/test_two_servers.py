"""Two application servers that agree (issue 13, part 8).

Two gunicorn instances (deploy/gunicorn.conf.py) on different ports, against one PostgreSQL
database (this run's test database) and one Redis, as two servers behind one load balancer:

- a staff member signed in through A is signed in on B (sessions live in the database);
- an abuse limit counted through A is spent on B (the counters live in Redis), for the pages'
  budgets and the API's throttle alike;
- a response cached by a client or proxy and revalidated (``ETag``) is invalidated by an edit
  saved through A when asked of B, and both servers agree on the new validator;
- an edit saved through A's admin is read through B (the API and B's admin).

PostgreSQL and Redis only (CI's PostgreSQL step): skipped, saying why, on SQLite or without a
reachable Redis. The servers run with DJANGO_DEBUG=1 (plain HTTP on loopback, no second factor:
what is shared does not depend on it) and TRUSTED_PROXIES=1, as behind nginx.
"""

import http.cookiejar
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from tests.deploy.servers import app_environment, free_port, start_gunicorn, stop, wait_ready
from tests.factories import ThemeFactory

PASSWORD = "a long enough password, 2 servers"
HOST = {"Host": "localhost"}  # one public name in front of both, as behind a load balancer


def _skip_reason() -> str | None:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return "two servers share a PostgreSQL database: DATABASE_URL is not PostgreSQL"
    if not os.environ.get("REDIS_URL"):
        return "two servers share Redis: REDIS_URL is not set"
    try:
        import redis

        redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=1).ping()
    except Exception as error:  # any failure to reach it
        return f"two servers share Redis: {os.environ['REDIS_URL']} is unreachable ({error})"
    return None


pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=str(_skip_reason()))


def database_url() -> str:
    """This run's test database (pytest-django created it, named test_…), as a URL."""
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


@pytest.fixture
def servers(transactional_db, tmp_path):
    """Two servers, A and B; stopped before the test database is flushed."""
    ports = {"A": free_port(), "B": free_port()}
    processes = {}
    try:
        for name, port in ports.items():
            env = app_environment(
                DJANGO_DEBUG="1",
                DJANGO_TESTING="1",  # the test run's cache key prefix and password hasher
                DJANGO_CONN_MAX_AGE="0",
                DATABASE_URL=database_url(),
                REDIS_URL=os.environ["REDIS_URL"],
                TRUSTED_PROXIES="1",
                LIMIT_SEARCH_RATE="3/hour",
                API_ANON_RATE="4/hour",
                GUNICORN_BIND=f"127.0.0.1:{port}",
                GUNICORN_WORKERS="1",
                MEDIA_ROOT=str(tmp_path / "media"),
            )
            processes[name] = start_gunicorn(env, log=tmp_path / f"gunicorn-{name}.log")
        for name, port in ports.items():
            wait_ready(port, process=processes[name])
        yield {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    finally:
        stop(*processes.values())


class Answer:
    def __init__(self, status: int, headers, body: bytes):
        self.status_code, self.headers, self.text = status, headers, body.decode("utf-8")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


class Browser:
    """A client with its own cookies, shared by every server it talks to (as a browser's are
    for one site name behind a load balancer); redirects are answers."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects
        )

    def request(self, method, url, *, headers=None, data=None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
        try:
            with self.opener.open(request, timeout=20) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read())

    def get(self, url, *, headers=None) -> Answer:
        return self.request("GET", url, headers=headers)

    def post(self, url, *, data, headers=None) -> Answer:
        return self.request("POST", url, headers=headers, data=data)


@pytest.fixture
def agent():
    return Browser()


def wait_out_a_window_edge(seconds: int = 3600, margin: float = 10.0):
    """Fixed windows: do not start counting in the last seconds of one."""
    left = seconds - time.time() % seconds
    if left < margin:
        time.sleep(left + 0.5)


class FormFields(HTMLParser):
    """The fields a browser would send for the form with ``form_id``."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file", "image"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs["name"]
            self.fields.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea:
                self.fields[self._textarea] = self.fields[self._textarea].lstrip("\n")
            self._textarea = None


def form_fields(html: str, form_id: str) -> dict:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


def sign_in(agent, server: str):
    login = agent.get(f"{server}/admin/login/", headers=HOST)
    token = form_fields(login.text, "login-form")["csrfmiddlewaretoken"]
    return agent.post(
        f"{server}/admin/login/?next=/admin/",
        data={"csrfmiddlewaretoken": token, "username": "curator", "password": PASSWORD},
        headers=HOST,
    )


def test_two_servers_share_sessions_limits_cache_validation_and_edits(servers, agent):
    a, b = servers["A"], servers["B"]
    get_user_model().objects.create_superuser("curator", "curator@example.org", PASSWORD)
    theme = ThemeFactory(slug="oceans", name_fr="Océans", name_en="Oceans")

    # -- a staff sign-in on A is a session on B --
    signed_in = sign_in(agent, a)
    assert signed_in.status_code == HTTPStatus.FOUND, signed_in.text[:500]
    assert signed_in.headers["Location"] == "/admin/"
    on_b = agent.get(f"{b}/admin/", headers=HOST)
    assert on_b.status_code == HTTPStatus.OK
    assert "curator" in on_b.text
    stranger = Browser().get(f"{b}/admin/", headers=HOST)
    assert stranger.status_code == HTTPStatus.FOUND  # B does not let just anyone in

    # -- a limit counted through A and B is spent on both --
    wait_out_a_window_edge()
    client = {**HOST, "X-Forwarded-For": "203.0.113.7"}
    other_client = {**HOST, "X-Forwarded-For": "203.0.113.8"}
    search = [agent.get(f"{s}/en/search/?q=ocean", headers=client) for s in (a, b, a, b, a)]
    assert [r.status_code for r in search] == [200, 200, 200, 429, 429]
    assert 1 <= int(search[3].headers["Retry-After"]) <= 3600
    assert agent.get(f"{b}/en/search/?q=ocean", headers=other_client).status_code == 200
    api = [agent.get(f"{s}/api/v1/themes/", headers=client) for s in (b, a, b, a, b)]
    assert [r.status_code for r in api] == [200, 200, 200, 200, 429]
    assert api[4].headers["Content-Type"].startswith("application/json")
    assert "Retry-After" in api[4].headers

    # -- a validator from B is honoured by A; an edit through A invalidates it on B --
    reader = {**HOST, "X-Forwarded-For": "203.0.113.9"}
    before = agent.get(f"{b}/api/v1/themes/?lang=en", headers=reader)
    etag = before.headers["ETag"]
    assert "Oceans" in before.text
    revalidated = agent.get(
        f"{a}/api/v1/themes/?lang=en", headers={**reader, "If-None-Match": etag}
    )
    assert revalidated.status_code == HTTPStatus.NOT_MODIFIED

    change_url = f"/admin/core/theme/{theme.pk}/change/"
    form = agent.get(f"{a}{change_url}", headers=HOST)
    fields = form_fields(form.text, "theme_form")
    assert fields["name_en"] == "Oceans"
    saved = agent.post(
        f"{a}{change_url}",
        data={**fields, "name_en": "Oceans and seas", "_save": "Save"},
        headers={**HOST, "Referer": f"{a}{change_url}"},
    )
    assert saved.status_code == HTTPStatus.FOUND, saved.text[:2000]

    after = agent.get(f"{b}/api/v1/themes/?lang=en", headers={**reader, "If-None-Match": etag})
    assert after.status_code == HTTPStatus.OK
    assert "Oceans and seas" in after.text
    assert after.headers["ETag"] != etag
    again = agent.get(
        f"{a}/api/v1/themes/?lang=en", headers={**reader, "If-None-Match": after.headers["ETag"]}
    )
    assert again.status_code == HTTPStatus.NOT_MODIFIED

    # -- the edit saved through A is read through B's admin as well --
    on_b_admin = form_fields(agent.get(f"{b}{change_url}", headers=HOST).text, "theme_form")
    assert on_b_admin["name_en"] == "Oceans and seas"
