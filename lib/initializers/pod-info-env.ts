import { EnvFieldPaths, EnvValue } from 'cdk8s-plus-27';
import { envVarNameViolation } from '../core/env-names';
import { ProblemDetails } from '../core/errors';
import { PodInitializer, PodInitializerOptions } from './pod-initializer';
import { PodMutation } from './pod-mutation';

/** The variables `PodInfoEnvInitializer` sets by default (POD_NAME, POD_NAMESPACE and POD_IP). */
export const POD_INFO_ENV: Record<string, EnvFieldPaths> = {
  POD_NAME: EnvFieldPaths.POD_NAME,
  POD_NAMESPACE: EnvFieldPaths.POD_NAMESPACE,
  POD_IP: EnvFieldPaths.POD_IP,
};

/** Props of a `PodInfoEnvInitializer`. */
export interface PodInfoEnvInitializerProps extends PodInitializerOptions {
  /** @default 'pod-info-env.initializers.cdk8s-patterns.io' */
  readonly name?: string;
  /** Variable name → pod field, filled by the downward API. @default POD_INFO_ENV */
  readonly variables?: { [key: string]: EnvFieldPaths };
  /** Set them in init containers too (a run-once init container reads them). @default true */
  readonly initContainers?: boolean;
}

/** Gives every container the pod's identity as environment variables through the downward API. */
export class PodInfoEnvInitializer extends PodInitializer {
  /** The variables set by default: name → pod field. */
  public static readonly DEFAULT_VARIABLES: { [key: string]: EnvFieldPaths } = { ...POD_INFO_ENV };

  private readonly variables: Record<string, EnvFieldPaths>;
  private readonly initContainers: boolean;

  constructor(props: PodInfoEnvInitializerProps = {}) {
    super({ ...props, name: props.name ?? 'pod-info-env.initializers.cdk8s-patterns.io' });
    this.variables = { ...(props.variables ?? POD_INFO_ENV) };
    this.initContainers = props.initContainers ?? true;
  }

  public check(field: string): ProblemDetails[] {
    const out = super.check(field);
    for (const name of Object.keys(this.variables)) {
      const why = envVarNameViolation(name);
      if (why) out.push({ field: `${field}.variables.${name}`, rule: why });
    }
    return out;
  }

  public initialize(pod: PodMutation): void {
    for (const [name, field] of Object.entries(this.variables)) {
      pod.addEnv(name, EnvValue.fromFieldRef(field), { initContainers: this.initContainers });
    }
  }
}
