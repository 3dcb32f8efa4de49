import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu, TaintEffect } from 'cdk8s-plus-27';
import { PatternError, PodVolume, TolerationOperator, TolerationSpec, WebService, WebServiceProps } from '../../lib';
import { PatternDefaults } from '../../lib/pod/defaults';
import { DEFAULT_RESOURCES } from '../../lib/pod/container';
import { NodeAgent } from '../../lib/workloads/node-agent';
import { PodSecurity } from '../../lib/pod/security';
import { byKind, expectValidManifests } from '../util';

// PodTemplate is shared by every workload; these tests reach it through WebService (and NodeAgent
// for the toleration check both share).
const base: WebServiceProps = {
  containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.25', ports: [{ name: 'http', number: 8080 }] }],
};

function synth(props: Partial<WebServiceProps>) {
  const chart = new Chart(Testing.app(), 'test');
  new WebService(chart, 'web', { ...base, ...props });
  return Testing.synth(chart);
}

const podSpec = (m: any[]) => byKind(m, 'Deployment')[0].spec.template.spec;
const withCpu = (cpu: { request?: string | Cpu; limit?: string | Cpu }): Partial<WebServiceProps> => ({
  containers: [{ ...base.containers[0], resources: { cpu, memory: { request: Size.mebibytes(64) } } }],
});

describe('PodTemplate: container resources', () => {
  test('CPU amounts Kubernetes accepts are written as given', () => {
    for (const [cpu, request] of [
      ['250m', '250m'],
      ['0.5', '0.5'],
      ['2', '2'],
      ['1e3', '1e3'],
      [Cpu.millis(100), '100m'],
      [Cpu.units(1.5), '1.5'],
    ] as const) {
      const m = synth(withCpu({ request: cpu, limit: '2000' }));
      expect(podSpec(m).containers[0].resources).toEqual({ requests: { cpu: request, memory: '64Mi' }, limits: { cpu: '2000' } });
      expectValidManifests(m);
    }
  });

  const cpuCases: Array<[string, Partial<WebServiceProps>, RegExp]> = [
    [
      'a unit in words',
      withCpu({ request: '1 core' }),
      /\[test\/web\] Deployment\/web containers\[0\]\.resources\.cpu\.request: "1 core" is not a non-negative Kubernetes quantity.*hint: e\.g\. "250m"/,
    ],
    [
      'a binary suffix spelled wrong',
      withCpu({ limit: '500mi' }),
      /containers\[0\]\.resources\.cpu\.limit: "500mi" is not a non-negative Kubernetes quantity/,
    ],
    [
      'a negative amount',
      withCpu({ request: '-1' }),
      /containers\[0\]\.resources\.cpu\.request: "-1" is not a non-negative Kubernetes quantity/,
    ],
    ['an empty string', withCpu({ request: '' }), /containers\[0\]\.resources\.cpu\.request: "" is not/],
  ];
  test.each(cpuCases)('CPU: %s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(PatternError);
    expect(() => synth(props)).toThrow(message);
  });

  test('a container without resources gets PatternDefaults.containerResourcesOf its scope', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(PatternDefaults.containerResourcesOf(chart)).toBe(DEFAULT_RESOURCES);
    const web = new WebService(chart, 'web', base);
    expect(web.pod.resourcesOf(base.containers[0])).toBe(DEFAULT_RESOURCES);
    PatternDefaults.set(chart, { containerResources: { cpu: { request: '50m' } } });
    expect(podSpec(Testing.synth(chart)).containers[0].resources).toEqual({ requests: { cpu: '50m' } });
    PatternDefaults.set(chart, { containerResources: false });
    expect(PatternDefaults.containerResourcesOf(web)).toBeUndefined();
    expect(podSpec(Testing.synth(chart)).containers[0].resources).toBeUndefined();
  });
});

describe('PodTemplate: volumes', () => {
  test('an emptyDir size limit in whole KiB is written in the largest exact unit', () => {
    const m = synth({ volumes: [PodVolume.emptyDir('cache', { medium: 'Memory', sizeLimit: Size.mebibytes(1024) })] });
    expect(podSpec(m).volumes[0]).toEqual({ name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } });
  });

  test('an existing claim, read-only', () => {
    expect(PodVolume.persistentClaim('data', 'data-claim', { readOnly: true }).toJson()).toEqual({
      name: 'data',
      persistentVolumeClaim: { claimName: 'data-claim', readOnly: true },
    });
  });

  const sizeCases: Array<[string, Size, RegExp]> = [
    [
      'half a KiB',
      Size.kibibytes(0.5),
      /^\[<PodVolume\.emptyDir>\] sizeLimit: must be a positive whole number of KiB \(got 0\.5 KiB for volume "cache"\) \[props\]$/,
    ],
    [
      'zero',
      Size.mebibytes(0),
      /\[<PodVolume\.emptyDir>\] sizeLimit: must be a positive whole number of KiB \(got 0 KiB for volume "cache"\)/,
    ],
  ];
  test.each(sizeCases)('an emptyDir size limit of %s throws where it is given, instead of being dropped', (_name, sizeLimit, message) => {
    const fn = () => PodVolume.emptyDir('cache', { sizeLimit });
    expect(fn).toThrow(PatternError);
    expect(fn).toThrow(message);
  });
});

describe('PodTemplate: tolerations', () => {
  test('operators are written out', () => {
    const m = synth({
      tolerations: [
        { key: 'dedicated', value: 'web', effect: TaintEffect.NO_SCHEDULE },
        { key: 'spot' },
        { operator: TolerationOperator.EXISTS },
      ],
    });
    expect(podSpec(m).tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' },
      { key: 'spot', operator: 'Exists' },
      { operator: 'Exists' },
    ]);
    expectValidManifests(m);
  });

  const cases: Array<[string, TolerationSpec, RegExp]> = [
    [
      'a value without a key (renders operator Equal)',
      { value: 'x' },
      /\[test\/web\] Deployment\/web tolerations\[0\]\.key: an empty key requires operator Exists/,
    ],
    [
      'operator Equal without a key',
      { operator: TolerationOperator.EQUAL, value: 'x' },
      /tolerations\[0\]\.key: an empty key requires operator Exists/,
    ],
    [
      'fractional evictAfter',
      { key: 'a', effect: TaintEffect.NO_EXECUTE, evictAfter: Duration.millis(1500) },
      /tolerations\[0\]\.evictAfter: must be a whole number of seconds \(got 1 second 500 millis\)/,
    ],
    [
      'evictAfter without NoExecute',
      { key: 'a', evictAfter: Duration.seconds(60) },
      /tolerations\[0\]\.evictAfter: is only valid with effect NoExecute \(got all effects\)/,
    ],
    [
      'a value with operator Exists',
      { key: 'a', operator: TolerationOperator.EXISTS, value: 'x' },
      /tolerations\[0\]\.value: must be empty with operator Exists/,
    ],
  ];
  test.each(cases)('%s', (_name, toleration, message) => {
    expect(() => synth({ tolerations: [toleration] })).toThrow(PatternError);
    expect(() => synth({ tolerations: [toleration] })).toThrow(message);
  });

  test('NodeAgent custom tolerations go through the same check', () => {
    const fn = () =>
      new NodeAgent(new Chart(Testing.app(), 'test'), 'agent', {
        podSecurity: PodSecurity.restricted(),
        containers: [{ name: 'agent', image: 'agent:1.0' }],
        tolerate: { custom: [{ value: 'x' }] },
      });
    expect(fn).toThrow(PatternError);
    expect(fn).toThrow(/\[test\/agent\] DaemonSet\/agent tolerate\.custom\[0\]\.key: an empty key requires operator Exists/);
  });
});
