/**
 * Mutation test (issue 11): every object the examples synthesize and every document of the corpus of
 * real-world manifests (test/fixtures/k8s-docs, reproductions of the Kubernetes documentation's
 * examples) is accepted; every mutant of each (one fault the API server rejects) is rejected.
 * `SHOW_MUTATION=1 npx jest test/validation/mutation` prints the counts (README, "Validation at synth").
 */
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Validation, ValidationRule } from '../../lib';
import type { RenderedObject } from '../../lib/core/registry';
import { renderApp } from '../../lib/synth/pipeline';
import { validateObjects } from '../../lib/validation/validation';
import { buildApps } from '../../apps/main';
import { mutantsOf } from './mutants';

/** Rules that are this library's policy, not the API server's: off for the corpus (the docs' examples do not follow them). */
const POLICY_RULES = [
  ValidationRule.SERVICE_SELECTOR,
  ValidationRule.STS_SERVICE,
  ValidationRule.CONFIG_REFS,
  ValidationRule.SERVICE_ACCOUNT,
  ValidationRule.BINDING_REFS,
  ValidationRule.PDB_SELECTOR,
  ValidationRule.POD_SECURITY,
  ValidationRule.RESOURCES,
  ValidationRule.IMAGE_TAG,
  ValidationRule.TOKEN_AUTOMOUNT,
];

/** The rule that must reject each kind of mutant (the rest are api-server's). */
const EXPECTED_RULE: Record<string, string> = {
  'int32-overflow': 'schema',
  'out-of-enum': 'schema',
  'wrong-type': 'schema',
  'unknown-field': 'schema',
  'missing-required': 'schema',
  'bad-quantity': 'schema',
  'restart-policy': 'schema',
  'kind-typo': 'unknown-kind',
  'removed-api': 'removed-api',
  name: 'name',
  labels: 'labels',
};

const CORPUS = path.join(__dirname, '..', 'fixtures', 'k8s-docs');

function corpusApp(): { app: App; objects: RenderedObject[] } {
  const app = Testing.app();
  Validation.enable(app);
  for (const rule of POLICY_RULES) Validation.suppress(app, rule, 'the corpus shows what the API server accepts, not this library policy');
  const objects: RenderedObject[] = [];
  for (const file of fs
    .readdirSync(CORPUS)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const chart = new Chart(app, file.replace(/\.yaml$/, ''));
    parseAllDocuments(fs.readFileSync(path.join(CORPUS, file), 'utf8'), { version: '1.1', uniqueKeys: true }).forEach((doc, i) => {
      const json = doc.toJSON();
      objects.push({ obj: new ApiObject(chart, `doc${i}`, json), json });
    });
  }
  return { app, objects };
}

function examplesApp(): { app: App; objects: RenderedObject[] } {
  const [app] = buildApps(path.join(os.tmpdir(), 'cdk8s-patterns-mutation-unused'));
  return { app, objects: renderApp(app).flatMap((c) => c.objects) };
}

interface Counts {
  originals: number;
  falseRejections: string[];
  mutants: number;
  /** Mutants not rejected by the rule meant to catch them. */
  missed: string[];
  byCategory: Record<string, { mutants: number; killed: number }>;
  /** Problems reported without a hint (rule id and message), for the report. */
  withoutHint: Set<string>;
}

/** Validates every original in its app, then each mutant in place of its original (the other objects as context). */
function run({ app, objects }: { app: App; objects: RenderedObject[] }): Counts {
  const counts: Counts = { originals: objects.length, falseRejections: [], mutants: 0, missed: [], byCategory: {}, withoutHint: new Set() };
  const refOf = (json: any) => `${json?.kind}/${json?.metadata?.name}`;
  for (const p of validateObjects(app, objects)) counts.falseRejections.push(`${p.object} ${p.field}: ${p.rule}`);
  objects.forEach((original, i) => {
    for (const m of mutantsOf(original.json)) {
      counts.mutants++;
      const c = (counts.byCategory[m.category] ??= { mutants: 0, killed: 0 });
      c.mutants++;
      const context = objects.slice();
      context[i] = { obj: original.obj, json: m.json };
      const problems = validateObjects(app, context);
      for (const p of problems) if (!p.hint) counts.withoutHint.add(`${p.ruleId}: ${p.rule}`);
      const expected = EXPECTED_RULE[m.category] ?? 'api-server';
      if (problems.some((p) => p.ruleId === expected)) c.killed++;
      else
        counts.missed.push(
          `${refOf(original.json)} ${m.category} at ${m.where}: ${problems.length ? `rejected by ${problems.map((p) => p.ruleId).join(', ')}, not ${expected}` : 'accepted'}`,
        );
    }
  });
  return counts;
}

function report(name: string, c: Counts): void {
  if (!process.env.SHOW_MUTATION) return;
  const lines = Object.entries(c.byCategory)
    .sort()
    .map(([k, v]) => `  ${k}: ${v.killed}/${v.mutants}`);
  process.stdout.write(
    `${[...c.withoutHint].map((h) => `  no hint: ${h}`).join('\n')}\n${name}: ${c.originals} originals, ${c.falseRejections.length} rejected; ${c.mutants} mutants, ${c.mutants - c.missed.length} rejected, ${c.missed.length} missed\n${lines.join('\n')}\n`,
  );
}

test('corpus of real-world manifests: every original accepted, every mutant rejected', () => {
  const counts = run(corpusApp());
  report('corpus', counts);
  expect(counts.originals).toBeGreaterThanOrEqual(40);
  expect(counts.falseRejections).toEqual([]);
  expect(counts.missed).toEqual([]);
  expect([...counts.withoutHint]).toEqual([]);
});

test('objects the examples synthesize: every original accepted, every mutant rejected', () => {
  const counts = run(examplesApp());
  report('examples', counts);
  expect(counts.falseRejections).toEqual([]);
  expect(counts.missed).toEqual([]);
  expect([...counts.withoutHint]).toEqual([]);
});
