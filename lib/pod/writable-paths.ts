import { ProblemDetails } from '../core/errors';

/** Paths every container may write by default (`PatternDefaults.writablePaths`). */
export const DEFAULT_WRITABLE_PATHS: readonly string[] = ['/tmp'];

/** Name of the opt-out annotation (`opt-out.cdk8s-patterns.io/read-only-root-filesystem`). */
export const READ_ONLY_ROOT_OPT_OUT = 'read-only-root-filesystem';

/**
 * Problems of a list of writable paths: absolute, no `..` segment, not `/` itself, no duplicates.
 * `field` names the list (`containers[0].writablePaths`, `writablePaths` of `PatternDefaults`).
 */
export function checkWritablePaths(paths: readonly string[] | undefined, field: string): ProblemDetails[] {
  const out: ProblemDetails[] = [];
  const seen = new Set<string>();
  (paths ?? []).forEach((p, i) => {
    const at = (rule: string, hint?: string) => out.push({ field: `${field}[${i}]`, rule, hint });
    const norm = typeof p === 'string' ? normalizePath(p) : '';
    if (typeof p !== 'string' || !p.startsWith('/')) at(`"${p}" is not an absolute path`, 'e.g. "/var/cache/nginx"');
    else if (p.split('/').includes('..')) at(`"${p}" has a ".." segment`, 'name the directory itself');
    else if (norm === '/')
      at('"/" would make the whole root filesystem writable', "opt out instead: readOnlyRootFilesystem: OptOut.because('why')");
    else if (seen.has(norm)) at(`"${p}" is listed twice`);
    seen.add(norm);
  });
  return out;
}

/** `/var/run/` and `/var//run/.` as `/var/run`. */
export function normalizePath(path: string): string {
  const parts = path.split('/').filter((s) => s !== '' && s !== '.');
  return `/${parts.join('/')}`;
}
