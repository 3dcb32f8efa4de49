import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

test('a failed npm run synth prints each problem once, without a stack trace, and exits 1', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broken-app-'));
  const root = path.join(__dirname, '..', '..');
  const r = spawnSync(process.execPath, [path.join(root, 'apps', 'synth.js')], {
    cwd: root,
    env: {
      ...process.env,
      CDK8S_PATTERNS_MAIN: path.join(root, 'test', 'fixtures', 'broken-app', 'main.ts'),
      BROKEN_APP_OUTDIR: path.join(dir, 'dist'),
    },
    encoding: 'utf8',
  });
  expect(r.status).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toEqual([
    'synth failed: 2 problems:',
    expect.stringMatching(
      /^ {2}\[broken\/svc\] Service\/svc spec\.type: "Nodeport" is not one of .*\(did you mean "NodePort"\?\) \[schema\] \(hint: use "NodePort"\)$/,
    ),
    expect.stringMatching(
      /^ {2}\[broken\/svc\] Service\/svc spec\.ports\[0\]\.nodePort: 99999 is not a valid port number \(0 to 65535\) \[api-server\] \(hint: use a port from 1 to 65535\)$/,
    ),
  ]);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  fs.rmSync(dir, { recursive: true });
});
