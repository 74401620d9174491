"""Write each subgraph's SDL and URL for the composer: `python -m crm_shared.graphql.export`."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
from pathlib import Path
from typing import Any

from crm_shared.devstack.services import SERVICES


def subgraph_sdl(schema: Any) -> str:
    """The SDL the subgraph announces through `_service { sdl }`, which is what composition reads."""
    result = asyncio.run(schema.execute("{ _service { sdl } }"))
    assert result.errors is None, result.errors
    return str(result.data["_service"]["sdl"]).strip()


def export(gateway_dir: Path) -> list[str]:
    subgraphs = gateway_dir / "subgraphs"
    subgraphs.mkdir(parents=True, exist_ok=True)
    urls = {}
    for spec in SERVICES:
        schema = importlib.import_module(f"{spec.name}.graphql").schema
        (subgraphs / f"{spec.name}.graphql").write_text(subgraph_sdl(schema) + "\n")
        urls[spec.name] = f"{spec.url}/graphql"
    (gateway_dir / "subgraphs.json").write_text(json.dumps(urls, indent=2) + "\n")
    return list(urls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gateway-dir", type=Path, default=Path("gateway"))
    args = parser.parse_args()
    print("exported subgraphs:", ", ".join(export(args.gateway_dir)))


if __name__ == "__main__":
    main()
