"""The web console's static server for `make run` and the browser tests (`web/dist`, built first
when missing or older than its sources): hashed assets cached for good, every other path answered
with index.html (the console routes in the browser), responses compressed, `/config.js`
telling the console where the gateway is, and the services' REST routes the console calls (file
downloads, the notification stream) passed on to them as they arrive, as the Ingress `crm` does in
Kubernetes."""

from __future__ import annotations

import gzip
import json
import mimetypes
import subprocess
import sys
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

SOURCES = ("src", "index.html", "package.json", "package-lock.json", "vite.config.ts", "codegen.ts", "tsconfig.json")


def newest_source(web: Path) -> float:
    """When the console's sources (or the API schema and event schemas it is built from) last changed;
    the generated modules in src/gql* are output, not source."""
    files = [web.parent / "gateway" / "schema.graphql", *(web.parent / "tests" / "contract" / "events").glob("*.json")]
    for name in SOURCES:
        path = web / name
        found = path.rglob("*") if path.is_dir() else [path]
        files += [f for f in found if not any(part.startswith("gql") for part in f.relative_to(web).parts)]
    return max(f.stat().st_mtime for f in files if f.is_file())


def build(web: Path) -> None:
    """`npm ci` when node_modules is missing, then `npm run build` when dist is older than the sources."""
    index = web / "dist" / "index.html"
    if index.exists() and index.stat().st_mtime >= newest_source(web):
        return
    if not (web / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=web, check=True, stdout=sys.stderr)
    subprocess.run(["npm", "run", "build"], cwd=web, check=True, stdout=sys.stderr)


IMMUTABLE = "public, max-age=31536000, immutable"
COMPRESSED = (".js", ".css", ".svg", ".json")  # what compresses: text, not images or fonts


class ImmutableAssets(StaticFiles):
    """Vite names assets by their content hash: a browser may keep them for a year. The text ones are
    compressed once when the server starts, rather than again for every browser that asks while it
    loads the console's many chunks at once (a first visit's chunks then come without waiting)."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory=directory)
        self.gzipped = {
            f.name: gzip.compress(f.read_bytes())
            for f in (directory.iterdir() if directory.is_dir() else ())
            if f.suffix in COMPRESSED
        }

    async def get_response(self, path: str, scope: Scope) -> Response:
        gzipped = self.gzipped.get(path)
        if gzipped is not None and "gzip" in Headers(scope=scope).get("accept-encoding", ""):
            headers = {"Cache-Control": IMMUTABLE, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
            return Response(gzipped, media_type=mimetypes.guess_type(path)[0], headers=headers)
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = IMMUTABLE
        return response


PASSED_ON = (
    "content-type",
    "content-disposition",
    "x-content-type-options",
    "content-security-policy",
    "cache-control",
    "x-accel-buffering",
)


def forwarder(base: str) -> Route:
    """GETs under the path of `base` (`http://host:port/api/v1/tickets/`) go to that service with the caller's token;
    the answer is passed back as it comes, so server-sent events arrive when sent."""
    prefix = httpx.URL(base).path

    async def forward(request: Request) -> Response:
        sent = {k: v for k, v in request.headers.items() if k in ("authorization", "accept-language", "accept")}
        client = httpx.AsyncClient(timeout=httpx.Timeout(60, read=None))
        got = await client.send(
            client.build_request("GET", f"{base}{request.path_params['rest']}", headers=sent), stream=True
        )
        headers = {k: v for k, v in got.headers.items() if k in PASSED_ON}

        async def close() -> None:
            await got.aclose()
            await client.aclose()

        return StreamingResponse(
            got.aiter_bytes(), status_code=got.status_code, headers=headers, background=BackgroundTask(close)
        )

    return Route(f"{prefix}{{rest:path}}", forward)


def create_app(dist: Path, graphql_url: str, upstreams: tuple[str, ...] = ()) -> Starlette:
    config = f"window.CRM_CONFIG = {json.dumps({'graphqlUrl': graphql_url})};\n"

    async def config_js(_: Request) -> Response:
        return Response(config, media_type="text/javascript", headers={"Cache-Control": "no-cache"})

    async def page(request: Request) -> Response:
        """A file of the build's root (favicon...) or, for any route of the console, index.html."""
        name = request.path_params["path"]
        candidate = (dist / name).resolve()
        if name and candidate.is_file() and candidate.is_relative_to(dist.resolve()):
            return FileResponse(candidate)
        if name.startswith("assets/"):
            raise HTTPException(404)
        return FileResponse(dist / "index.html", headers={"Cache-Control": "no-cache"})

    app = Starlette(
        routes=[
            Route("/config.js", config_js),
            *(forwarder(base) for base in upstreams),
            Mount("/assets", ImmutableAssets(dist / "assets"), name="assets"),
            Route("/{path:path}", page),
        ]
    )
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    return app


def main() -> None:
    """`python -m crm_shared.devstack.console <dist> <port> <gateway url> [<service route base>...]`: serve a
    built console."""
    import uvicorn

    dist, port, graphql_url = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    app = create_app(dist, graphql_url, tuple(sys.argv[4:]))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
