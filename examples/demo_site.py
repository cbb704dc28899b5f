"""The demo landing site: ``python -m examples.demo_site --port 8000 --leadtrail URL``.

A small company website with Leadtrail installed the way the README says: the script tag on
every page and a signup form posting to Leadtrail's ``/f/FORM_KEY``. The site and form keys
come from the Leadtrail database (set up here if ``examples.setup_demo`` has not run yet).
"""

import argparse

from flask import Flask, render_template

from server import create_app
from server.demo import DemoSetup, ensure_demo_setup

PAGES = {
    "/": ("home.html", "Attribution you can trust"),
    "/pricing": ("pricing.html", "Pricing"),
    "/blog/utm-naming-guide": ("blog_post.html", "A naming guide for UTM parameters"),
    "/signup": ("signup.html", "Start your free trial"),
    "/webinar": ("webinar.html", "Webinar: Attribution 101"),
    "/thanks": ("thanks.html", "Thank you"),
}


def create_demo_site(leadtrail_url: str, setup: DemoSetup) -> Flask:
    """The demo site's Flask app, with the install filled in."""
    site = Flask(__name__)
    leadtrail_url = leadtrail_url.rstrip("/")

    @site.context_processor
    def install() -> dict:
        """What every page needs to run Leadtrail."""
        return {"leadtrail_url": leadtrail_url, "setup": setup, "pages": PAGES}

    def page(path: str) -> str:
        """Render one of the site's pages."""
        template, title = PAGES[path]
        return render_template(template, title=title, path=path)

    for path in PAGES:
        site.add_url_rule(path, path, page, defaults={"path": path})
    return site


def main(argv: list[str] | None = None) -> None:
    """Serve the demo site."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--leadtrail", default="http://localhost:5000",
                        help="the Leadtrail server's URL, as browsers reach it")
    args = parser.parse_args(argv)

    app = create_app()
    with app.app_context():
        setup = ensure_demo_setup(demo_port=args.port)
    site = create_demo_site(args.leadtrail, setup)
    print(f"Demo site on http://localhost:{args.port}/ (Leadtrail at {args.leadtrail})")
    site.run(host=args.host, port=args.port)


if __name__ == "__main__":
    main()
