"""Every failure answers {"code", "message", "details"} in the request's language."""
from __future__ import annotations

from sqlalchemy.exc import OperationalError

from backend.services.accounts import institutions


def assert_error_shape(answer, status: int, code: str) -> None:
    assert answer.status_code == status
    assert answer.is_json
    assert set(answer.json) == {"code", "message", "details"}
    assert answer.json["code"] == code
    assert answer.json["message"]


def test_not_found_in_vietnamese_by_default_and_english_on_request(client):
    vietnamese = client.get("/api/v1/no-such-thing")
    assert_error_shape(vietnamese, 404, "NOT_FOUND")
    assert vietnamese.json["message"] == "Không tìm thấy nội dung yêu cầu."
    english = client.get("/api/v1/no-such-thing", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert english.json["message"] == "The requested item was not found."


def test_method_not_allowed(client):
    assert_error_shape(client.delete("/api/v1/institutions"), 405, "METHOD_NOT_ALLOWED")


def test_validation_errors_name_each_field(client):
    answer = client.post("/api/v1/auth/login", json={"personal_id": "12"},
                         headers={"Accept-Language": "en"})
    assert_error_shape(answer, 422, "VALIDATION_ERROR")
    assert set(answer.json["details"]) == {"personal_id", "password"}
    assert answer.json["message"].startswith("The data sent is not valid")


def test_body_that_is_not_json(client):
    answer = client.post("/api/v1/auth/login", data="{not json",
                         content_type="application/json")
    assert_error_shape(answer, 422, "VALIDATION_ERROR")
    assert "body" in answer.json["details"]


def test_internal_error_hides_database_detail(client, monkeypatch):
    def broken():
        raise OperationalError("SELECT secret_column FROM institutions", {}, Exception("boom"))
    monkeypatch.setattr(institutions, "list_all", broken)
    answer = client.get("/api/v1/institutions", headers={"Accept-Language": "en"})
    assert_error_shape(answer, 500, "INTERNAL_ERROR")
    assert "secret_column" not in answer.get_data(as_text=True)
    assert "Nothing was changed" in answer.json["message"]
