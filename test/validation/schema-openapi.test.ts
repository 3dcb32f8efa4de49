import { validateOpenApiV3 } from '../../lib/validation/schema/openapi';
import { SchemaProblem } from '../../lib/validation/schema/walk';

function lines(problems: SchemaProblem[]): string[] {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
}

/** A CronTab-like CRD version schema using every supported keyword. */
const schema = {
  type: 'object',
  required: ['spec'],
  properties: {
    spec: {
      type: 'object',
      required: ['cronSpec', 'image'],
      properties: {
        cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
        image: { type: 'string', minLength: 1, maxLength: 20 },
        replicas: { type: 'integer', minimum: 1, maximum: 10 },
        ratio: { type: 'number', minimum: 0, maximum: 1, exclusiveMaximum: true },
        enabled: { type: 'boolean' },
        mode: { type: 'string', enum: ['fast', 'safe'] },
        port: { 'x-kubernetes-int-or-string': true },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 },
        env: {
          type: 'array',
          items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, value: { type: 'string' } } },
        },
        extra: { type: 'object', additionalProperties: { type: 'string' } },
        closed: { type: 'object', additionalProperties: false },
        open: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: true },
        raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        partly: { type: 'object', properties: { a: { type: 'integer' } }, 'x-kubernetes-preserve-unknown-fields': true },
        untyped: { type: 'object' },
        note: { type: 'string', nullable: true },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
    status: { type: 'object', properties: { ready: { type: 'integer' } } },
  },
};

const good = () => ({
  apiVersion: 'stable.example.com/v1',
  kind: 'CronTab',
  metadata: { name: 'a', namespace: 'ns', labels: { app: 'a' }, annotations: { x: 'y' } },
  spec: {
    cronSpec: '*/5 * * * *',
    image: 'busybox',
    replicas: 3,
    ratio: 0.5,
    enabled: true,
    mode: 'safe',
    port: 'http',
    tags: ['a', 'b'],
    env: [{ name: 'A', value: '1' }, { name: 'B' }],
    extra: { k: 'v' },
    closed: {},
    open: { a: 'x', anything: { goes: 1 } },
    raw: { nested: [{ anything: true }] },
    partly: { a: 1, b: 'free' },
    untyped: { whatever: 1 },
    note: null,
    template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } },
  },
  status: { ready: 1 },
});

describe('validateOpenApiV3', () => {
  test('a valid custom resource passes', () => {
    expect(validateOpenApiV3(good(), schema)).toEqual([]);
  });

  test('int-or-string accepts an integer too; optional fields may be omitted', () => {
    const cr = good();
    cr.spec.port = 8080 as any;
    for (const k of ['replicas', 'ratio', 'tags', 'env', 'extra', 'raw', 'note', 'template'] as const) delete (cr.spec as any)[k];
    expect(validateOpenApiV3(cr, schema)).toEqual([]);
  });

  test('every violation is reported at its path', () => {
    const cr: any = good();
    Object.assign(cr.spec, {
      cronSpec: 'every minute',
      image: '',
      replicas: 11,
      ratio: 1,
      enabled: 'yes',
      mode: 'slow',
      port: 1.5,
      tags: [],
      env: [{ value: 'x', extra: 1 }],
      extra: { k: 1 },
      closed: { x: 1 },
      partly: { a: 'one' },
      note: 7,
      template: { metadata: { name: 'p', bogus: 1 } },
      typo: true,
    });
    cr.status.ready = '1';
    cr.metadata.labelz = {};
    cr.other = 1;
    expect(lines(validateOpenApiV3(cr, schema)).sort()).toEqual(
      [
        'metadata.labelz: unknown field "labelz" (did you mean "labels"?)',
        'other: unknown field "other"',
        'spec.closed.x: unknown field "x"',
        'spec.cronSpec: must match pattern "^(\\\\d+|\\\\*)(/\\\\d+)?(\\\\s+(\\\\d+|\\\\*)(/\\\\d+)?){4}$"',
        'spec.enabled: must be a boolean',
        'spec.env[0].extra: unknown field "extra"',
        'spec.env[0].name: required field missing',
        'spec.extra.k: must be a string',
        'spec.image: must be at least 1 characters long',
        'spec.mode: must be one of "fast", "safe"',
        'spec.note: must be a string',
        'spec.partly.a: must be an integer',
        'spec.port: must be a string or an integer',
        'spec.ratio: must be < 1',
        'spec.replicas: must be <= 10',
        'spec.tags: must have at least 1 items',
        'spec.template.apiVersion: required field missing',
        'spec.template.kind: required field missing',
        'spec.template.metadata.bogus: unknown field "bogus"',
        'spec.typo: unknown field "typo"',
        'status.ready: must be an integer',
      ].sort(),
    );
  });

  test('required fields, and the path prefix', () => {
    expect(lines(validateOpenApiV3({ apiVersion: 'x/v1', kind: 'C' }, schema, 'items[3]'))).toEqual([
      'items[3].spec: required field missing',
    ]);
    const cr: any = good();
    delete cr.spec.image;
    expect(lines(validateOpenApiV3(cr, schema))).toEqual(['spec.image: required field missing']);
  });

  test('type mismatches at the root and for arrays/objects', () => {
    expect(lines(validateOpenApiV3([], schema))).toEqual(['must be an object']);
    const cr: any = good();
    cr.spec.tags = 'a';
    cr.spec.extra = ['k'];
    expect(lines(validateOpenApiV3(cr, schema)).sort()).toEqual(['spec.extra: must be an object', 'spec.tags: must be an array']);
  });

  test('apiVersion, kind and metadata are allowed at the root even when the schema does not list them', () => {
    const s = { type: 'object', properties: { spec: { type: 'object' } } };
    expect(validateOpenApiV3({ apiVersion: 'x/v1', kind: 'C', metadata: { name: 'n' }, spec: {} }, s)).toEqual([]);
    expect(lines(validateOpenApiV3({ apiVersion: 1, kind: 'C', metadata: { name: 2 } }, s)).sort()).toEqual([
      'apiVersion: must be a string',
      'metadata.name: must be a string',
    ]);
    // ...and a schema on metadata may narrow it (name length) without making labels unknown.
    const narrowed = {
      type: 'object',
      properties: { metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 3 } } } },
    };
    expect(lines(validateOpenApiV3({ metadata: { name: 'long-name', labels: { a: 'b' } } }, narrowed))).toEqual([
      'metadata.name: must be at most 3 characters long',
    ]);
  });

  test('null: allowed where nullable, pruned (unset) for optional fields, an error for required ones and list items', () => {
    const s = {
      type: 'object',
      required: ['a'],
      properties: {
        a: { type: 'string' },
        b: { type: 'string' },
        c: { type: 'array', items: { type: 'string' } },
        d: { type: 'string', nullable: true },
      },
    };
    expect(lines(validateOpenApiV3({ a: null, b: null, c: ['x', null], d: null }, s)).sort()).toEqual([
      'a: must be a string',
      'c[1]: must be a string',
    ]);
  });

  test('allOf / anyOf / oneOf / not check values without turning fields unknown', () => {
    const s = {
      type: 'object',
      properties: { a: { type: 'integer' }, b: { type: 'string' } },
      anyOf: [{ required: ['a'] }, { required: ['b'] }],
      not: { properties: { a: { enum: [13] } }, required: ['a'] },
      allOf: [{ properties: { a: { minimum: 0 } } }],
    };
    expect(validateOpenApiV3({ a: 1, b: 'x' }, s)).toEqual([]);
    expect(lines(validateOpenApiV3({}, s))).toEqual(['must match at least one schema in anyOf']);
    expect(lines(validateOpenApiV3({ a: 13 }, s))).toEqual(['must not match the schema in not']);
    expect(lines(validateOpenApiV3({ a: -1 }, s))).toEqual(['a: must be >= 0']);
    const one = {
      type: 'object',
      properties: { a: { type: 'integer' } },
      oneOf: [{ required: ['a'] }, { properties: { a: { minimum: 5 } } }],
    };
    expect(validateOpenApiV3({}, one)).toEqual([]);
    expect(lines(validateOpenApiV3({ a: 6 }, one))).toEqual(['must match exactly one schema in oneOf']);
  });

  test('a schema without properties accepts any fields; an empty properties map accepts none', () => {
    expect(validateOpenApiV3({ spec: { x: 1 } }, { type: 'object', properties: { spec: { type: 'object' } } })).toEqual([]);
    expect(
      lines(validateOpenApiV3({ spec: { x: 1 } }, { type: 'object', properties: { spec: { type: 'object', properties: {} } } })),
    ).toEqual(['spec.x: unknown field "x"']);
  });

  test('integer and number edge cases', () => {
    const s = { type: 'object', properties: { i: { type: 'integer' }, n: { type: 'number', multipleOf: 0.5 } } };
    expect(validateOpenApiV3({ i: 2 ** 40, n: 1.5 }, s)).toEqual([]);
    expect(lines(validateOpenApiV3({ i: 1.5, n: 1.2 }, s)).sort()).toEqual(['i: must be an integer', 'n: must be a multiple of 0.5']);
    expect(lines(validateOpenApiV3({ i: '1', n: Infinity }, s)).sort()).toEqual(['i: must be an integer', 'n: must be a number']);
  });
});
