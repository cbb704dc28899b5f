"""Set up the demo: ``python -m examples.setup_demo --port 5000 --demo-port 8000``.

Creates (or brings up to date) the database, the demo admin, the site "Demo site" and its
forms, then prints what to open and how to log in. Safe to run any number of times.
"""

import argparse

from server import create_app
from server.cli import upgrade_database
from server.demo import DemoSetup, ensure_demo_setup

CAMPAIGN_EXAMPLE = "/?utm_source=linkedin&utm_medium=paid_social&utm_campaign=webinar_sept"


def instructions(setup: DemoSetup, leadtrail_url: str) -> str:
    """What to open, and how to log in."""
    return "\n".join([
        "Leadtrail demo is ready.",
        "",
        f"  Demo landing site:  {setup.site_url}/",
        f"  ...from an ad:      {setup.site_url}{CAMPAIGN_EXAMPLE}",
        f"  Leadtrail app:      {leadtrail_url}/login",
        f"  Log in as:          {setup.admin_email} / {setup.admin_password}",
        "",
        f"  Site key: {setup.site_key}   Signup form key: {setup.form_key}",
        "  Simulated traffic:  .venv/bin/leadtrail demo --visitors 300",
    ])


def main(argv: list[str] | None = None) -> None:
    """Set up the demo and print the instructions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5000, help="Leadtrail's port")
    parser.add_argument("--demo-port", type=int, default=8000, help="the demo site's port")
    args = parser.parse_args(argv)

    app = create_app()
    with app.app_context():
        upgrade_database()
        setup = ensure_demo_setup(demo_port=args.demo_port)
    print(instructions(setup, f"http://localhost:{args.port}"))


if __name__ == "__main__":
    main()
