import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The jsii side of the package: the assembly `npm run build` writes, the language bindings jsii-pacmak
// generates from it, and the documents generated from it (API.md, the Python API, api-report.txt).
const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');
const ENV = { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };
const run = (cmd: string, args: string[]) =>
  execFileSync(path.join(BIN, cmd), args, { cwd: ROOT, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const assembly = () => JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8'));
const filesUnder = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));

describe('jsii', () => {
  test('npm run build wrote the assembly, with the workloads and no internal names', () => {
    const a = assembly();
    expect(a.name).toBe('cdk8s-patterns');
    const types = Object.keys(a.types);
    for (const name of ['StatefulService', 'WebService', 'NodeAgent', 'BatchJob', 'ScheduledJob', 'Workload', 'Access', 'PatternsApp']) {
      expect(types).toContain(`cdk8s-patterns.${name}`);
    }
    // nothing internal leaks: no underscored member, no Manifest, no helper
    expect(types).not.toContain('cdk8s-patterns.Manifest');
    const members = Object.values<any>(a.types).flatMap((t) =>
      [...(t.methods ?? []), ...(t.properties ?? [])].map((m: any) => `${t.name}.${m.name}`),
    );
    expect(members.filter((m) => m.split('.')[1].startsWith('_'))).toEqual([]);
    // the peers are jsii dependencies
    expect(Object.keys(a.dependencies).sort()).toEqual(['cdk8s', 'cdk8s-plus-27', 'constructs']);
  });

  test('the .d.ts ships no @internal member', () => {
    const dts = fs.readFileSync(path.join(ROOT, 'build', 'lib', 'initializers', 'pod-mutation.d.ts'), 'utf8');
    expect(dts).not.toMatch(/_begin|_finish|_create/);
  });

  test('jsii-pacmak generates the Python, Java, Go and .NET sources', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-patterns-pacmak-'));
    try {
      run('jsii-pacmak', ['--code-only', '--targets', 'python,java,go,dotnet', '--outdir', out]);
      const files = filesUnder(out).map((f) => path.relative(out, f));
      const find = (re: RegExp) => files.filter((f) => re.test(f));
      expect(find(/^python\/.*\.py$/).length).toBeGreaterThan(0);
      expect(find(/^java\/.*\/StatefulService\.java$/)).toHaveLength(1);
      expect(find(/^go\/.*\/StatefulService\.go$/)).toHaveLength(1);
      expect(find(/^dotnet\/.*\/StatefulService\.cs$/)).toHaveLength(1);
      // the Python module is valid Python and defines the construct
      const init = path.join(out, find(/^python\/src\/cdk8s_patterns\/__init__\.py$/)[0]);
      expect(fs.readFileSync(init, 'utf8')).toMatch(/^class StatefulService\(/m);
      execFileSync('python3', ['-m', 'py_compile', init], { stdio: ['ignore', 'pipe', 'pipe'] });
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('API.md and docs/API.python.md are what jsii-docgen writes from the assembly', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-patterns-docgen-'));
    try {
      run('jsii-docgen', ['-o', path.join(out, 'API.md')]);
      run('jsii-docgen', ['-l', 'python', '-o', path.join(out, 'API.python.md')]);
      const stale = 'stale: run `npm run docgen` and commit';
      expect({
        file: 'API.md',
        same: fs.readFileSync(path.join(out, 'API.md'), 'utf8') === fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8'),
      }).toEqual({ file: 'API.md', same: true });
      expect({
        file: 'docs/API.python.md',
        same:
          fs.readFileSync(path.join(out, 'API.python.md'), 'utf8') === fs.readFileSync(path.join(ROOT, 'docs', 'API.python.md'), 'utf8'),
      }).toEqual({ file: 'docs/API.python.md', same: true });
      expect(stale).toBeTruthy();
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('api-report.txt lists the public API of the assembly', () => {
    const { report } = require(path.join(ROOT, 'scripts', 'api-report.js'));
    expect(report(assembly())).toBe(fs.readFileSync(path.join(ROOT, 'api-report.txt'), 'utf8'));
  });
});
