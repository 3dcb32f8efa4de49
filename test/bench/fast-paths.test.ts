// The speed-ups found with the bench's profiles keep behaviour identical: each fast path is compared
// with the code it replaces, on hand-picked and generated inputs.
import { ApiObject, App, Chart, IResolver, Lazy, ResolutionContext, Size, SizeRoundingBehavior, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import { metadataJson } from '../../lib/core/metadata';
import { sortedKeys } from '../../lib/core/plain';
import { sizeToQuantity } from '../../lib/core/quantity';
import { toYaml } from '../../lib/core/yaml';

describe('metadataJson', () => {
  function objectWith(metadata: Record<string, unknown>, app: App = Testing.app()): ApiObject {
    const chart = new Chart(app, 'chart', { labels: { team: 'a' } });
    return new ApiObject(chart, 'obj', { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata as any });
  }

  test('equals cdk8s metadata.toJson() for typical metadata', () => {
    const obj = objectWith({
      name: 'x',
      namespace: 'ns',
      labels: { b: '2', a: '1' },
      annotations: { z: '', y: 'v' },
      finalizers: ['f'],
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u' }],
      generateName: 'g-',
    });
    obj.metadata.addLabel('added', 'yes');
    obj.metadata.add('extra', { nested: {}, list: [], keep: [null, {}, 'x'] });
    expect(metadataJson(obj)).toEqual(obj.metadata.toJson());
    expect(JSON.stringify(metadataJson(obj))).toEqual(JSON.stringify(obj.metadata.toJson()));
  });

  test('defers to cdk8s for Lazy values, L1 union values and user resolvers', () => {
    const lazy = objectWith({ name: 'x', labels: { l: Lazy.any({ produce: () => 'late' }) as any } });
    expect(metadataJson(lazy)).toEqual({ name: 'x', labels: { l: 'late', team: 'a' } });
    const union = objectWith({ name: 'x', extra: k8s.IntOrString.fromNumber(3) });
    expect(metadataJson(union)).toEqual(union.metadata.toJson());
    const upper: IResolver = {
      resolve: (ctx: ResolutionContext) => {
        if (typeof ctx.value === 'string' && ctx.value !== ctx.value.toUpperCase()) ctx.replaceValue(ctx.value.toUpperCase());
      },
    };
    const resolved = objectWith({ name: 'x' }, Testing.app({ resolvers: [upper] }));
    expect(metadataJson(resolved)).toEqual({ name: 'X', labels: { team: 'A' } });
  });

  test('equals cdk8s metadata.toJson() on generated metadata', () => {
    const key = fc.string({ minLength: 1, maxLength: 6 });
    const leaf = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(key, tie('value'), { maxKeys: 3 }),
      ),
    }));
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 5 }), fc.dictionary(key, fc.string(), { maxKeys: 3 }), (extra, labels) => {
        const obj = objectWith({ ...extra, name: 'x', labels });
        expect(JSON.stringify(metadataJson(obj))).toEqual(JSON.stringify(obj.metadata.toJson()));
      }),
      { numRuns: 300 },
    );
  });
});

describe('sizeToQuantity', () => {
  // the implementation it replaces: try each unit, largest first, with rounding FAIL
  function previous(size: Size): string | undefined {
    const units: Array<[keyof Size, string]> = [
      ['toPebibytes', 'Pi'],
      ['toTebibytes', 'Ti'],
      ['toGibibytes', 'Gi'],
      ['toMebibytes', 'Mi'],
      ['toKibibytes', 'Ki'],
    ];
    for (const [method, suffix] of units) {
      try {
        const n = (size[method] as (o: object) => number).call(size, { rounding: SizeRoundingBehavior.FAIL });
        if (Number.isInteger(n) && n > 0) return `${n}${suffix}`;
      } catch {
        // not whole in this unit
      }
    }
    return undefined;
  }
  const makers = [Size.kibibytes, Size.mebibytes, Size.gibibytes, Size.tebibytes, Size.pebibyte];

  test('picks the largest exact unit', () => {
    expect(sizeToQuantity(Size.mebibytes(1024))).toBe('1Gi');
    expect(sizeToQuantity(Size.gibibytes(0.5))).toBe('512Mi');
    expect(sizeToQuantity(Size.kibibytes(1.5))).toBeUndefined();
    expect(sizeToQuantity(Size.gibibytes(0))).toBeUndefined();
  });

  test('equals the unit-by-unit conversion on generated sizes', () => {
    const amount = fc.oneof(
      fc.nat(),
      fc.nat().map((n) => n / 1024),
      fc.nat().map((n) => n / 3),
      fc.double({ min: 0, max: 1e12, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), amount, (unit, a) => {
        const size = makers[unit](a);
        expect(sizeToQuantity(size)).toBe(previous(size));
      }),
      { numRuns: 2000 },
    );
  });
});

test('sortedKeys orders keys as Object.keys(o).sort() does', () => {
  const key = fc.oneof(fc.string({ maxLength: 5 }), fc.fullUnicodeString({ maxLength: 3 }), fc.nat(200).map(String));
  fc.assert(
    fc.property(fc.dictionary(key, fc.constant(1), { maxKeys: 40 }), (o) => {
      expect(sortedKeys(o)).toEqual(Object.keys(o).sort());
    }),
    { numRuns: 1000 },
  );
});

test('toYaml returns a flat string with the same text', () => {
  const doc = { metadata: { labels: { a: 'yes' }, name: 'x' }, spec: { list: [1, 'on', { k: '0755' }] } };
  expect(toYaml(doc)).toBe('metadata:\n  labels:\n    a: "yes"\n  name: x\nspec:\n  list:\n    - 1\n    - "on"\n    - k: "0755"\n');
});
