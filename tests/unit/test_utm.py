"""The UTM builder's rules: normalising, near-duplicates, URLs and the channel a link gets."""

import pytest

from server.attribution import channel_for
from server.utm import (
    MEDIA,
    SOURCES,
    build_url,
    check_link,
    comparison_key,
    is_near_duplicate,
    near_duplicates,
    normalise,
)

PAGE = "https://shop.test/landing"


@pytest.mark.parametrize(("typed", "expected"), [
    ("webinar_sept", "webinar_sept"),
    ("  Webinar Sept ", "webinar_sept"),
    ("Webinar   \t Sept", "webinar_sept"),
    ("Spring-Sale", "spring-sale"),
    ("v1.2", "v1.2"),
    ("", ""),
    (None, ""),
    ("   ", ""),
    ("x" * 300, "x" * 255),
    ("webinar\u200b Sept\x00", "webinar_sept"),  # invisible characters go, as on ingestion
])
def test_normalise(typed, expected):
    """Trimmed, lower case, white space as one underscore, capped at 255."""
    assert normalise(typed) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("Webinar-Sept", "webinarsept"),
    ("webinar_sept", "webinarsept"),
    ("linked_in", "linkedin"),
    (" A.B ", "ab"),
])
def test_comparison_key(value, expected):
    """Case, white space and punctuation are ignored."""
    assert comparison_key(value) == expected


@pytest.mark.parametrize(("value", "earlier", "expected"), [
    ("linked_in", "linkedin", True),
    ("Webinar-Sept", "webinar_sept", True),
    ("webinar_setp", "webinar_sept", True),
    ("webinar_septembre", "webinar_september", True),
    ("webinar_sept", "webinar_sept", False),  # the same value is consistent, not a duplicate
    ("Webinar Sept", "webinar_sept", False),  # normalises to the same value
    ("webinar_oct", "webinar_sept", False),
    ("spring_sale_2025", "spring_sale_2024", False),  # numbers are meant
    ("q1", "q2", False),
    ("brand", "generic", False),
    ("", "webinar", False),
    ("---", "webinar", False),
])
def test_is_near_duplicate(value, earlier, expected):
    """Equal but for case/punctuation, or a small edit away."""
    assert is_near_duplicate(value, earlier) is expected


def test_near_duplicates_names_the_closest_earlier_values_first():
    """The closest earlier value comes first; none when the value is already in use."""
    earlier = ["webinar_sept", "webinar_septe", "retarget", None, ""]
    assert near_duplicates("Webinar-Sept", earlier) == ["webinar_sept", "webinar_septe"]
    assert near_duplicates("webinar_sept", earlier) == []
    assert near_duplicates("WEBINAR SEPT", earlier) == []
    assert near_duplicates("brand", earlier) == []
    assert near_duplicates("", earlier) == []
    assert near_duplicates("webinar-sept", ["webinar_sept", "webinar.sept", "webinarsept"],
                           limit=2) == ["webinar.sept", "webinar_sept"]


@pytest.mark.parametrize(("page_url", "values", "expected"), [
    (PAGE, {"source": "google", "medium": "cpc", "campaign": "brand"},
     PAGE + "?utm_source=google&utm_medium=cpc&utm_campaign=brand"),
    (PAGE + "?ref=1&utm_source=old&UTM_MEDIUM=x", {"source": "linkedin", "medium": "paid_social",
                                                  "campaign": "webinar_sept"},
     PAGE + "?ref=1&utm_source=linkedin&utm_medium=paid_social&utm_campaign=webinar_sept"),
    (PAGE + "#pricing", {"source": "newsletter", "medium": "email", "campaign": "may",
                         "term": "", "content": "top_banner"},
     PAGE + "?utm_source=newsletter&utm_medium=email&utm_campaign=may&utm_content=top_banner"
     "#pricing"),
    (PAGE, {"source": "partner", "medium": "referral", "campaign": "a&b=c"},
     PAGE + "?utm_source=partner&utm_medium=referral&utm_campaign=a%26b%3Dc"),
])
def test_build_url(page_url, values, expected):
    """utm_* set in a fixed order, old utm_* dropped, other parameters and fragment kept."""
    assert build_url(page_url, values) == expected


@pytest.mark.parametrize(("source", "medium", "channel"), [
    ("google", "cpc", "Paid Search"),
    ("bing", "cpc", "Paid Search"),
    ("linkedin", "paid_social", "Paid Social"),
    ("facebook", "cpc", "Paid Social"),
    ("linkedin", "social", "Organic Social"),
    ("youtube", "paid_video", "Paid Video"),
    ("newsletter", "email", "Email"),
    ("partner", "affiliate", "Affiliates"),
    ("partner", "referral", "Referral"),
    ("google", "display", "Display"),
    ("google", "organic", "Organic Search"),
])
def test_controlled_values_land_in_the_intended_channel(source, medium, channel):
    """The built-in lists are consistent with the channel grouping."""
    assert source in SOURCES and medium in MEDIA
    check = check_link(PAGE, {"source": source, "medium": medium, "campaign": "c"})
    assert check.channel == channel
    assert channel_for(source, medium) == channel


@pytest.mark.parametrize(("typed", "errors"), [
    ({"source": "google", "medium": "cpc", "campaign": "brand"}, {}),
    ({"source": " Google ", "medium": "CPC", "campaign": "Brand"}, {}),
    ({"source": "linked_in", "medium": "cpc", "campaign": "x"},
     {"source": 'Pick a source from the list. Did you mean "linkedin"?'}),
    ({"source": "myspace", "medium": "cpc", "campaign": "x"},
     {"source": "Pick a source from the list."}),
    ({"source": "google", "medium": "paid social", "campaign": "x"}, {}),
    ({"source": "google", "medium": "ppc", "campaign": "x"},
     {"medium": "Pick a medium from the list."}),
    ({"source": "", "medium": "", "campaign": " "},
     {"source": "A source is needed.", "medium": "A medium is needed.",
      "campaign": "A campaign is needed."}),
])
def test_check_link_errors(typed, errors):
    """Source and medium from the lists, the three main values required; no URL on error."""
    check = check_link(PAGE, typed)
    assert check.errors == errors
    assert (check.url is None) == bool(errors)


def test_check_link_normalises_and_warns_about_earlier_values():
    """Free values are normalised; near-duplicates of earlier values warn but do not block."""
    check = check_link(PAGE, {"source": "LinkedIn", "medium": "paid_social",
                              "campaign": "Webinar-Sept", "term": "Data Teams", "content": ""},
                       earlier_values={"campaign": ["webinar_sept"], "term": ["data_teams"]})
    assert check.values == {"source": "linkedin", "medium": "paid_social",
                            "campaign": "webinar-sept", "term": "data_teams", "content": ""}
    assert check.warnings == {"campaign": ["webinar_sept"]}
    assert check.errors == {}
    assert check.url == (PAGE + "?utm_source=linkedin&utm_medium=paid_social"
                         "&utm_campaign=webinar-sept&utm_term=data_teams")
    assert check.channel == "Paid Social"
