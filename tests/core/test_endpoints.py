import pytest


def test_health_answers_ok(client):
    response = client.get("/-/health/")
    assert (response.status_code, response.content) == (200, b"ok")


@pytest.mark.django_db
def test_bench_hello_is_off_unless_asked_for(client):
    assert client.get("/-/hello/").status_code == 404


@pytest.mark.django_db
def test_ready_when_the_database_is_migrated_and_the_cache_works(client):
    response = client.get("/-/ready/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "cache": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_not_ready_names_what_fails(client, monkeypatch):
    from cityzero.core import views

    monkeypatch.setitem(views.READINESS_CHECKS, "migrations", lambda: False)
    monkeypatch.setitem(views.READINESS_CHECKS, "cache", lambda: 1 / 0)
    response = client.get("/-/ready/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready",
        "checks": {"database": "ok", "migrations": "failed", "cache": "failed"},
    }


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'",
                      "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"):  # fmt: skip
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_cached_public_pages_keep_the_policy(client):
    first, second = client.get("/cities/"), client.get("/cities/")
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
