// An output folder that is a mount point (tmpfs, like a Docker bind mount or a Kubernetes volume:
// a rename out of it is EXDEV) and one under a read-only parent. Needs root and `unshare -m`;
// skipped with a message otherwise.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const CHILD = path.join(__dirname, 'fixtures', 'mount-child.js');

function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const r = spawnSync('unshare', ['-m', 'sh', '-c', 'd=$(mktemp -d) && mount -t tmpfs tmpfs "$d" && umount "$d" && rmdir "$d"'], {
    stdio: 'ignore',
  });
  return r.status === 0;
}

const permitted = canMount();
if (!permitted) process.stdout.write('test/output/mounts.test.ts: skipped (needs root and `unshare -m` to mount a tmpfs)\n');
const maybe = permitted ? test : test.skip;

function inNamespace(script: string, parent: string): any {
  const r = spawnSync(
    'unshare',
    ['-m', 'sh', '-c', `set -e; ${script}; ${JSON.stringify(process.execPath)} ${JSON.stringify(CHILD)} "${parent}/dist"`],
    { encoding: 'utf8', timeout: 60000 },
  );
  if (r.status !== 0) throw new Error(`namespace script failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('output folders the staging must not leave', () => {
  let parent: string;
  beforeEach(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'patterns-mount-'));
    fs.mkdirSync(path.join(parent, 'dist'));
  });
  afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));

  const expected = {
    files: ['.cdk8s-patterns', 'notes.txt', 'one.k8s.yaml', 'three.k8s.yaml'],
    one: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\ndata:\n  tag: v2\n',
    state: ['.gitignore', 'owned'],
  };

  maybe('dist/ is a mount point (tmpfs): no EXDEV, nothing beside it', () => {
    const r = inNamespace(`mount -t tmpfs tmpfs "${parent}/dist"`, parent);
    expect(r).toEqual({ ...expected, parentWritable: true, beside: [] });
  });

  maybe('dist/ is writable, its parent read-only: no EACCES/EROFS', () => {
    const r = inNamespace(
      `mount --bind "${parent}" "${parent}"; mount -o remount,bind,ro "${parent}"; mount -t tmpfs tmpfs "${parent}/dist"`,
      parent,
    );
    expect(r).toEqual({ ...expected, parentWritable: false, beside: [] });
  });
});
