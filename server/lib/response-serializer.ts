/**
 * Replies are written from each route's zod response schema, and only the fields it declares go out: a
 * column added to a query never leaks through a route whose schema does not name it.
 *
 * zod's own serializer (fastify-type-provider-zod) checks the whole reply against the schema, then hands
 * it to JSON.stringify: 7–9 µs for `/api/me`, a tenth of a signed-in read's CPU, and once per row in a
 * list. Here each schema is compiled once, on its route's first reply, to a fast-json-stringify function
 * (Fastify's own serializer for JSON Schema) that writes the declared fields and nothing else, in about
 * 1 µs (bench/README.md, "The reply written by a compiled serializer").
 *
 * The compiled form writes; it does not check. So wherever replies are checked — every test, the browser
 * tests, the cluster test (`LANTERN_CHECK_RESPONSES=on`) — each reply is also written by zod's serializer
 * and the two must give the same value, or the reply fails (a 500), as one zod refuses does: the compiled
 * form is proven against zod on every reply the tests make. Schemas with unions, and any that
 * fast-json-stringify cannot take, keep zod's serializer.
 */
import { isDeepStrictEqual } from 'node:util';
import fastJson from 'fast-json-stringify';
import { z } from 'zod';
import { $ZodType } from 'zod/v4/core';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';

type Write = (data: unknown) => string;

/** The route's response schema: a zod schema, or fastify-type-provider-zod's `{ properties: schema }`. */
function zodSchemaOf(schema: unknown): $ZodType | null {
  if (schema instanceof $ZodType) return schema;
  if (schema && typeof schema === 'object' && 'properties' in schema && schema.properties instanceof $ZodType) return schema.properties;
  return null;
}

/** The schema as fast-json-stringify reads it; null where it cannot say what zod would write. */
export function compiledWriter(schema: $ZodType): Write | null {
  try {
    // OpenAPI 3.0's `nullable: true` keeps a nullable field one type; draft 7's anyOf would send every
    // value through a validator to choose a branch. A custom type is written as zod writes it, whole,
    // unless its `meta` says more (`abilities`: an object of booleans).
    const json = z.toJSONSchema(schema, { io: 'output', target: 'openapi-3.0', unrepresentable: 'any', cycles: 'ref', reused: 'inline' });
    // A union is chosen by validating the value against each branch, and a branch that declares fewer
    // fields than the value carries fails where zod's union strips and takes it: zod writes those.
    if (JSON.stringify(json).match(/"(anyOf|oneOf|allOf|not|if|\$ref)":/)) return null;
    return fastJson(json as Parameters<typeof fastJson>[0]) as Write;
  } catch {
    return null;
  }
}

export class ResponseMismatchError extends Error {}

/**
 * Fastify's serializer compiler for the app. `checkAgainstZod` writes every reply both ways and refuses a
 * reply whose two values differ (ResponseMismatchError, a 500).
 */
export function responseSerializerCompiler(opts: { checkAgainstZod: boolean }): FastifySerializerCompiler<unknown> {
  return (route) => {
    const checked = zodSerializerCompiler(route as Parameters<typeof zodSerializerCompiler>[0]) as Write;
    const schema = zodSchemaOf(route.schema);
    if (!schema) return checked;
    let compiled: Write | null | undefined;
    return (data: unknown) => {
      // Compiled on first use: a test's app answers a few of its routes, and compiling all of them would
      // cost every test file its share of a second.
      if (compiled === undefined) compiled = compiledWriter(schema);
      if (compiled === null) return checked(data);
      if (!opts.checkAgainstZod) return compiled(data);
      const expected = checked(data);
      const written = compiled(data);
      // The same text, or the same value: fast-json-stringify writes required fields before optional ones.
      if (written !== expected && !isDeepStrictEqual(JSON.parse(written), JSON.parse(expected))) {
        let at = 0;
        while (written[at] === expected[at]) at++;
        const around = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 80), at + 80));
        throw new ResponseMismatchError(
          `${route.method} ${route.url} (${route.httpStatus}): at character ${at} the compiled serializer wrote ${around(written)} where zod writes ${around(expected)}`,
        );
      }
      return written;
    };
  };
}
