import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ClusterVersion, PatternsApp } from '../lib';
import { buildApps } from '../apps/main';
import { expectValidManifests } from './util';

const DIST = path.join(__dirname, '..', 'dist');

function listYaml(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listYaml(full).map((f) => path.join(entry.name, f)));
    else if (entry.name.endsWith('.yaml')) out.push(entry.name);
  }
  return out.sort();
}

function synthInto(dir: string): void {
  PatternsApp.synthAll(buildApps(dir));
}

describe('dist/', () => {
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-patterns-dist-'));
  beforeAll(() => synthInto(fresh));
  afterAll(() => fs.rmSync(fresh, { recursive: true, force: true }));

  test('is what a fresh synth writes (run `npm run synth` and commit dist/ when this fails)', () => {
    expect(listYaml(DIST)).toEqual(listYaml(fresh));
    for (const file of listYaml(fresh)) {
      expect({ file, content: fs.readFileSync(path.join(DIST, file), 'utf8') }).toEqual({
        file,
        content: fs.readFileSync(path.join(fresh, file), 'utf8'),
      });
    }
  });

  test('a second synth is byte-identical', () => {
    const again = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-patterns-dist-'));
    try {
      synthInto(again);
      for (const file of listYaml(fresh)) {
        expect(fs.readFileSync(path.join(again, file), 'utf8')).toEqual(fs.readFileSync(path.join(fresh, file), 'utf8'));
      }
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  });

  test('every object of every example passes the strict schema of its declared Kubernetes version', () => {
    for (const app of buildApps(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-patterns-schema-')))) {
      for (const chart of app.charts) {
        expectValidManifests(chart.toJson(), ClusterVersion.of(chart) === '1.13' ? '1.13' : '1.27');
      }
    }
  });

  test('every example reads back identically as YAML 1.1 (kubectl) and 1.2', () => {
    for (const app of buildApps(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-patterns-rt-')))) {
      const expected = app.charts.flatMap((chart) => chart.toJson());
      const text = app.synthYaml();
      for (const version of ['1.1', '1.2'] as const) {
        const docs = parseAllDocuments(text, { version, uniqueKeys: true });
        for (const d of docs) expect(d.errors).toEqual([]);
        // the same objects; the writer puts them in apply order (test/output/apply-order.test.ts)
        const key = (o: any) => JSON.stringify([o.kind, o.metadata?.name, o.metadata?.namespace, o.apiVersion]);
        const byKey = (a: any, b: any) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
        expect(docs.map((d) => d.toJS()).sort(byKey)).toEqual([...expected].sort(byKey));
      }
    }
  });
});
