// The public data shapes of the release review: enums and read-only structs (jsii-compatible:
// no generics, no function-typed props, maps only as `{ [key: string]: T }`).

/** How much a change matters for a release, from worst to least. */
export enum ChangeSeverity {
  /** The API server refuses the update (1.27 update validation): the apply fails. */
  BREAKING = 'breaking',
  /** The apply succeeds but data is lost or orphaned: volumes, custom resources, namespaced objects. */
  DATA_LOSS = 'data-loss',
  /** Accepted and loses nothing, but widens access, exposure or privileges, or removes a safety net. */
  RISKY = 'risky',
  /** Everything else. */
  INFO = 'info',
}

/** What happened to an object between the two trees. */
export enum ChangeType {
  ADDED = 'added',
  REMOVED = 'removed',
  CHANGED = 'changed',
  /** A removed and an added object of the same kind and role (same pod template, claims, selector...). */
  RENAMED = 'renamed',
}

/** One field that differs, at a JSON path (`spec.template.spec.containers[name=web].image`). */
export interface FieldChange {
  /** The JSON path; list items with a unique `name` are addressed by it (`containers[name=web]`). */
  readonly path: string;
  /** The value before, as compact JSON; absent when the field was added. */
  readonly before?: string;
  /** The value after, as compact JSON; absent when the field was removed. */
  readonly after?: string;
}

/** A rule that fired on a change. */
export interface Finding {
  /** The rule id (see `ReleaseReview.rules()`), e.g. `statefulset-spec-immutable`. */
  readonly rule: string;
  readonly severity: ChangeSeverity;
  /** What happens, in one sentence. */
  readonly message: string;
  /** Where the behaviour comes from: the Kubernetes 1.27 function, or the mechanism that loses data. */
  readonly citation: string;
  /** The JSON paths the finding is about (may be empty for whole-object findings). */
  readonly paths: string[];
  /** True when an annotation on the after object or a `--ack` flag acknowledged it. */
  readonly acknowledged: boolean;
  /** The acknowledgement's reason (or where it came from). */
  readonly acknowledgement?: string;
}

/** One object that was added, removed, changed or renamed. */
export interface ObjectChange {
  readonly changeType: ChangeType;
  readonly apiVersion: string;
  readonly kind: string;
  /** Empty for cluster-scoped objects and for namespaced objects that leave it to the apply. */
  readonly namespace: string;
  readonly name: string;
  /** The file (chart) below the folder, e.g. `mysql.k8s.yaml`. */
  readonly file: string;
  /** For renames: the name before. */
  readonly previousName?: string;
  /** For renames: the namespace before. */
  readonly previousNamespace?: string;
  /** For renames and moved objects: the file before. */
  readonly previousFile?: string;
  /** The worst severity of the findings (INFO when none). */
  readonly severity: ChangeSeverity;
  /** Field-level changes (empty for added and removed objects). */
  readonly fieldChanges: FieldChange[];
  readonly findings: Finding[];
}

/** Counts of a review. */
export interface ReviewSummary {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly renamed: number;
  readonly unchanged: number;
  /** Findings per severity (acknowledged ones included). */
  readonly breaking: number;
  readonly dataLoss: number;
  readonly risky: number;
  /** Breaking and data-loss findings that no acknowledgement covers: the exit code is 1 when > 0. */
  readonly blocking: number;
}

/** The result of a diff. */
export interface ReviewReport {
  /** How the before side was read: a folder, or `git:<ref>:<path>`. */
  readonly before: string;
  readonly after: string;
  /** Changes, worst first, then by file, kind, namespace and name. */
  readonly changes: ObjectChange[];
  readonly summary: ReviewSummary;
  /** 0 when nothing breaking or data-losing is left unacknowledged, else 1. */
  readonly exitCode: number;
  /**
   * The changed part of the topology as a Mermaid flowchart (changed objects and their neighbours),
   * when `DiffOptions.graph` asked for it and there is something to draw.
   */
  readonly graph?: string;
}

/** Options of `ReleaseReview.diffFolders`. */
export interface DiffOptions {
  /**
   * Acknowledgements like the CLI's `--ack`: `<rule>[:<kind>/<name>]` or `<rule>[:<kind>/<namespace>/<name>]`,
   * optionally followed by `=<reason>`; `<rule>` is a rule id or a severity (`breaking`, `data-loss`, `risky`).
   * @default - none
   */
  readonly acknowledgements?: string[];
  /**
   * Also draw the changed part of the topology (`ReviewReport.graph`): parses every object of the changed files.
   * @default false
   */
  readonly graph?: boolean;
}

/** A row of the rule table. */
export interface RuleInfo {
  readonly id: string;
  readonly severity: ChangeSeverity;
  /** The kinds it applies to. */
  readonly kinds: string[];
  readonly description: string;
  readonly citation: string;
}
