"""Each service's OpenAPI document matches its committed snapshot (CRM_UPDATE_SNAPSHOTS=1 rewrites it)."""

import json
import os
from pathlib import Path

import pytest

from crm_shared.service import discover

SNAPSHOTS = Path(__file__).parent / "openapi"


@pytest.mark.parametrize("service", [s.name for s in discover()])
def test_openapi_matches_snapshot(service):
    module = __import__(f"{service}.app", fromlist=["create_app"])
    document = module.create_app().openapi()
    path = SNAPSHOTS / f"{service}.json"
    rendered = json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("CRM_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(rendered)
    assert path.exists(), f"no OpenAPI snapshot for {service}: run CRM_UPDATE_SNAPSHOTS=1 make test"
    assert json.loads(path.read_text()) == document, (
        f"{service}'s REST API changed; review it and run CRM_UPDATE_SNAPSHOTS=1 pytest tests/contract"
    )
