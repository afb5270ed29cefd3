"""Every permission decision of the wiki, in one place.

Roles come from groups (Reader, Editor, Reviewer, Moderator); staff and superusers are
admins. Each ``can_*`` function answers one question for one user; views call them
through ``require`` or the decorators below, templates through the ``perms`` context.
"""

import secrets
from collections.abc import Callable
from enum import StrEnum
from functools import wraps

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Max, OuterRef, Q

from notes.models import ChangeRequest, GroupMembership
from notes.models.api import ApiToken


class Role(StrEnum):
    READER = "Reader"
    EDITOR = "Editor"
    REVIEWER = "Reviewer"
    MODERATOR = "Moderator"
    ADMIN = "admin"


GROUP_ROLES = (Role.READER, Role.EDITOR, Role.REVIEWER, Role.MODERATOR)


def _role_field(role: Role) -> str:
    return f"wiki_role_{role.name.lower()}"


def users_with_roles(users):
    """``users`` (a queryset) with each one's group roles read in the same query, so that
    ``roles()`` needs none of its own (the session's user is loaded this way:
    ``wiki.auth.UserWithRolesBackend``)."""
    return users.annotate(
        **{
            _role_field(role): Exists(Group.objects.filter(user=OuterRef("pk"), name=role.value))
            for role in GROUP_ROLES
        }
    )


def roles(user) -> frozenset[Role]:
    """The user's roles, read once per request object (one query, or none when the user
    was loaded by ``users_with_roles``) and cached on it."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_wiki_roles", None)
    if cached is None:
        if hasattr(user, _role_field(GROUP_ROLES[0])):
            names = {role.value for role in GROUP_ROLES if getattr(user, _role_field(role))}
        else:
            names = set(user.groups.values_list("name", flat=True))
        cached = {role for role in GROUP_ROLES if role.value in names}
        if user.is_staff or user.is_superuser:
            cached.add(Role.ADMIN)
        cached = frozenset(cached)
        user._wiki_roles = cached
    return cached


def has_role(user, *wanted: Role) -> bool:
    return bool(roles(user) & set(wanted))


def can_read(user) -> bool:
    """Anyone reads when WIKI_PUBLIC_READ is on; otherwise any active signed-in user."""
    if settings.WIKI_PUBLIC_READ:
        return True
    return user.is_authenticated and user.is_active


def require(request, allowed: bool) -> None:
    """Refuse the request unless ``allowed``: anonymous users are sent to log in."""
    if allowed:
        return
    if not request.user.is_authenticated:
        raise LoginRequired
    raise PermissionDenied


class LoginRequired(Exception):
    """Raised by ``require`` for an anonymous user; ``read_required`` turns it into a redirect."""


def permission_view(view: Callable) -> Callable:
    """Turn ``LoginRequired`` raised inside ``view`` into a redirect to the login page.

    A visitor who may not read is sent to log in before ``view`` runs: a view that looks
    an object up before its own check would otherwise answer 404 or "log in" depending
    on whether the book, chapter, thread or comment exists.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            require(request, can_read(request.user))
            return view(request, *args, **kwargs)
        except LoginRequired:
            return redirect_to_login(request.get_full_path())

    return wrapper


def read_required(view: Callable) -> Callable:
    """Let the view run only for users who may read the wiki."""

    @permission_view
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        require(request, can_read(request.user))
        return view(request, *args, **kwargs)

    return wrapper


# --- Review workflow ---------------------------------------------------------------------
# Editors, reviewers and admins propose; reviewers and admins review. Moderators look
# after discussions and readers read; neither proposes content.


def can_propose(user) -> bool:
    """Write a change request: edit a chapter, book or table, propose a new one, ask for a revert."""
    return has_role(user, Role.EDITOR, Role.REVIEWER, Role.ADMIN)


def can_review(user) -> bool:
    """Approve, request changes on or reject other people's change requests."""
    return has_role(user, Role.REVIEWER, Role.ADMIN)


def can_see_reviews(user) -> bool:
    """Open the review queue and read change requests."""
    return can_propose(user) or can_review(user)


def can_see_request(user, change_request) -> bool:
    """Read this change request: a draft is its author's (and admins') until it is submitted."""
    if not can_see_reviews(user):
        return False
    if change_request.status == change_request.Status.DRAFT:
        return change_request.author_id == user.pk or has_role(user, Role.ADMIN)
    return True


def visible_requests_filter(user) -> Q:
    """``can_see_request`` asked of a whole list at once: the requests ``user`` may read, as a
    filter (a draft is its author's and admins'). Whether they see reviews at all is
    ``can_see_reviews``."""
    if has_role(user, Role.ADMIN):
        return Q()
    return ~Q(status=ChangeRequest.Status.DRAFT) | Q(author_id=user.pk)


def can_review_request(user, change_request) -> bool:
    """Review this request: reviewers, and not their own unless WIKI_ALLOW_SELF_APPROVAL."""
    return can_review(user) and can_review_own_request(user, change_request)


def can_review_own_request(user, change_request) -> bool:
    """The self-approval rule: a request is reviewed by someone other than its author, unless
    WIKI_ALLOW_SELF_APPROVAL lets a one-person team approve its own. (The review services
    ask this too, so the page and the service never disagree.)"""
    return change_request.author_id != user.pk or settings.WIKI_ALLOW_SELF_APPROVAL


def can_revert(user) -> bool:
    """Revert directly, publishing the old version at once (others may still propose a revert)."""
    return can_review(user)


def can_withdraw(user, change_request) -> bool:
    return user.is_authenticated and change_request.author_id == user.pk


def can_revise(user, change_request) -> bool:
    """Change, submit or resubmit a request: its author, while they may still propose."""
    return can_propose(user) and change_request.author_id == user.pk


can_submit = can_revise


def can_comment_on_diff(user, change_request) -> bool:
    """Comment on a line or cell of an open request's diff, answer and resolve those comments:
    whoever may review it, and its author (who answers)."""
    return (
        can_see_request(user, change_request)
        and change_request.is_open
        and (can_review(user) or change_request.author_id == user.pk)
    )


# --- Notes files in and out --------------------------------------------------------------
# Whoever reads a book downloads it; whoever proposes changes uploads a notes file, which
# only ever becomes change requests for review.


def can_download_book(user) -> bool:
    """Download a book as text, Markdown or one HTML file: whoever may read the wiki."""
    return can_read(user)


def can_upload_notes(user) -> bool:
    """Upload a notes file that becomes change requests (a new book or changes to one)."""
    return can_propose(user)


def can_upload_image(user) -> bool:
    """Add an image to a chapter or book in the editor: whoever proposes edits."""
    return can_propose(user)


# --- Discussion and moderation -----------------------------------------------------------
# Anyone with a role discusses; only authors change their own comments; moderators and
# admins hide, lock, pin, move and rename, and see hidden text and the moderation log. A signed-in
# user in no group reads (when reading is public) but does not post.


def can_discuss(user) -> bool:
    """Start threads and reply: any signed-in user with a role."""
    return has_role(user, *GROUP_ROLES, Role.ADMIN)


def can_moderate(user) -> bool:
    """Hide and unhide comments; lock, pin, move and rename threads; read the moderation log."""
    return has_role(user, Role.MODERATOR, Role.ADMIN)


def can_reply(user, thread) -> bool:
    """Reply in ``thread``; a locked thread takes no replies, whoever asks (unlock it first)."""
    return can_discuss(user) and not thread.is_locked


def is_comment_author(user, comment) -> bool:
    """Edit or delete this comment at all: its author only, moderators and admins included."""
    return can_discuss(user) and comment.author_id == user.pk


def can_edit_comment(user, comment) -> bool:
    """Edit it now: the author, while it is neither deleted, hidden nor in a locked thread."""
    return is_comment_author(user, comment) and not comment.edit_refusal()


def can_delete_comment(user, comment) -> bool:
    """Delete it now: the author, once, while the thread is not locked (a lock freezes its
    comments, as for editing). Moderators hide instead, so the text stays for the record."""
    return is_comment_author(user, comment) and not comment.is_deleted and not comment.thread.is_locked


def can_resolve_thread(user, thread) -> bool:
    """Resolve or reopen: the thread's starter, and moderators."""
    return can_discuss(user) and (thread.author_id == user.pk or can_moderate(user))


def resolves_as_moderator(user, thread) -> bool:
    """Resolving or reopening ``thread`` would be a moderator acting on someone else's thread.

    Such a change is a moderation action: it asks for a reason and is logged.
    """
    return can_resolve_thread(user, thread) and thread.author_id != user.pk


def can_see_comment_text(user, comment) -> bool:
    """Hidden and deleted text (and the history of such a comment) is for moderators only."""
    return not (comment.is_hidden or comment.is_deleted) or can_moderate(user)


def can_see_notifications(user) -> bool:
    return user.is_authenticated and user.is_active


# --- Following ---------------------------------------------------------------------------
# Anyone signed in who may read watches what they read; e-mail links carry their own proof.


def can_watch(user) -> bool:
    """Watch a book, a chapter or a thread, and be told of what happens there."""
    return user.is_authenticated and user.is_active and can_read(user)


def reviewer_ids(user_ids=None) -> set[int]:
    """Those of ``user_ids`` (everyone, if None) who review (one query): a submitted request
    is for their eyes.

    The same rule as ``can_review``, asked of many users at once.
    """
    users = get_user_model().objects.filter(is_active=True)
    if user_ids is not None:
        users = users.filter(pk__in=list(user_ids))
    reviewers = users.filter(Q(groups__name=Role.REVIEWER.value) | Q(is_staff=True) | Q(is_superuser=True))
    return set(reviewers.values_list("pk", flat=True).distinct())


def reviewer_role_ids() -> set[int]:
    """The active members of the Reviewer role (one query): ``new_requests_default`` asked
    of everyone at once."""
    users = get_user_model().objects.filter(is_active=True, groups__name=Role.REVIEWER.value)
    return set(users.values_list("pk", flat=True).distinct())


def new_requests_default(user) -> str:
    """Which submitted requests a reviewer hears of until they choose: the Reviewer role
    all of them ("all"), admins (who review too) those on what they watch ("watched")."""
    return "all" if has_role(user, Role.REVIEWER) else "watched"


# --- Webhooks ----------------------------------------------------------------------------
# Only admins: an endpoint's secret and its delivery log are theirs, and registering an
# address makes the server send requests to it.


def can_manage_webhooks(user) -> bool:
    """Register, change, switch off and delete webhooks; read their secrets and delivery logs."""
    return has_role(user, Role.ADMIN)


# --- Reading groups ----------------------------------------------------------------------
# Moderators and admins create and manage groups and their meetings. A public group is seen
# by whoever reads the wiki; a private one by its members, moderators and admins only, and
# to anyone else it does not exist (404, not 403). Members mark their progress; a member of
# any group of a book has the threads past their progress folded unless they turned that off.


def can_manage_groups(user) -> bool:
    """Create and edit reading groups and their meetings, add and remove members."""
    return has_role(user, Role.MODERATOR, Role.ADMIN)


def can_see_group(user, group, *, is_member: bool) -> bool:
    """See the group's page, meetings and calendar; ``is_member``: the user is one of its members."""
    if not can_read(user):
        return False
    return not group.is_private or is_member or can_manage_groups(user)


def can_join_group(user, group, *, token: str) -> bool:
    """Join by the invite link: any signed-in reader holding the group's current invite token."""
    return (
        user.is_authenticated and user.is_active and can_read(user) and same_secret(token, group.invite_token)
    )


def same_secret(given, secret: str) -> bool:
    """Compared in constant time, as bytes: a token from a URL may hold any character."""
    return secrets.compare_digest(str(given).encode(), secret.encode())


def can_read_group_calendar(user, group, *, is_member: bool, token_membership=None) -> bool:
    """A public group's feed is for any reader; a private one's needs a member's calendar
    token in the URL (calendar apps cannot sign in; ``token_membership`` is the membership
    whose token the URL holds, None for none or an unknown one) or a user who may see the
    group. A member's token works while they are an active member of this group: it goes
    with their membership."""
    if (
        token_membership is not None
        and token_membership.group_id == group.pk
        and token_membership.user.is_active
    ):
        return True
    return can_see_group(user, group, is_member=is_member)


def can_mark_progress(user, *, is_member: bool) -> bool:
    """Mark "I've read up to chapter N": members of a group of the book."""
    return user.is_authenticated and user.is_active and is_member


def reading_progress(user) -> dict[int, int]:
    """book id -> the highest chapter the user has read in any reading group of that book,
    0 when they have not said (one query per request, shared with ``spoiler_limits``; none
    for anonymous users)."""
    return _progress_and_spoilers(user)[0]


def spoiler_limits(user) -> dict[int, int]:
    """book id -> the highest chapter the user has read, for each book whose threads past
    that chapter are folded for them (the query of ``reading_progress``).

    A member of any group of a book who has given a progress is limited by their highest
    progress in those groups. A member who never gave one, a user whose settings show
    spoilers, and anyone in no group, has no limit: folding is what a member asks for by
    saying how far they are, never a surprise.
    """
    _, limits, shows_spoilers = _progress_and_spoilers(user)
    return {} if shows_spoilers else limits


def _progress_and_spoilers(user) -> tuple[dict[int, int], dict[int, int], bool]:
    if not user.is_authenticated:
        return {}, {}, True
    cached = getattr(user, "_wiki_reading_progress", None)
    if cached is None:
        rows = (
            GroupMembership.objects.filter(user=user)
            .values("group__book_id", "user__notification_settings__show_spoilers")
            .annotate(progress=Max("progress"))
            .order_by()
        )
        progress, given, shows_spoilers = {}, {}, False
        for row in rows:
            # Max skips the groups where no progress was given; None: given in none of them.
            progress[row["group__book_id"]] = row["progress"] or 0
            if row["progress"] is not None:
                given[row["group__book_id"]] = row["progress"]
            shows_spoilers = bool(row["user__notification_settings__show_spoilers"])
        cached = user._wiki_reading_progress = (progress, given, shows_spoilers)
    return cached


def spoiler_limit(user, book_id: int) -> int | None:
    """The highest chapter of the book the user may see threads of unfolded, or None for all."""
    return spoiler_limits(user).get(book_id)


def is_spoiler(user, *, book_id: int, chapter_number: int, is_involved: bool = False) -> bool:
    """A thread on this chapter is folded for the user (they have not read that far).

    ``is_involved``: the user started the thread, commented in it or was mentioned in it.
    Such a thread is never folded: nothing in it can spoil what they already took part in,
    and hiding it would hide their own words from them.
    """
    if is_involved:
        return False
    limit = spoiler_limit(user, book_id)
    return limit is not None and chapter_number > limit


# A reader asks to see folded threads anyway by adding ``?spoilers=show`` (the spoiler
# gate's link); the choice lasts for that page only.
SPOILERS_PARAMETER = "spoilers"
SHOW_ANYWAY = "show"


def threads_folded(user, chapter, *, query) -> bool:
    """This request folds the threads on ``chapter``: they are past the user's progress
    (``is_spoiler``) and the reader did not ask to see them anyway in ``query``."""
    if query.get(SPOILERS_PARAMETER) == SHOW_ANYWAY:
        return False
    return is_spoiler(user, book_id=chapter.book_id, chapter_number=chapter.number)


def thread_folded(user, thread, *, query, is_involved: bool) -> bool:
    """This request folds ``thread`` (``threads_folded`` for its chapter), unless the user
    is involved in it (``is_spoiler``)."""
    return not is_involved and threads_folded(user, thread.chapter, query=query)


# --- The REST API: what a personal access token may do ---------------------------------------
# A token acts for its user and never beyond the user's role: each call needs its scope in the
# token AND the role's own rule above (can_propose, can_review, ...). A browser session calling
# the API has every scope; its role alone decides.
API_SCOPES = tuple(ApiToken.Scope)
# Which scope each kind of call needs: reads; proposing, revising, submitting, withdrawing and
# discussing; review verdicts; moderation.
API_SCOPE_READ = ApiToken.Scope.READ
API_SCOPE_WRITE = ApiToken.Scope.WRITE
API_SCOPE_REVIEW = ApiToken.Scope.REVIEW
API_SCOPE_MODERATE = ApiToken.Scope.MODERATE


def api_scope_allows(scopes, scope: str) -> bool:
    """The caller's token holds ``scope``; ``scopes`` is None for a browser session."""
    return scopes is None or scope in scopes


def api_scopes_for(user) -> list[str]:
    """The scopes a token of ``user`` can usefully hold: those their role could use at all."""
    offered = {
        ApiToken.Scope.READ: can_read(user) and user.is_authenticated,
        ApiToken.Scope.WRITE: can_propose(user) or can_discuss(user),
        ApiToken.Scope.REVIEW: can_review(user),
        ApiToken.Scope.MODERATE: can_moderate(user),
    }
    return [scope.value for scope in API_SCOPES if offered[scope]]


def can_manage_api_tokens(user) -> bool:
    """Make and revoke one's own API tokens: any active signed-in user."""
    return user.is_authenticated and user.is_active


# --- People ------------------------------------------------------------------------------
# Admins bring people in, change their roles and deactivate them; moderators see the list
# and the log but change nothing. Nobody changes their own role or deactivates themself,
# and the last active admin stays an admin: the site would otherwise have nobody to manage it.


def can_see_people(user) -> bool:
    """Open /people/: the people, their roles, pending invitations and the log."""
    return has_role(user, Role.MODERATOR, Role.ADMIN)


def can_manage_people(user) -> bool:
    """Invite, resend and revoke invitations, change roles, deactivate and reactivate."""
    return has_role(user, Role.ADMIN)


def is_admin_account(user) -> bool:
    """The account is an admin's, whether or not it is active (``roles`` ignores inactive ones)."""
    return bool(user.is_staff or user.is_superuser)


def active_admin_count() -> int:
    """How many active accounts are admins (one query)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(is_superuser=True))
        .count()
    )


def is_last_active_admin(subject, *, active_admins: int | None = None) -> bool:
    """``subject`` is the only active admin left; ``active_admins`` saves the query on lists."""
    if not (subject.is_active and is_admin_account(subject)):
        return False
    if active_admins is None:
        active_admins = active_admin_count()
    return active_admins <= 1


def can_change_role(actor, subject, *, active_admins: int | None = None) -> bool:
    """Give ``subject`` another role: admins, never their own, never the last active admin's."""
    return (
        can_manage_people(actor)
        and actor.pk != subject.pk
        and not is_last_active_admin(subject, active_admins=active_admins)
    )


def can_deactivate(actor, subject, *, active_admins: int | None = None) -> bool:
    """Deactivate ``subject`` (they can no longer sign in; what they wrote stays)."""
    return (
        can_manage_people(actor)
        and actor.pk != subject.pk
        and subject.is_active
        and not is_last_active_admin(subject, active_admins=active_admins)
    )


def can_reactivate(actor, subject) -> bool:
    return can_manage_people(actor) and actor.pk != subject.pk and not subject.is_active


def can_edit_account(user) -> bool:
    """Open /account/: anyone signed in to an active account."""
    return user.is_authenticated and user.is_active


def account_role(user) -> str:
    """The one role /people/ shows and sets for an account, active or not: "admin", else
    its highest group (Moderator > Reviewer > Editor > Reader), else "" (no role). No
    query when ``user`` was loaded by ``users_with_roles``."""
    if is_admin_account(user):
        return Role.ADMIN.value
    if hasattr(user, _role_field(GROUP_ROLES[0])):
        names = {role.value for role in GROUP_ROLES if getattr(user, _role_field(role))}
    else:
        names = set(user.groups.values_list("name", flat=True))
    for role in reversed(GROUP_ROLES):
        if role.value in names:
            return role.value
    return ""


def must_enrol_two_factor(user) -> bool:
    """With ``MFA_REQUIRED_FOR_STAFF`` on, admins and moderators set up two-factor before
    they use the site (the caller knows whether they already have an authenticator)."""
    return settings.MFA_REQUIRED_FOR_STAFF and has_role(user, Role.MODERATOR, Role.ADMIN)
