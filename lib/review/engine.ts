// The diff itself: match the two trees by identity, diff fields, detect renames, run the rules, apply the
// acknowledgements, count. Documents with the same text on both sides are unchanged and never parsed.
import { Ack, ACK_ANNOTATION, ackCoversRule, ackTargets, parseAck, parseAnnotation } from './acknowledgements';
import { diffValues, formatPath, formatValue, RawChange } from './field-diff';
import { Entry, canonical, displayName, groupKind, objectKey, KubeObject } from './identity';
import * as fs from 'fs';
import * as path from 'path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'worker_threads';
import { parseDocument, ReviewInputError, SourceDoc, splitDocuments, Tree } from './load';
import { detectRenames } from './rename';
import { ALL_RULES, RULE_IDS, rulesFor } from './rules';
import { ChangeKind, RuleContext } from './rules/rule';
import { ChangeSeverity, ChangeType, Finding, ObjectChange, ReviewReport, RuleInfo } from './types';

export const SEVERITY_ORDER: ChangeSeverity[] = [
  ChangeSeverity.BREAKING,
  ChangeSeverity.DATA_LOSS,
  ChangeSeverity.RISKY,
  ChangeSeverity.INFO,
];

export const RENAMED_RULE: RuleInfo = {
  id: 'renamed',
  severity: ChangeSeverity.INFO,
  kinds: ['*'],
  description: 'an object is renamed: a removed and an added object of the same kind play the same role',
  citation:
    'kubectl apply --prune, Argo CD and Flux apply a new name as a create and prune the old object (a delete): nothing carries over but what the rules above name',
};

export const ALL_RULE_IDS = new Set([...RULE_IDS, RENAMED_RULE.id]);

/** Everything the report and the graph need about one change. */
export interface InternalChange {
  readonly type: ChangeKind;
  readonly before?: Entry;
  readonly after?: Entry;
  readonly raw: RawChange[];
  readonly findings: Finding[];
}

export interface DiffResult {
  readonly report: ReviewReport;
  readonly changes: InternalChange[];
  readonly beforeEntries: Map<string, Entry>;
  readonly afterEntries: Map<string, Entry>;
}

interface Side {
  /** Parsed objects by key (documents that differ from the other side, plus lazily parsed ones). */
  readonly entries: Map<string, Entry>;
  /** Documents with the same text on both sides (never parsed unless needed). */
  readonly unchanged: SourceDoc[];
}

/** Above this many documents to parse, the before side is parsed by a worker thread meanwhile. */
const PARALLEL_DOCS = 1500;
const WORKER = path.join(__dirname, 'parse-worker.js');

/**
 * Starts parsing `docs` on a worker thread; the returned function blocks until it is done and gives the
 * objects per document. Undefined when no compiled worker is at hand (running from the TypeScript sources).
 */
function parseInWorker(docs: SourceDoc[]): (() => KubeObject[][]) | undefined {
  if (!fs.existsSync(WORKER)) return undefined;
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER, { workerData: { docs, port: port2, flag }, transferList: [port2] });
  return () => {
    Atomics.wait(flag, 0, 0);
    const msg = receiveMessageOnPort(port1)?.message as
      { ok: boolean; objects?: KubeObject[][]; message?: string; input?: boolean } | undefined;
    port1.close();
    void worker.terminate();
    if (!msg) throw new Error('the YAML worker ended without an answer');
    if (!msg.ok) throw msg.input ? new ReviewInputError(msg.message!) : new Error(msg.message);
    return msg.objects!;
  };
}

function addEntries(side: Map<string, Entry>, doc: SourceDoc, label: string, parsed?: KubeObject[]): void {
  for (const obj of parsed ?? (parseDocument(doc) as KubeObject[])) {
    const key = objectKey(obj);
    if (side.has(key)) {
      const first = side.get(key)!;
      throw new ReviewInputError(
        `${label}: ${displayName(obj.kind, obj.metadata.namespace ?? '', obj.metadata.name)} is defined twice (${first.file} and ${doc.file})`,
      );
    }
    side.set(key, { key, file: doc.file, index: doc.index, obj });
  }
}

function readSides(before: Tree, after: Tree): { b: Side; a: Side } {
  const bDocs = before.files.flatMap(splitDocuments);
  const aDocs = after.files.flatMap(splitDocuments);
  const pool = new Map<string, number>();
  for (const d of bDocs) pool.set(d.text, (pool.get(d.text) ?? 0) + 1);
  const same = new Map<string, number>();
  const aDiff: SourceDoc[] = [];
  const aSame: SourceDoc[] = [];
  for (const d of aDocs) {
    const n = pool.get(d.text) ?? 0;
    if (n > 0) {
      pool.set(d.text, n - 1);
      same.set(d.text, (same.get(d.text) ?? 0) + 1);
      aSame.push(d);
    } else aDiff.push(d);
  }
  const bDiff: SourceDoc[] = [];
  const bSame: SourceDoc[] = [];
  for (const d of bDocs) {
    const n = same.get(d.text) ?? 0;
    if (n > 0) {
      same.set(d.text, n - 1);
      bSame.push(d);
    } else bDiff.push(d);
  }
  const b = new Map<string, Entry>();
  const a = new Map<string, Entry>();
  const pending = bDiff.length + aDiff.length > PARALLEL_DOCS && bDiff.length > 0 ? parseInWorker(bDiff) : undefined;
  for (const d of aDiff) addEntries(a, d, after.label);
  if (pending) {
    const objects = pending();
    bDiff.forEach((d, i) => addEntries(b, d, before.label, objects[i]));
  } else {
    for (const d of bDiff) addEntries(b, d, before.label);
  }
  return { b: { entries: b, unchanged: bSame }, a: { entries: a, unchanged: aSame } };
}

function worst(findings: Finding[]): ChangeSeverity {
  let best = SEVERITY_ORDER.length - 1;
  for (const f of findings) best = Math.min(best, SEVERITY_ORDER.indexOf(f.severity));
  return SEVERITY_ORDER[best];
}

const withoutIdentity = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, name: undefined, namespace: undefined } });

export function diffTrees(before: Tree, after: Tree, flagAcks: string[] = []): DiffResult {
  const acks: Ack[] = [];
  for (const spec of flagAcks) {
    const a = parseAck(spec, ALL_RULE_IDS);
    if (typeof a === 'string') throw new ReviewInputError(`--ack ${spec}: ${a}`);
    acks.push({ ...a, reason: a.reason || 'acknowledged with --ack' });
  }
  const { b, a } = readSides(before, after);

  // pair by identity
  const matched: [Entry, Entry][] = [];
  const removed: Entry[] = [];
  const added: Entry[] = [];
  for (const [key, e] of b.entries) {
    const other = a.entries.get(key);
    if (other) matched.push([e, other]);
    else removed.push(e);
  }
  for (const [key, e] of a.entries) if (!b.entries.has(key)) added.push(e);
  // a document unchanged on one side cannot have a parsed twin on the other (same text on both sides)
  const renames = detectRenames(removed, added);
  const renamedBefore = new Set(renames.map((r) => r.before));
  const renamedAfter = new Set(renames.map((r) => r.after));

  let nsIndex: Map<string, string[]> | undefined;
  const objectsInNamespace = (ns: string) => {
    if (!nsIndex) {
      nsIndex = new Map();
      const all = new Map(b.entries);
      for (const d of b.unchanged) addEntries(all, d, before.label);
      for (const e of all.values()) {
        const n = e.obj.metadata.namespace;
        if (!n) continue;
        const list = nsIndex.get(n);
        const id = `${e.obj.kind}/${e.obj.metadata.name}`;
        if (list) list.push(id);
        else nsIndex.set(n, [id]);
      }
    }
    return (nsIndex.get(ns) ?? []).sort();
  };

  const changes: InternalChange[] = [];
  const run = (type: ChangeKind, be: Entry | undefined, ae: Entry | undefined, raw: RawChange[]) => {
    const obj = (ae ?? be)!.obj;
    const gk = groupKind(obj);
    const ctx: RuleContext = { type, groupKind: gk, before: be?.obj, after: ae?.obj, changes: raw, objectsInNamespace };
    const findings: Finding[] = [];
    for (const r of rulesFor(gk)) {
      for (const hit of r.check(ctx)) {
        findings.push({
          rule: r.id,
          severity: r.severity,
          message: hit.message,
          citation: r.citation,
          paths: hit.paths ?? [],
          acknowledged: false,
        });
      }
    }
    if (type === 'renamed') {
      const from = displayName(be!.obj.kind, be!.obj.metadata.namespace ?? '', be!.obj.metadata.name);
      findings.push({
        rule: RENAMED_RULE.id,
        severity: ChangeSeverity.INFO,
        citation: RENAMED_RULE.citation,
        paths: [],
        acknowledged: false,
        message: `renamed from ${from}: applied as a create of the new object and a delete (prune) of the old one${renameCost(gk)}`,
      });
    }
    changes.push({ type, before: be, after: ae, raw, findings });
  };

  let unchanged = b.unchanged.length;
  for (const [be, ae] of matched) {
    if (canonical(be.obj) === canonical(ae.obj)) {
      unchanged++;
      continue;
    }
    run('changed', be, ae, diffValues(be.obj, ae.obj));
  }
  for (const r of renames) run('renamed', r.before, r.after, diffValues(withoutIdentity(r.before.obj), withoutIdentity(r.after.obj)));
  for (const e of removed) if (!renamedBefore.has(e)) run('removed', e, undefined, []);
  for (const e of added) if (!renamedAfter.has(e)) run('added', undefined, e, []);

  // acknowledgements from the after tree: targeted entries from any object (unchanged ones that carry the annotation too)
  const targeted: Ack[] = [...acks];
  const annotated = new Map<Entry, Ack[]>();
  const extra = new Map<string, Entry>();
  for (const d of a.unchanged) if (d.text.includes(ACK_ANNOTATION)) addEntries(extra, d, after.label);
  for (const e of [...a.entries.values(), ...extra.values()]) {
    const list = parseAnnotation(e.obj.metadata.annotations?.[ACK_ANNOTATION], ALL_RULE_IDS);
    if (list.length === 0) continue;
    annotated.set(
      e,
      list.filter((x) => x.kind === undefined),
    );
    targeted.push(...list.filter((x) => x.kind !== undefined));
  }
  for (const c of changes) {
    const ids = [c.after, c.before]
      .filter((e): e is Entry => e !== undefined)
      .map((e) => [e.obj.kind, e.obj.metadata.namespace ?? '', e.obj.metadata.name] as const);
    const own = c.after ? (annotated.get(c.after) ?? []) : [];
    for (let i = 0; i < c.findings.length; i++) {
      const f = c.findings[i];
      if (f.severity === ChangeSeverity.INFO) continue;
      const hit =
        own.find((x) => ackCoversRule(x, f.rule, f.severity)) ??
        targeted.find((x) => ackCoversRule(x, f.rule, f.severity) && ids.some(([k, ns, n]) => ackTargets(x, k, ns, n)));
      if (hit) c.findings[i] = { ...f, acknowledged: true, acknowledgement: hit.reason || 'acknowledged' };
    }
  }

  const objectChanges = changes.map(toObjectChange);
  const order = (x: ObjectChange) => [SEVERITY_ORDER.indexOf(x.severity), x.file, x.kind, x.namespace, x.name].join('\u0000');
  const idx = objectChanges.map((oc, i) => ({ oc, key: order(oc), i }));
  idx.sort(
    (x, y) => SEVERITY_ORDER.indexOf(x.oc.severity) - SEVERITY_ORDER.indexOf(y.oc.severity) || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0),
  );
  const sorted = idx.map((x) => x.oc);
  const sortedInternal = idx.map((x) => changes[x.i]);

  const all = sorted.flatMap((c) => c.findings);
  const count = (s: ChangeSeverity) => all.filter((f) => f.severity === s).length;
  const blocking = all.filter(
    (f) => !f.acknowledged && (f.severity === ChangeSeverity.BREAKING || f.severity === ChangeSeverity.DATA_LOSS),
  ).length;
  const byType = (t: ChangeType) => sorted.filter((c) => c.changeType === t).length;
  const report: ReviewReport = {
    before: before.label,
    after: after.label,
    changes: sorted,
    summary: {
      added: byType(ChangeType.ADDED),
      removed: byType(ChangeType.REMOVED),
      changed: byType(ChangeType.CHANGED),
      renamed: byType(ChangeType.RENAMED),
      unchanged,
      breaking: count(ChangeSeverity.BREAKING),
      dataLoss: count(ChangeSeverity.DATA_LOSS),
      risky: count(ChangeSeverity.RISKY),
      blocking,
    },
    exitCode: blocking > 0 ? 1 : 0,
  };
  return { report, changes: sortedInternal, beforeEntries: b.entries, afterEntries: a.entries };
}

function renameCost(gk: string): string {
  switch (gk) {
    case 'Service':
      return '; clients that use the old DNS name lose it';
    case 'apps/Deployment':
    case 'apps/DaemonSet':
    case 'apps/ReplicaSet':
    case 'apps/StatefulSet':
      return '; every pod is replaced and the rollout history starts over';
    case 'policy/PodDisruptionBudget':
      return '';
    case 'ServiceAccount':
      return '; pods that name the old account fail to start until they follow, and its tokens are revoked';
    case 'ConfigMap':
    case 'Secret':
      return '; pods that reference the old name keep failing to (re)start until they follow';
    default:
      return '';
  }
}

const TYPES: Record<ChangeKind, ChangeType> = {
  added: ChangeType.ADDED,
  removed: ChangeType.REMOVED,
  changed: ChangeType.CHANGED,
  renamed: ChangeType.RENAMED,
};

function toObjectChange(c: InternalChange): ObjectChange {
  const e = (c.after ?? c.before)!;
  const o = e.obj;
  const prev = c.before?.obj;
  const renamed = c.type === 'renamed';
  return {
    changeType: TYPES[c.type],
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.metadata.namespace ?? '',
    name: o.metadata.name,
    file: e.file,
    previousName: renamed ? prev!.metadata.name : undefined,
    previousNamespace: renamed ? (prev!.metadata.namespace ?? '') : undefined,
    previousFile: c.before && c.after && c.before.file !== c.after.file ? c.before.file : undefined,
    severity: worst(c.findings),
    fieldChanges: c.raw.map((r) => ({ path: formatPath(r.segs), before: formatValue(r.before), after: formatValue(r.after) })),
    findings: c.findings,
  };
}

export function ruleTable(): RuleInfo[] {
  return [
    ...ALL_RULES.map(({ id, severity, kinds, description, citation }) => ({ id, severity, kinds, description, citation })),
    RENAMED_RULE,
  ];
}
