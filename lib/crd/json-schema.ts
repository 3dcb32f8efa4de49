import { setKey } from '../core/plain';
/** Options every schema node takes. */
export interface SchemaOptions {
  /** Shown by `kubectl explain`. @default - none */
  readonly description?: string;
  /** Accept `null` (it is kept instead of pruned). @default false */
  readonly nullable?: boolean;
  /** Value the API server fills in when the field is absent. @default - none */
  readonly default?: unknown;
}

/** Options of `JsonSchema.string`. */
export interface StringSchemaOptions extends SchemaOptions {
  /** @default - any string */
  readonly enum?: string[];
  /** ECMA 262 regular expression. @default - any string */
  readonly pattern?: string;
  /** `date-time`, `ipv4`, `cidr`, `uri`... @default - none */
  readonly format?: string;
  /** @default - none */
  readonly minLength?: number;
  /** @default - none */
  readonly maxLength?: number;
}

/** Options of `JsonSchema.integer` and `JsonSchema.number`. */
export interface NumberSchemaOptions extends SchemaOptions {
  /** @default - none */
  readonly minimum?: number;
  /** @default - none */
  readonly maximum?: number;
  /** `int32`, `int64`, `float`, `double`. @default - none */
  readonly format?: string;
  /** @default - any */
  readonly enum?: number[];
}

/** Options of `JsonSchema.array`. */
export interface ArraySchemaOptions extends SchemaOptions {
  /** @default - none */
  readonly minItems?: number;
  /** @default - none */
  readonly maxItems?: number;
  /** How server-side apply merges it. @default - atomic */
  readonly listType?: 'atomic' | 'set' | 'map';
  /** Keys of a `listType: map` list. @default - none */
  readonly listMapKeys?: string[];
}

/** Options of `JsonSchema.object` and `JsonSchema.map`. */
export interface ObjectSchemaOptions extends SchemaOptions {
  /** Properties that must be present. @default - none */
  readonly required?: string[];
  /** Keep fields the schema does not declare instead of pruning them. @default false */
  readonly preserveUnknownFields?: boolean;
}

/** Keywords a CRD schema node may use (`JSONSchemaProps` of apiextensions.k8s.io/v1). */
const KEYWORDS = new Set([
  '$schema',
  'additionalItems',
  'additionalProperties',
  'allOf',
  'anyOf',
  'default',
  'definitions',
  'dependencies',
  'description',
  'enum',
  'example',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'externalDocs',
  'format',
  'id',
  'items',
  'maxItems',
  'maxLength',
  'maxProperties',
  'maximum',
  'minItems',
  'minLength',
  'minProperties',
  'minimum',
  'multipleOf',
  'not',
  'nullable',
  'oneOf',
  'pattern',
  'patternProperties',
  'properties',
  'required',
  'title',
  'type',
  'uniqueItems',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-validations',
]);
const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

/**
 * An OpenAPI v3 schema for a CRD version, built typed (`JsonSchema.object({ cidr: JsonSchema.string() })`)
 * or taken from a JSON schema object (`JsonSchema.fromJson(...)`). Either way it is checked to be a
 * structural schema, as apiextensions.k8s.io/v1 requires.
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema
 */
export class JsonSchema {
  /** A string. */
  public static string(options: StringSchemaOptions = {}): JsonSchema {
    return new JsonSchema({
      type: 'string',
      ...base(options),
      enum: options.enum,
      pattern: options.pattern,
      format: options.format,
      minLength: options.minLength,
      maxLength: options.maxLength,
    });
  }

  /** An integer. */
  public static integer(options: NumberSchemaOptions = {}): JsonSchema {
    return JsonSchema.numeric('integer', options);
  }

  /** A number. */
  public static number(options: NumberSchemaOptions = {}): JsonSchema {
    return JsonSchema.numeric('number', options);
  }

  /** A boolean. */
  public static boolean(options: SchemaOptions = {}): JsonSchema {
    return new JsonSchema({ type: 'boolean', ...base(options) });
  }

  /** An object with these properties. */
  public static object(properties: { [key: string]: JsonSchema }, options: ObjectSchemaOptions = {}): JsonSchema {
    const props: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(properties)) setKey(props, k, v.toJson());
    return new JsonSchema({
      type: 'object',
      ...base(options),
      properties: Object.keys(props).length > 0 ? props : undefined,
      required: options.required,
      'x-kubernetes-preserve-unknown-fields': options.preserveUnknownFields || undefined,
    });
  }

  /** An object whose keys are free and whose values all follow `values` (labels, settings). */
  public static map(values: JsonSchema, options: SchemaOptions = {}): JsonSchema {
    return new JsonSchema({ type: 'object', ...base(options), additionalProperties: values.toJson() });
  }

  /** A list of `items`. */
  public static array(items: JsonSchema, options: ArraySchemaOptions = {}): JsonSchema {
    return new JsonSchema({
      type: 'array',
      ...base(options),
      items: items.toJson(),
      minItems: options.minItems,
      maxItems: options.maxItems,
      'x-kubernetes-list-type': options.listType,
      'x-kubernetes-list-map-keys': options.listMapKeys,
    });
  }

  /** An integer or a string (ports, percentages). */
  public static intOrString(options: SchemaOptions = {}): JsonSchema {
    return new JsonSchema({ 'x-kubernetes-int-or-string': true, ...base(options) });
  }

  /** Any value, kept as given (the one untyped node a structural schema allows). */
  public static any(options: SchemaOptions = {}): JsonSchema {
    return new JsonSchema({ 'x-kubernetes-preserve-unknown-fields': true, ...base(options) });
  }

  /** A schema written as a JSON object (e.g. loaded from a file). Checked like a typed one. */
  public static fromJson(schema: Record<string, unknown>): JsonSchema {
    return new JsonSchema(JSON.parse(JSON.stringify(schema)));
  }

  private static numeric(type: string, o: NumberSchemaOptions): JsonSchema {
    return new JsonSchema({ type, ...base(o), minimum: o.minimum, maximum: o.maximum, format: o.format, enum: o.enum });
  }

  private readonly json: Record<string, unknown>;

  private constructor(json: Record<string, unknown>) {
    this.json = Object.fromEntries(Object.entries(json).filter(([, v]) => v !== undefined));
  }

  /** The schema as JSON (a copy). */
  public toJson(): Record<string, unknown> {
    return JSON.parse(JSON.stringify(this.json));
  }

  /**
   * Why this schema is not a valid structural root schema: each `{ field, rule }` names a JSON path
   * below `openAPIV3Schema`. Empty when it is fine.
   */
  /** @internal */
  public _problems(): Array<{ field: string; rule: string }> {
    const out: Array<{ field: string; rule: string }> = [];
    if (this.json.type !== 'object') out.push({ field: 'type', rule: 'the root of a CRD schema must be of type object' });
    walk(this.json, '', out);
    return out;
  }
}

function base(o: SchemaOptions): Record<string, unknown> {
  return { description: o.description, nullable: o.nullable || undefined, default: o.default };
}

function walk(node: any, path: string, out: Array<{ field: string; rule: string }>): void {
  const at = (field: string, rule: string) => out.push({ field: path ? `${path}.${field}` : field, rule });
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    out.push({ field: path || '(root)', rule: 'a schema must be an object' });
    return;
  }
  for (const k of Object.keys(node)) {
    if (k === '$ref') at(k, '$ref is not supported in CRD schemas; inline the definition');
    else if (!KEYWORDS.has(k)) at(k, `unknown schema keyword "${k}"`);
  }
  const untyped = node['x-kubernetes-int-or-string'] === true || node['x-kubernetes-preserve-unknown-fields'] === true;
  if (node.type === undefined && !untyped)
    at('type', 'every node of a structural schema needs a type (or x-kubernetes-int-or-string / x-kubernetes-preserve-unknown-fields)');
  if (node.type !== undefined && !TYPES.has(node.type))
    at('type', `"${node.type}" is not a type (object, array, string, integer, number, boolean)`);
  if (node.properties !== undefined && node.additionalProperties !== undefined)
    at('additionalProperties', 'cannot be used together with properties in a structural schema');
  if (node.type === 'array' && node.items === undefined) at('items', 'an array needs items in a structural schema');
  if (Array.isArray(node.required) && node.properties) {
    for (const r of node.required) if (!(r in node.properties)) at('required', `"${r}" is required but not among the properties`);
  }
  for (const [k, v] of Object.entries(node.properties ?? {})) walk(v, `${path ? `${path}.` : ''}properties.${k}`, out);
  if (node.items !== undefined) walk(node.items, `${path ? `${path}.` : ''}items`, out);
  if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path ? `${path}.` : ''}additionalProperties`, out);
}
