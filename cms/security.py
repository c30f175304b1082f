"""Password guessing: sign-in lockouts and the throttle of private pages' and documents' password forms.

Sign-in forms (the Wagtail admin's, Django's admin's, the front-end login of
private pages) all authenticate through ``django.contrib.auth``, which
django-axes watches: after ``LOGIN_FAILURE_LIMIT`` failures for one account, or
from one address, sign-in is refused for ``LOGIN_LOCKOUT_MINUTES``, even with
the right password, with :func:`lockout_response`. Editors see the attempts and
lift a lockout in the admin (Settings → Sign-in lockouts, :mod:`cms.wagtail_hooks`).

The password forms of private pages and documents (``PageViewRestriction``,
``CollectionViewRestriction``) check a shared password without authenticating,
so axes never sees them: :func:`throttle_password_form` counts their failures per
client address and restriction in the cache, with the same limit and duration.
"""

import ipaddress
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils.translation import ngettext
from wagtail.forms import PasswordViewRestrictionForm


def client_ip(request):
    """The client's address: ``REMOTE_ADDR``, or the one ``LOGIN_NUM_PROXIES`` proxies of ours put in X-Forwarded-For.

    Each proxy appends the address it received the request from, so with N
    proxies the client is the N-th address from the right; anything further
    left was written by the client and is not trusted. An address that does not
    parse falls back to ``REMOTE_ADDR``.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    num_proxies = settings.LOGIN_NUM_PROXIES
    if num_proxies > 0:
        forwarded = [
            address.strip() for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if address
        ]
        if forwarded:
            candidate = forwarded[-min(num_proxies, len(forwarded))]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    try:
        return str(ipaddress.ip_address(remote_addr))
    except ValueError:
        return None


def lockout_minutes():
    return max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def lockout_message():
    minutes = lockout_minutes()
    return ngettext(
        "Too many failed attempts for this account or from this address: signing in is blocked for "
        "%(minutes)d minute. An editor can lift the block sooner.",
        "Too many failed attempts for this account or from this address: signing in is blocked for "
        "%(minutes)d minutes. An editor can lift the block sooner.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out sign-in gets (axes' ``AXES_LOCKOUT_CALLABLE``): 429 and a page, or JSON, that says why."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    message = lockout_message()
    if request.headers.get(
        "x-requested-with"
    ) == "XMLHttpRequest" or "application/json" in request.headers.get("accept", ""):
        return JsonResponse({"error": {"code": "locked_out", "message": message}}, status=status)
    # Rendered here: the middleware that asks for it runs after the view's response was rendered.
    response = render(
        request,
        "cms/security/locked_out.html",
        {"message": message, "login_url": request.path},
        status=status,
    )
    response["Retry-After"] = str(lockout_minutes() * 60)
    return response


def _password_form_key(address, kind, restriction_id):
    return f"password-form-failures:{kind}:{restriction_id}:{address}"


def _failures(key):
    return cache.get(key, 0)


def _count_failure(key):
    timeout = int(settings.AXES_COOLOFF_TIME.total_seconds())
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        # Expired between the two calls (or the cache is away): this failure starts a new count.
        cache.set(key, 1, timeout)
        return 1


def throttle_password_form(kind, restriction_kwarg, template_for):
    """Wrap Wagtail's view of a private page's or document's password form.

    A client address that failed ``LOGIN_FAILURE_LIMIT`` times on one
    restriction within ``LOGIN_LOCKOUT_MINUTES`` gets the form again, with a
    429 and a message, and its password is not checked, right or wrong. A
    success (Wagtail redirects) clears the count. ``template_for(request,
    form, action_url, **kwargs)`` renders the form as Wagtail would.
    """

    def decorator(view):
        @wraps(view)
        def throttled(request, *args, **kwargs):
            if request.method != "POST":
                return view(request, *args, **kwargs)
            key = _password_form_key(client_ip(request) or "unknown", kind, kwargs[restriction_kwarg])
            if _failures(key) >= settings.AXES_FAILURE_LIMIT:
                response = template_for(request, **kwargs)
                if response is None:
                    return view(request, *args, **kwargs)
                response.status_code = settings.AXES_HTTP_RESPONSE_CODE
                response["Retry-After"] = str(lockout_minutes() * 60)
                return response
            response = view(request, *args, **kwargs)
            if 300 <= response.status_code < 400:
                cache.delete(key)
            elif response.status_code == 200:
                _count_failure(key)
            return response

        return throttled

    return decorator


def _blocked_form(request, restriction):
    form = PasswordViewRestrictionForm(
        instance=restriction, initial={"return_url": request.POST.get("return_url", "")}
    )
    # An unbound form (the password was not checked) that carries the reason as its error.
    form.full_clean()
    form.cleaned_data = {}
    form.add_error(None, lockout_message())
    return form


def page_password_form_blocked(request, page_view_restriction_id, page_id):
    """The page's password form, as Wagtail shows it, saying why the password was not checked."""
    from django.urls import reverse
    from wagtail.models import Page, PageViewRestriction

    restriction = PageViewRestriction.objects.filter(pk=page_view_restriction_id).first()
    page = Page.objects.filter(pk=page_id).first()
    if restriction is None or page is None:
        return None  # Wagtail answers 404.
    action_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    return page.specific.serve_password_required_response(
        request, _blocked_form(request, restriction), action_url
    )


def document_password_form_blocked(request, restriction_id):
    """The document's password form, as Wagtail shows it, saying why the password was not checked."""
    from django.urls import reverse
    from wagtail.models import CollectionViewRestriction

    restriction = CollectionViewRestriction.objects.filter(pk=restriction_id).first()
    if restriction is None:
        return None  # Wagtail answers 404.
    template = getattr(
        settings, "WAGTAILDOCS_PASSWORD_REQUIRED_TEMPLATE", "wagtaildocs/password_required.html"
    )
    context = {
        "form": _blocked_form(request, restriction),
        "action_url": reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk]),
    }
    return TemplateResponse(request, template, context)
