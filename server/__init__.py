"""Leadtrail: conversion tracking that shows where every lead came from."""

import logging
import os

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from server.config import config_from_environment
from server.extensions import csrf, db, limiter, login_manager, migrate
from server.sessions import AppSessionInterface

__all__ = ["create_app"]

MIGRATIONS_DIRECTORY = os.path.join(os.path.dirname(__file__), "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure a Leadtrail application."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config_from_environment(app.instance_path))
    if test_config is not None:
        app.config.from_mapping(test_config)

    app.session_interface = AppSessionInterface()
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIRECTORY)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    from server import models  # noqa: F401  register the models with SQLAlchemy
    from server.api import register_api
    from server.ingest import bp as ingest_bp
    from server.tracker import bp as tracker_bp
    from server.webapp import bp as webapp_bp

    app.register_blueprint(tracker_bp)
    app.register_blueprint(ingest_bp)
    app.register_blueprint(webapp_bp)
    register_api(app)

    from server.cli import register_commands

    register_commands(app)
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    return app


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    """WAL and a busy timeout let the form endpoint and the app share one SQLite file."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
