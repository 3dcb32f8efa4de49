import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { addKnownKindSchemas, KnownKindSchema } from '../validation/schema/known-kinds';

/**
 * The schemas of ServiceMonitor, PodMonitor and PrometheusRule (monitoring.coreos.com/v1), trimmed from
 * prometheus-operator's CRDs by `scripts/trim-monitoring-crds.js` (the file beside this module names the
 * release). Read once, on the first monitoring construct.
 */
let loaded: KnownKindSchema[] | undefined;

function schemas(): KnownKindSchema[] {
  if (!loaded) {
    const file = JSON.parse(fs.readFileSync(path.join(__dirname, 'prometheus-operator-schemas.json'), 'utf8'));
    loaded = Object.entries(file.kinds as Record<string, Record<string, unknown>>).map(([key, schema]) => {
      const cut = key.lastIndexOf('/');
      return { apiVersion: key.slice(0, cut), kind: key.slice(cut + 1), schema, source: file.source as string };
    });
  }
  return loaded;
}

/**
 * Makes validation check every ServiceMonitor, PodMonitor and PrometheusRule of the App of `scope`
 * (typed or hand-written) against prometheus-operator's schema, with no unknown-kind warning. A
 * CustomResourceDefinition of these kinds in the app wins over the bundled schema.
 */
export function useMonitoringSchemas(scope: IConstruct): void {
  addKnownKindSchemas(scope, schemas());
}
