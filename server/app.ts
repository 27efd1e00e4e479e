import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire as requireFrom } from 'node:module';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import helmet from 'helmet';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { BODY_LIMIT_BYTES } from '../common/limits.ts';
import { withoutLengthTraps } from './lib/length-traps.ts';
import type { AppContext } from './context.ts';
import { AppError, unauthenticated } from './lib/errors.ts';
import { newToken } from './lib/ids.ts';
import { isApiPath } from './lib/request-path.ts';
import type { RequestMeta } from './audit/audit.ts';
import { lookupSession, SESSION_COOKIE, type SessionCompanionRequest } from './auth/sessions.ts';
import './http.ts';
import { databaseRateLimitStore } from './lib/rate-limit-store.ts';
import { installIdempotency } from './lib/idempotency.ts';
import { responseSerializerCompiler } from './lib/response-serializer.ts';
import { isDatabaseUnavailable } from './db/errors.ts';
import { registerModules } from './modules/index.ts';
import { publicNotFound, registerPublicPages } from './modules/public-pages.ts';
import { isStaffPath } from '../common/staff-paths.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = path.resolve(here, '../web/dist');

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The web app's hashed files (`/assets/name-HASH.js`): a new build has new names, so a copy never goes stale. */
const HASHED_ASSET = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+(\.br|\.gz)?$/;
const A_YEAR = 'public, max-age=31536000, immutable';

/**
 * Fastify refuses some URLs before routing (broken percent-encoding, a path segment longer than any id)
 * and would answer in its own shape; these answer like every other refusal, naming the path parameters.
 */
/**
 * The record a route is about, when it asks for it to be read with the session (`withSession`): its id
 * comes from the route's parameters as sent, not yet validated; an id no record could have is left to the
 * route's own validation, and its companion is skipped.
 */
function companionOf(request: FastifyRequest): SessionCompanionRequest | undefined {
  const about = request.routeOptions.config?.withSession;
  if (!about) return undefined;
  const id = (request.params as Record<string, unknown> | undefined)?.[about.param];
  return typeof id === 'string' && about.companion.accepts(id) ? { with: about.companion, id } : undefined;
}

function refuseUnroutableUrl(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header('cache-control', 'no-store');
  if (error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    const problem = error.code === 'FST_ERR_BAD_URL' ? 'the address is not valid percent-encoded UTF-8' : 'a path segment is too long';
    return reply.status(400).send({ error: { code: 'invalid', message: `params: ${problem}`, field: 'params' } });
  }
  request.log.error({ err: { message: error.message, code: error.code } }, 'unexpected routing error');
  return reply.status(500).send({ error: { code: 'internal', message: 'Something went wrong on our side. The error was logged.', requestId: String(request.id) } });
}

/** zod's validator, which answers the crafted length of `withoutLengthTraps` with the ordinary 400 naming the field. */
const validatorWithoutLengthTraps: typeof validatorCompiler = (route) => {
  const validate = validatorCompiler(route);
  return (data: unknown) => {
    try {
      return validate(data);
    } catch (err) {
      if (!(err instanceof TypeError)) throw err;
      return validate(withoutLengthTraps(data));
    }
  };
};

export async function buildApp(ctx: AppContext, opts: { webDist?: string | null } = {}) {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: ctx.config.trustProxy,
    genReqId: () => newToken(9),
    requestIdHeader: false,
    frameworkErrors: refuseUnroutableUrl,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorWithoutLengthTraps);
  app.setSerializerCompiler(responseSerializerCompiler({ checkAgainstZod: ctx.config.checkResponses }));

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Lantern API',
        version: '0.1.0',
        description: 'The API of Lantern, the shared workspace of a multi-agency anti-human-trafficking task force.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });

  // helmet's middleware is built once here: @fastify/helmet builds it anew for every request, which
  // cost a seventh of a signed-in read's CPU (bench/README.md). The headers are the same on every reply.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // The operator's map tile server (LANTERN_MAP_TILES), if any: its images only.
        imgSrc: ["'self'", 'data:', ...(ctx.config.mapTiles ? [new URL(ctx.config.mapTiles.url.replace(/\{[a-z]\}/g, '0')).origin] : [])],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)));
  // Before any route, or its replies are not compressed. The web app's files come compressed from the
  // build (below); this compresses what is made per request: JSON, the public pages, the app's shell.
  // Brotli at quality 4 (the plugin's default) costs little CPU; replies under 1 KB go as they are.
  await app.register(compress, { encodings: ['br', 'gzip'], threshold: 1024 });
  await app.register(cookie);
  // JSON only: a cross-site HTML form can send neither JSON nor plain text without a CORS preflight.
  app.removeContentTypeParser('text/plain');

  if (ctx.config.rateLimit) {
    await app.register(rateLimit, {
      global: false,
      // One process on SQLite counts in memory; on PostgreSQL every process shares the database's count.
      ...(ctx.dialect === 'postgres' ? { store: databaseRateLimitStore(ctx) } : {}),
      errorResponseBuilder: (_req, c) =>
        new AppError('rate_limited', 429, `Too many requests; try again in ${Math.ceil(c.ttl / 1000)} seconds.`),
    });
  }

  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  app.decorateRequest('meta', null as unknown as RequestMeta);

  app.addHook('onRequest', async (request, reply) => {
    request.meta = {
      ip: request.ip ?? null,
      userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null,
      requestId: String(request.id),
    };
    reply.header('x-request-id', request.id);
    // Decided on the routed, normalized path: the raw URL can spell /api/ in many ways (issue #7, finding 7).
    if (!isApiPath(request.url, request.routeOptions.url)) return;
    reply.header('cache-control', 'no-store');

    // CSRF: the session cookie is SameSite=Strict, bodies must be JSON (a cross-site form cannot send
    // it without a preflight), and a browser's own cross-site marks are refused outright.
    if (STATE_CHANGING.has(request.method)) {
      const site = request.headers['sec-fetch-site'];
      if (site && site !== 'same-origin' && site !== 'none') throw new AppError('cross_site', 403, 'Cross-site requests are refused.');
      const origin = request.headers.origin;
      if (origin && origin !== 'null') {
        let host: string | null;
        try {
          host = new URL(origin).host;
        } catch {
          host = null;
        }
        if (host !== request.host) throw new AppError('cross_site', 403, 'Cross-site requests are refused.');
      } else if (origin === 'null') {
        throw new AppError('cross_site', 403, 'Cross-site requests are refused.');
      }
    }

    const access = request.routeOptions.config?.access ?? 'signedIn';
    if (access === 'public' && !request.cookies[SESSION_COOKIE]) return;
    const found = await lookupSession(ctx, request.cookies[SESSION_COOKIE], companionOf(request));
    if (found.state === 'ok') {
      request.session = found.session;
      if (found.session.stage === 'active') request.actor = found.session.actor;
    }
    if (access === 'public') return;
    if (found.state === 'expired') {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      throw unauthenticated('session_expired', 'Your session has ended. Sign in again.');
    }
    if (found.state === 'none') throw unauthenticated();
    if (access === 'signedIn' && found.session.stage !== 'active') {
      throw found.session.stage === 'enrol'
        ? unauthenticated('enrolment_required', 'Set up two-step verification to continue.')
        : unauthenticated('mfa_required', 'Enter the code from your authenticator app to continue.');
    }
    // ASVS 2.3.1: a temporary password an administrator knows is good for choosing a new one, nothing else.
    if (access === 'signedIn' && request.actor?.mustChangePassword && !request.routeOptions.config?.beforePasswordChange) {
      throw new AppError('password_change_required', 403, 'Choose a new password before going on.');
    }
  });

  app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
    const requestId = String(request.id);
    if (error instanceof AppError) {
      // A refused action on a record the actor can see is itself an audit event (an unsuccessful access).
      if (error.status === 403 && request.actor && error.code === 'forbidden') {
        await ctx.audit
          .record(
            { actor: { userId: request.actor.userId, agencyId: request.actor.agencyId }, meta: request.meta },
            { action: 'access.denied', outcome: 'denied', detail: { method: request.method, route: request.routeOptions.url ?? '' } },
          )
          .catch(() => {});
      }
      const details = (error as AppError & { details?: unknown }).details;
      return reply.status(error.status).send({ error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}), ...(details ? { details } : {}) } });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issue = error.validation[0]!;
      const where = error.validationContext ?? 'body';
      const field = issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || where;
      const text = issue.message ?? 'is not valid';
      const missing = issue.keyword === 'invalid_type' && / received undefined$/.test(text);
      const message = missing ? 'is required' : text.replace(/^Invalid input: /, 'invalid: ');
      return reply.status(400).send({ error: { code: 'invalid', message: `${field}: ${message}`, field } });
    }
    const status = error.statusCode ?? 500;
    if (status === 413) return reply.status(413).send({ error: { code: 'payload_too_large', message: 'The request body is too large.' } });
    if (status === 415) return reply.status(415).send({ error: { code: 'unsupported_media_type', message: 'Send the body as application/json.' } });
    // Only the body parser's error: a SyntaxError from our own code (a stored column that no longer
    // parses) is a fault on our side, logged as a 500, not the caller's bad JSON.
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return reply.status(400).send({ error: { code: 'invalid_json', message: 'The request body is not valid JSON.', field: 'body' } });
    }
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return reply.status(400).send({ error: { code: 'invalid', message: 'body: is required', field: 'body' } });
    }
    if (status >= 400 && status < 500) {
      return reply.status(status).send({ error: { code: 'bad_request', message: error.message } });
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: { message: error.message, code: error.code } }, 'database unavailable');
      return reply.status(503).header('retry-after', '2').send({ error: { code: 'unavailable', message: 'The database is not available right now; try again in a moment.', requestId } });
    }
    // Log what went wrong and where, never the request body.
    request.log.error({ err: { message: error.message, stack: error.stack, code: error.code } }, 'unexpected error');
    return reply.status(500).send({ error: { code: 'internal', message: 'Something went wrong on our side. The error was logged.', requestId } });
  });

  app.get('/healthz', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) => {
    try {
      await ctx.db.selectFrom('schema_migration' as never).select((eb) => eb.lit(1).as('ok')).limit(1).execute();
      return { status: 'ok', database: ctx.dialect };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: ctx.dialect });
    }
  });

  // Before the routes: every create route honours an Idempotency-Key header (issue #13, item 4).
  installIdempotency(app, ctx);
  await app.register(
    async (api) => {
      await registerModules(api, ctx);
      api.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());
    },
    { prefix: '/api' },
  );

  await registerPublicPages(app, ctx);

  // The USWDS stylesheet, fonts and icons for server-rendered pages, and Lantern's own few rules.
  const uswdsDist = path.dirname(path.dirname(requireFrom(import.meta.url).resolve('@uswds/uswds/css/uswds.min.css')));
  await app.register(fastifyStatic, { root: uswdsDist, prefix: '/static/uswds/', decorateReply: false, maxAge: '7d', wildcard: true });
  await app.register(fastifyStatic, { root: path.resolve(here, 'public'), prefix: '/static/', decorateReply: false, maxAge: '1h', wildcard: true });

  const webDist = opts.webDist === undefined ? WEB_DIST : opts.webDist;
  const indexHtml = webDist ? path.join(webDist, 'index.html') : null;
  if (webDist && fs.existsSync(webDist)) {
    // Built files are served as the build compressed them (`x.js.br`, `x.js.gz` by scripts/build-web.sh):
    // brotli at its best quality, at no cost per request. Hashed assets are cached for a year; anything
    // else (an unhashed file a build may add) is revalidated every time.
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: false,
      preCompressed: true,
      globIgnore: ['**/*.br', '**/*.gz'],
      cacheControl: false,
      setHeaders: (reply: FastifyReply, filePath: string) => {
        const rel = `/${path.relative(webDist, filePath).split(path.sep).join('/')}`;
        reply.header('cache-control', HASHED_ASSET.test(rel) ? A_YEAR : 'no-cache');
      },
    });
  }

  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0]!;
    if (isApiPath(request.url, undefined)) {
      return reply.status(404).header('cache-control', 'no-store').send({ error: { code: 'not_found', message: 'No such route.' } });
    }
    // A missing file (an asset of an older build, a favicon) is a 404, not the app shell.
    if (request.method !== 'GET' || pathname.startsWith('/assets/') || pathname.startsWith('/static/') || /\.[a-z0-9]{1,5}$/i.test(pathname)) {
      return reply.status(404).send({ error: { code: 'not_found', message: 'No such route.' } });
    }
    // The public site owns every page path but the staff web app's sections: an unknown one is a 404
    // page in the reader's language. The web app routes its own sections in the browser.
    if (!isStaffPath(pathname)) return publicNotFound(ctx, request, reply);
    if (indexHtml && fs.existsSync(indexHtml)) {
      return reply.type('text/html').header('cache-control', 'no-cache').send(fs.readFileSync(indexHtml));
    }
    return reply
      .status(503)
      .type('text/plain')
      .send('The Lantern web app is not built yet: run `npm run build` (the README\'s start command does this).');
  });

  return app;
}
