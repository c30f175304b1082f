"""/healthz answers load balancers, which call by IP over plain HTTP, with the state of the database and cache."""

import pytest

from .servers import free_port


def closed_port_cache(backend="cms.cache.TolerantRedisCache"):
    return {
        "default": {
            "BACKEND": backend,
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def like_production(settings):
    """Host validation and the HTTPS redirect on, as in production."""
    settings.ALLOWED_HOSTS = ["book.example.org"]
    settings.SECURE_SSL_REDIRECT = True


@pytest.mark.django_db
def test_healthy_server_answers_an_ip_over_plain_http(client, like_production):
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_only_the_exact_path_is_answered(client, like_production):
    assert client.get("/healthz/", HTTP_HOST="10.0.0.7").status_code == 400
    assert client.get("/healthz", HTTP_HOST="book.example.org").status_code == 200
    assert client.get("/api/v1/locales/", HTTP_HOST="book.example.org").status_code == 301


@pytest.mark.django_db
@pytest.mark.parametrize(
    "backend", ["cms.cache.TolerantRedisCache", "django.core.cache.backends.redis.RedisCache"]
)
def test_unreachable_cache_is_named(client, settings, like_production, backend):
    settings.CACHES = closed_port_cache(backend)
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "error"}
    assert response["Cache-Control"] == "no-store"
