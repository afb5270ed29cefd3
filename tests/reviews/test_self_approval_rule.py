"""Self-approval is decided once, in ``notes.permissions``: the review page offers the
verdict buttons exactly when the service would accept the verdict, with the setting for
one-person teams on and off."""

import pytest
from django.test import override_settings

from notes import permissions
from notes.models import ChangeRequest
from notes.services.reviews import (
    ReviewError,
    change_request_approve,
    change_request_reject,
    change_request_request_changes,
)
from tests.factories import propose_chapter_edit

Status = ChangeRequest.Status


def _page_offers_the_verdicts(client, change_request) -> bool:
    html = client.get(f"/reviews/{change_request.pk}/").content.decode()
    return "Approve and publish" in html


@pytest.mark.parametrize("allowed", [False, True])
def test_the_review_page_and_the_service_agree_on_approving_ones_own_request(
    client_for, reviewer, chapter, allowed
):
    with override_settings(WIKI_ALLOW_SELF_APPROVAL=allowed):
        change_request = propose_chapter_edit(reviewer, chapter, "My own text")
        offered = _page_offers_the_verdicts(client_for(reviewer), change_request)
        if allowed:
            assert change_request_approve(change_request=change_request, reviewer=reviewer).published
        else:
            with pytest.raises(ReviewError, match="You cannot approve your own change request; another"):
                change_request_approve(change_request=change_request, reviewer=reviewer)
    assert offered is allowed


@pytest.mark.parametrize("allowed", [False, True])
def test_a_posted_self_approval_follows_the_setting(client_for, reviewer, chapter, allowed):
    with override_settings(WIKI_ALLOW_SELF_APPROVAL=allowed):
        change_request = propose_chapter_edit(reviewer, chapter, "My own text")
        response = client_for(reviewer).post(
            f"/reviews/{change_request.pk}/approve/", {"revision": change_request.revision}
        )
    change_request.refresh_from_db()
    if allowed:
        assert response.status_code == 302 and change_request.status == Status.APPROVED
    else:
        assert response.status_code == 403 and change_request.status == Status.SUBMITTED


def test_the_service_asks_the_permission_rule_whether_the_author_may_review(monkeypatch, reviewer, chapter):
    """No second copy of the rule: when permissions allow it, the service does too."""
    change_request = propose_chapter_edit(reviewer, chapter, "My own text")
    monkeypatch.setattr(permissions, "can_review_own_request", lambda user, change_request: True)
    assert change_request_approve(change_request=change_request, reviewer=reviewer).published


@pytest.mark.parametrize(
    ("verdict", "word"),
    [(change_request_reject, "reject"), (change_request_request_changes, "review")],
)
def test_rejecting_or_sending_back_ones_own_request_is_refused_by_the_same_rule(
    reviewer, chapter, verdict, word
):
    change_request = propose_chapter_edit(reviewer, chapter, "My own text")
    with pytest.raises(
        ReviewError, match=f"You cannot {word} your own change request; another reviewer must."
    ):
        verdict(change_request=change_request, reviewer=reviewer, comment="Not like this")


def test_another_reviewer_reviews_whatever_the_setting(reviewer, other_reviewer, chapter):
    change_request = propose_chapter_edit(reviewer, chapter, "My own text")
    assert permissions.can_review_request(other_reviewer, change_request)
    assert change_request_approve(change_request=change_request, reviewer=other_reviewer).published
