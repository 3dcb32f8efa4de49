import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, recordObjectRef } from '../core/errors';
import { checkLabels, checkObjectName, defaultName } from '../core/names';
import { Workload } from './workload';
import { addDisruptionBudget, DisruptionBudget } from './disruption-budget';

/** Props of a `BareDisruptionBudget`. */
export interface BareDisruptionBudgetProps {
  /** How many pods voluntary disruptions may take down. */
  readonly budget: DisruptionBudget;
  /** The pods it covers, by label. Give this or `workload`. @default - the `workload`'s selector labels */
  readonly selector?: { [key: string]: string };
  /** The workload whose pods it covers (ours: its `selectorLabels`). @default - `selector` */
  readonly workload?: Workload;
  /** Replica count the budget is resolved (`quorum`) and checked against. @default - unknown: quorum resolves against 1, only count-independent checks run */
  readonly replicas?: number;
  /** Name of the PodDisruptionBudget. @default - from the construct path */
  readonly name?: string;
  /** Labels of the PodDisruptionBudget. @default - none (the chart's) */
  readonly labels?: { [key: string]: string };
  /** Annotations of the PodDisruptionBudget. @default - none */
  readonly annotations?: { [key: string]: string };
}

/**
 * A standalone policy/v1 PodDisruptionBudget: for pods of cdk8s-plus or raw workloads, pods deployed
 * outside the app, or a second budget over a workload. The same checks as a workload's `budget` (a
 * budget that allows no disruption is an error when the replica count is known).
 */
export class BareDisruptionBudget extends Construct {
  /** The name of the PodDisruptionBudget. */
  public readonly name: string;
  /** The labels of the pods it covers. */
  public readonly selectorLabels: { [key: string]: string };
  /** The PodDisruptionBudget. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: BareDisruptionBudgetProps) {
    super(scope, id);
    this.name = checkObjectName(this, 'name', props.name ?? defaultName(this), 'policy', 'PodDisruptionBudget');
    recordObjectRef(this, 'PodDisruptionBudget', this.name);
    if (props.selector && props.workload) fail(this, 'selector', 'give either selector or workload, not both');
    const selector = props.selector ?? props.workload?.selectorLabels;
    if (!selector || Object.keys(selector).length === 0) {
      fail(this, 'selector', 'a budget needs the labels of the pods it covers', 'selector: { ... }, or workload: a workload construct');
    }
    this.selectorLabels = { ...checkLabels(this, 'selector', selector) };
    if (props.labels) checkLabels(this, 'labels', props.labels);
    this.apiObject = addDisruptionBudget(this, 'Resource', {
      name: this.name,
      selector: this.selectorLabels,
      budget: props.budget,
      replicas: () => props.replicas,
      labels: props.labels,
      annotations: props.annotations,
    });
  }
}
