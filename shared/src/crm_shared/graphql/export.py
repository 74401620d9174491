"""Write what is generated from the services' code: `python -m crm_shared.graphql.export`.

Each installed service's subgraph SDL and URL (for `gateway/compose.mjs`), the permission
catalogue gathered from every manifest (into the file a manifest names as `catalogue_file`), and
the JSON Schemas of the published events (`tests/contract/events/`) with each topic's event types
(`crm_contracts/events.json`). With `--check`, a stale catalogue or event schema fails instead of being
rewritten.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
from pathlib import Path
from typing import Any

from crm_contracts.published import FILE
from crm_shared.auth.catalogue import Catalogue
from crm_shared.events import schemas
from crm_shared.service import ServiceManifest, discover


def subgraph_sdl(schema: Any) -> str:
    """The SDL the subgraph announces through `_service { sdl }`, which is what composition reads."""
    result = asyncio.run(schema.execute("{ _service { sdl } }"))
    assert result.errors is None, result.errors
    return str(result.data["_service"]["sdl"]).strip()


def export(gateway_dir: Path, manifests: list[ServiceManifest]) -> list[str]:
    subgraphs = gateway_dir / "subgraphs"
    subgraphs.mkdir(parents=True, exist_ok=True)
    urls = {}
    for manifest in manifests:
        (subgraphs / f"{manifest.name}.graphql").write_text(subgraph_sdl(manifest.schema()) + "\n")
        urls[manifest.name] = f"{manifest.url()}/graphql"
    (gateway_dir / "subgraphs.json").write_text(json.dumps(urls, indent=2) + "\n")
    return list(urls)


def catalogue_files(manifests: list[ServiceManifest]) -> list[Path]:
    files = []
    for manifest in manifests:
        if manifest.catalogue_file:
            package = importlib.import_module(manifest.package)
            assert package.__file__ is not None
            files.append(Path(package.__file__).parent / manifest.catalogue_file)
    return files


def write_catalogue(manifests: list[ServiceManifest], check: bool) -> list[Path]:
    """The catalogue files that were stale (rewritten unless checking)."""
    text = Catalogue.of(manifests).dumps()
    stale = [path for path in catalogue_files(manifests) if not path.exists() or path.read_text() != text]
    if not check:
        for path in stale:
            path.write_text(text)
    return stale


def write_published(manifests: list[ServiceManifest], check: bool) -> list[Path]:
    """`crm_contracts/events.json` when stale (rewritten unless checking)."""
    text = schemas.by_topic(manifests)
    if FILE.exists() and FILE.read_text() == text:
        return []
    if not check:
        FILE.write_text(text)
    return [FILE]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gateway-dir", type=Path, default=Path("gateway"))
    parser.add_argument("--check", action="store_true", help="fail when the permission catalogue is stale")
    args = parser.parse_args()
    manifests = discover()
    stale = [str(path) for path in write_catalogue(manifests, args.check)]  # first: identity's schema loads it
    stale += [f"{schemas.SCHEMA_DIR}/{name}" for name in schemas.write(manifests, check=args.check)]
    stale += [str(path) for path in write_published(manifests, args.check)]
    if stale and args.check:
        sys.exit(f"stale generated files: {', '.join(stale)} (run `make compose`)")
    print("exported subgraphs:", ", ".join(export(args.gateway_dir, manifests)))


if __name__ == "__main__":
    main()
