import pytest


def test_health_answers_ok(client):
    response = client.get("/-/health/")
    assert (response.status_code, response.content) == (200, b"ok")


@pytest.mark.django_db
def test_bench_hello_is_off_unless_asked_for(client):
    assert client.get("/-/hello/").status_code == 404
