import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serializerCompiler as zodSerializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { abilities, id } from '../../common/schemas/shared.ts';
import { meDto } from '../../common/schemas/auth.ts';
import { compiledWriter, ResponseMismatchError, responseSerializerCompiler } from './response-serializer.ts';

const ID = '01a249b7-fe25-70eb-999c-b5db5ff6b5b8';

/** The shapes Lantern's replies use: nullable and optional fields, enums, lists of records, abilities, maps. */
const row = z.object({
  id,
  name: z.string(),
  note: z.string().nullable(),
  county: z.string().optional(),
  status: z.enum(['planned', 'active', 'closed']),
  count: z.number().int(),
  share: z.number(),
  sealed: z.boolean(),
  tags: z.array(z.string()),
  byMonth: z.record(z.string(), z.number()),
  abilities,
});
const page = z.object({ items: z.array(row), next: z.string().nullable() });

const route = (schema: z.ZodType) => ({ schema, method: 'GET', url: '/t', httpStatus: '200' }) as never;
const zodWrite = (schema: z.ZodType) => zodSerializerCompiler(route(schema)) as (d: unknown) => string;
const serializerFor = (schema: z.ZodType, checkAgainstZod: boolean) => responseSerializerCompiler({ checkAgainstZod })(route(schema));

const sample = (over: Record<string, unknown> = {}) => ({
  id: ID,
  name: 'Hope "House" \\ Shelter\n\u2028 \ud800 tab\t café',
  note: null,
  status: 'active',
  count: 3,
  share: 0.125,
  sealed: false,
  tags: ['a', ''],
  byMonth: { '2026-01': 2, '2026-02': 0 },
  abilities: { 'operation.read': true, 'operation.close': false },
  ...over,
});

describe('the compiled reply serializer', () => {
  it('writes exactly the text zod writes, for every shape the replies use', () => {
    const compiled = compiledWriter(page)!;
    expect(compiled).not.toBeNull();
    const cases = [
      { items: [], next: null },
      { items: [sample(), sample({ note: 'seen twice', county: 'Jackson', count: 0, share: -1.5e-7, tags: [] })], next: 'cursor=1' },
      { items: [sample({ name: '', byMonth: {}, abilities: {} })], next: null },
    ];
    // The same value, and the same text but for the order of fields: optional ones come last.
    for (const reply of cases) {
      expect(JSON.parse(compiled(reply))).toStrictEqual(JSON.parse(zodWrite(page)(reply)));
      expect([...compiled(reply)].sort().join('')).toBe([...zodWrite(page)(reply)].sort().join(''));
    }
    const me = {
      user: { id: ID, email: 'coordinator@kcpd.example.gov', displayName: 'Dana', roles: ['coordinator', 'officer'], platformAdmin: false, mustChangePassword: false },
      agency: { id: ID, name: 'Kansas City Police Department', kind: 'law_enforcement' },
      taskForces: [{ id: ID, name: 'Western Missouri Task Force' }],
      session: { idleExpiresAt: '2026-12-06T10:00:00.000Z', absoluteExpiresAt: '2026-12-06T20:00:00.000Z' },
      abilities: { 'operation.read': true },
    };
    expect(compiledWriter(meDto)!(me)).toBe(zodWrite(meDto)(me));
  });

  it('leaves unions to zod: a branch declaring fewer fields than the value would refuse it', () => {
    const union = z.union([z.object({ id, name: z.string() }), z.object({ id, sealed: z.literal(true) })]);
    expect(compiledWriter(union)).toBeNull();
    const write = serializerFor(union, false);
    expect(write({ id: ID, name: 'n', dateOfBirth: '1996-03-14' })).toBe(`{"id":"${ID}","name":"n"}`);
  });

  it('leaves out every field the schema does not declare, at every depth', () => {
    const reply = {
      items: [{ ...sample(), dateOfBirth: '1996-03-14', victim: { name: 'hidden' } }],
      next: null,
      passwordHash: 'argon2id$secret',
    };
    const written = compiledWriter(page)!(reply);
    expect(written).not.toMatch(/dateOfBirth|1996-03|hidden|passwordHash|argon2id/);
    expect(JSON.parse(written)).toEqual(JSON.parse(zodWrite(page)(reply)));
  });

  it('in checking mode refuses a reply zod refuses, and one the two would write differently', () => {
    const write = serializerFor(page, true);
    expect(write({ items: [sample()], next: null })).toBe(zodWrite(page)({ items: [sample()], next: null }));
    // zod refuses a count that is not a whole number; the compiled form alone would have written it.
    expect(() => write({ items: [sample({ count: 2.5 })], next: null })).toThrow();
    // A number where the schema says text: fast-json-stringify would write "5"; zod refuses it.
    const loose = z.object({ n: z.string() });
    const check = serializerFor(loose, true);
    expect(() => check({ n: 5 })).toThrow();
    // A schema that rewrites its value (zod trims; the compiled form writes what it was given): the texts
    // differ, and the reply fails instead of going out either way.
    const trimmed = z.object({ n: z.string().overwrite((v) => v.trim()) });
    const mismatch = serializerFor(trimmed, true);
    expect(() => mismatch({ n: ' x ' })).toThrow(ResponseMismatchError);
    expect(mismatch({ n: 'x' })).toBe('{"n":"x"}');
  });

  it('strips undeclared fields from a real reply when it does not check', async () => {
    const app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
    app.setSerializerCompiler(responseSerializerCompiler({ checkAgainstZod: false }));
    app.get('/row', { schema: { response: { 200: row } } }, async () => ({ ...sample(), dateOfBirth: '1996-03-14' }) as never);
    const res = await app.inject({ url: '/row' });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('1996-03-14');
    expect(res.json()).toEqual(sample());
    await app.close();
  });
});
