// Hive Gateway configuration for the CRM supergraph.
// Verifies access tokens against identity's JWKS, leaves only sign-in operations (and, outside
// production, introspection) open, limits depth, aliases and tokens, forwards the caller's
// token, language and trace context to the subgraphs, which check the token again.
import { defineConfig, type GatewayPlugin } from '@graphql-hive/gateway';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { GraphQLError, Kind, getOperationAST, visit, type DocumentNode } from 'graphql';

const env = process.env;
const production = env.CRM_ENV === 'production';
const maxAliases = Number(env.CRM_GATEWAY_MAX_ALIASES ?? 30);

// root fields a caller may use without a token
const OPEN_FIELDS = new Set([
  'login',
  'refreshToken',
  'apiKeyToken',
  'requestPasswordReset',
  'resetPassword',
  '__typename',
]);
const INTROSPECTION = new Set(['__schema', '__type']);

const jwks = createRemoteJWKSet(
  new URL(env.CRM_JWKS_URL ?? 'http://127.0.0.1:8001/.well-known/jwks.json'),
  { cooldownDuration: 5_000, cacheMaxAge: 300_000 }, // an unknown kid refetches at most every 5 s
);

function error(message: string, code: string, extra: Record<string, unknown> = {}) {
  return { errors: [new GraphQLError(message, { extensions: { code, ...extra } })] };
}

function rootFields(document: DocumentNode, operationName?: string | null): string[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) return [];
  return operation.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : '*'));
}

function aliasCount(document: DocumentNode): number {
  let count = 0;
  visit(document, {
    Field(node) {
      if (node.alias) count += 1;
    },
  });
  return count;
}

function bearer(header: string | null): string | null {
  const match = header?.match(/^Bearer\s+(.+)$/i);
  return match ? match[1].trim() : null;
}

function authorization(): GatewayPlugin {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const aliases = aliasCount(args.document);
      if (aliases > maxAliases) {
        setResultAndStopExecution(
          error(`Too many aliases (${aliases} > ${maxAliases}) / 别名过多`, 'BAD_USER_INPUT'),
        );
        return;
      }
      const request = (args.contextValue as { request?: Request }).request;
      const token = bearer(request?.headers.get('authorization') ?? null);
      if (token) {
        try {
          await jwtVerify(token, jwks, {
            issuer: env.CRM_JWT_ISSUER ?? 'crm-identity',
            audience: env.CRM_JWT_AUDIENCE ?? 'crm',
            algorithms: ['ES256', 'RS256', 'EdDSA'],
          });
          return;
        } catch {
          setResultAndStopExecution(
            error('The access token is invalid or expired / 访问令牌无效或已过期', 'UNAUTHENTICATED'),
          );
          return;
        }
      }
      const fields = rootFields(args.document, args.operationName);
      const open = fields.every((f) => OPEN_FIELDS.has(f) || (!production && INTROSPECTION.has(f)));
      if (!open || fields.length === 0) {
        setResultAndStopExecution(error('Authentication required / 需要登录', 'UNAUTHENTICATED'));
      }
    },
  };
}

// CRM_SUBGRAPH_<NAME>_URL overrides the URL composed into the supergraph (e.g. in Kubernetes)
const transportEntries = Object.fromEntries(
  Object.entries(env)
    .filter(([key, value]) => /^CRM_SUBGRAPH_[A-Z0-9_]+_URL$/.test(key) && value)
    .map(([key, value]) => [key.slice('CRM_SUBGRAPH_'.length, -'_URL'.length).toLowerCase(), { location: value }]),
);

const FORWARDED = ['authorization', 'accept-language', 'traceparent', 'tracestate', 'x-request-id'];

export const gatewayConfig = defineConfig({
  supergraph: './supergraph.graphql',
  host: env.CRM_GATEWAY_HOST ?? '127.0.0.1',
  port: Number(env.CRM_GATEWAY_PORT ?? 4000),
  graphqlEndpoint: '/graphql',
  graphiql: !production,
  landingPage: false,
  maxDepth: Number(env.CRM_GATEWAY_MAX_DEPTH ?? 12),
  maxTokens: Number(env.CRM_GATEWAY_MAX_TOKENS ?? 2000),
  blockFieldSuggestions: production,
  cors: env.CRM_CORS_ORIGINS
    ? { origin: env.CRM_CORS_ORIGINS.split(','), credentials: true }
    : { origin: '*' },
  transportEntries,
  propagateHeaders: {
    fromClientToSubgraphs({ request }) {
      return Object.fromEntries(FORWARDED.map((name) => [name, request.headers.get(name)]));
    },
  },
  openTelemetry: env.OTEL_EXPORTER_OTLP_ENDPOINT ? { traces: true } : undefined,
  plugins: () => [authorization()],
});
