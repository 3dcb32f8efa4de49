import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { PatternError, PatternsApp, StatefulService } from '../../lib';
import { Manifest } from '../../lib/core/manifest';

/** The folder's files and folders, except the writer's own hidden state folder (checked by test/output). */
function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).sort()) {
    if (f === '.cdk8s-patterns') continue;
    const full = path.join(dir, f);
    out[f] = fs.statSync(full).isDirectory() ? `<dir:${JSON.stringify(snapshotDir(full))}>` : fs.readFileSync(full, 'utf8');
  }
  return out;
}

function goodApp(outdir: string, charts = ['one', 'two']): PatternsApp {
  const app = new PatternsApp({ outdir });
  for (const id of charts) {
    new ApiObject(new Chart(app, id), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id }, data: { key: 'yes' } } as any);
  }
  return app;
}

describe('PatternsApp.synth', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'patterns-app-'));
  });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('writes one file per chart, quoting strings YAML 1.1 would misread', () => {
    goodApp(outdir).synth();
    expect(Object.keys(snapshotDir(outdir))).toEqual(['one.k8s.yaml', 'two.k8s.yaml']);
    expect(fs.readFileSync(path.join(outdir, 'one.k8s.yaml'), 'utf8')).toBe(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\ndata:\n  key: "yes"\n',
    );
  });

  test('a failed synth leaves the previous output byte-for-byte untouched', () => {
    goodApp(outdir).synth();
    const before = snapshotDir(outdir);
    const app = goodApp(outdir, ['one', 'three']);
    new StatefulService(new Chart(app, 'broken'), 'db', { containers: [{ name: 'db', image: '' }] });
    expect(() => app.synth()).toThrow(PatternError);
    expect(snapshotDir(outdir)).toEqual(before);
    expect(fs.readdirSync(path.dirname(outdir)).filter((f) => f.startsWith(`.${path.basename(outdir)}.staging-`))).toEqual([]);
  });

  test('construct problems and app-wide validation problems come in one report', () => {
    const app = new PatternsApp({ outdir });
    const chart = new Chart(app, 'shop');
    new StatefulService(chart, 'db', { containers: [{ name: 'db', image: '' }] });
    new ApiObject(chart, 'orphan', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'orphan' },
      spec: { selector: { app: 'gone' }, ports: [{ port: 80 }] },
    } as any);
    let error: PatternError | undefined;
    try {
      app.synth();
    } catch (e) {
      error = e as PatternError;
    }
    expect(error).toBeInstanceOf(PatternError);
    expect(error!.problems.map((p) => [p.path, p.field])).toEqual(
      expect.arrayContaining([
        ['shop/db', 'containers[0].image'],
        ['shop/orphan', 'spec.selector'],
      ]),
    );
  });

  test('an exception while rendering leaves the previous output untouched', () => {
    goodApp(outdir).synth();
    const before = snapshotDir(outdir);
    const app = goodApp(outdir);
    new Manifest(new Chart(app, 'boom'), 'x', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      render: () => {
        throw new Error('render failed');
      },
    });
    expect(() => app.synth()).toThrow('render failed');
    expect(snapshotDir(outdir)).toEqual(before);
  });

  test('removes stale chart files it owns and nothing else', () => {
    goodApp(outdir, ['one', 'two']).synth();
    fs.writeFileSync(path.join(outdir, 'notes.txt'), 'keep me');
    fs.mkdirSync(path.join(outdir, 'k8s-1.13'));
    fs.writeFileSync(path.join(outdir, 'k8s-1.13', 'old.k8s.yaml'), 'kind: x\n');
    goodApp(outdir, ['one']).synth();
    expect(Object.keys(snapshotDir(outdir))).toEqual(['k8s-1.13', 'notes.txt', 'one.k8s.yaml']);
    expect(fs.readFileSync(path.join(outdir, 'k8s-1.13', 'old.k8s.yaml'), 'utf8')).toBe('kind: x\n');
  });

  test('does not rewrite unchanged files', () => {
    goodApp(outdir).synth();
    const file = path.join(outdir, 'one.k8s.yaml');
    const past = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(file, past, past);
    goodApp(outdir).synth();
    expect(fs.statSync(file).mtime.toISOString()).toBe(past.toISOString());
  });

  test('a synth killed mid-way leaves the previous output untouched', async () => {
    goodApp(outdir).synth();
    const before = snapshotDir(outdir);
    // the child renders an object that blocks; it is killed while rendering, before any write
    const script = `
      require(${JSON.stringify(path.join(__dirname, '..', '..', 'apps', 'ts-hook.js'))}).register();
      const { Chart, ApiObject } = require('cdk8s');
      const { PatternsApp } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'lib', 'index.ts'))});
      const { Manifest } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'lib', 'core', 'manifest.ts'))});
      const app = new PatternsApp({ outdir: ${JSON.stringify(outdir)} });
      new ApiObject(new Chart(app, 'one'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'changed' } });
      new Manifest(new Chart(app, 'slow'), 'x', { apiVersion: 'v1', kind: 'ConfigMap', render: () => {
        process.stdout.write('rendering\\n');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);
        return {};
      } });
      app.synth();`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.on('data', (d) => d.toString().includes('rendering') && resolve()));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(snapshotDir(outdir)).toEqual(before);
  }, 30000);
});
