"""Every admin and API URL, requested by an anonymous visitor and by each role of the book.

The URLs come from the URL configuration itself (``tests.security.walk``), so
a URL added by any app is walked too. For each role the set of URLs it
reaches (200) is stated below and must be exactly what the walk finds;
everything else must be refused: a redirect (to the login for anonymous
visitors, to the dashboard with a message for staff), 403, 404, or 405 for a
URL that only answers POST. Nobody ever gets a server error. A URL about an
object in one language is walked in French (the source) and in English, shown
as ``name[fr]`` and ``name[en]``.
"""

import factory
import pytest
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from tests.security.walk import walk_targets

pytestmark = pytest.mark.django_db

# 401: the API's endpoints for a site's own webhooks ask for its key, which no walker has.
REFUSALS = {301, 302, 400, 401, 403, 404, 405}

# The roles of ``manage.py setup_roles``: the source-language team, and the
# teams of English (the language of the ``[en]`` objects) and of Spanish (a
# language none of the walked objects is in).
ROLES = {
    "editor": ("Editors",),
    "reviewer": ("Reviewers",),
    "author": ("Authors",),
    "translator-en": ("Translators (en)",),
    "reviewer-en": ("Reviewers (en)",),
    "translator-es": ("Translators (es)",),
}

# What each one reaches. PUBLIC: anyone, signed in or not (the login and password
# reset pages, the public API). STAFF: every role (the dashboard, the account, the
# choosers, the read-only snippet lists and Wagtail's read-only confirmation modals
# for moving a page and cancelling a workflow, whose POST checks the permission).
# ROLE_URLS: what each role reaches besides STAFF.
PUBLIC = {
    "admin:login",
    "api:book-detail[en]",
    "api:book-detail[fr]",
    "api:book-list",
    "api:changes",
    "api:chapter-detail[en]",
    "api:chapter-detail[fr]",
    "api:chapter-list",
    "api:city-detail[fr]",
    "api:city-list",
    "api:contributor-detail[fr]",
    "api:contributor-list",
    "api:docs",
    "api:locale-list",
    "api:opds",
    "api:opds-json",
    "api:root",
    "api:schema",
    "api:sector-detail[fr]",
    "api:sector-list",
    "api:theme-detail[fr]",
    "api:theme-list",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_sprite",
}
STAFF = {
    "admin/test404/",
    "admin:login",
    "api:book-detail[en]",
    "api:book-detail[fr]",
    "api:book-list",
    "api:changes",
    "api:chapter-detail[en]",
    "api:chapter-detail[fr]",
    "api:chapter-list",
    "api:city-detail[fr]",
    "api:city-list",
    "api:contributor-detail[fr]",
    "api:contributor-list",
    "api:docs",
    "api:locale-list",
    "api:opds",
    "api:opds-json",
    "api:root",
    "api:schema",
    "api:sector-detail[fr]",
    "api:sector-list",
    "api:theme-detail[fr]",
    "api:theme-list",
    "wagtail_localize:javascript_catalog",
    "wagtail_localize:snippets_api_detail",
    "wagtail_localize:snippets_api_listing",
    "wagtail_localize:translations_report",
    "wagtail_localize:translations_report_results",
    "wagtailadmin_account",
    "wagtailadmin_api:documents:detail",
    "wagtailadmin_api:documents:listing",
    "wagtailadmin_api:images:detail",
    "wagtailadmin_api:images:listing",
    "wagtailadmin_api:pages:listing",
    "wagtailadmin_choose_page",
    "wagtailadmin_choose_page_anchor_link",
    "wagtailadmin_choose_page_child[en]",
    "wagtailadmin_choose_page_child[fr]",
    "wagtailadmin_choose_page_chosen_multiple",
    "wagtailadmin_choose_page_email_link",
    "wagtailadmin_choose_page_external_link",
    "wagtailadmin_choose_page_phone_link",
    "wagtailadmin_choose_page_search",
    "wagtailadmin_dismissibles",
    "wagtailadmin_home",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_pages:choose_parent",
    "wagtailadmin_pages:confirm_workflow_cancellation[en]",
    "wagtailadmin_pages:confirm_workflow_cancellation[fr]",
    "wagtailadmin_pages:move_confirm[en]",
    "wagtailadmin_pages:move_confirm[fr]",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_reports:site_history",
    "wagtailadmin_reports:site_history_results",
    "wagtailadmin_sprite",
    "wagtailadmin_tag_autocomplete",
    "wagtailadmin_workflows:task_chooser",
    "wagtailadmin_workflows:task_chooser_create",
    "wagtailadmin_workflows:task_chooser_results",
    "wagtailadmin_workflows:task_chosen",
    "wagtaildocs_chooser:choose",
    "wagtaildocs_chooser:choose_results",
    "wagtaildocs_chooser:chosen_multiple",
    "wagtailembeds:chooser",
    "wagtailembeds:chooser_upload",
    "wagtailimages_chooser:choose",
    "wagtailimages_chooser:choose_results",
    "wagtailimages_chooser:chosen",
    "wagtailimages_chooser:chosen_multiple",
    "wagtailimages_chooser:select_format",
    "wagtailsnippetchoosers_book_city:choose",
    "wagtailsnippetchoosers_book_city:choose_results",
    "wagtailsnippetchoosers_book_city:chosen[en]",
    "wagtailsnippetchoosers_book_city:chosen[fr]",
    "wagtailsnippetchoosers_book_city:chosen_multiple",
    "wagtailsnippetchoosers_book_sector:choose",
    "wagtailsnippetchoosers_book_sector:choose_results",
    "wagtailsnippetchoosers_book_sector:chosen[en]",
    "wagtailsnippetchoosers_book_sector:chosen[fr]",
    "wagtailsnippetchoosers_book_sector:chosen_multiple",
    "wagtailsnippets_book_city:confirm_workflow_cancellation[en]",
    "wagtailsnippets_book_city:confirm_workflow_cancellation[fr]",
    "wagtailsnippets_book_city:list",
    "wagtailsnippets_book_city:list_results",
    "wagtailsnippets_book_sector:confirm_workflow_cancellation[en]",
    "wagtailsnippets_book_sector:confirm_workflow_cancellation[fr]",
    "wagtailsnippets_book_sector:list",
    "wagtailsnippets_book_sector:list_results",
}
ROLE_URLS = {
    "editor": {
        # The sites that read the API with a key (the walk creates none, so the lists, the form and the usage report).
        "api_site:add",
        "api_site:index",
        "api_site:index_results",
        "api_site:usage",
        "cms_import_manuscript[en]",
        "cms_import_manuscript[fr]",
        "cms_localize_guard:download_pofile[en]",
        "cms_snippet_translation_credits[en]",
        "cms_translation_credits[en]",
        "localization:grid",
        "localization:po_download[en]",
        "localization:queue[en]",
        # Sign-in lockouts and failed sign-ins (the demo has none, so only the lists).
        "signin_failures:index",
        "signin_failures:index_results",
        "signin_lockouts:index",
        "signin_lockouts:index_results",
        # The editions of every language (building one is a POST).
        "editions:index",
        "cms_localize_guard:convert_to_alias[en]",
        # Stopping a synced translation asks editors to confirm it first.
        "cms_localize_guard:stop_translation[en]",
        "wagtail_localize:submit_page_translation[en]",
        "wagtail_localize:submit_page_translation[fr]",
        "wagtail_localize:submit_snippet_translation",
        "wagtail_localize:update_translations[en]",
        "wagtailadmin_api:pages:detail[en]",
        "wagtailadmin_api:pages:detail[fr]",
        "wagtailadmin_explore[en]",
        "wagtailadmin_explore[fr]",
        "wagtailadmin_explore_results[en]",
        "wagtailadmin_explore_results[fr]",
        "wagtailadmin_explore_root",
        "wagtailadmin_pages:add[en]",
        "wagtailadmin_pages:add[fr]",
        "wagtailadmin_pages:copy[en]",
        "wagtailadmin_pages:copy[fr]",
        "wagtailadmin_pages:delete[en]",
        "wagtailadmin_pages:delete[fr]",
        "wagtailadmin_pages:edit[en]",
        "wagtailadmin_pages:edit[fr]",
        "wagtailadmin_pages:history[en]",
        "wagtailadmin_pages:history[fr]",
        "wagtailadmin_pages:history_results[en]",
        "wagtailadmin_pages:history_results[fr]",
        "wagtailadmin_pages:move[en]",
        "wagtailadmin_pages:move[fr]",
        "wagtailadmin_pages:preview_on_add[en]",
        "wagtailadmin_pages:preview_on_add[fr]",
        "wagtailadmin_pages:preview_on_edit[en]",
        "wagtailadmin_pages:preview_on_edit[fr]",
        "wagtailadmin_pages:revisions_compare[en]",
        "wagtailadmin_pages:revisions_compare[fr]",
        "wagtailadmin_pages:revisions_revert[en]",
        "wagtailadmin_pages:revisions_revert[fr]",
        "wagtailadmin_pages:revisions_unschedule[en]",
        "wagtailadmin_pages:revisions_unschedule[fr]",
        "wagtailadmin_pages:revisions_view[en]",
        "wagtailadmin_pages:revisions_view[fr]",
        "wagtailadmin_pages:search",
        "wagtailadmin_pages:search_results",
        "wagtailadmin_pages:set_privacy[en]",
        "wagtailadmin_pages:set_privacy[fr]",
        "wagtailadmin_pages:type_use",
        "wagtailadmin_pages:type_use_results",
        "wagtailadmin_pages:unpublish[en]",
        "wagtailadmin_pages:unpublish[fr]",
        "wagtailadmin_pages:usage[en]",
        "wagtailadmin_pages:usage[fr]",
        "wagtailadmin_pages:view_draft[en]",
        "wagtailadmin_pages:view_draft[fr]",
        "wagtailadmin_pages:workflow_history[en]",
        "wagtailadmin_pages:workflow_history[fr]",
        "wagtailadmin_reports:aging_pages",
        "wagtailadmin_reports:aging_pages_results",
        "wagtailadmin_reports:locked_pages",
        "wagtailadmin_reports:locked_pages_results",
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_reports:page_types_usage_results",
        "wagtailadmin_reports:workflow",
        "wagtailadmin_reports:workflow_results",
        "wagtailadmin_reports:workflow_tasks",
        "wagtailadmin_reports:workflow_tasks_results",
        "wagtaildocs:add",
        "wagtaildocs:add_multiple",
        "wagtaildocs:index",
        "wagtaildocs:index_results",
        "wagtaildocs_chooser:create",
        "wagtailforms:index",
        "wagtailforms:index_results",
        "wagtailimages:add",
        "wagtailimages:add_multiple",
        "wagtailimages:delete",
        "wagtailimages:edit",
        "wagtailimages:image_usage",
        "wagtailimages:index",
        "wagtailimages:index_results",
        "wagtailimages:preview",
        "wagtailimages_chooser:create",
        "wagtailsnippetchoosers_book_city:create",
        "wagtailsnippetchoosers_book_sector:create",
        "wagtailsnippets_book_city:add",
        "wagtailsnippets_book_city:copy[en]",
        "wagtailsnippets_book_city:copy[fr]",
        "wagtailsnippets_book_city:delete[en]",
        "wagtailsnippets_book_city:delete[fr]",
        "wagtailsnippets_book_city:edit[en]",
        "wagtailsnippets_book_city:edit[fr]",
        "wagtailsnippets_book_city:history[en]",
        "wagtailsnippets_book_city:history[fr]",
        "wagtailsnippets_book_city:history_results[en]",
        "wagtailsnippets_book_city:history_results[fr]",
        "wagtailsnippets_book_city:revisions_compare[en]",
        "wagtailsnippets_book_city:revisions_compare[fr]",
        "wagtailsnippets_book_city:revisions_revert[en]",
        "wagtailsnippets_book_city:revisions_revert[fr]",
        "wagtailsnippets_book_city:revisions_unschedule[en]",
        "wagtailsnippets_book_city:revisions_unschedule[fr]",
        "wagtailsnippets_book_city:unpublish[en]",
        "wagtailsnippets_book_city:unpublish[fr]",
        "wagtailsnippets_book_city:usage[en]",
        "wagtailsnippets_book_city:usage[fr]",
        "wagtailsnippets_book_city:workflow_history[en]",
        "wagtailsnippets_book_city:workflow_history[fr]",
        "wagtailsnippets_book_sector:add",
        "wagtailsnippets_book_sector:copy[en]",
        "wagtailsnippets_book_sector:copy[fr]",
        "wagtailsnippets_book_sector:delete[en]",
        "wagtailsnippets_book_sector:delete[fr]",
        "wagtailsnippets_book_sector:edit[en]",
        "wagtailsnippets_book_sector:edit[fr]",
        "wagtailsnippets_book_sector:history[en]",
        "wagtailsnippets_book_sector:history[fr]",
        "wagtailsnippets_book_sector:history_results[en]",
        "wagtailsnippets_book_sector:history_results[fr]",
        "wagtailsnippets_book_sector:revisions_compare[en]",
        "wagtailsnippets_book_sector:revisions_compare[fr]",
        "wagtailsnippets_book_sector:revisions_revert[en]",
        "wagtailsnippets_book_sector:revisions_revert[fr]",
        "wagtailsnippets_book_sector:revisions_unschedule[en]",
        "wagtailsnippets_book_sector:revisions_unschedule[fr]",
        "wagtailsnippets_book_sector:unpublish[en]",
        "wagtailsnippets_book_sector:unpublish[fr]",
        "wagtailsnippets_book_sector:usage[en]",
        "wagtailsnippets_book_sector:usage[fr]",
        "wagtailsnippets_book_sector:workflow_history[en]",
        "wagtailsnippets_book_sector:workflow_history[fr]",
        "webhooks_delivery:index",
        "webhooks_delivery:index_results",
        "webhooks_subscriber:add",
        "webhooks_subscriber:index",
        "webhooks_subscriber:index_results",
    },
    "reviewer": {
        "cms_import_manuscript[fr]",
        "wagtailadmin_api:pages:detail[fr]",
        "wagtailadmin_explore[fr]",
        "wagtailadmin_explore_results[fr]",
        "wagtailadmin_pages:copy[fr]",
        "wagtailadmin_pages:delete[fr]",
        "wagtailadmin_pages:edit[fr]",
        "wagtailadmin_pages:history[fr]",
        "wagtailadmin_pages:history_results[fr]",
        "wagtailadmin_pages:move[fr]",
        "wagtailadmin_pages:preview_on_edit[fr]",
        "wagtailadmin_pages:revisions_compare[fr]",
        "wagtailadmin_pages:revisions_revert[fr]",
        "wagtailadmin_pages:revisions_unschedule[fr]",
        "wagtailadmin_pages:revisions_view[fr]",
        "wagtailadmin_pages:search",
        "wagtailadmin_pages:search_results",
        "wagtailadmin_pages:set_privacy[fr]",
        "wagtailadmin_pages:type_use",
        "wagtailadmin_pages:type_use_results",
        "wagtailadmin_pages:unpublish[fr]",
        "wagtailadmin_pages:usage[fr]",
        "wagtailadmin_pages:view_draft[fr]",
        "wagtailadmin_pages:workflow_history[fr]",
        "wagtailadmin_reports:aging_pages",
        "wagtailadmin_reports:aging_pages_results",
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_reports:page_types_usage_results",
        "wagtailadmin_reports:workflow",
        "wagtailadmin_reports:workflow_results",
        "wagtailadmin_reports:workflow_tasks",
        "wagtailadmin_reports:workflow_tasks_results",
        "wagtailforms:index",
        "wagtailforms:index_results",
    },
    "author": {
        "wagtailadmin_api:pages:detail[fr]",
        "wagtailadmin_explore[fr]",
        "wagtailadmin_explore_results[fr]",
        "wagtailadmin_pages:add[fr]",
        "wagtailadmin_pages:preview_on_add[fr]",
        "wagtailadmin_pages:search",
        "wagtailadmin_pages:search_results",
        "wagtailadmin_pages:type_use",
        "wagtailadmin_pages:type_use_results",
        "wagtailadmin_reports:aging_pages",
        "wagtailadmin_reports:aging_pages_results",
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_reports:page_types_usage_results",
        "wagtailadmin_reports:workflow",
        "wagtailadmin_reports:workflow_results",
        "wagtailadmin_reports:workflow_tasks",
        "wagtailadmin_reports:workflow_tasks_results",
        "wagtaildocs:add",
        "wagtaildocs:add_multiple",
        "wagtaildocs:index",
        "wagtaildocs:index_results",
        "wagtaildocs_chooser:create",
        "wagtailforms:index",
        "wagtailforms:index_results",
        "wagtailimages:add",
        "wagtailimages:add_multiple",
        "wagtailimages:index",
        "wagtailimages:index_results",
        "wagtailimages_chooser:create",
    },
    "translator-en": {
        "cms_import_manuscript[en]",
        "cms_localize_guard:download_pofile[en]",
        "localization:grid",
        "localization:po_download[en]",
        "localization:queue[en]",
        "wagtailadmin_api:pages:detail[en]",
        "wagtailadmin_explore[en]",
        "wagtailadmin_explore_results[en]",
        "wagtailadmin_pages:copy[en]",
        "wagtailadmin_pages:edit[en]",
        "wagtailadmin_pages:history[en]",
        "wagtailadmin_pages:history_results[en]",
        "wagtailadmin_pages:preview_on_edit[en]",
        "wagtailadmin_pages:revisions_compare[en]",
        "wagtailadmin_pages:revisions_revert[en]",
        "wagtailadmin_pages:revisions_view[en]",
        "wagtailadmin_pages:search",
        "wagtailadmin_pages:search_results",
        "wagtailadmin_pages:type_use",
        "wagtailadmin_pages:type_use_results",
        "wagtailadmin_pages:usage[en]",
        "wagtailadmin_pages:view_draft[en]",
        "wagtailadmin_pages:workflow_history[en]",
        "wagtailadmin_reports:aging_pages",
        "wagtailadmin_reports:aging_pages_results",
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_reports:page_types_usage_results",
        "wagtailadmin_reports:workflow",
        "wagtailadmin_reports:workflow_results",
        "wagtailadmin_reports:workflow_tasks",
        "wagtailadmin_reports:workflow_tasks_results",
        "wagtailforms:index",
        "wagtailforms:index_results",
        "wagtailsnippets_book_city:edit[en]",
        "wagtailsnippets_book_city:history[en]",
        "wagtailsnippets_book_city:history[fr]",
        "wagtailsnippets_book_city:history_results[en]",
        "wagtailsnippets_book_city:history_results[fr]",
        "wagtailsnippets_book_city:revisions_compare[en]",
        "wagtailsnippets_book_city:revisions_compare[fr]",
        "wagtailsnippets_book_city:revisions_revert[en]",
        "wagtailsnippets_book_city:usage[en]",
        "wagtailsnippets_book_city:usage[fr]",
        "wagtailsnippets_book_city:workflow_history[en]",
        "wagtailsnippets_book_city:workflow_history[fr]",
        "wagtailsnippets_book_sector:edit[en]",
        "wagtailsnippets_book_sector:history[en]",
        "wagtailsnippets_book_sector:history[fr]",
        "wagtailsnippets_book_sector:history_results[en]",
        "wagtailsnippets_book_sector:history_results[fr]",
        "wagtailsnippets_book_sector:revisions_compare[en]",
        "wagtailsnippets_book_sector:revisions_compare[fr]",
        "wagtailsnippets_book_sector:revisions_revert[en]",
        "wagtailsnippets_book_sector:usage[en]",
        "wagtailsnippets_book_sector:usage[fr]",
        "wagtailsnippets_book_sector:workflow_history[en]",
        "wagtailsnippets_book_sector:workflow_history[fr]",
    },
    "reviewer-en": {
        "cms_import_manuscript[en]",
        "cms_localize_guard:download_pofile[en]",
        "localization:grid",
        "localization:po_download[en]",
        "localization:queue[en]",
        "cms_localize_guard:convert_to_alias[en]",
        "wagtailadmin_api:pages:detail[en]",
        "wagtailadmin_explore[en]",
        "wagtailadmin_explore_results[en]",
        "wagtailadmin_pages:copy[en]",
        "wagtailadmin_pages:delete[en]",
        "wagtailadmin_pages:edit[en]",
        "wagtailadmin_pages:history[en]",
        "wagtailadmin_pages:history_results[en]",
        "wagtailadmin_pages:move[en]",
        "wagtailadmin_pages:preview_on_edit[en]",
        "wagtailadmin_pages:revisions_compare[en]",
        "wagtailadmin_pages:revisions_revert[en]",
        "wagtailadmin_pages:revisions_unschedule[en]",
        "wagtailadmin_pages:revisions_view[en]",
        "wagtailadmin_pages:search",
        "wagtailadmin_pages:search_results",
        "wagtailadmin_pages:type_use",
        "wagtailadmin_pages:type_use_results",
        "wagtailadmin_pages:unpublish[en]",
        "wagtailadmin_pages:usage[en]",
        "wagtailadmin_pages:view_draft[en]",
        "wagtailadmin_pages:workflow_history[en]",
        "wagtailadmin_reports:aging_pages",
        "wagtailadmin_reports:aging_pages_results",
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_reports:page_types_usage_results",
        "wagtailadmin_reports:workflow",
        "wagtailadmin_reports:workflow_results",
        "wagtailadmin_reports:workflow_tasks",
        "wagtailadmin_reports:workflow_tasks_results",
        "wagtailforms:index",
        "wagtailforms:index_results",
        "wagtailsnippets_book_city:edit[en]",
        "wagtailsnippets_book_city:history[en]",
        "wagtailsnippets_book_city:history[fr]",
        "wagtailsnippets_book_city:history_results[en]",
        "wagtailsnippets_book_city:history_results[fr]",
        "wagtailsnippets_book_city:revisions_compare[en]",
        "wagtailsnippets_book_city:revisions_compare[fr]",
        "wagtailsnippets_book_city:revisions_revert[en]",
        "wagtailsnippets_book_city:revisions_unschedule[en]",
        "wagtailsnippets_book_city:unpublish[en]",
        "wagtailsnippets_book_city:usage[en]",
        "wagtailsnippets_book_city:usage[fr]",
        "wagtailsnippets_book_city:workflow_history[en]",
        "wagtailsnippets_book_city:workflow_history[fr]",
        "wagtailsnippets_book_sector:edit[en]",
        "wagtailsnippets_book_sector:history[en]",
        "wagtailsnippets_book_sector:history[fr]",
        "wagtailsnippets_book_sector:history_results[en]",
        "wagtailsnippets_book_sector:history_results[fr]",
        "wagtailsnippets_book_sector:revisions_compare[en]",
        "wagtailsnippets_book_sector:revisions_compare[fr]",
        "wagtailsnippets_book_sector:revisions_revert[en]",
        "wagtailsnippets_book_sector:revisions_unschedule[en]",
        "wagtailsnippets_book_sector:unpublish[en]",
        "wagtailsnippets_book_sector:usage[en]",
        "wagtailsnippets_book_sector:usage[fr]",
        "wagtailsnippets_book_sector:workflow_history[en]",
        "wagtailsnippets_book_sector:workflow_history[fr]",
    },
    "translator-es": {
        "localization:grid",
        "wagtailsnippets_book_city:history[en]",
        "wagtailsnippets_book_city:history[fr]",
        "wagtailsnippets_book_city:history_results[en]",
        "wagtailsnippets_book_city:history_results[fr]",
        "wagtailsnippets_book_city:revisions_compare[en]",
        "wagtailsnippets_book_city:revisions_compare[fr]",
        "wagtailsnippets_book_city:usage[en]",
        "wagtailsnippets_book_city:usage[fr]",
        "wagtailsnippets_book_city:workflow_history[en]",
        "wagtailsnippets_book_city:workflow_history[fr]",
        "wagtailsnippets_book_sector:history[en]",
        "wagtailsnippets_book_sector:history[fr]",
        "wagtailsnippets_book_sector:history_results[en]",
        "wagtailsnippets_book_sector:history_results[fr]",
        "wagtailsnippets_book_sector:revisions_compare[en]",
        "wagtailsnippets_book_sector:revisions_compare[fr]",
        "wagtailsnippets_book_sector:usage[en]",
        "wagtailsnippets_book_sector:usage[fr]",
        "wagtailsnippets_book_sector:workflow_history[en]",
        "wagtailsnippets_book_sector:workflow_history[fr]",
    },
}


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"walker{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(user, create, names):
        for name in names or ():
            user.groups.add(Group.objects.get(name=name))


def walk(client):
    """{label: response} for every URL of the walk, and the URLs skipped with the reason."""
    targets, skipped = walk_targets()
    return {target.label: (target.url, client.get(target.url)) for target in targets}, skipped


@pytest.fixture
def demo(demo_book):
    # The demo book has no document; one is added so that the document URLs are walked too.
    wagtail_factories.DocumentFactory(title="Dossier de presse")
    return demo_book


def reached(responses):
    return {label for label, (_url, response) in responses.items() if response.status_code == 200}


def server_errors(responses):
    return [f"{label} {url}" for label, (url, response) in responses.items() if response.status_code >= 500]


def client_for(*groups, **attributes):
    client = Client(raise_request_exception=False)
    if groups or attributes:
        client.force_login(UserFactory(groups=groups, **attributes))
    return client


def test_anonymous_visitors_reach_only_the_login_and_the_public_api(demo):
    responses, _skipped = walk(client_for())
    assert not server_errors(responses)
    assert reached(responses) == PUBLIC, sorted(reached(responses) ^ PUBLIC)
    for label, (url, response) in responses.items():
        if response.status_code == 302 and label not in PUBLIC:
            assert "/login/" in response["Location"], (label, url, response["Location"])
        assert response.status_code == 200 or response.status_code in REFUSALS, (label, url)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_reaches_exactly_its_urls(demo, role):
    responses, _skipped = walk(client_for(*ROLES[role]))
    assert not server_errors(responses), server_errors(responses)
    expected = STAFF | ROLE_URLS[role]
    found = reached(responses)
    assert found == expected, (
        f"reached but not expected: {sorted(found - expected)}; expected but refused: {sorted(expected - found)}"
    )
    refused = {
        label: response.status_code for label, (_url, response) in responses.items() if label not in found
    }
    assert set(refused.values()) <= REFUSALS, refused


def test_no_url_fails_for_a_superuser(demo):
    responses, skipped = walk(client_for(is_superuser=True, is_staff=True))
    assert not server_errors(responses), server_errors(responses)
    assert len(responses) > 300
    # Parameters that the demo book cannot fill are listed with the reason, not silently dropped.
    assert all(reason for _label, reason in skipped)
