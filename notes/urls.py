from django.urls import path

from notes.views import (
    accounts,
    api_tokens,
    discussions,
    drafts,
    exports,
    feeds,
    following,
    groups,
    history,
    images,
    moderation,
    people,
    preview,
    proposing,
    reading,
    review_comments,
    reviews,
    revising,
    webhooks,
)

app_name = "notes"

urlpatterns = [
    # Before books/<slug>/: "new" is not a book (the service refuses it as a book's address).
    path("books/new/", proposing.book_new, name="book-new"),
    path("domains/<slug:domain_slug>/", reading.domain_detail, name="domain-detail"),
    path("books/<slug:book_slug>/", reading.book_detail, name="book-detail"),
    path("books/<slug:book_slug>/changelog/", reading.book_changelog, name="book-changelog"),
    path("books/<slug:book_slug>/chapters/<int:number>/", reading.chapter_detail, name="chapter-detail"),
    path(
        "books/<slug:book_slug>/chapters/<int:number>/tables/<slug:table_slug>/",
        reading.table_detail,
        name="table-detail",
    ),
    path("recent/", reading.recent_changes, name="recent"),
]

# Discussion and moderation.
_discussion = "books/<slug:book_slug>/chapters/<int:number>/discussion/"
_thread = "discussion/threads/<int:thread_id>/"
_comment = "discussion/comments/<int:comment_id>/"
urlpatterns += [
    path(_discussion, discussions.thread_list, name="thread-list"),
    path(f"{_discussion}new/", discussions.thread_start, name="thread-start"),
    path(f"{_discussion}<int:thread_id>/", discussions.thread_detail, name="thread-detail"),
    path(f"{_thread}reply/", discussions.comment_post, name="comment-post"),
    path(f"{_thread}resolve/", discussions.thread_resolve, name="thread-resolve"),
    path(f"{_thread}reopen/", discussions.thread_reopen, name="thread-reopen"),
    path(f"{_thread}lock/", moderation.thread_lock, name="thread-lock"),
    path(f"{_thread}unlock/", moderation.thread_unlock, name="thread-unlock"),
    path(f"{_thread}pin/", moderation.thread_pin, name="thread-pin"),
    path(f"{_thread}unpin/", moderation.thread_unpin, name="thread-unpin"),
    path(f"{_thread}move/", moderation.thread_move, name="thread-move"),
    path(f"{_thread}rename/", moderation.thread_rename, name="thread-rename"),
    path(_comment, discussions.comment_link, name="comment-link"),
    path(f"{_comment}edit/", discussions.comment_edit, name="comment-edit"),
    path(f"{_comment}delete/", discussions.comment_delete, name="comment-delete"),
    path(f"{_comment}history/", discussions.comment_history, name="comment-history"),
    path(f"{_comment}hide/", moderation.comment_hide, name="comment-hide"),
    path(f"{_comment}unhide/", moderation.comment_unhide, name="comment-unhide"),
    path("moderation/log/", moderation.moderation_log, name="moderation-log"),
    path("users/<str:username>/", discussions.user_comments, name="user-comments"),
]

# Review workflow.
_chapter = "books/<slug:book_slug>/chapters/<int:number>/"
urlpatterns += [
    path("books/<slug:book_slug>/edit/", proposing.book_edit, name="book-edit"),
    path("books/<slug:book_slug>/history/", history.book_history, name="book-history"),
    path("books/<slug:book_slug>/chapters/new/", proposing.chapter_new, name="chapter-new"),
    path("books/<slug:book_slug>/changelog/feed.atom", feeds.book_changelog_feed, name="book-changelog-feed"),
    path(f"{_chapter}edit/", proposing.chapter_edit, name="chapter-edit"),
    path(f"{_chapter}history/", history.chapter_history, name="chapter-history"),
    path(f"{_chapter}history/<int:history_id>/revert/", history.chapter_revert, name="chapter-revert"),
    path(f"{_chapter}new-table/", proposing.table_new, name="table-new"),
    path(f"{_chapter}tables/<slug:table_slug>/edit/", proposing.table_edit, name="table-edit"),
    path(f"{_chapter}tables/<slug:table_slug>/history/", history.table_history, name="table-history"),
    path(
        f"{_chapter}tables/<slug:table_slug>/history/<int:history_id>/revert/",
        history.table_revert,
        name="table-revert",
    ),
    path("preview/markdown/", preview.markdown_preview, name="markdown-preview"),
    path("recent/feed.atom", feeds.recent_feed, name="recent-feed"),
    path("reviews/", reviews.queue, name="review-queue"),
    path("reviews/<int:request_id>/", reviews.detail, name="review-detail"),
    path("reviews/<int:request_id>/approve/", reviews.approve, name="review-approve"),
    path("reviews/<int:request_id>/request-changes/", reviews.request_changes, name="review-request-changes"),
    path("reviews/<int:request_id>/reject/", reviews.reject, name="review-reject"),
    path("reviews/<int:request_id>/part/", reviews.part_preview, name="review-part-preview"),
    path("reviews/<int:request_id>/part/approve/", reviews.approve_part, name="review-approve-part"),
    path("reviews/<int:request_id>/part/reject/", reviews.reject_part, name="review-reject-part"),
    path("reviews/<int:request_id>/submit/", reviews.submit, name="review-submit"),
    path("reviews/<int:request_id>/withdraw/", reviews.withdraw, name="review-withdraw"),
    path("reviews/<int:request_id>/reopen/", reviews.reopen, name="review-reopen"),
    path("reviews/<int:request_id>/revise/", revising.request_revise, name="review-revise"),
    path("reviews/<int:request_id>/comments/", review_comments.comment_post, name="review-comment"),
    path(
        "reviews/<int:request_id>/comments/<int:comment_id>/resolve/",
        review_comments.comment_resolve,
        name="review-comment-resolve",
    ),
]

# Following: watching, notifications, e-mail settings and links, feeds.
urlpatterns += [
    path("watching/<str:kind>/<int:target_id>/watch/", following.watch, name="watch-add"),
    path("watching/<str:kind>/<int:target_id>/unwatch/", following.unwatch, name="watch-remove"),
    path("notifications/", following.notification_list, name="notification-list"),
    path("notifications/read/", following.notifications_read, name="notifications-read"),
    path("notifications/<int:notification_id>/read/", following.notification_read, name="notification-read"),
    path("notifications/settings/", following.notification_settings, name="notification-settings"),
    path("email/unsubscribe/<str:token>/", following.email_unsubscribe, name="email-unsubscribe"),
    path("email/unwatch/<str:token>/", following.email_unwatch, name="email-unwatch"),
    path(f"{_chapter}feed.atom", feeds.chapter_feed, name="chapter-feed"),
    path(f"{_discussion}<int:thread_id>/feed.atom", feeds.thread_feed, name="thread-feed"),
]

# Notes files in and out from the browser.
urlpatterns += [
    path("books/<slug:book_slug>/download/", exports.book_download_by_query, name="book-download-query"),
    path("books/<slug:book_slug>/download/<str:format>/", exports.book_download, name="book-download"),
    path("import/", exports.notes_upload, name="notes-upload"),
    path("import/preview/<str:token>/", exports.notes_upload_preview, name="notes-upload-preview"),
]

# Images in notes: uploaded from the editor, served so they never become a page.
urlpatterns += [
    path("images/upload/", images.image_upload, name="image-upload"),
    path("media/images/<str:name>", images.image_serve, name="image-serve"),
]

# Reading groups: groups, meetings and their calendars, progress, changes since.
_group = "groups/<slug:group_slug>/"
urlpatterns += [
    path("books/<slug:book_slug>/groups/", groups.group_list, name="group-list"),
    path("books/<slug:book_slug>/groups/new/", groups.group_create, name="group-create"),
    path("books/<slug:book_slug>/progress/", groups.progress_mark, name="progress-mark"),
    path(f"{_chapter}since/", groups.chapter_since, name="chapter-since"),
    path("groups/settings/spoilers/", groups.spoilers_setting, name="spoilers-setting"),
    path(_group, groups.group_detail, name="group-detail"),
    path(f"{_group}edit/", groups.group_edit, name="group-edit"),
    path(f"{_group}join/<str:token>/", groups.group_join, name="group-join"),
    path(f"{_group}invite/regenerate/", groups.group_invite_regenerate, name="group-invite-regenerate"),
    path(f"{_group}meetings.ics", groups.group_calendar, name="group-calendar"),
    path(f"{_group}meetings/new/", groups.meeting_create, name="meeting-create"),
    path(f"{_group}meetings/<int:meeting_id>/", groups.meeting_detail, name="meeting-detail"),
    path(f"{_group}meetings/<int:meeting_id>.ics", groups.meeting_calendar, name="meeting-calendar"),
]

# The editor's drafts: autosave while typing, discard to start again.
urlpatterns += [
    path("books/<slug:book_slug>/edit/autosave/", drafts.book_autosave, name="book-autosave"),
    path(f"{_chapter}edit/autosave/", drafts.chapter_autosave, name="chapter-autosave"),
    path(f"{_chapter}tables/<slug:table_slug>/edit/autosave/", drafts.table_autosave, name="table-autosave"),
    path("reviews/<int:request_id>/autosave/", drafts.draft_autosave, name="draft-autosave"),
    path("reviews/<int:request_id>/discard/", drafts.draft_discard, name="draft-discard"),
]

# My API tokens (the account page links here).
urlpatterns += [
    path("account/tokens/", api_tokens.token_list, name="account-tokens"),
    path("account/tokens/<int:token_id>/revoke/", api_tokens.token_revoke, name="account-token-revoke"),
]

# Webhooks (admins): the list and register form, one endpoint, its actions and log.
urlpatterns += [
    path("webhooks/", webhooks.webhook_list, name="webhook-list"),
    path("webhooks/<int:endpoint_id>/", webhooks.webhook_detail, name="webhook-detail"),
    path("webhooks/<int:endpoint_id>/activate/", webhooks.webhook_activate, name="webhook-activate"),
    path("webhooks/<int:endpoint_id>/test/", webhooks.webhook_test, name="webhook-test"),
    path("webhooks/<int:endpoint_id>/delete/", webhooks.webhook_delete, name="webhook-delete"),
    path(
        "webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/redeliver/",
        webhooks.webhook_redeliver,
        name="webhook-redeliver",
    ),
]

# People: inviting the team, roles and deactivation, accepting an invitation, my account.
urlpatterns += [
    path("people/", people.people, name="people"),
    path("people/invite/", people.people_invite, name="people-invite"),
    path(
        "people/invitations/<int:invitation_id>/resend/", people.invitation_resend, name="invitation-resend"
    ),
    path(
        "people/invitations/<int:invitation_id>/revoke/", people.invitation_revoke, name="invitation-revoke"
    ),
    path("people/<int:user_id>/role/", people.person_role, name="person-role"),
    path("people/<int:user_id>/deactivate/", people.person_deactivate, name="person-deactivate"),
    path("people/<int:user_id>/reactivate/", people.person_reactivate, name="person-reactivate"),
    path("invitations/<str:token>/", people.invitation_accept, name="invitation-accept"),
    path("account/", people.account, name="account"),
    path("account/profile/", people.account_profile, name="account-profile"),
    path("account/notifications/", people.account_notifications, name="account-notifications"),
    path("account/diff-view/", people.account_diff_view, name="account-diff-view"),
    path(
        "account/sign-out-everywhere/", people.account_sign_out_everywhere, name="account-sign-out-everywhere"
    ),
]

# Accounts: sign-ups waiting for an admin, and the sign-in and security links.
urlpatterns += [
    path("people/signups/", accounts.signup_requests, name="signup-requests"),
    path(
        "people/signups/<int:request_id>/approve/",
        accounts.signup_request_approve,
        name="signup-request-approve",
    ),
    path(
        "people/signups/<int:request_id>/refuse/",
        accounts.signup_request_refuse,
        name="signup-request-refuse",
    ),
    path("accounts/security/", accounts.account_security, name="account-security"),
]
