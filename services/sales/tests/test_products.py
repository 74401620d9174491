"""The product catalogue: what a product needs to be one."""

import pytest

CREATE = "mutation($i: ProductInputFields!) { createProduct(input: $i) { id code name } }"
COUNT = "{ products { totalCount } }"


@pytest.mark.parametrize(
    ("given", "field"),
    [({"name": "无编码产品"}, "code"), ({"code": "N1"}, "name"), ({"code": "   ", "name": "空白编码"}, "code")],
)
async def test_a_product_without_a_code_or_a_name_is_refused_at_that_field(gql, given, field):
    refused = await gql.error(CREATE, {"i": {**given, "listPrice": "1"}}, "admin", "BAD_USER_INPUT", "zh-CN")

    assert refused["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert refused["message"] == f"字段“{field}”为必填项"
    assert (await gql.ok(COUNT))["products"]["totalCount"] == 0
