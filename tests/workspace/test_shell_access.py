"""The web shell, getting in and moving around: sign-in everywhere (except sign-in, password
reset and help), sign-out, passwords and login throttling, CSP, error pages and the
jurisdiction picker (H1)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.template import loader
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.regex_helper import normalize

from core.middleware import CSP_HEADER
from reference.selectors import jurisdiction_choices
from tests.factories import JurisdictionFactory, UserFactory
from tests.workspace.helpers import _Attrs
from workspace.views import PICK_JURISDICTION_MISSING

PASSWORD = "correct horse battery"

# The only pages an anonymous visitor may open (DESIGN §1): sign-in, password reset, help.
PUBLIC_URL_NAMES = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "workspace:help",
    "workspace:help_csv",
    "workspace:help_pdf",
    # The import template is offered on the public Help page, like the standard lists.
    "transfer:template_csv",
    "transfer:template_xlsx",
}
# The admin site has its own sign-in page and permission checks.
EXCLUDED_PREFIXES = ("admin/",)

# Values tried for a URL parameter, first one the converter's regex accepts wins.
DUMMY_VALUES = ("OH", "1", "x", "TA-000001", "00000000-0000-0000-0000-000000000001", "2024-01")


# --- walking the URL configuration -------------------------------------------------------


def _dummy_for(regex: str) -> str:
    for candidate in DUMMY_VALUES:
        if re.fullmatch(regex, candidate):
            return candidate
    raise AssertionError(f"No dummy value matches the URL parameter pattern {regex!r}")


_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _route_part(pattern: RoutePattern | RegexPattern) -> str:
    if isinstance(pattern, RoutePattern):
        route = str(pattern._route)
        converters = pattern.converters

        def fill(match: re.Match) -> str:
            return _dummy_for(converters[match["name"]].regex)

        return _ROUTE_PARAM.sub(fill, route)
    fmt, params = normalize(pattern.regex.pattern)[0]
    return fmt % {name: "1" for name in params}


def _walk(
    patterns: list, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for entry in patterns:
        part = _route_part(entry.pattern)
        if isinstance(entry, URLResolver):
            child_ns = namespace
            if entry.namespace:
                child_ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + part, child_ns)
        else:
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield "/" + prefix + part, name, entry


def _site_urls() -> list[tuple[str, str, URLPattern]]:
    return [
        (url, name, pattern)
        for url, name, pattern in _walk(get_resolver().url_patterns)
        if not url.lstrip("/").startswith(EXCLUDED_PREFIXES)
    ]


@pytest.mark.django_db
def test_every_url_requires_sign_in_except_sign_in_reset_and_help(client):
    """DESIGN §1: nobody who is not signed in sees anything but sign-in and public help.

    Walks every URL pattern (so pages added later are covered without editing this test).
    """
    login_url = reverse("login")
    checked, public_seen = 0, set()
    for url, name, pattern in _site_urls():
        if resolve(url).func != pattern.callback:
            continue  # shadowed by an earlier pattern (e.g. Django's login by ours): unreachable
        response = client.get(url)
        if name in PUBLIC_URL_NAMES:
            public_seen.add(name)
            assert response.status_code in (200, 302), f"{name} ({url}) should be public"
            if response.status_code == 302:
                assert not response["Location"].startswith(login_url), name
            continue
        checked += 1
        if response.status_code == 302:
            assert response["Location"].startswith(f"{login_url}?next="), (
                f"{name or url} redirects anonymous visitors elsewhere: {response['Location']}"
            )
        else:
            assert response.status_code in (401, 403), (
                f"{name or url} ({url}) is open to anonymous visitors: {response.status_code}"
            )
    assert public_seen == PUBLIC_URL_NAMES
    assert checked >= 4  # home, jurisdiction, picker, password change, ... at least


def test_url_walk_fills_every_kind_of_parameter():
    assert _route_part(RoutePattern("states/<str:code>/")) == "states/OH/"
    assert _route_part(RoutePattern("goals/<int:pk>/edit/")) == "goals/1/edit/"
    assert _route_part(RegexPattern(r"^item/(?P<pk>[0-9]+)/$")) == "item/1/"


@pytest.mark.django_db
def test_sign_in_redirect_keeps_the_page_asked_for(client):
    response = client.get(reverse("workspace:jurisdiction", kwargs={"code": "OH"}))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/states/OH/"


@pytest.mark.django_db
def test_htmx_request_after_session_expiry_redirects_whole_page(client):
    response = client.get(reverse("workspace:home"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("login"))


# --- sign-in, sign-out, passwords -------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_with_email_and_password_opens_the_page_asked_for(client):
    user = UserFactory(email="sss@example.org")
    JurisdictionFactory(code="OH", name="Ohio")
    response = client.post(
        reverse("login"),
        {"username": "SSS@example.org", "password": PASSWORD, "next": "/states/OH/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/states/OH/"
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_sign_in_refused_shows_error_summary_and_keeps_email(client):
    UserFactory(email="sss@example.org")
    response = client.post(reverse("login"), {"username": "sss@example.org", "password": "no"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert "Please enter a correct e-mail address and password" in html
    assert 'value="sss@example.org"' in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_out_by_get_is_refused_with_405(client):
    client.force_login(UserFactory())
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_sign_out_by_post_ends_the_session(client):
    client.force_login(UserFactory())
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_mails_a_link_that_sets_a_new_password(client):
    user = UserFactory(email="staff@example.org")
    response = client.post(reverse("password_reset"), {"email": "Staff@Example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["staff@example.org"]
    assert message.subject == "Reset your password for the Technical Assistance Tracker"
    link = re.search(r"https?://testserver(/\S+)", message.body)[1]

    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert "Choose a new password" in response.content.decode()
    new_password = "a much longer new passphrase"
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new_password)


@pytest.mark.django_db
def test_password_reset_for_unknown_address_sends_nothing_and_says_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_password_change_refuses_wrong_old_password_naming_the_field(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "x" * 14, "new_password2": "x" * 14},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_old_password"' in html
    assert "usa-form-group--error" in html
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_repeated_failed_sign_ins_lock_out_with_429(client):
    """Login throttling (DESIGN §5): django-axes answers 429 with our own page."""
    UserFactory(email="target@example.org")
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [
        client.post(reverse("login"), {"username": "target@example.org", "password": "bad"})
        for _ in range(limit)
    ]
    assert [r.status_code for r in statuses[:-1]] == [200] * (limit - 1)
    assert statuses[-1].status_code == 429
    response = client.post(
        reverse("login"), {"username": "target@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "registration/lockout.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session


# --- CSP and error pages ------------------------------------------------------------------

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
_INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def _assert_csp_clean(response) -> None:
    assert response[CSP_HEADER] == settings.CONTENT_SECURITY_POLICY
    html = response.content.decode()
    assert not _INLINE_SCRIPT.search(html), _INLINE_SCRIPT.search(html)
    assert not _INLINE_STYLE.search(html), _INLINE_STYLE.search(html)


@pytest.mark.django_db
def test_csp_header_on_every_page_and_nothing_inline(client):
    public = (reverse("login"), reverse("password_reset"), reverse("workspace:help"), "/nowhere/")
    for url in public:
        _assert_csp_clean(client.get(url))
    assert client.get(reverse("workspace:home"))[CSP_HEADER] == settings.CONTENT_SECURITY_POLICY
    client.force_login(UserFactory())
    JurisdictionFactory(code="OH", name="Ohio")
    for url in (
        reverse("workspace:home"),
        reverse("workspace:jurisdiction", kwargs={"code": "OH"}),
        reverse("password_change"),
    ):
        _assert_csp_clean(client.get(url))


@pytest.mark.django_db
def test_every_script_and_stylesheet_is_served_by_us(client):
    """No asset from a CDN: USWDS from static_build/, htmx from django-htmx's static files."""
    client.force_login(UserFactory())
    html = client.get(reverse("password_change")).content.decode()
    found = _Attrs(html)
    assets = [a["src"] for t, a in found.elements if t == "script"] + [
        a["href"] for t, a in found.elements if t == "link"
    ]
    assert all(url.startswith(settings.STATIC_URL) for url in assets), assets
    assert f"{settings.STATIC_URL}uswds/css/uswds.min.css" in assets
    assert f"{settings.STATIC_URL}uswds/js/uswds-init.min.js" in assets
    assert f"{settings.STATIC_URL}uswds/js/uswds.min.js" in assets
    assert any(url.startswith(f"{settings.STATIC_URL}django_htmx/htmx") for url in assets)


@pytest.mark.django_db
def test_404_page_uses_our_template_with_status_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "Page not found" in html
    assert "usa-banner" in html


@pytest.mark.django_db
def test_unknown_jurisdiction_is_404_for_signed_in_users(client):
    client.force_login(UserFactory())
    response = client.get(reverse("workspace:jurisdiction", kwargs={"code": "ZZ"}))
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]


def test_500_page_renders_without_request_or_database():
    # No django_db mark: any query would raise here.
    html = loader.get_template("500.html").render()
    assert "Something went wrong" in html
    assert "usa-banner" in html
    assert "View/Add/Edit State TA for" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("template", ["400.html", "403.html", "403_csrf.html"])
def test_error_pages_share_the_shell(rf, template):
    html = loader.get_template(template).render({}, rf.get("/"))
    assert "usa-banner" in html
    assert "usa-identifier" in html


# --- jurisdiction picker ------------------------------------------------------------------


@pytest.mark.django_db
def test_h1_picker_lists_every_jurisdiction_on_signed_in_pages(client):
    JurisdictionFactory(code="OH", name="Ohio")
    JurisdictionFactory(code="AK", name="Alaska")
    client.force_login(UserFactory())
    html = client.get(reverse("workspace:home")).content.decode()
    assert html.index('<option value="AK">Alaska</option>') < html.index(
        '<option value="OH">Ohio</option>'
    )
    assert 'name="jurisdiction"' in html


@pytest.mark.django_db
def test_h1_picker_goes_to_the_chosen_jurisdiction(client):
    JurisdictionFactory(code="OH", name="Ohio")
    client.force_login(UserFactory())
    response = client.get(reverse("workspace:pick_jurisdiction"), {"jurisdiction": "oh"})
    assert response["Location"] == reverse("workspace:jurisdiction", kwargs={"code": "OH"})
    page = client.get(response["Location"]).content.decode()
    assert "<h1>Ohio</h1>" in page
    assert '<option value="OH" selected>Ohio</option>' in page


@pytest.mark.django_db
def test_h1_picker_without_a_choice_explains_instead_of_failing(client):
    client.force_login(UserFactory())
    response = client.get(reverse("workspace:pick_jurisdiction"), {"jurisdiction": "ZZ"})
    assert response["Location"] == reverse("workspace:home")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [PICK_JURISDICTION_MISSING]


@pytest.mark.django_db
def test_picker_list_is_read_once_per_process_and_refreshed_on_change(
    django_assert_num_queries,
):
    JurisdictionFactory(code="OH", name="Ohio")
    with django_assert_num_queries(1):
        assert [c.code for c in jurisdiction_choices()] == ["OH"]
    with django_assert_num_queries(0):
        jurisdiction_choices()
    JurisdictionFactory(code="AK", name="Alaska")
    assert [c.name for c in jurisdiction_choices()] == ["Alaska", "Ohio"]


@pytest.mark.django_db
def test_shell_costs_at_most_one_query_for_the_picker(client, django_assert_num_queries):
    for code in ("OH", "AK", "GU"):
        JurisdictionFactory(code=code)
    client.force_login(UserFactory())
    with django_assert_num_queries(4):  # session, user, unread count, jurisdiction list
        client.get(reverse("password_change"))
    with django_assert_num_queries(3):  # session, user, unread count: the list is cached
        response = client.get(reverse("password_change"))
    assert response.content.decode().count("<option value=") == 1 + 3  # prompt + three
