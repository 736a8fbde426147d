"""Saved searches: a person names a search, runs it again (from the home page), deletes it.
Only the owner sees, runs or deletes their own; anonymous visitors get nothing."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from search import services
from search.models import SavedSearch
from search.selectors import saved_searches_for
from tests.factories import UserFactory
from tests.search.helpers import SEARCH_URL, page_records

CREATE_URL = reverse("search:saved_create")


@pytest.fixture
def owner(world):
    return world.alice


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def _save(client, name: str, query: str):
    return client.post(CREATE_URL, {"name": name, "query": query})


def test_saved_search_create_stores_canonical_criteria_and_redirects(owner_client, owner, world):
    query = f"region={world.region_ix.pk}&q=+rates++&status=&sort=staff&page=3"
    response = _save(owner_client, "Region IX rates", query)
    assert response.status_code == 302
    saved = SavedSearch.objects.get(owner=owner)
    assert saved.name == "Region IX rates"
    assert parse_qs(saved.query_string) == {
        "region": [str(world.region_ix.pk)],
        "q": ["rates"],
        "sort": ["staff"],
    }
    assert response["Location"] == f"{SEARCH_URL}?{saved.query_string}"
    assert saved.history.count() == 1  # AU1


def test_saved_search_run_again_gives_the_same_results(owner_client, owner, world):
    saved = services.saved_search_create(
        actor=owner, name="Guam", query_string=f"jurisdiction={world.guam.pk}"
    )
    response = owner_client.get(reverse("search:saved_run", kwargs={"pk": saved.pk}))
    assert response.status_code == 302
    assert urlsplit(response["Location"]).query == f"jurisdiction={world.guam.pk}"
    results = owner_client.get(response["Location"])
    assert page_records(results) == [world.rates.record_number]


def test_saved_search_name_is_unique_per_owner(owner_client, owner, world):
    services.saved_search_create(actor=owner, name="Mine", query_string="q=QRIS")
    response = _save(owner_client, "  mine ", "q=other")
    assert response.status_code == 200
    assert "You already have a saved search named “mine” — choose another name." in (
        response.content.decode()
    )
    assert SavedSearch.objects.filter(owner=owner).count() == 1
    # Another person may use the same name.
    services.saved_search_create(actor=world.bob, name="Mine", query_string="q=QRIS")
    assert SavedSearch.objects.filter(name="Mine").count() == 2


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [
        ("", "q=QRIS", "This field is required."),
        ("x" * 101, "q=QRIS", "Ensure this value has at most 100 characters"),
        ("Broken", "opened_from=2026-02-30", "This search has errors"),
    ],
)
def test_saved_search_refused_saves_nothing(owner_client, owner, name, query, message):
    response = _save(owner_client, name, query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_saved_search_service_refuses_blank_name(owner):
    with pytest.raises(ValidationError) as error:
        services.saved_search_create(actor=owner, name="   ", query_string="")
    assert error.value.message_dict == {"name": [services.NAME_REQUIRED]}
    assert not SavedSearch.objects.exists()


def test_saved_search_delete_by_owner(owner_client, owner):
    saved = services.saved_search_create(actor=owner, name="Old", query_string="q=x")
    response = owner_client.post(
        reverse("search:saved_delete", kwargs={"pk": saved.pk}), {"next": "/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not SavedSearch.objects.exists()


def test_saved_search_delete_ignores_an_offsite_next(owner_client, owner):
    saved = services.saved_search_create(actor=owner, name="Old", query_string="q=x")
    response = owner_client.post(
        reverse("search:saved_delete", kwargs={"pk": saved.pk}), {"next": "https://evil.example/"}
    )
    assert response["Location"] == SEARCH_URL


def test_saved_search_of_another_person_is_not_found(client, owner, world):
    saved = services.saved_search_create(actor=owner, name="Private", query_string="q=x")
    client.force_login(world.bob)
    assert client.get(reverse("search:saved_run", kwargs={"pk": saved.pk})).status_code == 404
    assert client.post(reverse("search:saved_delete", kwargs={"pk": saved.pk})).status_code == 404
    assert SavedSearch.objects.filter(pk=saved.pk).exists()
    with pytest.raises(PermissionDenied):
        services.saved_search_delete(actor=world.bob, saved_search=saved)
    assert SavedSearch.objects.filter(pk=saved.pk).exists()


def test_saved_search_anonymous_gets_sign_in(client, owner):
    saved = services.saved_search_create(actor=owner, name="Private", query_string="q=x")
    for method, url in [
        ("post", CREATE_URL),
        ("get", reverse("search:saved_run", kwargs={"pk": saved.pk})),
        ("post", reverse("search:saved_delete", kwargs={"pk": saved.pk})),
    ]:
        response = getattr(client, method)(url, {"name": "x", "query": ""})
        assert response.status_code == 302
        assert "/login" in response["Location"]
    assert SavedSearch.objects.count() == 1


def test_saved_search_wrong_methods(owner_client, owner):
    saved = services.saved_search_create(actor=owner, name="One", query_string="q=x")
    assert owner_client.get(CREATE_URL).status_code == 405
    assert (
        owner_client.get(reverse("search:saved_delete", kwargs={"pk": saved.pk})).status_code == 405
    )
    assert (
        owner_client.post(reverse("search:saved_run", kwargs={"pk": saved.pk})).status_code == 405
    )
    assert SavedSearch.objects.count() == 1


def test_saved_searches_include_for_the_home_page(owner, world):
    services.saved_search_create(actor=owner, name="B search", query_string="q=b")
    services.saved_search_create(actor=owner, name="A search", query_string="q=a")
    services.saved_search_create(actor=world.bob, name="Not mine", query_string="q=c")
    request = RequestFactory().get("/")
    request.user = owner
    html = render_to_string(
        "search/_saved_searches.html",
        {"saved_searches": saved_searches_for(owner), "request": request},
        request=request,
    )
    assert html.index("A search") < html.index("B search")
    assert "Not mine" not in html
    assert 'name="next" value="/"' in html
    assert "csrfmiddlewaretoken" in html
    empty = render_to_string(
        "search/_saved_searches.html",
        {"saved_searches": saved_searches_for(UserFactory())},
        request=request,
    )
    assert "You have no saved searches" in empty
