"""The API says how many requests are left: X-RateLimit-Limit, -Remaining and -Reset."""

from http import HTTPStatus

from django.urls import reverse


def test_each_answer_says_how_many_requests_are_left(client, db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min"},
    }
    url = reverse("api:theme-list")

    answers = [client.get(url) for _ in range(4)]

    assert [a.status_code for a in answers] == [HTTPStatus.OK] * 3 + [HTTPStatus.TOO_MANY_REQUESTS]
    assert [a["X-RateLimit-Limit"] for a in answers] == ["3"] * 4
    assert [a["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert all(1 <= int(a["X-RateLimit-Reset"]) <= 60 for a in answers)


def test_the_schema_documents_the_headers(client, db):
    schema = client.get(
        reverse("api:schema"), headers={"accept": "application/vnd.oai.openapi+json"}
    ).json()

    answers = schema["paths"]["/api/v1/instruments/"]["get"]["responses"]
    assert "X-RateLimit-Remaining" in answers["200"]["headers"]
    assert "ETag" in answers["200"]["headers"]
    assert "304" in answers
    assert "X-RateLimit-Limit" in answers["429"]["headers"]


def test_browsers_may_read_the_validators_and_the_rate(client, db):
    response = client.get(reverse("api:theme-list"), headers={"origin": "https://example.org"})

    exposed = {
        name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")
    }
    assert {"etag", "last-modified", "x-ratelimit-remaining"} <= exposed
