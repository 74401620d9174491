"""REST problem responses of a service built with the platform: each field named as REST names it, and the whole
message in the caller's language, whether the domain, the input policy or pydantic refused the value."""

import uuid
from typing import Annotated, Literal

import pytest
import strawberry
from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from crm_shared import validate
from crm_shared.config import ServiceSettings
from crm_shared.errors import BadInput
from crm_shared.graphql.schema import federated_schema
from crm_shared.http.app import ServiceApp, create_service_app
from crm_shared.service import ServiceManifest
from crm_shared.testing import GraphQLClient

router = APIRouter(prefix="/api/v1")


class DealIn(BaseModel):
    name: str = Field(min_length=2, max_length=10)
    account_id: uuid.UUID | None = None
    tags: list[str] = Field(default=[], max_length=50)
    probability: int = Field(default=0, ge=0, le=100)
    stage: Literal["open", "won", "lost"] = "open"
    email: str | None = None
    contact_ids: list[str] = []


@router.post("/deals")
async def create_deal(body: DealIn) -> dict[str, str]:
    """Refuses as a domain does, naming fields in GraphQL's camelCase."""
    validate.email(body.email)
    if body.contact_ids:
        raise BadInput("unknown_contact", field="lines[0].contactId")
    raise BadInput("unknown_contact", field="accountId")


@router.get("/deals")
async def list_deals(
    limit: Annotated[int, Query(ge=1, le=200)] = 20, lifecycle_stage: str | None = None
) -> dict[str, str]:
    raise BadInput("one_of", field="lifecycleStage", choices="lead, customer")


class ReceiptIn(BaseModel):
    """A partner's camelCase document, as the ERP connector takes it."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    document_number: str


@router.post("/receipts")
async def receipt(body: ReceiptIn) -> dict[str, str]:
    raise BadInput("required_field", field="invoiceNumber")


@strawberry.type(name="Query")
class Root:
    ok: bool = True


@pytest.fixture
async def rest(db, platform_settings):
    manifest = ServiceManifest(name="kit", port=8097, topics=())
    app = create_service_app(
        ServiceApp(
            manifest=manifest,
            platform=platform_settings,
            settings=ServiceSettings(database_url=db.url),
            db=db,
            schema=federated_schema(Root),
            routers=[router],
        )
    )
    async with GraphQLClient(app) as client:
        yield client


async def said(client, method: str, path: str, lang: str = "zh-CN", **options) -> tuple[int, str, str]:
    answer = await client.rest(method, f"/api/v1/{path}", None, headers={"Accept-Language": lang}, **options)
    return answer.status_code, answer.json()["field"], answer.json()["detail"]


async def test_a_field_the_domain_named_in_camel_case_is_named_as_rest_names_it(rest):
    assert await said(rest, "POST", "deals", "en", json={"name": "big", "account_id": str(uuid.uuid4())}) == (
        422,
        "account_id",
        "Field 'account_id' names no contact of this account",
    )
    assert await said(rest, "POST", "deals", json={"name": "big", "contact_ids": ["x"]}) == (
        422,
        "lines[0].contact_id",
        "字段“lines[0].contact_id”不是该客户的联系人",
    )
    assert await said(rest, "GET", "deals", params={"lifecycle_stage": "bogus"}) == (
        422,
        "lifecycle_stage",
        "字段“lifecycle_stage”须为以下之一：lead, customer",
    )


async def test_a_route_taking_a_camel_case_body_keeps_the_domains_names(rest):
    assert await said(rest, "POST", "receipts", "en", json={"documentNumber": "R-1"}) == (
        422,
        "invoiceNumber",
        "Field 'invoiceNumber' is required",
    )


@pytest.mark.parametrize(
    ("body", "field", "zh", "en"),
    [
        (
            {"name": "big", "tags": ["t"] * 51},
            "tags",
            "字段“tags”的条目过多：最多 50 个",
            "Field 'tags' has too many entries: at most 50",
        ),
        ({"name": "b"}, "name", "字段“name”过短：至少 2 个字符", "Field 'name' is too short: at least 2 characters"),
        (
            {"name": "b" * 11},
            "name",
            "字段“name”过长：最多 10 个字符",
            "Field 'name' is too long: at most 10 characters",
        ),
        (
            {"name": "big", "probability": 101},
            "probability",
            "字段“probability”不能大于 100",
            "Field 'probability' must be at most 100",
        ),
        (
            {"name": "big", "probability": -1},
            "probability",
            "字段“probability”不能小于 0",
            "Field 'probability' must be at least 0",
        ),
        (
            {"name": "big", "probability": "x"},
            "probability",
            "字段“probability”的值无效：应为 Int 类型",
            "Invalid value for field 'probability': expected Int",
        ),
        (
            {"name": "big", "stage": "maybe"},
            "stage",
            "字段“stage”须为以下之一：open, won, lost",
            "Field 'stage' must be one of: open, won, lost",
        ),
        (
            {"name": 7},
            "name",
            "字段“name”的值无效：应为 String 类型",
            "Invalid value for field 'name': expected String",
        ),
        (
            {"name": "big", "account_id": "x"},
            "account_id",
            "字段“account_id”的值无效：应为 ID 类型",
            "Invalid value for field 'account_id': expected ID",
        ),
        ({}, "name", "字段“name”为必填项", "Field 'name' is required"),
        (
            {"name": "big", "email": "nope"},
            "email",
            "字段“email”的值无效：不是有效的邮箱地址",
            "Invalid value for field 'email': not a valid email address",
        ),
    ],
)
async def test_a_refused_body_is_said_wholly_in_the_callers_language(rest, body, field, zh, en):
    assert await said(rest, "POST", "deals", json=body) == (422, field, zh)
    assert await said(rest, "POST", "deals", "en", json=body) == (422, field, en)


async def test_a_refused_query_or_a_body_that_is_no_json_is_said_in_the_callers_language(rest):
    assert await said(rest, "GET", "deals", params={"limit": 0}) == (422, "limit", "字段“limit”不能小于 1")
    assert await said(rest, "GET", "deals", "en", params={"limit": "many"}) == (
        422,
        "limit",
        "Invalid value for field 'limit': expected Int",
    )
    broken = {"content": b'{"name": ', "headers": {"Accept-Language": "zh-CN", "content-type": "application/json"}}
    answer = await rest.rest("POST", "/api/v1/deals", None, **broken)
    assert (answer.status_code, answer.json()["field"], answer.json()["detail"]) == (
        422,
        "body",
        "字段“body”不是有效的 JSON 文档",
    )


def test_every_message_a_pydantic_error_becomes_exists_in_both_languages():
    from crm_shared.http.problems import LIMITS, SAID
    from crm_shared.i18n import MESSAGES

    for key in [*SAID.values(), *(limit[0] for limit in LIMITS.values()), "one_of", "invalid_value"]:
        assert set(MESSAGES[key]) == {"en", "zh-CN"}, key


async def test_a_path_no_route_takes_is_not_found_as_a_problem_in_the_callers_language(rest):
    for path in ("/api/v1/nope", "/api/v1/deals/7", "/nope"):
        missing = await rest.rest("GET", path, None, headers={"Accept-Language": "zh-CN"})
        assert (missing.status_code, missing.headers["content-type"]) == (404, "application/problem+json")
        assert missing.json() == {
            "type": "about:blank",
            "title": "Not Found",
            "status": 404,
            "code": "NOT_FOUND",
            "detail": "此接口没有该路径的操作",
        }


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS"])
async def test_a_method_a_path_does_not_take_is_refused_naming_every_method_it_does_take(rest, method):
    refused = await rest.rest(method, "/api/v1/deals", None, headers={"Accept-Language": "en"})
    assert (refused.status_code, refused.headers["content-type"]) == (405, "application/problem+json")
    assert refused.headers["allow"] == "GET, POST"
    assert refused.json() == {
        "type": "about:blank",
        "title": "Method Not Allowed",
        "status": 405,
        "code": "BAD_USER_INPUT",
        "detail": f"This path does not take {method}; it takes GET, POST",
    }
    in_chinese = await rest.rest(method, "/api/v1/receipts", None, headers={"Accept-Language": "zh-CN"})
    assert (in_chinese.status_code, in_chinese.headers["allow"]) == (405, "POST")
    assert in_chinese.json()["detail"] == f"此路径不接受 {method} 方法，只接受 POST"


async def test_a_head_request_and_one_to_graphql_are_refused_in_their_own_shape(rest):
    head = await rest.rest("HEAD", "/api/v1/deals", None)
    assert (head.status_code, head.headers["content-type"], head.headers["allow"]) == (
        405,
        "application/problem+json",
        "GET, POST",
    )
    graphql = await rest.rest("PUT", "/graphql", None, headers={"Accept-Language": "zh-CN"})
    assert (graphql.status_code, graphql.headers["allow"]) == (405, "GET, POST")
    assert graphql.json() == {
        "errors": [{"message": "此路径不接受 PUT 方法，只接受 GET, POST", "extensions": {"code": "BAD_USER_INPUT"}}]
    }
