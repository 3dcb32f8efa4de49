import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { PatternError } from '../core/errors';
import { STATE_DIR } from './files';
import { acquireLock } from './lock';
import { recoverLocked } from './recovery';
import { fsError } from './transaction';

/** What `OutputFolder.recover` found and did. */
export interface RecoveryReport {
  /** The output folder, resolved. */
  readonly outdir: string;
  /** Ids of interrupted synths whose commit was completed (they had passed their commit point). */
  readonly rolledForward: string[];
  /** Ids of interrupted synths that were undone (they had not reached their commit point, or were rolling back). */
  readonly rolledBack: string[];
  /** Leftovers removed (folders of finished synths, temporary files, broken locks). */
  readonly cleaned: string[];
}

/** Options of `OutputFolder.recover`. */
export interface RecoverOptions {
  /** How long to wait for a synth that is writing the folder right now. @default Duration.seconds(60) */
  readonly lockTimeout?: Duration;
}

/**
 * The output folder of a `PatternsApp` as a transactional store of manifests. Its hidden
 * `.cdk8s-patterns/` sub-folder holds the lock, the record of the files the library owns, and the
 * journal and staged files of a synth while it runs.
 */
export class OutputFolder {
  /** Name of the hidden state folder inside every output folder. */
  public static readonly STATE_FOLDER: string = STATE_DIR;

  /**
   * Completes or rolls back a synth of `outdir` that died while writing (SIGKILL, power cut, full
   * disk), and removes what it left. Every synth does this first on its own; call it (or run
   * `npx cdk8s-patterns-recover <outdir>`) to repair a folder without synthesizing, e.g. before a
   * `kubectl apply -R -f <outdir>`. Waits for a synth that is running.
   */
  public static recover(outdir: string, options: RecoverOptions = {}): RecoveryReport {
    const root = path.resolve(outdir);
    const stateDir = path.join(root, STATE_DIR);
    const none: RecoveryReport = { outdir: root, rolledForward: [], rolledBack: [], cleaned: [] };
    if (!fs.existsSync(stateDir)) return none;
    const where = '<OutputFolder.recover>';
    const timeout = options.lockTimeout?.toMilliseconds() ?? 60_000;
    try {
      const lock = acquireLock(stateDir, `recover-${process.pid}`, timeout, where);
      try {
        return { outdir: root, ...recoverLocked(root, stateDir) };
      } finally {
        lock.release();
      }
    } catch (e) {
      if (e instanceof PatternError) throw e;
      throw fsError(where, root, e, 'recovering the output folder failed');
    }
  }

  private constructor() {}
}
