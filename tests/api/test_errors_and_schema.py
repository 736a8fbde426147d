"""One error shape, never a 500 (issue #11, DESIGN §5); OpenAPI honesty; docs without a CDN;
sessions with CSRF; the rate limit per token."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from tests.api.conftest import ApiClient, assert_error_shape, token_for

pytestmark = pytest.mark.django_db


def test_bad_json_is_400(staff, api_as):
    response = api_as(staff).post("/requesters", "{not json")
    assert_error_shape(response, 400)


def test_wrong_types_and_unknown_fields_are_422_naming_the_field(world, api_as):
    client = api_as(world.primary)
    body = {
        "name": "A",
        "email": "a@example.org",
        "jurisdiction": "GA",
        "approved_by": "rpm",
        "surprise": 1,
    }
    assert_error_shape(client.post("/requesters", body), 422, "surprise")
    body = {"name": ["x"], "email": "a@example.org", "approved_by": "nobody"}
    assert_error_shape(client.post("/requesters", body), 422, "name", "approved_by")


def test_nul_bytes_and_huge_ids_are_refused_not_500(world, api_as):
    client = api_as(world.primary)
    body = {"name": "a\x00b", "email": "a@example.org", "jurisdiction": "GA", "approved_by": "rpm"}
    assert_error_shape(client.post("/requesters", body), 422, "name")
    assert_error_shape(client.get("/goals/99999999999999999999999"), 404)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_too_large_body_is_413(world, api_as):
    body = {"name": "x" * 5000, "email": "a@example.org", "approved_by": "rpm"}
    assert_error_shape(api_as(world.primary).post("/requesters", body), 413)


def test_a4_requester_create_with_approval_and_duplicate_email(world, api_as):
    client = api_as(world.primary)
    body = {
        "name": "Rita",
        "email": "rita@example.org",
        "jurisdiction": "GA",
        "approved_by": "ccdf_administrator",
    }
    created = client.post("/requesters", body)
    assert created.status_code == 201, created.json()
    assert_error_shape(client.post("/requesters", body), 400, "email")
    listed = client.get("/requesters", {"jurisdiction": "GA"}).json()
    assert "rita@example.org" in [r["email"] for r in listed["results"]]


def test_s1_s3_search_uses_the_search_page_criteria(world, activity, api_as):
    client = api_as(world.primary)
    body = client.get("/search", {"jurisdiction": world.jurisdiction.pk, "sort": "record"}).json()
    assert body["count"] == 1 and body["results"][0]["id"] == activity.pk
    assert body["sort"] == "record"
    assert_error_shape(client.get("/search", {"opened_from": "2026-02-30"}), 400, "opened_from")


def test_reference_lists(world, api_as):
    client = api_as(world.primary)
    assert client.get("/jurisdictions").status_code == 200
    assert client.get("/regions").status_code == 200
    centers = client.get("/reference/centers").json()
    assert {c["id"] for c in centers} >= {world.center.pk}
    assert_error_shape(client.get("/reference/nothing"), 404)


def test_openapi_lists_every_error_response_and_needs_sign_in(staff):
    assert_error_shape(Client().get("/api/v1/openapi.json"), 401)
    schema = ApiClient(token_for(staff)).get("/openapi.json").json()
    patch = schema["paths"]["/api/v1/activities/{pk}"]["patch"]["responses"]
    assert {"200", "400", "401", "403", "404", "409", "412", "422"} <= set(patch)


def test_docs_page_is_served_locally_under_the_site_csp(client, staff):
    assert Client().get("/api/v1/docs").status_code == 302
    client.force_login(staff)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "<script>" not in html.replace(" ", "")  # settings are JSON, not inline script


def test_session_auth_needs_csrf_for_changes(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.get("/api/v1/me").status_code == 200
    response = client.post(
        "/api/v1/goals/1/notes", json.dumps({"text": "x"}), content_type="application/json"
    )
    assert_error_shape(response, 403)


@override_settings(API_RATE_LIMIT="3/min")
def test_rate_limit_per_token_429(staff):
    client = ApiClient(token_for(staff))
    other = ApiClient(token_for(staff, name="second"))
    statuses = [client.get("/me").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert_error_shape(client.get("/me"), 429)
    assert other.get("/me").status_code == 200
