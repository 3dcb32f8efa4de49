import { Chart, Testing } from 'cdk8s';
import { WebService } from '../../lib/workloads/web-service';
import {
  ControllerAccess,
  CrdScope,
  CustomResourceDefinition,
  CustomResourceDefinitionProps,
  JsonSchema,
  PermissionReport,
  PrinterColumnType,
  RbacResource,
  RbacServiceAccount,
} from '../../lib';
import { byKind, expectValidManifests, ownMetadata } from '../util';

const schema = JsonSchema.object({ spec: JsonSchema.object({ size: JsonSchema.integer({ minimum: 1 }) }) });
const base: CustomResourceDefinitionProps = { group: 'example.com', names: { kind: 'Widget' }, versions: [{ name: 'v1', schema }] };

function crd(props: Partial<CustomResourceDefinitionProps> = {}, namespace?: string) {
  const c = new Chart(Testing.app(), 'test', { namespace });
  const w = new CustomResourceDefinition(c, 'widgets', { ...base, ...props });
  return { c, w, json: () => byKind(Testing.synth(c), 'CustomResourceDefinition')[0] };
}

describe('CustomResourceDefinition', () => {
  test('name, names defaults, scope, storage version; cluster-scoped object without namespace', () => {
    const { w, json } = crd({}, 'apps');
    expect(w.name).toBe('widgets.example.com');
    expect(w.apiVersion()).toBe('example.com/v1');
    expect(ownMetadata(json().metadata)).toEqual({ name: 'widgets.example.com' });
    expect(json().spec).toEqual({
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets', singular: 'widget' },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema.toJson() } }],
    });
    expectValidManifests([json()]);
  });

  test('plurals, short names, categories, printer columns, status subresource, several versions', () => {
    const { json } = crd({
      names: { kind: 'NetworkPolicy', shortNames: ['np'], categories: ['all'] },
      scope: CrdScope.CLUSTER,
      versions: [
        { name: 'v1beta1', schema, served: true, deprecationWarning: 'use v1' },
        {
          name: 'v1',
          schema,
          storage: true,
          statusSubresource: true,
          printerColumns: [{ name: 'Size', type: PrinterColumnType.INTEGER, jsonPath: '.spec.size', priority: 1 }],
        },
      ],
    });
    const spec = json().spec;
    expect(spec.names).toEqual({
      kind: 'NetworkPolicy',
      plural: 'networkpolicies',
      singular: 'networkpolicy',
      shortNames: ['np'],
      categories: ['all'],
    });
    expect(spec.scope).toBe('Cluster');
    expect(spec.versions[0]).toMatchObject({ name: 'v1beta1', storage: false, deprecated: true, deprecationWarning: 'use v1' });
    expect(spec.versions[1]).toMatchObject({
      storage: true,
      subresources: { status: {} },
      additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size', priority: 1 }],
    });
    expectValidManifests([json()]);
  });

  test('typed schema builders and a schema from JSON give the same structural schema', () => {
    const typed = JsonSchema.object({
      spec: JsonSchema.object(
        {
          port: JsonSchema.intOrString(),
          labels: JsonSchema.map(JsonSchema.string()),
          hosts: JsonSchema.array(JsonSchema.string({ format: 'hostname' }), { listType: 'set' }),
          extra: JsonSchema.any(),
          enabled: JsonSchema.boolean({ default: true }),
          ratio: JsonSchema.number({ maximum: 1 }),
          mode: JsonSchema.string({ enum: ['a', 'b'] }),
        },
        { required: ['port'] },
      ),
    });
    const fromJson = JsonSchema.fromJson(typed.toJson());
    expect(fromJson.toJson()).toEqual(typed.toJson());
    expect(typed._problems()).toEqual([]);
    expect((typed.toJson() as any).properties.spec.properties.hosts).toEqual({
      type: 'array',
      items: { type: 'string', format: 'hostname' },
      'x-kubernetes-list-type': 'set',
    });
    expectValidManifests([crd({ versions: [{ name: 'v1', schema: typed }] }).json()]);
  });

  test.each([
    [{ type: 'string' }, /type: the root of a CRD schema must be of type object/],
    [{ type: 'object', properties: { a: { description: 'x' } } }, /properties\.a\.type: every node of a structural schema needs a type/],
    [{ type: 'object', properties: { a: { $ref: '#/x' } } }, /properties\.a\.\$ref: \$ref is not supported/],
    [{ type: 'object', properties: { a: { type: 'string', exclusiveMin: 1 } } }, /properties\.a\.exclusiveMin: unknown schema keyword/],
    [{ type: 'object', properties: { a: { type: 'array' } } }, /properties\.a\.items: an array needs items/],
    [{ type: 'object', properties: { a: { type: 'str' } } }, /properties\.a\.type: "str" is not a type/],
    [
      { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } },
      /additionalProperties: cannot be used together with properties/,
    ],
    [{ type: 'object', properties: { a: { type: 'string' } }, required: ['b'] }, /required: "b" is required but not among the properties/],
  ])('schema %j is refused', (json, message) => {
    expect(() => crd({ versions: [{ name: 'v1', schema: JsonSchema.fromJson(json) }] })).toThrow(
      new RegExp(
        `test/widgets\\] CustomResourceDefinition/widgets\\.example\\.com versions\\[0\\]\\.schema\\.openAPIV3Schema\\..*${message.source}`,
      ),
    );
  });

  test('bad group, names and versions', () => {
    expect(() => crd({ group: 'example' })).toThrow(/test\/widgets\] group: "example" must be a DNS domain with at least one dot/);
    expect(() => crd({ names: { kind: 'widget' } })).toThrow(/names\.kind: "widget" must be CamelCase/);
    expect(() => crd({ names: { kind: 'Widget', shortNames: ['W'] } })).toThrow(
      /names\.shortNames\[0\]: "W" is not a valid DNS-1035 label/,
    );
    expect(() => crd({ versions: [] })).toThrow(/versions: needs at least one version/);
    expect(() =>
      crd({
        versions: [
          { name: 'v1', schema },
          { name: 'v2', schema },
        ],
      }),
    ).toThrow(/versions: exactly one version must be the storage version \(found 0\)/);
    expect(() =>
      crd({
        versions: [
          { name: 'v1', schema },
          { name: 'v1', schema, storage: true },
        ],
      }),
    ).toThrow(/versions\[1\]\.name: duplicate version "v1"/);
    expect(() => crd({ versions: [{ name: 'v1', schema, served: false }] })).toThrow(/versions: at least one version must be served/);
    expect(() =>
      crd({ versions: [{ name: 'v1', schema, printerColumns: [{ name: 'X', type: PrinterColumnType.STRING, jsonPath: 'spec.x' }] }] }),
    ).toThrow(/versions\[0\]\.printerColumns\[0\]\.jsonPath: "spec\.x" must be a JSON path starting with "\."/);
  });
});

describe('ControllerAccess', () => {
  function controllerChart() {
    const c = new Chart(Testing.app(), 'test', { namespace: 'ops' });
    const widgets = new CustomResourceDefinition(c, 'widgets', base);
    const clusterThings = new CustomResourceDefinition(c, 'things', { ...base, names: { kind: 'Thing' }, scope: CrdScope.CLUSTER });
    const controller = new WebService(c, 'widget-controller', {
      replicas: 1,
      exposeService: false,
      containers: [{ name: 'c', image: 'example.com/widget-controller:1.0' }],
    });
    return { c, widgets, clusterThings, controller };
  }

  test('in its namespace: watch the CRD and read pods, nothing more; token only for the controller', () => {
    const { c, widgets, controller } = controllerChart();
    new ControllerAccess(c, 'access', { controller, watches: [widgets], reads: [RbacResource.PODS] });
    const m = Testing.synth(c);
    expect(m.filter((o) => o.kind.includes('Role')).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Role/widget-controller',
      'RoleBinding/widget-controller',
    ]);
    expect(byKind(m, 'Deployment')[0].spec.template.spec).toMatchObject({
      serviceAccountName: 'widget-controller',
      automountServiceAccountToken: true,
    });
    expect(PermissionReport.of(controller)).toEqual(
      ['get', 'list', 'watch']
        .map((verb) => ({ namespace: 'ops', verb, resource: 'pods' }))
        .concat(['get', 'list', 'watch'].map((verb) => ({ namespace: 'ops', verb, resource: 'widgets.example.com' })))
        .sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0)),
    );
    expectValidManifests(m);
  });

  test('everything a controller may need, cluster-wide; leases stay in its namespace; cluster-scoped CRDs go cluster-wide', () => {
    const { c, widgets, clusterThings } = controllerChart();
    const sa = new RbacServiceAccount(c, 'op');
    new ControllerAccess(c, 'access', {
      controller: sa,
      watches: [widgets, clusterThings],
      manages: [RbacResource.DEPLOYMENTS],
      updatesStatus: true,
      recordsEvents: true,
      leaderElection: true,
      clusterWide: true,
    });
    const m = Testing.synth(c);
    expect(byKind(m, 'ClusterRole')[0].rules).toEqual([
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      {
        apiGroups: ['apps'],
        resources: ['deployments'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
      },
      { apiGroups: ['example.com'], resources: ['things', 'widgets'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['example.com'], resources: ['things/status', 'widgets/status'], verbs: ['update', 'patch'] },
    ]);
    expect(byKind(m, 'Role')[0]).toMatchObject({
      metadata: { name: 'op', namespace: 'ops' },
      rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }],
    });
    expectValidManifests(m);
  });

  test('needs something to watch', () => {
    const { c, controller } = controllerChart();
    expect(() => new ControllerAccess(c, 'access', { controller, watches: [] })).toThrow(
      /test\/access\] watches: a controller watches at least one resource/,
    );
  });
});
