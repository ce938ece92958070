"""The shipped nginx configuration in front of gunicorn: a slow client does not hold a worker.

One gunicorn sync worker behind nginx (deploy/nginx.conf.template, rendered by
deploy/render-nginx.sh): while a client trickles its request a byte at a time, another client
is served at once, because nginx reads the whole request before it asks the worker.
"""

import os
import secrets
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.deploy.servers import ROOT, free_port, start_gunicorn, stop, wait_for, wait_ready

pytestmark = pytest.mark.skipif(
    shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
    reason="nginx is not installed (apt-get install -y nginx; .ci/run installs it)",
)


@pytest.fixture
def stack(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    # nginx's workers drop to an unprivileged user: let them read the served folders.
    for folder in [tmp_path, *tmp_path.parents]:
        if str(folder) in ("/", "/tmp"):
            break
        folder.chmod(folder.stat().st_mode | 0o055)
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    tls = tmp_path / "tls"
    tls.mkdir()
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=localhost", "-keyout", tls / "key.pem", "-out", tls / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        NGINX_PREFIX=str(tmp_path / "nginx"),
        APP_UPSTREAM=f"127.0.0.1:{app_port}",
        HTTP_PORT=str(http_port),
        HTTPS_PORT=str(https_port),
        TLS_CERT=str(tls / "cert.pem"),
        TLS_KEY=str(tls / "key.pem"),
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        GUNICORN_BIND=f"127.0.0.1:{app_port}",
        GUNICORN_WORKERS="1",
        DJANGO_DEBUG="1",
    )
    conf = tmp_path / "nginx.conf"
    subprocess.run([ROOT / "deploy/render-nginx.sh", conf], env=env, check=True)
    gunicorn = start_gunicorn(env)
    proxy = subprocess.Popen(
        [nginx, "-c", conf, "-p", tmp_path / "nginx", "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        # The worker loaded and answering, not only the port bound: timings below are the
        # proxy's, not a worker's start.
        wait_ready(app_port, process=gunicorn)
        wait_for(https_port)
        ours_answering(proxy, https_port, tmp_path / "static")
        yield {"app": app_port, "http": http_port, "https": https_port}
    finally:
        stop(proxy, gunicorn)


def ours_answering(proxy, port: int, static: Path):
    """The nginx on ``port`` is this test's (alive, serving this test's file), not another run's
    that took a port freed by ``free_port`` in the meantime."""
    static.mkdir(exist_ok=True)
    token = secrets.token_hex(8)
    (static / f"ready-{token}.txt").write_text(token)
    for _ in range(20):
        assert proxy.poll() is None, f"nginx stopped (port {port} taken?)"
        try:
            _status, _headers = get(port, f"/static/ready-{token}.txt")
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the nginx on {port} is not this test's")


def get(port: int, path="/robots.txt", timeout=5.0):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen(
        f"https://localhost:{port}{path}", context=context, timeout=timeout
    ) as response:
        return response.status, dict(response.headers)


def trickle(port: int, seconds: float, *, tls: bool):
    raw = socket.create_connection(("127.0.0.1", port))
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        raw = context.wrap_socket(raw, server_hostname="localhost")
    request = b"GET /robots.txt HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + b"a" * 200
    deadline = time.monotonic() + seconds
    try:
        for byte in request:
            if time.monotonic() > deadline:
                break
            raw.send(bytes([byte]))
            time.sleep(0.05)
    except OSError:
        pass
    finally:
        raw.close()


def test_http_redirects_to_https(stack):
    connection = socket.create_connection(("127.0.0.1", stack["http"]))
    connection.sendall(b"GET /en/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    answer = connection.recv(4096).decode()
    connection.close()

    assert answer.startswith("HTTP/1.1 301")
    assert f"https://localhost:{stack['https']}/en/" in answer


def test_a_slow_client_does_not_hold_the_only_worker(stack):
    slow = [
        threading.Thread(target=trickle, args=(stack["https"], 6.0), kwargs={"tls": True})
        for _ in range(4)
    ]
    for thread in slow:
        thread.start()
    time.sleep(1.0)

    started = time.monotonic()
    status, _headers = get(stack["https"])
    elapsed = time.monotonic() - started

    for thread in slow:
        thread.join()
    assert status == 200
    assert elapsed < 2.0


def test_static_files_have_a_long_cache(stack, tmp_path):
    static = tmp_path / "static"
    static.mkdir(exist_ok=True)
    (static / "probe.css").write_text("body{}")

    status, headers = get(stack["https"], "/static/probe.css")

    assert status == 200
    assert "max-age=31536000" in headers["Cache-Control"]


def test_media_is_sandboxed_and_non_images_are_attachments(stack, tmp_path):
    media = tmp_path / "media"
    media.mkdir(exist_ok=True)
    (media / "page.html").write_text("<script>alert(1)</script>")
    (media / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    _status, html = get(stack["https"], "/media/page.html")
    _status, image = get(stack["https"], "/media/photo.png")

    assert html["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in html["Content-Security-Policy"]
    assert html["Content-Disposition"] == "attachment"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in image["Content-Security-Policy"]
    assert "Content-Disposition" not in image


def test_answers_through_nginx_carry_what_the_observatory_rewards(stack, tmp_path):
    """The headers behind the scan's extra credit (docs/deploy.md, "MDN HTTP Observatory")."""
    static = tmp_path / "static"
    static.mkdir(exist_ok=True)
    (static / "probe.css").write_text("body{}")

    _status, page = get(stack["https"], "/robots.txt")
    _status, asset = get(stack["https"], "/static/probe.css")

    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in page["Content-Security-Policy"].split(";")
        if directive.strip()
    }
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert page["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert page["Cross-Origin-Resource-Policy"] == "same-site"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert asset["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
