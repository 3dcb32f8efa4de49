import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, recordObjectRef } from '../core/errors';
import { Manifest } from '../core/manifest';
import { nameViolation, NameRule } from '../core/names';
import { nonEmpty } from '../core/plain';
import { JsonSchema } from './json-schema';
import { IResourceType, RbacResource } from '../rbac/resource';

/** Whether custom objects live in a namespace or in the cluster. */
export enum CrdScope {
  NAMESPACED = 'Namespaced',
  CLUSTER = 'Cluster',
}

/** How a custom resource is named in the API and in kubectl. */
export interface CrdNames {
  /** CamelCase kind of the objects, e.g. `Network`. */
  readonly kind: string;
  /** Plural used in URLs and RBAC rules. @default - the lower-case kind made plural (`networks`, `policies`) */
  readonly plural?: string;
  /** @default - the lower-case kind */
  readonly singular?: string;
  /** Short names for kubectl (`kubectl get net`). @default - none */
  readonly shortNames?: string[];
  /** Groups of resources it belongs to (`kubectl get all` uses `all`). @default - none */
  readonly categories?: string[];
}

/** Type of a printer column's value. */
export enum PrinterColumnType {
  STRING = 'string',
  INTEGER = 'integer',
  NUMBER = 'number',
  BOOLEAN = 'boolean',
  /** Shown as an age (`5m`). */
  DATE = 'date',
}

/** An extra column of `kubectl get`. */
export interface PrinterColumn {
  /** Column header. */
  readonly name: string;
  /** JSON path of the value in the object, e.g. `.spec.cidr`. */
  readonly jsonPath: string;
  readonly type: PrinterColumnType;
  /** @default - none */
  readonly description?: string;
  /** 0 shows the column by default; higher only with `-o wide`. @default 0 */
  readonly priority?: number;
}

/** One version of the custom resource. */
export interface CrdVersion {
  /** Version name, e.g. `v1`, `v1beta1`. */
  readonly name: string;
  /** OpenAPI v3 schema of the objects (the root describes the whole object: `spec`, `status`). */
  readonly schema: JsonSchema;
  /** Served by the API server. @default true */
  readonly served?: boolean;
  /** The version objects are stored in; exactly one version is. @default - true when it is the only version */
  readonly storage?: boolean;
  /** @default - none */
  readonly printerColumns?: PrinterColumn[];
  /** Enable the `/status` subresource (status is then written only through it). @default false */
  readonly statusSubresource?: boolean;
  /** Deprecated, with this warning for clients. @default - not deprecated */
  readonly deprecationWarning?: string;
}

/** Props of a `CustomResourceDefinition`. */
export interface CustomResourceDefinitionProps {
  /** API group: a domain with at least one dot, e.g. `samplecrd.k8s.io`. */
  readonly group: string;
  readonly names: CrdNames;
  /** @default CrdScope.NAMESPACED */
  readonly scope?: CrdScope;
  /** At least one version. */
  readonly versions: CrdVersion[];
}

const KIND = /^[A-Z][A-Za-z0-9]*$/;

/**
 * A CustomResourceDefinition (apiextensions.k8s.io/v1): a new resource type, named
 * `<plural>.<group>`, with a structural schema per version. Usable wherever resources are granted
 * (`access.allow(sa).to(Verbs.READ).on(crd)`), and as the watched type of a `ControllerAccess`.
 */
export class CustomResourceDefinition extends Construct implements IResourceType {
  /** `<plural>.<group>`, the only name the API server accepts. */
  public readonly name: string;
  public readonly group: string;
  public readonly kind: string;
  public readonly plural: string;
  public readonly scope: CrdScope;
  /** The resource type, for grants (`access.allow(sa).read(crd)` takes the CRD itself too). */
  public readonly rbacResource: RbacResource;
  /** Name of the storage version. */
  public readonly storageVersion: string;
  /** The CRD object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: CustomResourceDefinitionProps) {
    super(scope, id);
    this.group = props.group;
    this.kind = props.names.kind;
    this.scope = props.scope ?? CrdScope.NAMESPACED;
    if (nameViolation(props.group, NameRule.DNS_SUBDOMAIN) || !props.group.includes('.')) {
      fail(this, 'group', `"${props.group}" must be a DNS domain with at least one dot`, 'e.g. samplecrd.k8s.io');
    }
    if (!KIND.test(this.kind))
      fail(this, 'names.kind', `"${this.kind}" must be CamelCase letters and digits starting with an upper-case letter`);
    this.plural = props.names.plural ?? pluralize(this.kind.toLowerCase());
    const singular = props.names.singular ?? this.kind.toLowerCase();
    const label = (field: string, value: string) => {
      const why = nameViolation(value, NameRule.DNS_1035_LABEL);
      if (why) fail(this, field, why);
    };
    label('names.plural', this.plural);
    label('names.singular', singular);
    (props.names.shortNames ?? []).forEach((s, i) => label(`names.shortNames[${i}]`, s));
    this.name = `${this.plural}.${this.group}`;
    recordObjectRef(this, 'CustomResourceDefinition', this.name);
    if (this.name.length > 253) fail(this, 'names.plural', `"${this.name}" is longer than 253 characters`);
    this.storageVersion = this.checkVersions(props.versions);
    this.rbacResource = RbacResource.custom({ group: this.group, resource: this.plural, namespaced: this.scope === CrdScope.NAMESPACED });

    this.apiObject = new Manifest(this, 'Resource', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      clusterScoped: true,
      metadata: { name: this.name },
      render: () => ({
        spec: {
          group: this.group,
          names: {
            kind: this.kind,
            plural: this.plural,
            singular,
            shortNames: nonEmpty(props.names.shortNames),
            categories: nonEmpty(props.names.categories),
          },
          scope: this.scope,
          versions: props.versions.map((v) => this.renderVersion(v, props.versions.length)),
        },
      }),
    });
  }

  /** `<group>/<version>` of the objects, e.g. `samplecrd.k8s.io/v1` (default: the storage version). */
  public apiVersion(version: string = this.storageVersion): string {
    return `${this.group}/${version}`;
  }

  private checkVersions(versions: CrdVersion[]): string {
    if (!versions || versions.length === 0) fail(this, 'versions', 'needs at least one version');
    const seen = new Set<string>();
    versions.forEach((v, i) => {
      const field = `versions[${i}]`;
      const why = nameViolation(v.name, NameRule.DNS_1035_LABEL);
      if (why) fail(this, `${field}.name`, why);
      if (seen.has(v.name)) fail(this, `${field}.name`, `duplicate version "${v.name}"`);
      seen.add(v.name);
      for (const p of v.schema._problems()) fail(this, `${field}.schema.openAPIV3Schema.${p.field}`, p.rule);
      (v.printerColumns ?? []).forEach((c, j) => {
        if (!c.name) fail(this, `${field}.printerColumns[${j}].name`, 'must not be empty');
        if (!c.jsonPath?.startsWith('.'))
          fail(this, `${field}.printerColumns[${j}].jsonPath`, `"${c.jsonPath}" must be a JSON path starting with "."`, 'e.g. .spec.cidr');
      });
    });
    const storage = versions.filter((v) => v.storage ?? versions.length === 1);
    if (storage.length !== 1) {
      fail(
        this,
        'versions',
        `exactly one version must be the storage version (found ${storage.length})`,
        'set storage: true on one version',
      );
    }
    if (!versions.some((v) => v.served ?? true)) fail(this, 'versions', 'at least one version must be served');
    return storage[0].name;
  }

  private renderVersion(v: CrdVersion, count: number) {
    return {
      name: v.name,
      served: v.served ?? true,
      storage: v.storage ?? count === 1,
      deprecated: v.deprecationWarning !== undefined ? true : undefined,
      deprecationWarning: v.deprecationWarning,
      schema: { openAPIV3Schema: v.schema.toJson() },
      subresources: v.statusSubresource ? { status: {} } : undefined,
      additionalPrinterColumns: nonEmpty(v.printerColumns?.map((c) => ({ ...c }))),
    };
  }
}

/** English plural of a lower-case kind, as kubectl users expect (`network` → `networks`, `policy` → `policies`). */
function pluralize(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}
