"""The connectors' GraphQL documents hold against the services' composed schema: a renamed or missing
field of customer or sales fails here, not as a dead-lettered event or a refused call in production."""

from pathlib import Path

import pytest
from graphql import build_schema, parse, validate

from automation.connectors import customer
from automation.connectors.erp import inbound, outbound

SCHEMA = build_schema((Path(__file__).resolve().parents[4] / "gateway" / "schema.graphql").read_text())
DOCUMENTS = {
    "contactsByChannel": customer.BY_CHANNEL,
    "contact": customer.CONTACT,
    "logActivity": customer.LOG,
    "createTask": customer.TASK,
    "order": outbound.ORDER,
    "quote": outbound.QUOTE,
    **{f"erp {kind}": document for kind, document in inbound.MUTATIONS.items()},
}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_document_is_valid_against_the_composed_schema(name):
    assert [error.message for error in validate(SCHEMA, parse(DOCUMENTS[name]))] == []
