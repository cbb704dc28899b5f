"""Simultaneous first submissions of one person: one contact, one company, every submission kept."""

import logging
import threading
import uuid

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from server.extensions import db
from server.models import Company, Contact, Submission

POSTS = 4


@pytest.fixture
def all_read_before_any_write():
    """Hold each request's first flush until every request has looked for the contact.

    That forces the race the endpoint must survive: all of them saw no contact and no company.
    """
    barrier = threading.Barrier(POSTS, timeout=10)
    waited = threading.local()

    def hold_first_flush(session, flush_context, instances):
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()

    sa.event.listen(so.Session, "before_flush", hold_first_flush)
    yield
    sa.event.remove(so.Session, "before_flush", hold_first_flush)


def test_simultaneous_posts_of_a_new_person(app, site, all_read_before_any_write, caplog):
    """Racing posts of one new e-mail and company all succeed and create each row once."""
    caplog.set_level(logging.INFO, logger="server.ingest.service")
    form_url = site.form_url
    results: list[tuple[int, dict]] = []

    def post() -> None:
        client = app.test_client()
        body = {"email": "race@example.com", "company": "Race Ltd",
                "lt_submission_id": uuid.uuid4().hex}
        response = client.post(form_url, json=body, headers={"Origin": "https://site.test"})
        results.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=post) for _ in range(POSTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [status for status, _ in results] == [201] * POSTS, results
    bodies = [body for _, body in results]
    assert sum(body["created_contact"] for body in bodies) == 1
    assert sum(body["created_company"] for body in bodies) == 1
    assert len({body["contact_id"] for body in bodies}) == 1
    db.session.expire_all()
    counts = [db.session.scalar(sa.select(sa.func.count()).select_from(model))
              for model in (Contact, Company, Submission)]
    assert counts == [1, 1, POSTS]
    # The losers really did collide on the unique e-mail and took the retry path.
    assert sum("raced another write" in message for message in caplog.messages) == POSTS - 1
