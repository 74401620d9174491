// Hive Gateway configuration for the CRM supergraph (loaded by `hive-gateway supergraph` from
// this folder; the CLI compiles TypeScript itself).
//
// - verifies `Authorization: Bearer` access tokens against identity's JWKS; without a valid token
//   only the sign-in mutations (and, outside production, introspection) are open; in production
//   introspection is answered only to tokens granting `identity:schema:read` (administrators,
//   tooling) and errors suggest no field names;
// - limits query depth, aliases and tokens, and the estimated cost of an operation (demand control);
// - forwards the caller's token, language, request id and W3C trace context to the subgraphs,
//   which verify the token again and continue the trace, and the client's address as
//   X-Forwarded-For: the peer's own, or what proxies in CRM_GATEWAY_TRUSTED_PROXIES vouch for;
// - answers its own errors in the caller's language, and values of variables their types refuse as the
//   subgraphs do: BAD_USER_INPUT naming the field.
//
// Environment: see README.md.
import { defineConfig, type GatewayPlugin } from '@graphql-hive/gateway';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { openTelemetrySetup } from '@graphql-hive/gateway/opentelemetry/setup';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  BREAK,
  GraphQLError,
  Kind,
  Lexer,
  OperationTypeNode,
  Source,
  TokenKind,
  TypeInfo,
  coerceInputValue,
  getNamedType,
  getNullableType,
  getOperationAST,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInputType,
  isListType,
  isNonNullType,
  isObjectType,
  isRequiredInputField,
  isValueNode,
  parse,
  typeFromAST,
  valueFromASTUntyped,
  visitWithTypeInfo,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLErrorOptions,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
  visit,
} from 'graphql';
import { createLocalJWKSet, errors as jose, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

const env = process.env;
const production = env.CRM_ENV === 'production';

function positive(name: string, fallback: number): number {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

const limits = {
  depth: positive('CRM_GATEWAY_MAX_DEPTH', 12),
  aliases: positive('CRM_GATEWAY_MAX_ALIASES', 30),
  tokens: positive('CRM_GATEWAY_MAX_TOKENS', 2000),
  // cost: each object a field returns costs 1, times the lists around it; a connection's `edges`
  // count `first` (`@listSize` in the subgraph SDL), any other list CRM_GATEWAY_ASSUMED_LIST_SIZE
  cost: positive('CRM_GATEWAY_MAX_COST', 10000),
  assumedListSize: positive('CRM_GATEWAY_ASSUMED_LIST_SIZE', 10),
};

// ---------------------------------------------------------------------------------------------
// The caller's language. The gateway's own errors are made in English with their message's key and
// answered in the language Accept-Language asks for (`inCallersLanguage`): some are made where the
// request is unknown (validation rules, error masking), and Hive Gateway keeps a document's parse and
// validation errors for the next request that sends it, whatever its language.
// ---------------------------------------------------------------------------------------------

type Locale = 'en' | 'zh-CN';

// worded as the subgraphs word the same errors (crm_shared.i18n, crm_shared.graphql.demand)
const MESSAGES = {
  unauthenticated: { en: 'Authentication required', 'zh-CN': '需要登录' },
  invalid_token: { en: 'The access token is invalid or expired', 'zh-CN': '访问令牌无效或已过期' },
  forbidden: { en: 'You do not have permission to do this', 'zh-CN': '您没有执行此操作的权限' },
  sign_in_unavailable: {
    en: 'Sign-in service unavailable, try again later',
    'zh-CN': '登录服务暂不可用，请稍后再试',
  },
  subgraph_unavailable: {
    en: 'A service is unavailable for the moment; retry in {seconds} seconds',
    'zh-CN': '服务暂时不可用，请 {seconds} 秒后重试',
  },
  limit_tokens: { en: 'The query is too long: more than {max} tokens', 'zh-CN': '查询过长：超过 {max} 个词法单元' },
  limit_depth: {
    en: 'The query is too deep: {found} levels, at most {max}',
    'zh-CN': '查询嵌套过深：{found} 层，最多 {max} 层',
  },
  limit_aliases: { en: 'Too many aliases: {found}, at most {max}', 'zh-CN': '别名过多：{found} 个，最多 {max} 个' },
  limit_cost: {
    en: 'The query would cost {found}, more than the limit of {max}: ask for smaller pages or fewer fields',
    'zh-CN': '查询成本 {found} 超过上限 {max}：请减小分页大小或减少字段',
  },
  too_deep: {
    en: "Field '{field}' is nested too deeply: at most {maximum} levels",
    'zh-CN': '字段“{field}”嵌套过深：最多 {maximum} 层',
  },
  expected_type: {
    en: "Invalid value for field '{field}': expected {type}",
    'zh-CN': '字段“{field}”的值无效：应为 {type} 类型',
  },
  required_field: { en: "Field '{field}' is required", 'zh-CN': '字段“{field}”为必填项' },
  number_too_large: { en: "Field '{field}': the number is too large", 'zh-CN': '字段“{field}”：数值过大' },
  one_of: { en: "Field '{field}' must be one of: {choices}", 'zh-CN': '字段“{field}”须为以下之一：{choices}' },
  unknown_field: { en: "Field '{field}' is not one this request takes", 'zh-CN': '此请求不接受字段“{field}”' },
  internal: { en: 'Internal server error', 'zh-CN': '服务器内部错误' },
} satisfies Record<string, Record<Locale, string>>;
type MessageKey = keyof typeof MESSAGES;
type Params = Record<string, string | number>;

function translate(key: MessageKey, locale: Locale, params: Params): string {
  return MESSAGES[key][locale].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name]));
}

/** zh-CN or en from Accept-Language, as the subgraphs choose (crm_shared.i18n.negotiate): the first supported wins. */
function negotiate(acceptLanguage: string | null): Locale {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0].trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

const wordings = new WeakMap<GraphQLError, { key: MessageKey; params: Params }>();

/** One of the gateway's own errors, in English until it is answered. */
function gatewayError(
  key: MessageKey,
  params: Params,
  extensions: Record<string, unknown>,
  located: Pick<GraphQLErrorOptions, 'nodes' | 'path'> = {},
): GraphQLError {
  const error = new GraphQLError(translate(key, 'en', params), { ...located, extensions });
  wordings.set(error, { key, params });
  return error;
}

/** BAD_USER_INPUT naming the field, as the subgraphs answer it (crm_shared.errors.BadInput). */
function badInput(key: MessageKey, params: Params & { field: string }, located: Pick<GraphQLErrorOptions, 'nodes'> = {}) {
  return gatewayError(key, params, { code: 'BAD_USER_INPUT', ...params }, located);
}

/** The gateway's own errors in the caller's language; an answer in English or without them passes untouched. */
function inCallersLanguage(): GatewayPlugin {
  return {
    onExecutionResult({ request, result, setResult }) {
      if (!result || Symbol.asyncIterator in result || !result.errors?.length) return;
      const locale = negotiate(request.headers.get('accept-language'));
      if (locale === 'en' || !result.errors.some((error) => wordings.has(error))) return;
      setResult({ ...result, errors: result.errors.map((error) => inLanguage(error, locale)) });
    },
  };
}

function inLanguage(error: GraphQLError, locale: Locale): GraphQLError {
  const wording = wordings.get(error);
  if (!wording) return error;
  const { nodes, source, positions, path, originalError, extensions } = error;
  const options = { nodes, source, positions, path, originalError, extensions };
  return new GraphQLError(translate(wording.key, locale, wording.params), options);
}

// ---------------------------------------------------------------------------------------------
// Which root fields need no token
// ---------------------------------------------------------------------------------------------

// sign-in operations: a caller without (or with an expired) access token must reach them
const OPEN_MUTATIONS = new Set([
  'login',
  'refreshToken',
  'logout', // takes the refresh token; the access token may already have expired
  'apiKeyToken',
  'requestPasswordReset',
  'resetPassword',
]);
const INTROSPECTION = new Set(['__schema', '__type', '__typename']);
const SCHEMA_FIELDS = new Set(['__schema', '__type']);
// who may introspect in production: `*`, or the permission (or its wildcards) granted to tooling
const SCHEMA_READERS = new Set(['*', 'identity:*', 'identity:schema:*', 'identity:schema:read']);

/** Root field names of the operation, `null` for a fragment spread or inline fragment. */
function rootFields(operation: OperationDefinitionNode): (string | null)[] {
  return operation.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : null));
}

function isOpen(operation: OperationDefinitionNode): boolean {
  const fields = rootFields(operation);
  return (
    fields.length > 0 &&
    fields.every(
      (field) =>
        field !== null &&
        ((!production && INTROSPECTION.has(field)) ||
          (operation.operation === OperationTypeNode.MUTATION && OPEN_MUTATIONS.has(field))),
    )
  );
}

// ---------------------------------------------------------------------------------------------
// Access tokens: identity's JWKS, cached; an unknown kid refetches it (key rotation)
// ---------------------------------------------------------------------------------------------

const JWKS_URL = env.CRM_JWKS_URL ?? 'http://127.0.0.1:8001/.well-known/jwks.json';
const JWKS_MAX_AGE_MS = 10 * 60_000; // refetch in the background after this long
const JWKS_COOLDOWN_MS = 2_000; // an unknown kid refetches at most this often
const ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];

class JwksUnavailable extends Error {}

// the gateway's logger once the gateway has started (see `plugins` below)
let log: { error(message: string): void } = { error: (message) => console.error(message) };

/**
 * The JWKS as a jose key resolver. Keeps the last good key set while identity is unreachable;
 * a token with an unknown kid refetches the set (at most every JWKS_COOLDOWN_MS: a request that
 * arrives sooner waits for the next fetch rather than failing, so a freshly rotated key always
 * works and forged kids cannot make the gateway hammer identity). `isCurrent` says whether a kid is
 * in the set as last fetched.
 */
function remoteKeys(url: string): { resolve: JWTVerifyGetKey; isCurrent(kid: string): boolean } {
  let local: ReturnType<typeof createLocalJWKSet> | null = null;
  let kids = new Set<string>();
  let fetchedAt = 0;
  let attemptedAt = 0;
  let pending: Promise<void> | null = null;
  let scheduled: Promise<void> | null = null;
  let lastFailure = '';

  const refresh = () =>
    (pending ??= (async () => {
      attemptedAt = Date.now();
      try {
        const response = await fetch(url, {
          signal: AbortSignal.timeout(5_000),
          headers: { accept: 'application/json' },
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const jwks = (await response.json()) as JSONWebKeySet;
        if (!Array.isArray(jwks?.keys)) throw new Error('not a JSON Web Key Set');
        local = createLocalJWKSet(jwks);
        kids = new Set(jwks.keys.map((key) => key.kid).filter((kid): kid is string => typeof kid === 'string'));
        fetchedAt = Date.now();
      } catch (error) {
        lastFailure = `cannot fetch the JWKS at ${url}: ${(error as Error).message}`;
        throw new JwksUnavailable(lastFailure);
      } finally {
        pending = null;
      }
    })());

  const refreshAfterCooldown = () =>
    (scheduled ??= (async () => {
      try {
        const wait = attemptedAt + JWKS_COOLDOWN_MS - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await refresh();
      } finally {
        scheduled = null;
      }
    })());

  const refreshIfStale = () => {
    if (local && Date.now() - fetchedAt > JWKS_MAX_AGE_MS && !pending) {
      refresh().catch((error) => log.error(error.message)); // keep the old keys meanwhile
    }
  };

  const resolve: JWTVerifyGetKey = async (header, token) => {
    if (!local) {
      // identity was unreachable a moment ago: answer at once rather than queueing requests
      if (!pending && Date.now() - attemptedAt < JWKS_COOLDOWN_MS) throw new JwksUnavailable(lastFailure);
      await refresh();
    }
    refreshIfStale();
    try {
      return await local!(header, token);
    } catch (error) {
      if (!(error instanceof jose.JWKSNoMatchingKey)) throw error;
      try {
        await refreshAfterCooldown(); // a rotated key?
      } catch (unavailable) {
        log.error((unavailable as Error).message);
        throw error; // judge the token by the keys we have
      }
      return local!(header, token);
    }
  };

  return {
    resolve,
    isCurrent(kid) {
      refreshIfStale();
      return kids.has(kid);
    },
  };
}

const keys = remoteKeys(JWKS_URL);

const UNAUTHENTICATED = () => gatewayError('unauthenticated', {}, { code: 'UNAUTHENTICATED' });
const INVALID_TOKEN = () => gatewayError('invalid_token', {}, { code: 'UNAUTHENTICATED' });

type Verified = { error: GraphQLError } | { error: null; permissions: string[] };

const CLOCK_TOLERANCE_SECONDS = 5;
const REMEMBERED_TOKENS = 4096;
// A person's every request carries the same token, and checking its signature is a tenth of the
// gateway's work on a request: a verified token is remembered (the most recent REMEMBERED_TOKENS)
// and answers until it expires, for as long as the key that signed it is current, as in the
// subgraphs (crm_shared.auth.jwks.TokenVerifier).
const verifiedTokens = new Map<string, { kid: string; expiresAt: number; permissions: string[] }>();

function rememberedToken(token: string): string[] | null {
  const known = verifiedTokens.get(token);
  if (!known) return null;
  verifiedTokens.delete(token);
  if (Date.now() >= known.expiresAt || !keys.isCurrent(known.kid)) return null;
  verifiedTokens.set(token, known); // the most recently used last
  return known.permissions;
}

async function verify(token: string): Promise<Verified> {
  const remembered = rememberedToken(token);
  if (remembered) return { error: null, permissions: remembered };
  try {
    const { payload, protectedHeader } = await jwtVerify(token, keys.resolve, {
      issuer: env.CRM_JWT_ISSUER ?? 'crm-identity',
      audience: env.CRM_JWT_AUDIENCE ?? 'crm',
      algorithms: ALGORITHMS,
      requiredClaims: ['exp', 'iat', 'sub'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    // identity also signs other kinds of token; only access tokens open the API
    if (payload.typ !== undefined && payload.typ !== 'access') return { error: INVALID_TOKEN() };
    const permissions = Array.isArray(payload.perms) ? payload.perms.filter((p) => typeof p === 'string') : [];
    if (protectedHeader.kid) {
      const expiresAt = (payload.exp! + CLOCK_TOLERANCE_SECONDS) * 1000;
      verifiedTokens.set(token, { kid: protectedHeader.kid, expiresAt, permissions });
      if (verifiedTokens.size > REMEMBERED_TOKENS) verifiedTokens.delete(verifiedTokens.keys().next().value!);
    }
    return { error: null, permissions };
  } catch (error) {
    if (error instanceof JwksUnavailable) {
      log.error(error.message);
      return { error: gatewayError('sign_in_unavailable', {}, { code: 'SERVICE_UNAVAILABLE' }) };
    }
    return { error: INVALID_TOKEN() };
  }
}

function bearer(header: string | null): string | null {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match ? match[1] : null;
}

// Every request the gateway executes has passed `onParams` below, which records the outcome
// here; execution without a record (another transport, a future plugin) is refused.
type Admission = 'token' | 'open';
const admitted = new WeakMap<object, Admission>();
// the permissions of a request's verified token (what production's introspection check reads)
const grantedTo = new WeakMap<object, string[]>();

// parsing twice is cheap but not free: remember the admission of recent anonymous documents
const openDocuments = new Map<string, boolean>();

function authentication(): GatewayPlugin {
  return {
    async onParams({ params, request, context, setResult }) {
      const token = bearer(request.headers.get('authorization'));
      if (token) {
        const verified = await verify(token);
        if (verified.error) setResult({ errors: [verified.error] });
        else {
          admitted.set(context, 'token');
          grantedTo.set(context, verified.permissions);
        }
        return;
      }
      if (request.headers.has('authorization')) {
        setResult({ errors: [INVALID_TOKEN()] }); // not a bearer token
        return;
      }
      const key = `${params.operationName ?? ''}\n${params.query ?? ''}`;
      let open = openDocuments.get(key);
      if (open === undefined) {
        let operation: OperationDefinitionNode | null | undefined = null;
        try {
          if (params.query) {
            operation = getOperationAST(parse(params.query, { maxTokens: limits.tokens }), params.operationName);
          }
        } catch {
          return; // not parseable: the gateway answers the syntax error and executes nothing
        }
        if (!operation) return; // no or ambiguous operation: answered with the gateway's own error
        open = isOpen(operation);
        if (key.length <= 4096) {
          if (openDocuments.size >= 1000) openDocuments.delete(openDocuments.keys().next().value!);
          openDocuments.set(key, open);
        }
      }
      if (open) admitted.set(context, 'open');
      else setResult({ errors: [UNAUTHENTICATED()] });
    },
    onExecute({ args, setResultAndStopExecution }) {
      if (!isAdmitted(args.contextValue, args.document, args.operationName)) {
        setResultAndStopExecution({ errors: [UNAUTHENTICATED()] });
      } else if (production && asksForSchema(args.document) && !readsSchema(args.contextValue)) {
        setResultAndStopExecution({ errors: [SCHEMA_HIDDEN()] });
      }
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      if (!isAdmitted(args.contextValue, args.document, args.operationName)) {
        setResultAndStopExecution({ errors: [UNAUTHENTICATED()] });
      }
    },
  };
}

const SCHEMA_HIDDEN = () =>
  gatewayError('forbidden', {}, { code: 'FORBIDDEN', permission: 'identity:schema:read' });

/** Whether the document introspects the schema anywhere (`__typename` is no secret). */
function asksForSchema(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (SCHEMA_FIELDS.has(node.name.value)) {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function readsSchema(context: unknown): boolean {
  const permissions = typeof context === 'object' && context ? grantedTo.get(context) : undefined;
  return Boolean(permissions?.some((p) => SCHEMA_READERS.has(p)));
}

function isAdmitted(context: unknown, document: DocumentNode, operationName?: string | null): boolean {
  const admission = typeof context === 'object' && context ? admitted.get(context) : undefined;
  if (admission === 'token') return true;
  if (admission !== 'open') return false;
  const operation = getOperationAST(document, operationName);
  return Boolean(operation && isOpen(operation)); // what runs is what was admitted
}

// ---------------------------------------------------------------------------------------------
// Limits: tokens while parsing, depth and aliases as validation rules, and cost
// ---------------------------------------------------------------------------------------------

/** An operation over a limit, as the subgraphs answer it (crm_shared.graphql.demand.limit_error). */
function limitError(limit: 'tokens' | 'depth' | 'aliases' | 'cost', found: number, max: number) {
  const code = limit === 'cost' ? 'COST_LIMIT_EXCEEDED' : 'BAD_USER_INPUT';
  return gatewayError(`limit_${limit}`, { found, max }, { code, limit, max, found });
}

function depthRule(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragmentDepth = new Map<string, number>();
    const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
      let deepest = 0;
      for (const selection of set?.selections ?? []) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value === '__schema') continue; // introspection is bounded by the schema
          deepest = Math.max(deepest, selection.selectionSet ? 1 + depthOf(selection.selectionSet, seen) : 1);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, seen));
        } else {
          const name = selection.name.value;
          if (seen.has(name)) continue; // a cycle, reported by the standard rules
          let depth = fragmentDepth.get(name);
          if (depth === undefined) {
            const fragment: FragmentDefinitionNode | null | undefined = context.getFragment(name);
            depth = fragment ? depthOf(fragment.selectionSet, new Set([...seen, name])) : 0;
            fragmentDepth.set(name, depth);
          }
          deepest = Math.max(deepest, depth);
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, new Set());
        if (depth > max) {
          context.reportError(limitError('depth', depth, max));
        }
      },
    };
  };
}

function aliasRule(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    let count = 0;
    return {
      Field(field) {
        if (field.alias) count += 1;
      },
      Document: {
        leave() {
          if (count > max) {
            context.reportError(limitError('aliases', count, max));
          }
        },
      },
    };
  };
}

// The cost of an operation, as every subgraph counts it (crm_shared.graphql.demand): each field returning an
// object costs 1, times the sizes of the lists around it; a connection's `edges` hold its `first` (given or
// by default), any other list `assumedListSize`. Counted on the operation the client sent, before it is
// planned, so aliases and fragments count however the planner splits or merges the subgraph requests.

const PAGE = 'first'; // the argument that sizes a connection
const SIZED = 'edges'; // the connection's list

/** The cost, and the variables it was read from (the same for every request of the document). */
function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): { cost: number; read: string[] } {
  const read = new Set<string>();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  function* fields(set: SelectionSetNode | undefined, seen: ReadonlySet<string>): Generator<FieldNode> {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) yield selection;
      else if (selection.kind === Kind.INLINE_FRAGMENT) yield* fields(selection.selectionSet, seen);
      else if (!seen.has(selection.name.value)) {
        const fragment = fragments.get(selection.name.value); // a cycle or an unknown one is validation's
        if (fragment) yield* fields(fragment.selectionSet, new Set([...seen, selection.name.value]));
      }
    }
  }
  const argument = (node: FieldNode, field: GraphQLField<unknown, unknown>, name: string): unknown => {
    const given = node.arguments?.find((a) => a.name.value === name);
    if (!given) return field.args.find((a) => a.name === name)?.defaultValue;
    visit(given.value, { Variable: (variable) => void read.add(variable.name.value) });
    return valueFromASTUntyped(given.value, variables);
  };
  const listSize = (field: GraphQLField<unknown, unknown>): number => {
    let depth = 0;
    for (let kind: GraphQLOutputType = field.type; isNonNullType(kind) || isListType(kind); kind = kind.ofType) {
      if (isListType(kind)) depth += 1;
    }
    return depth ? limits.assumedListSize * depth : 1;
  };
  const page = (node: FieldNode, field: GraphQLField<unknown, unknown>): number | undefined => {
    if (!field.args.some((a) => a.name === PAGE)) return undefined;
    const size = argument(node, field, PAGE);
    return Number.isInteger(size) && (size as number) > 0 ? (size as number) : limits.assumedListSize;
  };
  const cost = (set: SelectionSetNode | undefined, parent: unknown, factor: number, sized?: number): number => {
    let total = 0;
    for (const node of fields(set, new Set())) {
      const field = isObjectType(parent) ? parent.getFields()[node.name.value] : undefined;
      if (!field || node.name.value.startsWith('__')) continue; // introspection is bounded by the schema
      const here = factor * (node.name.value === SIZED && sized !== undefined ? sized : listSize(field));
      const named = getNamedType(field.type);
      if (isCompositeType(named)) total += here;
      total += cost(node.selectionSet, named, here, page(node, field));
    }
    return total;
  };
  return { cost: cost(operation.selectionSet, schema.getRootType(operation.operation), 1), read: [...read] };
}

// The console and other clients send the same few documents again and again (parsed once by the gateway,
// so the same object each time): a document's cost is counted once for each set of values of the variables
// it reads (the pages' sizes), per operation and schema.
const COSTS_KEPT = 64; // per operation of a document
const costs = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, { read: string[]; found: Map<string, number> }>>>();

function rememberedCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  let documents = costs.get(schema);
  if (!documents) costs.set(schema, (documents = new WeakMap()));
  let operations = documents.get(document);
  if (!operations) documents.set(document, (operations = new Map()));
  const name = operation.name?.value ?? '';
  const valuesOf = (read: string[]) => JSON.stringify(read.map((variable) => variables[variable] ?? null));
  const known = operations.get(name);
  const cached = known?.found.get(valuesOf(known.read));
  if (cached !== undefined) return cached;
  const { cost, read } = operationCost(schema, document, operation, variables);
  const entry = known ?? { read, found: new Map<string, number>() };
  operations.set(name, entry);
  if (entry.found.size >= COSTS_KEPT) entry.found.delete(entry.found.keys().next().value!);
  entry.found.set(valuesOf(read), cost);
  return cost;
}

/** The variables as the subgraphs will read them: a variable left out takes its default. */
function withDefaults(operation: OperationDefinitionNode, given: Record<string, unknown> | undefined): Record<string, unknown> {
  const variables = { ...given };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (definition.defaultValue && !(name in variables)) variables[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return variables;
}

/**
 * The HTTP transport looks through a subgraph request's variables for file uploads to send as multipart,
 * and takes any object with a `then` or `promise` key for one (it waits on it, and fails): a workflow's
 * branch step has `then`. Such an object travels inside one whose `toJSON` gives it back, which the
 * search does not look into and `JSON.stringify` writes as the object itself.
 */
function plainJsonVariables(): GatewayPlugin {
  return {
    onSubgraphExecute({ executionRequest, setExecutionRequest }) {
      const variables = executionRequest.variables;
      if (variables && looksThenable(variables)) setExecutionRequest({ ...executionRequest, variables: shielded(variables) as Record<string, unknown> });
    },
  };
}

function looksThenable(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (!Array.isArray(value) && ('then' in value || 'promise' in value)) return true;
  return Object.values(value).some(looksThenable);
}

function shielded(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shielded);
  if (value === null || typeof value !== 'object') return value;
  const copy = Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shielded(item)]));
  return 'then' in copy || 'promise' in copy ? { toJSON: () => copy } : copy;
}

// levels of objects and arrays a variable's value may have: a subgraph allows 32 in a free-form JSON field
// (`crm_shared.validate.MAX_NESTING`), inside the input objects around it
const MAX_NESTING = 64;

/** How many levels of objects and arrays a value has, and the keys down to its deepest: counted without recursion. */
function nesting(value: unknown): { depth: number; keys: string[] } {
  let deepest = { depth: 0, keys: [] as string[] };
  const pending: [unknown, number, string[]][] = [[value, 1, []]];
  while (pending.length) {
    const [current, depth, keys] = pending.pop()!;
    if (current !== null && typeof current === 'object') {
      if (depth > deepest.depth) deepest = { depth, keys };
      const array = Array.isArray(current);
      for (const [key, child] of Object.entries(current)) pending.push([child, depth + 1, array ? keys : [...keys, key]]);
    }
  }
  return deepest;
}

/** The argument or input field a variable is given to, as the subgraphs name fields. */
function filling(document: DocumentNode, variable: string): string {
  let named = variable;
  visit(document, {
    Variable(node, _key, parent) {
      const holder = parent as { kind?: string; name?: { value: string } } | undefined;
      if (node.name.value === variable && (holder?.kind === Kind.ARGUMENT || holder?.kind === Kind.OBJECT_FIELD)) {
        named = holder.name!.value;
        return BREAK;
      }
      return undefined;
    },
  });
  return named;
}

/** A variable nested deeper than any input needs: refused here, before a subgraph's decoder has to follow it. It is
 * named as the subgraphs name fields: an input object's field by its own name, any other value by its argument's. */
function nestingError(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>) {
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const { depth, keys } = nesting(variables[name]);
    if (depth <= MAX_NESTING) continue;
    const type = typeFromAST(schema, definition.type);
    const field = type && isInputObjectType(getNamedType(type)) && keys.length ? keys[0] : filling(document, name);
    return gatewayError(
      'too_deep',
      { field, maximum: MAX_NESTING },
      { code: 'BAD_USER_INPUT', field, limit: 'nesting', max: MAX_NESTING, found: depth },
    );
  }
  return null;
}

/** Where a variable holds a number JSON could only read as ±Infinity (`1e400`): JavaScript would send it on to the
 * subgraph as null, silently. The path runs from the variable's top, after `nestingError` bounded its depth. */
function infinite(value: unknown): (string | number)[] | null {
  const pending: [unknown, (string | number)[]][] = [[value, []]];
  while (pending.length) {
    const [current, path] = pending.pop()!;
    if (typeof current === 'number' && !Number.isFinite(current)) return path;
    if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) pending.push([child, [...path, Array.isArray(current) ? Number(key) : key]]);
    }
  }
  return null;
}

/** A number too large for any field, named as the subgraphs name fields (`levels[0].remindAfterHours`). */
function infiniteError(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>) {
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const path = infinite(variables[name]);
    if (path === null) continue;
    const type = typeFromAST(schema, definition.type);
    const parts = type && isInputObjectType(getNamedType(type)) && typeof path[0] === 'string' ? path : [filling(document, name), ...path];
    const field = parts.map((part, i) => (typeof part === 'number' ? `[${part}]` : i ? `.${part}` : part)).join('');
    return badInput('number_too_large', { field });
  }
  return null;
}

/** Whether a document has more than `max` tokens: counted only once it failed to parse, to say why. */
function overTokens(source: string | Source, max: number): boolean {
  const lexer = new Lexer(typeof source === 'string' ? new Source(source) : source);
  try {
    for (let count = 0; count <= max; count += 1) if (lexer.advance().kind === TokenKind.EOF) return false;
    return true;
  } catch {
    return false; // a character no token may hold, within the limit: the syntax error says where
  }
}

function parseWithinTokens(source: string | Source, options?: ParseOptions): DocumentNode {
  try {
    return parse(source, { ...options, maxTokens: limits.tokens });
  } catch (error) {
    throw overTokens(source, limits.tokens) ? limitError('tokens', limits.tokens + 1, limits.tokens) : error;
  }
}

function queryLimits(): GatewayPlugin {
  const depth = depthRule(limits.depth);
  const aliases = aliasRule(limits.aliases);
  return {
    onParse({ setParseFn }) {
      setParseFn(parseWithinTokens);
    },
    onValidate({ addValidationRule, params: { schema, documentAST } }) {
      addValidationRule(depth);
      addValidationRule(aliases);
      return ({ valid, result, setResult }) => {
        if (!valid) setResult(result.map((error) => literalError(schema, documentAST, error) ?? error));
      };
    },
    onExecute({ args, executeFn, setExecuteFn, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation) return;
      const variables = args.variableValues ?? {};
      const refusedFirst = nestingError(args.schema, args.document, operation, variables) ?? infiniteError(args.schema, args.document, operation, variables);
      if (refusedFirst) return setResultAndStopExecution({ errors: [refusedFirst] });
      const found = rememberedCost(args.schema, args.document, operation, withDefaults(operation, args.variableValues));
      if (found > limits.cost) return setResultAndStopExecution({ errors: [limitError('cost', found, limits.cost)] });
      // the executor refuses variables their types refuse with graphql-js's words (English, no code, no field):
      // answered as the subgraphs answer them instead, the variables looked at again only then
      setExecuteFn(async (execution) => {
        try {
          return await executeFn(execution);
        } catch (error) {
          const { schema, document, variableValues } = execution;
          const refused = variableError(schema, document, operation, variableValues ?? {});
          if (refused) return { errors: [refused] };
          throw error;
        }
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Values their types refuse, in variables or written in the query, named as the subgraphs name them
// (crm_shared.graphql.inputs)
// ---------------------------------------------------------------------------------------------

// arguments whose input object's fields are named on their own (`name`, not `input.name`); any other
// argument's are named under it (`rules.groups[1]`)
const WRAPPERS = new Set(['input', 'filter']);

type InputPath = readonly (string | number)[];

/** `lines[0].quantity`: fields dotted, list positions in brackets (crm_shared.validate.field_name). */
function fieldName(path: InputPath): string {
  let name = '';
  for (const part of path) name += typeof part === 'number' ? `[${part}]` : name ? `.${part}` : part;
  return name;
}

/** How the fields of a value given to the argument or input field `top` are named. */
function namer(type: GraphQLInputType, top: string): (path: InputPath) => string {
  const wrapper = isInputObjectType(getNullableType(type)) && WRAPPERS.has(top);
  return (path) => (wrapper ? fieldName(path) || top : fieldName([top, ...path]));
}

/** A value written in the query that its type refuses (a validation error), named as the subgraphs name it
 * (crm_shared.graphql.inputs.literal_error); null for any other validation error. */
function literalError(schema: GraphQLSchema, document: DocumentNode, error: GraphQLError): GraphQLError | null {
  const target = error.nodes?.[0];
  if (!target || !isValueNode(target) || target.kind === Kind.VARIABLE) return null;
  const typeInfo = new TypeInfo(schema);
  let found: GraphQLError | null = null;
  const visitor: ASTVisitor = {
    Argument(node) {
      const argument = typeInfo.getArgument();
      const path = argument ? within(node.value, target, []) : null;
      if (!argument || !path) return undefined;
      const named = namer(argument.type, node.name.value);
      found = badInput(...refusal(argument.type, path, valueFromASTUntyped(target), named), { nodes: error.nodes });
      return BREAK;
    },
  };
  visit(document, visitWithTypeInfo(typeInfo, visitor));
  return found;
}

/** Where `target` is in a value written in the query: its path of input fields and list positions. */
function within(value: ValueNode, target: ValueNode, path: InputPath): InputPath | null {
  if (value === target) return path;
  if (value.kind === Kind.OBJECT) {
    for (const field of value.fields) {
      const found = within(field.value, target, [...path, field.name.value]);
      if (found) return found;
    }
  } else if (value.kind === Kind.LIST) {
    for (const [index, item] of value.values.entries()) {
      const found = within(item, target, [...path, index]);
      if (found) return found;
    }
  }
  return null;
}

/** The first variable its type refuses, as BAD_USER_INPUT naming the innermost field (graphql-js coerces each
 * variable as the executor did, saying where). */
function variableError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): GraphQLError | null {
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type);
    if (!type || !isInputType(type)) continue;
    const top = filling(document, name);
    const named = namer(type, top);
    if (!Object.hasOwn(variables, name)) {
      if (isNonNullType(type) && !definition.defaultValue) return badInput('required_field', { field: top });
      continue;
    }
    let refused: GraphQLError | null = null;
    coerceInputValue(variables[name], type, (path, value) => {
      refused ??= badInput(...refusal(type, path, value, named));
    });
    if (refused) return refused;
  }
  return null;
}

/** Why `value`, at `path` in a value of `type`, was refused, as a message and its parameters: null where a value
 * is required, a required field left out or an unknown one, a name its enum does not have, else a value its type
 * does not take. */
function refusal(
  type: GraphQLInputType,
  path: InputPath,
  value: unknown,
  named: (path: InputPath) => string,
): [MessageKey, Params & { field: string }] {
  if (value === null) return ['required_field', { field: named(path) }];
  let kind = getNamedType(type);
  for (const part of path) {
    const field = typeof part === 'string' && isInputObjectType(kind) ? kind.getFields()[part] : undefined;
    if (field) kind = getNamedType(field.type);
  }
  if (isInputObjectType(kind) && typeof value === 'object' && !Array.isArray(value)) {
    const given = value as Record<string, unknown>;
    const fields = kind.getFields();
    const missing = Object.values(fields).find((f) => isRequiredInputField(f) && !Object.hasOwn(given, f.name));
    if (missing) return ['required_field', { field: named([...path, missing.name]) }];
    const unknown = Object.keys(given).find((key) => !Object.hasOwn(fields, key));
    if (unknown !== undefined) return ['unknown_field', { field: named([...path, unknown]) }];
  }
  if (isEnumType(kind)) {
    const choices = kind.getValues().map((choice) => choice.name).join(', ');
    return ['one_of', { field: named(path), choices }];
  }
  return ['expected_type', { field: named(path), type: kind.name }];
}

// ---------------------------------------------------------------------------------------------
// Errors: a subgraph that cannot be reached is a retryable outage, not a bug
// ---------------------------------------------------------------------------------------------

const RETRY_AFTER_SECONDS = 2; // a service restarting is back within seconds
// what Hive Gateway's HTTP executor reports when a subgraph did not answer
const EXECUTOR_OUTAGES = new Set(['SUBREQUEST_HTTP_ERROR', 'TIMEOUT_ERROR']);
const UNREACHABLE = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|UND_ERR_\w+)$/;

/** Whether `error`, or an error it wraps, says a subgraph could not be reached or is unavailable. */
function isOutage(error: unknown, seen = new Set<unknown>()): boolean {
  if (!error || typeof error !== 'object' || seen.has(error)) return false;
  seen.add(error);
  const { code, cause, originalError, errors, extensions, message } = error as Record<string, unknown>;
  const status = (extensions as { http?: { status?: number } } | undefined)?.http?.status;
  if (typeof code === 'string' && UNREACHABLE.test(code)) return true;
  const extensionCode = (extensions as { code?: unknown } | undefined)?.code;
  if (typeof extensionCode === 'string' && EXECUTOR_OUTAGES.has(extensionCode)) return true;
  if (status === 502 || status === 503 || status === 504) return true;
  if (message === 'fetch failed') return true;
  const wrapped = [cause, originalError, ...(Array.isArray(errors) ? errors : [])];
  return wrapped.some((inner) => isOutage(inner, seen));
}

/** A GraphQL error all the way down (not wrapping an exception): its message is for clients. */
function isAnswer(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && (error.originalError == null || isAnswer(error.originalError));
}

/** Outages answer SERVICE_UNAVAILABLE with `retryAfterSeconds` (and a `Retry-After` header), as
 * the subgraphs do for their own dependencies; anything else unexpected stays masked. */
function maskError(error: unknown): Error {
  if (isAnswer(error)) return error; // a subgraph's or the gateway's own error, meant for clients
  const located = error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {};
  if (isOutage(error)) {
    const service = error instanceof GraphQLError ? error.extensions?.serviceName : undefined;
    const extensions = {
      code: 'SERVICE_UNAVAILABLE',
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      ...(service ? { service } : {}),
      http: { headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } },
    };
    return gatewayError('subgraph_unavailable', { seconds: RETRY_AFTER_SECONDS }, extensions, located);
  }
  log.error(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return gatewayError('internal', {}, { code: 'INTERNAL_SERVER_ERROR' }, located);
}

// ---------------------------------------------------------------------------------------------
// Tracing: W3C trace context always reaches the subgraphs. With an exporter (OTLP/HTTP, when
// OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set) the gateway continues
// the caller's trace through spans of its own; without one it records none (spans that go nowhere
// cost every request) and passes the caller's traceparent and tracestate on as they came.
// ---------------------------------------------------------------------------------------------

const exportTraces = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
// `hive-gateway --opentelemetry` (env OPENTELEMETRY) or Hive tracing set OpenTelemetry up already
const setUpByCli =
  Boolean(env.OPENTELEMETRY || env.HIVE_TRACE_ACCESS_TOKEN) ||
  process.argv.some((arg) => arg.startsWith('--opentelemetry') || arg.startsWith('--hive-trace-access-token'));
const otelDisabled = /^(true|1)$/i.test(env.OTEL_SDK_DISABLED?.trim() ?? '');
const tracing = (exportTraces || setUpByCli) && !otelDisabled;
if (tracing && !setUpByCli) {
  openTelemetrySetup({
    contextManager: new AsyncLocalStorageContextManager(),
    resource: { serviceName: env.OTEL_SERVICE_NAME ?? 'crm-gateway' },
    // follow the caller's sampling decision, sample what starts here
    samplingRate: 1,
    traces: { exporter: new OTLPTraceExporter() },
  });
}

// ---------------------------------------------------------------------------------------------
// The gateway
// ---------------------------------------------------------------------------------------------

// CRM_SUBGRAPH_<NAME>_URL overrides the URL composed into the supergraph for subgraph <name>
const transportEntries = Object.fromEntries(
  Object.entries(env)
    .filter(([key, value]) => /^CRM_SUBGRAPH_[A-Z0-9_]+_URL$/.test(key) && value)
    .map(([key, value]) => [key.slice('CRM_SUBGRAPH_'.length, -'_URL'.length).toLowerCase(), { location: value! }]),
);

// ---------------------------------------------------------------------------------------------
// The client's address: the peer's, or what trusted proxies in front (a load balancer, an
// ingress) vouch for in X-Forwarded-For, read from the right. A client's own X-Forwarded-For is
// never passed on: subgraphs trust the gateway's header (CRM_TRUSTED_PROXIES) and count
// per-address limits under it.
// ---------------------------------------------------------------------------------------------

function blockList(name: string): BlockList {
  const list = new BlockList();
  const value = (env[name] ?? '').trim();
  for (const entry of value === 'none' ? [] : value.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [address, bits] = entry.split('/');
    const family = isIP(address);
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
    if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
      throw new Error(`${name}: '${entry}' is not an address or CIDR network`);
    }
    list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

// Behind a proxy that is not listed, every client would share the proxy's address and so one
// per-address limit: production must say who is in front (`none` when the gateway is the edge).
if (production && !env.CRM_GATEWAY_TRUSTED_PROXIES?.trim()) {
  throw new Error(
    'CRM_ENV=production refuses to start: CRM_GATEWAY_TRUSTED_PROXIES is not set; list the addresses or CIDRs ' +
      'of the proxies in front of the gateway (an ingress controller, a load balancer), or `none` when clients connect directly',
  );
}
const trustedProxies = blockList('CRM_GATEWAY_TRUSTED_PROXIES');

/** An address as written in headers and sockets, without brackets and with IPv4-mapped IPv6 unwrapped. */
function plainAddress(value: string | undefined): string | null {
  const address = (value ?? '').trim().replace(/^\[|\]$/g, '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
  return isIP(address) ? address : null;
}

function isTrusted(address: string): boolean {
  return trustedProxies.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

function clientAddress(request: Request, context: unknown): string | null {
  const req = (context as { req?: IncomingMessage } | undefined)?.req;
  let current = plainAddress(req?.socket?.remoteAddress);
  if (!current) return null;
  const hops = (request.headers.get('x-forwarded-for') ?? '').split(',').filter((hop) => hop.trim());
  while (hops.length > 0 && isTrusted(current)) {
    const hop = plainAddress(hops.pop());
    if (!hop) break; // garbage after a trusted proxy: the last address vouched for
    current = hop;
  }
  return current;
}

// traceparent and tracestate are written by the OpenTelemetry plugin while the gateway traces,
// else passed on as they came
const FORWARDED = [
  'authorization',
  'accept-language',
  'x-request-id', // the client's own id: subgraphs keep it apart from the id they give the request
  'idempotency-key', // a retried mutation gets its first answer; subgraphs make only mutations idempotent
  ...(tracing ? [] : ['traceparent', 'tracestate']),
];

const corsOrigins = (env.CRM_CORS_ORIGINS ?? '')
  .split(',')
  .map((origin) => origin.trim())
  .filter(Boolean);

export const gatewayConfig = defineConfig({
  supergraph: './supergraph.graphql',
  // Hive Router's query planner (Rust) and executor: a quarter less of the gateway's processor time a request
  unifiedGraphHandler,
  host: env.CRM_GATEWAY_HOST || '127.0.0.1',
  port: positive('CRM_GATEWAY_PORT', 4000),
  graphqlEndpoint: '/graphql',
  graphiql: !production,
  landingPage: false,
  disableWebsockets: true, // no subscriptions; every operation goes through the HTTP checks above
  // longer than a client's (or a load balancer's, 60 s) idle connection lives: with Node's 5 s, a person
  // acting every 10 s found their connection closed by the gateway as they sent on it
  keepAliveTimeout: 75_000,
  maskedErrors: { maskError },
  blockFieldSuggestions: production,
  cors:
    corsOrigins.length > 0
      ? { origin: corsOrigins, credentials: true, exposedHeaders: ['x-request-id'] }
      : production
        ? false
        : { origin: '*' },
  transportEntries,
  propagateHeaders: {
    fromClientToSubgraphs({ request, context }) {
      const headers: Record<string, string> = {};
      for (const name of FORWARDED) {
        const value = request.headers.get(name);
        if (value) headers[name] = value;
      }
      const client = clientAddress(request, context);
      if (client) headers['x-forwarded-for'] = client;
      return headers;
    },
  },
  ...(tracing ? { openTelemetry: { traces: true } } : {}),
  plugins: (context) => {
    log = context.log;
    return [inCallersLanguage(), authentication(), queryLimits(), plainJsonVariables()];
  },
});
