"""Reports: how submissions, leads and deals split by source, medium, campaign and channel."""


import sqlalchemy as sa
from flask import render_template, request

from server.extensions import db
from server.models import Submission, Touch
from server.webapp import bp

REPORT_DIMENSIONS = {"source": "Source", "medium": "Medium", "campaign": "Campaign",
                     "channel": "Channel"}


@bp.route("/reports")
def reports():
    """Submissions counted by one dimension of their conversion touch."""
    dimension = request.args.get("by", "source")
    if dimension not in REPORT_DIMENSIONS:
        dimension = "source"
    column = getattr(Touch, dimension)
    rows = db.session.execute(
        sa.select(column, sa.func.count(Submission.id).label("submissions"))
        .select_from(Submission)
        .outerjoin(Touch, Submission.conversion_id == Touch.id)
        .group_by(column)
        .order_by(sa.func.count(Submission.id).desc(), column)
    ).all()
    total = sum(row.submissions for row in rows)
    return render_template("reports.html", rows=rows, total=total, dimension=dimension,
                           dimensions=REPORT_DIMENSIONS)
