"""Configuration read from the environment, with defaults that work on a laptop."""

import os
import secrets
from datetime import timedelta


def config_from_environment(instance_path: str) -> dict:
    """Return the app configuration for this environment."""
    default_database = "sqlite:///" + os.path.join(instance_path, "leadtrail.sqlite3")
    return {
        "SECRET_KEY": os.environ.get("LEADTRAIL_SECRET_KEY") or instance_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("LEADTRAIL_DATABASE_URL", default_database)
        ),
        "RATELIMIT_STORAGE_URI": os.environ.get("LEADTRAIL_RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LEADTRAIL_FORM_RATE_LIMIT": os.environ.get("LEADTRAIL_FORM_RATE_LIMIT", "60/minute"),
        # Form posts are small; anything larger is abuse or a mistake.
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("LEADTRAIL_SECURE_COOKIES", "0") == "1",
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        "WTF_CSRF_TIME_LIMIT": None,
        "API_TITLE": "Leadtrail API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
    }


def normalise_database_url(url: str) -> str:
    """Make plain ``postgresql://`` URLs use psycopg 3, the driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_secret_key(instance_path: str) -> str:
    """A random key kept in the instance folder, made on first start.

    One machine works out of the box; several app instances must share LEADTRAIL_SECRET_KEY.
    """
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        temporary = f"{path}.{os.getpid()}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(48))
        try:
            # A hard link appears whole or not at all: concurrent first starts keep one key.
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    with open(path, encoding="ascii") as file:
        return file.read().strip()
