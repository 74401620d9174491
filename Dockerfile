# Images of the CRM suite.
#   docker build --build-arg SERVICE=identity -t ghcr.io/crm-suite/identity .
#   docker build --target gateway -t ghcr.io/crm-suite/gateway .

FROM python:3.11-slim AS python-build
ARG SERVICE
RUN pip install --no-cache-dir uv
WORKDIR /src
COPY pyproject.toml uv.lock ./
COPY shared ./shared
COPY services ./services
RUN uv sync --frozen --no-dev --no-editable --package "${SERVICE}"

FROM python:3.11-slim AS service
ARG SERVICE
ENV PATH=/src/.venv/bin:$PATH PYTHONUNBUFFERED=1 SERVICE=${SERVICE}
RUN useradd --system --uid 10001 --no-create-home crm
COPY --from=python-build /src/.venv /src/.venv
USER 10001
EXPOSE 8000
CMD ["sh", "-c", "exec uvicorn ${SERVICE}.app:create_app --factory --host 0.0.0.0 --port 8000 --no-access-log"]

FROM node:20-slim AS gateway
WORKDIR /gateway
COPY gateway/package.json gateway/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY gateway/gateway.config.ts gateway/supergraph.graphql ./
USER node
EXPOSE 4000
CMD ["npx", "hive-gateway", "supergraph", "supergraph.graphql"]
