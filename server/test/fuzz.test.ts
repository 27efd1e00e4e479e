/**
 * Throws hostile input at every route the app serves and checks that it is refused cleanly: never a 5xx,
 * every refusal in the `{error:{code,message,field?}}` shape, a validation refusal naming its field, and
 * nothing written by a refused request. Routes are discovered from the app itself, so a new module's
 * routes are fuzzed without editing this file.
 *
 * Each route is fuzzed as a platform administrator, a low-privilege officer and an anonymous caller (and,
 * where a half-signed-in session is accepted, as one), with random JSON, the schema's own keys holding
 * wrong types, huge and hostile strings, missing and extra fields, random query strings and path
 * parameters. Where the outcome follows from the route's declaration (routing, session, body parsing,
 * zod schemas) the exact status, code and field are checked too.
 *
 * Reproduce a failure with LANTERN_FUZZ_SEED=<seed printed by fast-check> and `-t '<route> as <caller>'`;
 * LANTERN_FUZZ_RUNS sets the cases per route and caller (default 25, which keeps `npm test` inside its 20
 * minutes; every run draws new cases, and `LANTERN_FUZZ_RUNS=200` is a deeper one); LANTERN_FUZZ_STATS=1
 * prints what each route answered.
 */
import { withoutLengthTraps } from '../lib/length-traps.ts';
import { INDICATOR_BODY_LIMIT } from '../modules/businesses/businesses.indicators.ts';
import { CLIENT_DOCUMENT_BODY_LIMIT } from '../modules/clients/clients.routes.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import Fastify, { type LightMyRequestResponse, type RouteOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z, type ZodType } from 'zod';
import type { Access, App } from '../http.ts';
import type { AppContext } from '../context.ts';
import { SESSION_COOKIE, sessionIdOf, startSession } from '../auth/sessions.ts';
import { BACKUP_TABLES } from '../db/tables.ts';
import { registerModules } from '../modules/index.ts';
import { registerPublicPages } from '../modules/public-pages.ts';
import { errorResponse } from '../../common/schemas/shared.ts';
import { BODY_LIMIT_BYTES } from '../../common/limits.ts';
import { describeEachDatabase, startTestEnv, type TestApp, type TestEnv } from './harness.ts';
import { insertAgency, insertTaskForce, insertUser, seedWorld, type World } from './fixtures.ts';

const SEED = process.env.LANTERN_FUZZ_SEED ? Number(process.env.LANTERN_FUZZ_SEED) : undefined;
const RUNS = Number(process.env.LANTERN_FUZZ_RUNS ?? 25);
const fcOptions = { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) };

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const BODY_METHODS: ReadonlySet<Method> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// ---------------------------------------------------------------------------------------------------
// Route discovery

interface RouteSpec {
  method: Method;
  /** Fastify form, e.g. `/api/users/:id`. */
  url: string;
  key: string;
  paramNames: string[];
  /** Unknown for routes declared outside the modules (health check, OpenAPI document). */
  access: Access | 'unknown';
  schema: { params?: ZodType; querystring?: ZodType; body?: ZodType };
  /** Which inputs the handler's source reads (by name), to catch an input read without a schema. */
  reads: { body: boolean; query: boolean; params: boolean } | null;
  /** The route's own body limit, where it sets one below the app's (the public tip route). */
  bodyLimit: number;
}

/** Every route of a built app, from its own route table (including routes hidden from the OpenAPI document). */
function appRoutes(app: TestApp): { method: Method; url: string }[] {
  const out: { method: Method; url: string }[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const url = (stack[depth - 1] ?? '') + m[2]!;
    stack[depth] = url;
    for (const method of m[3]?.split(', ') ?? []) if (method !== 'HEAD' && method !== 'OPTIONS') out.push({ method: method as Method, url });
  }
  return out;
}

/**
 * The modules' route declarations (schemas, access, handlers), the API's and the public site's, captured
 * with `onRoute` while registering them.
 */
async function moduleRouteOptions(ctx: AppContext): Promise<Map<string, RouteOptions>> {
  const scratch = Fastify().withTypeProvider<ZodTypeProvider>();
  scratch.setValidatorCompiler(validatorCompiler);
  scratch.setSerializerCompiler(serializerCompiler);
  const seen = new Map<string, RouteOptions>();
  scratch.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) seen.set(`${method} ${route.url}`, route as RouteOptions);
  });
  await scratch.register(async (api) => registerModules(api as unknown as App, ctx), { prefix: '/api' });
  await scratch.register(async (site) => registerPublicPages(site as unknown as App, ctx));
  await scratch.ready();
  await scratch.close();
  return seen;
}

/**
 * Whether a handler's source reads an input of the request (`request.body`, by the handler's own name for
 * its request). A page's own `body` (its HTML) is not the request's.
 */
function readsInput(source: string, input: 'body' | 'query' | 'params'): boolean {
  const request = /^(?:async\s*)?\(\s*(\w+)/.exec(source)?.[1];
  if (!request) return new RegExp(`\\b${input}\\b`).test(source);
  return new RegExp(`\\b${request}\\s*\\.\\s*${input}\\b`).test(source);
}

async function discover(env: TestEnv): Promise<RouteSpec[]> {
  const declared = await moduleRouteOptions(env.ctx);
  return appRoutes(env.app).map(({ method, url }) => {
    const key = `${method} ${url}`;
    const route = declared.get(key);
    const schema = (route?.schema ?? {}) as RouteSpec['schema'];
    const source = route ? String(route.handler) : null;
    return {
      method,
      url,
      key,
      paramNames: [...url.matchAll(/:(\w+)/g)].map((m) => m[1]!),
      access: route ? ((route.config as { access?: Access } | undefined)?.access ?? 'signedIn') : 'unknown',
      schema: { params: schema.params, querystring: schema.querystring, body: schema.body },
      reads: source ? { body: readsInput(source, 'body'), query: readsInput(source, 'query'), params: readsInput(source, 'params') } : null,
      bodyLimit: route?.bodyLimit ?? BODY_LIMIT_BYTES,
    };
  });
}

/**
 * A built web app of one page: `/news/..` resolves to `/`, which a real deployment answers with the app
 * shell (without a build it is a 503 telling the operator to build, which is not what is under test).
 */
const WEB_DIST = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-fuzz-web-'));
fs.writeFileSync(path.join(WEB_DIST, 'index.html'), '<!doctype html>\n<html lang="en"><head><title>Lantern</title></head><body><h1>Lantern</h1></body></html>\n');
afterAll(() => fs.rmSync(WEB_DIST, { recursive: true, force: true }));

// Routes are needed to declare one test per route, so they are read once from a throwaway app.
const ROUTES: RouteSpec[] = await (async () => {
  const env = await startTestEnv('sqlite', { webDist: WEB_DIST });
  try {
    return await discover(env);
  } finally {
    await env.close();
  }
})();

/**
 * Static files (`@fastify/static`'s wildcard routes) take no input but a file path, and a path that is no
 * file falls through to the web app shell; everything else, the API and the health check, is fuzzed.
 */
const FUZZED = ROUTES.filter((r) => !r.url.includes('*'));
/**
 * The tipster's form posts (server/modules/tips/tips.pages.ts) take form bodies, not JSON, and answer with
 * pages: their own property test (tips.pages.test.ts) fuzzes them; the JSON checks here skip them.
 */
const FORM_PAGES = new Set(['POST /tip', 'POST /tips', 'POST /tip/status', 'POST /tip/status/message']);
const JSON_FUZZED = FUZZED.filter((r) => !FORM_PAGES.has(r.key));

// ---------------------------------------------------------------------------------------------------
// Hostile strings

const EDGE_STRINGS = [
  '',
  ' ',
  '   \t\n ',
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u001b[31m\u007f',
  '\r\n\r\nX-Injected: 1',
  '\u0085\u2028\u2029',
  '\uD800',
  '\uDFFF',
  '\uDC00\uD800',
  'abc\uD83D',
  '\u200F\u202E\u2066\u2069',
  'admin\u202Egnp.exe',
  '\u200D\u200C\u200B\uFEFF\u2060',
  '\u00A0\u3000',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈🇺🇸🇲🇽',
  'e\u0301\u0301\u0301\u0301',
  'Z̷̢̛̩̫̓͌a̸͎̓l̷̰͝g̵̱̈o̶͔͐',
  'ﬁ①Ⅸ㍻',
  'Ａｂｃ＠ｅｘａｍｐｌｅ．ｔｅｓｔ',
  'раураl',
  'مرحبا بالعالم',
  "'; drop table agency; --",
  'Robert"); DELETE FROM app_user;--',
  '%_\\%',
  '${jndi:ldap://x/a}',
  '<script>alert(1)</script>',
  '../../../etc/passwd',
  '\\u0000',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '0x1F',
  '__proto__',
  'constructor',
  'true',
  '[]',
  '{}',
];

const LONG_EMAILS = [
  `${'a'.repeat(64)}@${'b'.repeat(63)}.test`,
  `${'a'.repeat(65)}@example.test`,
  `${'a'.repeat(300)}@example.test`,
  `x@${'y'.repeat(250)}.test`,
  `${'a.'.repeat(120)}a@example.test`,
  `${'ü'.repeat(100)}@exämple.test`,
  '"quoted local part"@example.test',
  'a@[127.0.0.1]',
  'a@b',
  '@example.test',
  'a@@example.test',
  'a\u0000@example.test',
  ' UPPER@EXAMPLE.TEST ',
  'a+tag@example.test',
  '😀@example.test',
  'a\u200D@example.test',
  'a@example.test\n',
];

/**
 * Addresses zod accepts, a few shared ones so that repeated failed sign-ins reach the lockout (they are
 * nobody's accounts), and the hostile ones above.
 */
const THROWAWAY_EMAILS = ['fuzz-one@example.test', 'fuzz-two@example.test', 'fuzz-three@example.test'];
const label = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 1, maxLength: 12 });
const emailArb = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(label, label, fc.constantFrom('test', 'example', 'org', 'gov')).map(([user, host, tld]) => `${user}@${host}.${tld}`) },
  { weight: 2, arbitrary: fc.constantFrom(...THROWAWAY_EMAILS) },
  { weight: 2, arbitrary: fc.constantFrom(...LONG_EMAILS) },
);

/** UTF-16 code units, lone surrogates and control characters included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
const specialChar = fc.constantFrom('\u0000', '\u0008', '\u001f', '\u007f', '\uD800', '\uDFFF', '\u200F', '\u202E', '\u200D', '\uFEFF', '\u0301', '😀', '🏳️‍🌈', '\u00A0', '"', '\\', '/', '%', '&', '=', '?', '#', '+');
/** Characters a text field may legitimately hold: any grapheme, bidi marks, joiners, emoji, combining marks. */
const textChar = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\u200F', '\u202E', '\u2066', '\u200D', '\u200C', '\u200B', '\u0301', '😀', '👩‍👩‍👧‍👦', '\u00A0', '\uD800', '\uDFFF', 'ﬁ', 'а') },
);
const weirdString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: fc.oneof(codeUnit, specialChar), maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-composite', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom(...LONG_EMAILS) },
);

const HUGE_UNITS = ['a', 'é', '😀', '\u0301', '\u200D', '\uD800', 'ab\u0000', '👩‍👩‍👧‍👦', ' '];
/** 100 KB to 600 KB once JSON-encoded, so a body holding one stays inside the 1 MB limit. */
const hugeString = fc.tuple(fc.constantFrom(...HUGE_UNITS), fc.integer({ min: 100_000, max: 600_000 })).map(([unit, bytes]) => {
  const per = Buffer.byteLength(JSON.stringify(unit)) - 2;
  return unit.repeat(Math.ceil(bytes / per));
});

// ---------------------------------------------------------------------------------------------------
// Values shaped by a route's schema

interface JsonSchema {
  type?: string | string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

const jsonSchemaOf = (schema: ZodType): JsonSchema => z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
const NO_CONTROL = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$';

/** Ids of records that exist, filled in per back end, so some inputs reach past "no such record". */
const knownIds: string[] = [];
const knownId = fc.nat().map((n) => knownIds[n % Math.max(1, knownIds.length)] ?? '00000000-0000-0000-0000-000000000000');

/** A value the schema probably accepts (the zod schema itself decides, below). */
function validOf(s: JsonSchema): fc.Arbitrary<unknown> {
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map(validOf));
  if (s.enum) return fc.constantFrom(...s.enum);
  if ('const' in s) return fc.constant(s.const);
  const types = [s.type ?? 'any'].flat();
  return fc.oneof(...types.map((t) => validOfType(s, t)));
}

function validOfType(s: JsonSchema, type: string): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return validString(s);
    case 'integer':
      return fc.integer({ min: Math.max(s.minimum ?? -1e6, -1e9), max: Math.min(s.maximum ?? 1e6, 1e9) });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const min = s.minItems ?? 0;
      return fc.array(validOf(s.items ?? {}), { minLength: min, maxLength: Math.max(min, Math.min(s.maxItems ?? 4, 4)) });
    }
    case 'object':
      return objectOf(s, (p) => validOf(p), 0);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function validString(s: JsonSchema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? 200;
  if (s.format === 'uuid') return fc.oneof(fc.uuid(), knownId);
  if (s.format === 'email') return emailArb;
  if (s.format === 'date-time') return fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
  if (s.pattern && s.pattern !== NO_CONTROL && s.pattern.length < 200) {
    return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length >= min && v.length <= max);
  }
  return fc.string({ unit: textChar, minLength: Math.max(min, 1), maxLength: Math.max(Math.min(max, 40), min, 1) });
}

/** Anything but what was asked for: wrong types, hostile strings, arrays, nested junk, huge strings. */
const mutant: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53, '', [], {}, [null], { '': '' }) },
  { weight: 3, arbitrary: weirdString },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(weirdString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
);
const mutantOrHuge = fc.oneof({ weight: 12, arbitrary: mutant }, { weight: 1, arbitrary: hugeString });

const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isAdmin', 'platformAdmin', 'agency_id', 'id', ''];
const extraKey = fc.oneof(fc.constantFrom(...EXTRA_KEYS), weirdString);
const extraValue = fc.oneof({ weight: 4, arbitrary: mutant }, { weight: 1, arbitrary: fc.constant({ prototype: { isAdmin: true } }) }, { weight: 1, arbitrary: fc.constant({ isAdmin: true }) });

/** Builds an object with own properties only: `__proto__` stays a key, it does not set the prototype. */
function fromEntries(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

const MISSING = Symbol('missing');

/**
 * An object with the schema's keys, each valid, mutated or missing (`broken` picks how often), and
 * sometimes extra keys such as `__proto__` and `constructor`.
 */
function objectOf(s: JsonSchema, field: (p: JsonSchema) => fc.Arbitrary<unknown>, broken: number): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(s.properties ?? {});
  const required = new Set(s.required ?? []);
  const fields = keys.map((k) => {
    const good = field(s.properties![k]!);
    const optional = required.has(k) ? [] : [{ weight: 2, arbitrary: fc.constant(MISSING) }];
    if (!broken) return fc.oneof({ weight: 6, arbitrary: good }, ...optional);
    return fc.oneof({ weight: 10 - broken, arbitrary: good }, { weight: broken, arbitrary: mutantOrHuge }, { weight: 1, arbitrary: fc.constant(MISSING) }, ...optional);
  });
  const extras = fc.oneof({ weight: 3, arbitrary: fc.constant<[string, unknown][]>([]) }, { weight: 1, arbitrary: fc.array(fc.tuple(extraKey, extraValue), { maxLength: 3 }) });
  return fc.tuple(fc.tuple(...fields), extras).map(([values, extra]) =>
    fromEntries([...keys.map((k, i): [string, unknown] => [k, values[i]]).filter(([, v]) => v !== MISSING), ...extra]),
  );
}

/** All keys valid but one, which is mutated or dropped: reaches the checks behind the first. */
function oneBroken(s: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(s.properties ?? {});
  if (!keys.length) return objectOf(s, validOf, 0);
  return fc.tuple(objectOf(s, validOf, 0), fc.constantFrom(...keys), fc.option(mutantOrHuge, { nil: MISSING, freq: 3 })).map(([obj, key, value]) => {
    const entries = Object.entries(obj).filter(([k]) => k !== key);
    return fromEntries(value === MISSING ? entries : [...entries, [key, value]]);
  });
}

// ---------------------------------------------------------------------------------------------------
// Requests

interface Body {
  text: string;
  value: unknown;
}

interface Case {
  params: Record<string, string>;
  /** Parameters put into the path unencoded (`../`): the request may reach another route, or none. */
  rawParams: boolean;
  query: [string, string][] | { raw: string };
  body: Body | null;
  /** For callers without a session: sometimes a made-up session cookie. */
  junkCookie: string | null;
}

const bodyOf = (value: unknown): Body => ({ text: JSON.stringify(value) ?? 'null', value });

function bodyArbitrary(route: RouteSpec): fc.Arbitrary<Body | null> {
  const none = fc.constant(null);
  if (!BODY_METHODS.has(route.method)) return none;
  const random = fc.oneof(fc.jsonValue({ maxDepth: 4 }).map(bodyOf), mutantOrHuge.map(bodyOf));
  if (!route.schema.body) {
    return fc.oneof({ weight: 2, arbitrary: none }, { weight: 2, arbitrary: random }, { weight: 1, arbitrary: objectOf({}, validOf, 0).map(bodyOf) });
  }
  const s = jsonSchemaOf(route.schema.body);
  return fc.oneof(
    { weight: 3, arbitrary: random },
    { weight: 5, arbitrary: objectOf(s, validOf, 4).map(bodyOf) },
    { weight: 4, arbitrary: oneBroken(s).map(bodyOf) },
    { weight: 2, arbitrary: validOf(s).map(bodyOf) },
    { weight: 1, arbitrary: objectOf(s, validOf, 3).map((o) => bodyOf([o])) },
    { weight: 1, arbitrary: none },
  );
}

const queryValue = (s: JsonSchema | undefined): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: s ? validOf(s).map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')) : weirdString },
    { weight: 3, arbitrary: weirdString },
    { weight: 1, arbitrary: fc.constantFrom('', '0', '-1', '1e3', '201', '1.5', '0x10', 'Infinity', 'true', '2020-02-30T00:00:00Z', '9999-12-31T23:59:59.999999999+23:59') },
    { weight: 1, arbitrary: fc.string({ minLength: 1000, maxLength: 5000 }) },
  );

function queryArbitrary(route: RouteSpec): fc.Arbitrary<Case['query']> {
  const s = route.schema.querystring ? jsonSchemaOf(route.schema.querystring) : { properties: {} };
  const keys = Object.keys(s.properties ?? {});
  const extra = fc.tuple(extraKey.filter((k) => k !== ''), queryValue(undefined));
  const known = keys.map((k) => ({ weight: 4, arbitrary: queryValue(s.properties?.[k]).map((v): [string, string] => [k, v]) }));
  const pair = fc.oneof(...known, { weight: Math.max(1, keys.length), arbitrary: extra });
  const raw = fc.constantFrom('?', '?&&', '?=', '?a=%zz', '?%E0%A4%A=1', '?a=1&&b', '??', '?a[b]=1&a[c]=2', '?__proto__[x]=1', '?constructor=1&prototype=2', '?limit=%00', '?+=+', '?%ED%A0%80=%ED%A0%80');
  return fc.oneof({ weight: 2, arbitrary: fc.constant<[string, string][]>([]) }, { weight: 6, arbitrary: fc.array(pair, { maxLength: 6 }) }, { weight: 1, arbitrary: raw.map((r): { raw: string } => ({ raw: r })) });
}

function paramArbitrary(route: RouteSpec, name: string): fc.Arbitrary<{ value: string; raw: boolean }> {
  const props = route.schema.params ? jsonSchemaOf(route.schema.params).properties : undefined;
  const schema = props?.[name];
  const encoded = fc.oneof(
    { weight: 3, arbitrary: schema ? validString(schema) : fc.uuid() },
    { weight: 4, arbitrary: knownId },
    { weight: 2, arbitrary: fc.uuid().map((u) => u.toUpperCase()) },
    { weight: 1, arbitrary: fc.uuid().map((u) => `{${u}}`) },
    { weight: 1, arbitrary: fc.uuid().map((u) => u.replaceAll('-', '')) },
    { weight: 3, arbitrary: weirdString },
    { weight: 1, arbitrary: fc.constantFrom('../', '..', '.', '../../etc/passwd', '%', '%00', '%2e%2e%2f', 'null', '0', '-1', '*', ' ') },
    { weight: 1, arbitrary: fc.string({ minLength: 101, maxLength: 400 }) },
  );
  const raw = fc.constantFrom('..', '.', '%zz', '%ED%A0%80', '%E0%A4%A', 'a%2Fb', '%2e%2e');
  return fc.oneof(
    { weight: 12, arbitrary: encoded.filter((v) => v !== '').map((value) => ({ value, raw: false })) },
    { weight: 1, arbitrary: raw.map((value) => ({ value, raw: true })) },
  );
}

const junkCookie = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).filter((v) => /^[\x21-\x7e]*$/.test(v) && !v.includes(';')).map((v) => `${SESSION_COOKIE}=${v}`) },
  { weight: 1, arbitrary: fc.constantFrom(`${SESSION_COOKIE}=${'a'.repeat(500)}`, `${SESSION_COOKIE}=`, `${SESSION_COOKIE}=;;;`, 'garbage', `${SESSION_COOKIE}=%E0%A4%A`, `${SESSION_COOKIE}="quoted"`) },
);

function caseArbitrary(route: RouteSpec): fc.Arbitrary<Case> {
  const params = fc.tuple(...route.paramNames.map((n) => paramArbitrary(route, n)));
  return fc.record({ params, query: queryArbitrary(route), body: bodyArbitrary(route), junkCookie }).map(
    (c): Case => ({
      params: Object.fromEntries(route.paramNames.map((n, i) => [n, c.params[i]!.value])),
      rawParams: c.params.some((p) => p.raw),
      query: c.query,
      body: c.body,
      junkCookie: c.junkCookie,
      [fc.toStringMethod]: () => describeCase(route, c),
    }) as Case,
  );
}

/** Long strings shortened, so a counterexample prints readably. */
function describeCase(route: RouteSpec, c: unknown): string {
  return `${route.key} ${JSON.stringify(c, (_k, v: unknown) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 80)}…(${v.length} chars)` : v))}`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Percent-encodes any UTF-16 string; a lone surrogate becomes its (invalid) three-byte UTF-8 form. */
function percentEncode(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(ch);
    }
  }
  return out;
}

function urlOf(route: RouteSpec, c: Case): string {
  const path = route.url.replace(/:(\w+)/g, (_m, name: string) => (c.rawParams ? c.params[name]! : percentEncode(c.params[name]!)));
  if ('raw' in c.query) return path + c.query.raw;
  return c.query.length ? `${path}?${c.query.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&')}` : path;
}

// ---------------------------------------------------------------------------------------------------
// What the app must answer

interface Expected {
  status: number;
  code?: string;
  field?: string;
}

/** The JSON parser refuses `__proto__` keys anywhere, and `constructor` keys holding a `prototype`. */
function poisoned(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(poisoned);
  if (value === null || typeof value !== 'object') return false;
  for (const [k, v] of Object.entries(value)) {
    if (k === '__proto__') return true;
    if (k === 'constructor' && v !== null && typeof v === 'object' && Object.hasOwn(v, 'prototype')) return true;
    if (poisoned(v)) return true;
  }
  return false;
}

function zodField(schema: ZodType | undefined, value: unknown, where: string): string | null {
  if (!schema) return null;
  let result;
  try {
    result = schema.safeParse(value);
  } catch (err) {
    // As the app's validator does (server/lib/length-traps.ts): a crafted `length` is refused as the field's type.
    if (!(err instanceof TypeError)) throw err;
    result = schema.safeParse(withoutLengthTraps(value));
  }
  if (result.success) return null;
  return result.error.issues[0]!.path.join('.') || where;
}

/** The query object Fastify's parser builds (repeated keys become arrays), or null when unsure. */
function parsedQuery(q: Case['query']): Record<string, string | string[]> | null {
  if ('raw' in q) return null;
  if (q.some(([k, v]) => LONE_SURROGATE.test(k) || LONE_SURROGATE.test(v))) return null;
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [k, v] of q) {
    const had = out[k];
    out[k] = had === undefined ? v : [...[had].flat(), v];
  }
  return out;
}

type Stage = 'active' | 'mfa' | null;

/**
 * What the app must answer, in the order it checks: routing, the session hook, body parsing, then the
 * zod schemas (params, body, querystring). Null when the outcome is up to the route's own logic.
 */
function expected(route: RouteSpec, c: Case, stage: Stage): Expected | null {
  const params = Object.values(c.params);
  // `.` and `..` are path segments the URL resolves away: the request reaches another route, or none.
  if (c.rawParams || params.some((p) => p === '.' || p === '..')) return null;
  if (params.some((p) => LONE_SURROGATE.test(p) || p.length > 100)) return { status: 400, code: 'invalid', field: 'params' };
  if (route.access === 'unknown') return null;
  if (route.access === 'signedIn' && stage !== 'active') return { status: 401 };
  if (route.access === 'pending' && stage === null) return { status: 401, code: 'unauthenticated' };
  if (c.body) {
    if (Buffer.byteLength(c.body.text) > route.bodyLimit) return { status: 413, code: 'payload_too_large' };
    if (poisoned(c.body.value)) return { status: 400, code: 'invalid_json', field: 'body' };
  }
  const field =
    zodField(route.schema.params, c.params, 'params') ??
    zodField(route.schema.body, c.body ? c.body.value : undefined, 'body') ??
    (parsedQuery(c.query) ? zodField(route.schema.querystring, parsedQuery(c.query), 'querystring') : null);
  return field === null ? null : { status: 400, code: 'invalid', field };
}

const strictError = z.object({ error: errorResponse.shape.error.strict() }).strict();

/**
 * Checks any response: no 5xx, refusals in the error shape, a 400 naming its field. A public page (outside
 * /api) that a browser asked for may refuse with a page of its own, in the site's layout and language:
 * a reader who follows a stale link should see "no press release at this address", not JSON.
 */
function checkResponse(what: string, res: LightMyRequestResponse) {
  const say = (problem: string) => `${what} → ${res.statusCode} ${res.body.slice(0, 300)}: ${problem}`;
  expect(res.statusCode, say('a server error')).toBeLessThan(500);
  expect(res.statusCode, say('not a final status')).toBeGreaterThanOrEqual(200);
  expect(res.statusCode >= 300 && res.statusCode < 400, say('a redirect')).toBe(false);
  if (res.statusCode < 400) return null;
  if (!String(res.raw.req.url).startsWith('/api/') && String(res.headers['content-type']).startsWith('text/html')) {
    expect(res.body, say('an error page without the public layout')).toMatch(/^<!doctype html>\n<html lang="(en|es)">[\s\S]*<title>[^<]+<\/title>[\s\S]*<h1>[^<]+<\/h1>/);
    expect(res.statusCode, say('an error page that is not a 404')).toBe(404);
    return { code: 'not_found', message: 'an error page', field: undefined };
  }
  let parsed: unknown;
  try {
    parsed = res.json();
  } catch {
    throw new Error(say('the error body is not JSON'));
  }
  const shaped = strictError.safeParse(parsed);
  expect(shaped.success, say('not the {error:{code,message,field?}} shape')).toBe(true);
  const error = shaped.data!.error;
  if (res.statusCode === 400) {
    expect(error.field, say('a 400 that names no field')).toMatch(/\S/);
    if (error.code === 'invalid') expect(error.message.startsWith(`${error.field}:`), say('the message does not start with the field')).toBe(true);
  }
  return error;
}

// ---------------------------------------------------------------------------------------------------
// "Nothing written"

const NON_DOMAIN = new Set(['login_lock', 'audit_chain', 'audit_event', 'audit_checkpoint']);
/** Every table that holds the task force's data (today's list, plus whatever later migrations add). */
const DOMAIN_TABLES = BACKUP_TABLES.map((t) => t.table).filter((t) => !NON_DOMAIN.has(t));
/** Tables that sign-in, lockout and auditing legitimately write, even when they refuse. */
const SIDE_TABLES = ['audit_event', 'login_failure', 'login_lock', 'session'] as const;

type Counts = Record<string, number | string | null>;
type Delta = Partial<Record<(typeof SIDE_TABLES)[number] | 'inbox_item', number>>;

/**
 * The writes a refused request may make, by route and refusal; any other refusal writes nothing. A failed
 * sign-in is counted and audited (CJIS 5.9.5 AC-7), the fifth locks the email (and, at the MFA step,
 * ends the half-signed-in session); a wrong current password or code at a sensitive change is audited;
 * so is any action refused to a signed-in caller.
 */
function allowedWrites(routeKey: string, error: { code: string; field?: string | undefined }): Delta[] {
  // A signed-in caller refused an action on a record it may see: the refusal is audited (access.denied).
  if (error.code === 'forbidden') return [{ audit_event: 1 }];
  switch (routeKey) {
    case 'POST /api/auth/login':
      if (error.code === 'invalid_credentials') return [{ login_failure: 1, audit_event: 1 }];
      // A lock of an existing account also files its notices to the person and the agency's administrators.
      if (error.code === 'locked') return [{ audit_event: 1 }, { login_failure: 1, audit_event: 2, login_lock: 1 }, { login_failure: 1, audit_event: 2, login_lock: 1, inbox_item: 2 }];
      if (error.code === 'disabled') return [{ audit_event: 1 }, { audit_event: 2 }];
      break;
    case 'POST /api/auth/mfa':
      if (error.code === 'invalid_code') return [{ login_failure: 1, audit_event: 1 }];
      // Locked by this wrong code, or found locked already (the half-signed-in session ends either way).
      if (error.code === 'locked') return [{ login_failure: 1, audit_event: 2, login_lock: 1, session: -1, inbox_item: 2 }, { audit_event: 1, session: -1 }];
      break;
    case 'POST /api/account/password':
      if (error.field === 'currentPassword') return [{ audit_event: 1 }];
      break;
    case 'POST /api/account/recovery-codes':
      if (error.field === 'code') return [{ audit_event: 1 }];
      break;
  }
  return [{}];
}

interface Tables {
  columns: Map<string, Set<string>>;
}

/**
 * Row counts (and latest `updated_at`) of every table a request could write, in one query. The audit log
 * is append-only and only grows, so only its rows since `since` are counted, which keeps this cheap.
 */
async function snapshot(ctx: AppContext, tables: Tables, since: string): Promise<Counts> {
  const parts = [...DOMAIN_TABLES, ...SIDE_TABLES].flatMap((t) => {
    const count =
      t === 'audit_event'
        ? sql`(select count(*) from audit_event where at >= ${since}) as ${sql.id(`n_${t}`)}`
        : sql`(select count(*) from ${sql.table(t)}) as ${sql.id(`n_${t}`)}`;
    // A refused request must not change rows either: every write moves `updated_at` (the clock moves on each case).
    return tables.columns.get(t)?.has('updated_at') ? [count, sql`(select max(updated_at) from ${sql.table(t)}) as ${sql.id(`u_${t}`)}`] : [count];
  });
  const { rows } = await sql<Counts>`select ${sql.join(parts)}`.execute(ctx.db);
  const out: Counts = {};
  for (const [k, v] of Object.entries(rows[0]! as Record<string, unknown>)) out[k] = k.startsWith('n_') ? Number(v) : v instanceof Date ? v.toISOString() : (v as string | null);
  return out;
}

function checkWrites(what: string, allowed: Delta[], error: { code: string }, before: Counts, after: Counts) {
  const changed = Object.keys(before).filter((k) => before[k] !== after[k]);
  const delta: Record<string, number | string> = {};
  for (const k of changed) delta[k] = k.startsWith('n_') ? (after[k] as number) - (before[k] as number) : `${before[k]} → ${after[k]}`;
  const fits = allowed.some((writes) => {
    const want = Object.fromEntries(Object.entries(writes).map(([t, n]) => [`n_${t}`, n]));
    return Object.keys({ ...want, ...delta }).every((k) => (want[k] ?? 0) === (delta[k] ?? 0));
  });
  if (!fits) throw new Error(`${what} was refused (${error.code}) but wrote: ${JSON.stringify(delta)}`);
}

// ---------------------------------------------------------------------------------------------------
// The callers

type ActorName = 'platform admin' | 'officer' | 'anonymous' | 'half-signed-in';

interface Caller {
  name: ActorName;
  userId: string | null;
  email: string | null;
  stage: Stage;
  token: string | null;
  /** The last request may have ended the session (it succeeded, or locked the account). */
  unsure: boolean;
}

const META = { ip: '127.0.0.1', userAgent: 'lantern-fuzz', requestId: 'fuzz' };

/**
 * Gives the caller a live session (a case may have signed it out), straight in the database: the sign-in
 * flow is tested elsewhere, and argon2 is slow. Returns true when it had to write one.
 */
async function ensureSession(env: TestEnv, caller: Caller): Promise<boolean> {
  if (!caller.userId || !caller.stage) return false;
  if (caller.token && !caller.unsure) return false;
  caller.unsure = false;
  if (caller.token) {
    const row = await env.ctx.db.selectFrom('session').select('stage').where('id', '=', sessionIdOf(caller.token)).executeTakeFirst();
    if (row?.stage === caller.stage) return false;
  }
  // The half-signed-in caller's wrong codes lock its email; lift that before going on.
  await env.ctx.db.deleteFrom('login_failure').where('email', '=', caller.email!).execute();
  await env.ctx.db.deleteFrom('login_lock').where('email', '=', caller.email!).execute();
  caller.token = await startSession(env.ctx.db, env.ctx, caller.userId, caller.stage, META);
  return true;
}

const ACTORS: ActorName[] = ['platform admin', 'officer', 'anonymous', 'half-signed-in'];

/** The half-signed-in caller only matters where a half-signed-in session is accepted; elsewhere it is anonymous. */
const fuzzes = (route: RouteSpec, actor: ActorName) => actor !== 'half-signed-in' || route.access === 'pending' || route.access === 'public';

// ---------------------------------------------------------------------------------------------------

describeEachDatabase('fuzzing every route', (backend) => {
  let env: TestEnv;
  let world: World;
  let tables: Tables;
  const callers = new Map<ActorName, Caller>();
  /** Per route and caller: how many cases succeeded, were refused, and had their refusal predicted exactly. */
  const tally = new Map<string, { route: RouteSpec; ok: number; refused: number; predicted: number; statuses: Record<number, number> }>();

  beforeAll(async () => {
    env = await startTestEnv(backend, { webDist: WEB_DIST });
    world = await seedWorld(env);
    // Records the fuzzer may change or use as references without touching the callers' own accounts.
    const targetAgency = await insertAgency(env, 'Fuzz Target Agency', 'law_enforcement');
    const targetTaskForce = await insertTaskForce(env, 'Fuzz Target Task Force', targetAgency, [world.agencies.partner]);
    const targetUser = await insertUser(env, targetAgency, ['officer']);
    knownIds.splice(0, knownIds.length, targetAgency, targetTaskForce, targetUser.id, world.agencies.partner, world.taskForceId);
    const pending = await insertUser(env, world.agencies.lead, ['analyst']);
    const meta = await env.ctx.db.introspection.getTables();
    tables = { columns: new Map(meta.map((t) => [t.name, new Set(t.columns.map((c) => c.name))])) };
    const person = (name: ActorName, user: { id: string; email: string } | null, stage: Stage): Caller => ({ name, userId: user?.id ?? null, email: user?.email ?? null, stage, token: null, unsure: true });
    callers.set('platform admin', person('platform admin', world.users.platform, 'active'));
    callers.set('officer', person('officer', world.users.officer, 'active'));
    callers.set('anonymous', person('anonymous', null, null));
    callers.set('half-signed-in', person('half-signed-in', pending, 'mfa'));
  });
  afterAll(() => env?.close());

  it('discovers every route, and each reads only inputs it has a zod schema for', async () => {
    const live = appRoutes(env.app).map((r) => `${r.method} ${r.url}`);
    expect(live.sort()).toEqual(ROUTES.map((r) => r.key).sort());
    expect(FUZZED.length).toBeGreaterThan(20);
    // Everything the OpenAPI document lists is fuzzed.
    const doc = env.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) expect(live, `${method} ${path}`).toContain(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    const problems: string[] = [];
    for (const route of ROUTES) {
      if (!route.reads) {
        // Declared outside the modules: allowed only for plain GETs without parameters.
        if (route.method !== 'GET' || route.paramNames.length) problems.push(`${route.key}: declared outside the modules, so its schemas cannot be checked`);
        continue;
      }
      if (route.paramNames.length && !route.schema.params) problems.push(`${route.key}: path parameters without a params schema`);
      if (route.reads.body && !route.schema.body && !FORM_PAGES.has(route.key)) problems.push(`${route.key}: reads the body without a body schema`);
      if (route.reads.query && !route.schema.querystring) problems.push(`${route.key}: reads the query without a querystring schema`);
      if (route.reads.params && !route.schema.params) problems.push(`${route.key}: reads params without a params schema`);
    }
    expect(problems).toEqual([]);
  });

  for (const route of JSON_FUZZED) {
    for (const actor of ACTORS.filter((a) => fuzzes(route, a))) {
      it(`${route.key} as ${actor}`, async () => {
        const caller = callers.get(actor)!;
        const since = env.clock.now().toISOString();
        // Each case's "after" is the next case's "before", unless something was written in between.
        let last: Counts | null = null;
        const counts = { route, ok: 0, refused: 0, predicted: 0, statuses: {} as Record<number, number> };
        tally.set(`${route.key} as ${actor}`, counts);
        await fc.assert(
          fc.asyncProperty(caseArbitrary(route), async (c) => {
            if (await ensureSession(env, caller)) last = null;
            env.clock.advance(1);
            const before = last ?? (await snapshot(env.ctx, tables, since));
            const cookie = caller.token ? `${SESSION_COOKIE}=${caller.token}` : c.junkCookie;
            const url = urlOf(route, c);
            const res = await env.app.inject({
              method: route.method,
              url,
              headers: { ...(cookie ? { cookie } : {}), ...(c.body ? { 'content-type': 'application/json' } : {}) },
              ...(c.body ? { payload: c.body.text } : {}),
            });
            const what = `${actor}: ${route.method} ${url.length > 300 ? `${url.slice(0, 300)}…` : url}`;
            const error = checkResponse(what, res);
            const want = expected(route, c, caller.stage);
            counts.statuses[res.statusCode] = (counts.statuses[res.statusCode] ?? 0) + 1;
            if (want) {
              counts.predicted++;
              const got = { status: res.statusCode, ...(want.code ? { code: error?.code } : {}), ...(want.field ? { field: error?.field } : {}) };
              expect(got, `${what} → ${res.body.slice(0, 300)}`).toEqual(want);
            }
            last = await snapshot(env.ctx, tables, since);
            caller.unsure = !error || error.code === 'locked' || res.statusCode === 401;
            if (error) {
              counts.refused++;
              // Refused before the route's own logic ran (routing, session, parsing, schema): nothing at all.
              checkWrites(what, want ? [{}] : allowedWrites(route.key, error), error, before, last);
            } else {
              counts.ok++;
            }
          }),
          fcOptions,
        );
      });
    }
  }

  it('refuses most of what it is thrown', () => {
    const all = [...tally.values()];
    const sum = (rows: typeof all, k: 'ok' | 'refused' | 'predicted') => rows.reduce((n, r) => n + r[k], 0);
    if (process.env.LANTERN_FUZZ_STATS) {
      for (const [name, r] of tally) console.log(`${name.padEnd(60)} ok ${r.ok}  refused ${r.refused}  predicted ${r.predicted}  ${JSON.stringify(r.statuses)}`);
    }
    const total = sum(all, 'ok') + sum(all, 'refused');
    if (!total) return; // only this test was picked (-t)
    // Where a route takes input, the fuzzer mostly sends what it must refuse (so "nothing written" means
    // something); routes without input (who am I, sign out) may succeed whatever is sent.
    const withInput = all.filter((r) => r.route.schema.body || r.route.schema.querystring || r.route.schema.params);
    expect(sum(withInput, 'refused') / (sum(withInput, 'ok') + sum(withInput, 'refused'))).toBeGreaterThan(0.8);
    expect(sum(all, 'refused') / total).toBeGreaterThan(0.6);
    // A good share of answers was foreseen exactly (status, code, field) from the routes' own schemas.
    expect(sum(all, 'predicted') / total).toBeGreaterThan(0.4);
  });

  const BODY_ROUTES = JSON_FUZZED.filter((r) => BODY_METHODS.has(r.method));

  /** Sends `body` with `contentType` to every route that may take a body, as the platform administrator. */
  async function refusesOnEveryBodyRoute(
    arbitraryOf: fc.Arbitrary<{ contentType: string | null; body: string | Buffer }> | ((route: RouteSpec) => fc.Arbitrary<{ contentType: string | null; body: string | Buffer }>),
    want: (route: RouteSpec) => Expected,
    runs: number,
  ) {
    const caller = callers.get('platform admin')!;
    for (const route of BODY_ROUTES) {
      const arbitrary = typeof arbitraryOf === 'function' ? arbitraryOf(route) : arbitraryOf;
      const since = env.clock.now().toISOString();
      const url = route.url.replace(/:\w+/g, () => knownIds[0]!);
      await fc.assert(
        fc.asyncProperty(arbitrary, async ({ contentType, body }) => {
          await ensureSession(env, caller);
          const before = await snapshot(env.ctx, tables, since);
          const res = await env.app.inject({
            method: route.method,
            url,
            headers: { cookie: `${SESSION_COOKIE}=${caller.token}`, ...(contentType === null ? {} : { 'content-type': contentType }) },
            payload: body,
          });
          const what = `${route.method} ${url} (${contentType}, ${body.length} bytes)`;
          const error = checkResponse(what, res);
          const expectation = want(route);
          expect({ status: res.statusCode, code: error?.code, ...(expectation.field ? { field: error?.field } : {}) }, what).toEqual({ code: undefined, ...expectation });
          checkWrites(what, [{}], error!, before, await snapshot(env.ctx, tables, since));
        }),
        { ...fcOptions, numRuns: runs },
      );
    }
  }

  it('answers 413 to a body over 1 MB on every route that may take a body', async () => {
    // A route that takes files (evidence photos, a client's documents) has its own, larger limit: past it, the same 413.
    const FILE_ROUTES: Record<string, number> = { 'POST /api/businesses/:id/indicators': INDICATOR_BODY_LIMIT, 'POST /api/clients/:id/documents': CLIENT_DOCUMENT_BODY_LIMIT };
    const limitOf = (route: RouteSpec) => FILE_ROUTES[route.key] ?? BODY_LIMIT_BYTES;
    const big = (route: RouteSpec) =>
      fc.tuple(fc.integer({ min: 1, max: 200_000 }), fc.constantFrom('a', '😀', '\u0000')).map(([extra, unit]) => {
        const text = JSON.stringify({ name: unit.repeat(Math.ceil((limitOf(route) + extra) / (Buffer.byteLength(JSON.stringify(unit)) - 2))) });
        return { contentType: 'application/json', body: text };
      });
    await refusesOnEveryBodyRoute(big, () => ({ status: 413, code: 'payload_too_large' }), 2);
  });

  it('answers 400 invalid_json, naming the body, to malformed or prototype-poisoning JSON', async () => {
    const isMalformed = (text: string) => {
      try {
        JSON.parse(text.replace(/^\uFEFF/, ''));
        return false;
      } catch {
        return true;
      }
    };
    const jsonish = fc.string({ unit: fc.oneof(codeUnit, fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '\\', '1', 'e', '-', ' ')), minLength: 1, maxLength: 30 });
    const malformed = fc.oneof(
      fc.constantFrom('{', '{"a":}', '{"a":1,}', "{'a':1}", '{a:1}', '[1,2', 'NaN', 'undefined', '{"a":1}{"b":2}', '{"a":"\\x"}', '"\\uD800', '\u0000', '01', '+1', '.5', '[,]', 'tru', '{"a":1e}', '\uFEFF\uFEFF{}', '{"a":"\u0001"}', '{"a":"\n"}'),
      jsonish.filter((t) => t.trim() !== '' && isMalformed(t)),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)).filter((t) => t.length > 1).chain((t) => fc.integer({ min: 1, max: t.length - 1 }).map((cut) => t.slice(0, cut))).filter(isMalformed),
      // Valid JSON, refused all the same: it would poison prototypes.
      fc.constantFrom('{"__proto__":{"isAdmin":true}}', '{"a":[{"__proto__":{}}]}', '{"constructor":{"prototype":{"isAdmin":true}}}', '[{"x":{"constructor":{"prototype":{}}}}]'),
    );
    await refusesOnEveryBodyRoute(malformed.map((body) => ({ contentType: 'application/json', body })), () => ({ status: 400, code: 'invalid_json', field: 'body' }), 5);
  });

  it('answers 415 to a body that is not sent as application/json', async () => {
    const token = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-+.'), minLength: 1, maxLength: 12 });
    const contentType = fc.oneof(
      fc.constantFrom(null, 'text/plain', 'text/html', 'text/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', 'application/jsonx', 'application/vnd.api+json', 'application/json-patch+json', 'application/javascript', '*/*', 'application/*', ';', 'json', 'application'),
      fc.tuple(token, token).map(([a, b]) => `${a}/${b}`),
    ).filter((t) => t === null || t.split(';')[0]!.trim().toLowerCase() !== 'application/json');
    const body = fc.oneof(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), fc.constantFrom('email=a@b.c&password=x', '<a/>', 'x')).filter((b) => b.length > 0);
    await refusesOnEveryBodyRoute(fc.record({ contentType, body }), () => ({ status: 415, code: 'unsupported_media_type' }), 5);
  });

  it('answers an empty JSON body with a 4xx naming the body, never a 5xx', async () => {
    await refusesOnEveryBodyRoute(fc.constant({ contentType: 'application/json', body: '' }), () => ({ status: 400, code: 'invalid', field: 'body' }), 1);
  });

  it('answers a path parameter that is not UTF-8 or too long with 400 naming params', async () => {
    const caller = callers.get('platform admin')!;
    await ensureSession(env, caller);
    for (const route of ROUTES.filter((r) => r.paramNames.length)) {
      for (const bad of ['%ED%A0%80', '%E0%A4%A', 'a'.repeat(101)]) {
        const url = route.url.replace(/:\w+/g, bad);
        const res = await env.app.inject({ method: route.method, url, headers: { cookie: `${SESSION_COOKIE}=${caller.token}` } });
        expect({ status: res.statusCode, error: checkResponse(`${route.method} ${url}`, res) }, `${route.method} ${url}`).toMatchObject({
          status: 400,
          error: { code: 'invalid', field: 'params' },
        });
      }
    }
  });

  it('refuses, in the error shape, a method a path does not serve', async () => {
    const caller = callers.get('platform admin')!;
    await ensureSession(env, caller);
    for (const path of new Set(FUZZED.map((r) => r.url))) {
      const served = new Set(FUZZED.filter((r) => r.url === path).map((r) => r.method as string));
      const url = path.replace(/:\w+/g, () => knownIds[0]!);
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const) {
        if (served.has(method)) continue;
        const res = await env.app.inject({ method, url, headers: { cookie: `${SESSION_COOKIE}=${caller.token}` } });
        // Usually no route at all (404); `DELETE /api/account/sessions/revoke-others` is `DELETE …/:id` with a bad id.
        expect(checkResponse(`${method} ${url}`, res), `${method} ${url}`).not.toBeNull();
      }
    }
  });
});
