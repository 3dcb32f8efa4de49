import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Problem, problemAt, recordObjectRef, throwIfAny } from '../core/errors';
import { Manifest } from '../core/manifest';
import { nonEmpty } from '../core/plain';
import { checkLabels, checkObjectName, defaultName } from '../core/names';
import { installPipeline } from '../synth/pipeline';
import { prometheusDuration } from './duration';
import { addDefaultMonitorLabels, MONITORING_API_VERSION } from './monitor';
import { LABEL_NAME } from './relabeling';
import { useMonitoringSchemas } from './schemas';

/** An alerting rule: fires while `expr` returns series, after `for`. */
export interface AlertingRule {
  /** Alert name (e.g. `HighErrorRate`). */
  readonly alert: string;
  /** PromQL expression; every series it returns is a firing alert. */
  readonly expr: string;
  /** How long `expr` must hold before the alert fires (pending until then). @default - fires at the first evaluation that returns series */
  readonly for?: Duration;
  /** Labels added to the alert (`severity`...), used by Alertmanager routing. @default - none */
  readonly labels?: { [key: string]: string };
  /** Annotations of the alert (`summary`, `description`, `runbook_url`...). @default - none */
  readonly annotations?: { [key: string]: string };
}

/** A recording rule: stores the result of `expr` as the series `record`. */
export interface RecordingRule {
  /** Name of the recorded series: a Prometheus metric name (`job:http_requests:rate5m`). */
  readonly record: string;
  /** PromQL expression. */
  readonly expr: string;
  /** Labels added to the recorded series. @default - none */
  readonly labels?: { [key: string]: string };
}

/** A group of rules, evaluated together in order at one interval. */
export interface RuleGroup {
  /** Group name, unique in the PrometheusRule. */
  readonly name: string;
  /** How often the group is evaluated. @default - the Prometheus' evaluation interval */
  readonly interval?: Duration;
  /** Recording rules; written before the alerts, so an alert can use a series recorded in the same evaluation. @default - none */
  readonly records?: RecordingRule[];
  /** Alerting rules. @default - none */
  readonly alerts?: AlertingRule[];
}

/** Props of a `PrometheusRule`. */
export interface PrometheusRuleProps {
  /** Object name. @default - from the construct path (see README, "How names are derived") */
  readonly name?: string;
  /** The rule groups; at least one, each with at least one rule. */
  readonly groups: RuleGroup[];
  /**
   * Labels of the object; Prometheus picks up rules through its `ruleSelector`. Added to the
   * `PatternDefaults` `monitorLabels`, which they override.
   * @default - the `PatternDefaults` `monitorLabels`
   */
  readonly labels?: { [key: string]: string };
  /** Annotations of the object. @default - none */
  readonly annotations?: { [key: string]: string };
}

/** A Prometheus metric name (`model.IsValidMetricName`, legacy validation). */
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * A PrometheusRule (monitoring.coreos.com/v1): alerting and recording rules the prometheus-operator loads
 * into the Prometheus that selects it. Checked at construction as Prometheus checks a rule file
 * (`RuleNode.Validate` and `RuleGroups.Validate` of prometheus/prometheus model/rulefmt/rulefmt.go: a
 * non-empty expression, recorded names that are metric names, label and annotation names that are label
 * names, unique group names), plus: no empty group. Durations are written as Prometheus durations.
 *
 * @example
 * new PrometheusRule(chart, 'api-alerts', {
 *   groups: [{
 *     name: 'api',
 *     alerts: [{ alert: 'ApiDown', expr: 'up{job="api"} == 0', for: Duration.minutes(5), labels: { severity: 'critical' } }],
 *   }],
 * });
 */
export class PrometheusRule extends Construct {
  /** The object's name. */
  public readonly name: string;
  /** The PrometheusRule object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: PrometheusRuleProps) {
    super(scope, id);
    this.name = checkObjectName(this, 'name', props.name ?? defaultName(this), 'monitoring.coreos.com', 'PrometheusRule');
    recordObjectRef(this, 'PrometheusRule', this.name);
    const labels = props.labels && checkLabels(this, 'labels', props.labels);
    throwIfAny(this.checkGroups(props.groups));
    const groups = props.groups.map((g, i) => this.renderGroup(g, `groups[${i}]`));
    useMonitoringSchemas(this);
    installPipeline(this);
    this.apiObject = new Manifest(this, 'Resource', {
      apiVersion: MONITORING_API_VERSION,
      kind: 'PrometheusRule',
      metadata: { name: this.name, labels, annotations: props.annotations },
      render: () => {
        addDefaultMonitorLabels(this.apiObject, labels);
        return { spec: { groups } };
      },
    });
  }

  private checkGroups(groups: RuleGroup[] | undefined): Problem[] {
    const out: Problem[] = [];
    const at = (field: string, rule: string, hint?: string) => out.push(problemAt(this, { field, rule, hint }));
    if (!groups || groups.length === 0) {
      at('groups', 'needs at least one rule group');
      return out;
    }
    const names = new Set<string>();
    groups.forEach((g, i) => {
      const f = `groups[${i}]`;
      if (!g.name) at(`${f}.name`, 'must not be empty');
      else if (names.has(g.name))
        at(`${f}.name`, `duplicate group name "${g.name}"`, 'Prometheus refuses a rule file that repeats a group name');
      names.add(g.name);
      if ((g.records ?? []).length + (g.alerts ?? []).length === 0) {
        at(f, `group "${g.name}" has no rules`, 'add alerts or records, or remove the group');
      }
      (g.records ?? []).forEach((r, j) => {
        const rf = `${f}.records[${j}]`;
        if (!METRIC_NAME.test(r.record ?? ''))
          at(
            `${rf}.record`,
            `"${r.record}" is not a Prometheus metric name`,
            'letters, digits, _ and :, not starting with a digit (e.g. job:http_requests:rate5m)',
          );
        checkRule(at, rf, r.expr, r.labels);
      });
      (g.alerts ?? []).forEach((a, j) => {
        const af = `${f}.alerts[${j}]`;
        if (typeof a.alert !== 'string' || a.alert.trim() === '') at(`${af}.alert`, 'must not be empty');
        checkRule(at, af, a.expr, a.labels);
        for (const k of Object.keys(a.annotations ?? {})) {
          if (!LABEL_NAME.test(k))
            at(`${af}.annotations`, `"${k}" is not a valid annotation name`, 'letters, digits and _, not starting with a digit');
        }
      });
    });
    return out;
  }

  private renderGroup(g: RuleGroup, field: string): Record<string, unknown> {
    return {
      name: g.name,
      interval: g.interval && prometheusDuration(this, `${field}.interval`, g.interval),
      rules: [
        ...(g.records ?? []).map((r) => ({ record: r.record, expr: r.expr, labels: nonEmpty(r.labels) })),
        ...(g.alerts ?? []).map((a, j) => ({
          alert: a.alert,
          expr: a.expr,
          for: a.for && prometheusDuration(this, `${field}.alerts[${j}].for`, a.for, true),
          labels: nonEmpty(a.labels),
          annotations: nonEmpty(a.annotations),
        })),
      ],
    };
  }
}

function checkRule(
  at: (field: string, rule: string, hint?: string) => void,
  field: string,
  expr: string,
  labels: { [key: string]: string } | undefined,
): void {
  if (typeof expr !== 'string' || expr.trim() === '') at(`${field}.expr`, 'must not be empty', 'a PromQL expression');
  for (const k of Object.keys(labels ?? {})) {
    if (!LABEL_NAME.test(k) || k === '__name__')
      at(`${field}.labels`, `"${k}" is not a valid rule label name`, 'letters, digits and _, not starting with a digit, and not __name__');
  }
}
