import { CommandProbeOptions, HttpGetProbeOptions, Probe, TcpSocketProbeOptions } from 'cdk8s-plus-27';
import { failOutsideConstruct } from '../core/errors';
import { plusClassOf, plusObjectProblem } from './plus-version';

/** What a probe renders through: cdk8s-plus's `_toKube(container)` shape, shared by every major. */
interface PlusProbeShape {
  _toKube(container: { portNumber?: number }): unknown;
}

/**
 * A container probe that does not tie the caller to a cdk8s-plus major. Container props take a
 * cdk8s-plus-27 `Probe` or a `ContainerProbe`; the TypeScript classes of two cdk8s-plus majors are
 * distinct types, so an app on another major (cdk8s-plus-33 from today's `cdk8s init`) builds its
 * probes here, or wraps its own with `ContainerProbe.fromPlus`.
 *
 * The options are cdk8s-plus's: `initialDelaySeconds`, `periodSeconds`, `timeoutSeconds` (`Duration`s),
 * `failureThreshold`, `successThreshold`; unset, Kubernetes' defaults apply (no delay, every 10 s, a 1 s
 * timeout, 3 failures, 1 success). A container behind a Service without a readiness probe is reported
 * by the `readiness` validation rule (a warning).
 *
 * @example
 * readiness: ContainerProbe.httpGet('/ready', { periodSeconds: Duration.seconds(5) }),
 * liveness: ContainerProbe.tcpSocket({ initialDelaySeconds: Duration.seconds(15) }),
 */
export class ContainerProbe {
  /**
   * An HTTP GET on `path`: a status from 200 to 399 passes. Port: `options.port`, else the container's
   * first declared port; `options.scheme` HTTPS for a TLS endpoint (the certificate is not verified).
   */
  public static httpGet(path: string, options?: HttpGetProbeOptions): ContainerProbe {
    return new ContainerProbe(Probe.fromHttpGet(path, options));
  }

  /** A TCP connection that opens passes (port: `options.port`, else the container's first declared port). */
  public static tcpSocket(options?: TcpSocketProbeOptions): ContainerProbe {
    return new ContainerProbe(Probe.fromTcpSocket(options));
  }

  /** A command run in the container (not through a shell: `['sh', '-c', '...']` for one); exit code 0 passes. */
  public static command(command: string[], options?: CommandProbeOptions): ContainerProbe {
    return new ContainerProbe(Probe.fromCommand(command, options));
  }

  /**
   * A cdk8s-plus `Probe` of any major that renders like cdk8s-plus-27's (cdk8s-plus-28 to -33 do).
   * Typed `any` because each major's `Probe` is its own type; anything else is an error naming the
   * supported major.
   */
  public static fromPlus(probe: any): ContainerProbe {
    const why =
      plusClassOf(probe) === undefined
        ? {
            field: 'probe',
            rule: 'is not a cdk8s-plus Probe',
            hint: 'pass a cdk8s-plus Probe, or use ContainerProbe.httpGet/tcpSocket/command',
          }
        : plusObjectProblem(probe, 'probe', 'Probe');
    if (why) failOutsideConstruct('ContainerProbe.fromPlus', why.field, why.rule, why.hint);
    return new ContainerProbe(probe as PlusProbeShape);
  }

  private constructor(private readonly probe: PlusProbeShape) {}

  /** @internal the Kubernetes probe for a container whose first port is `container.portNumber` */
  public _toKube(container: { portNumber?: number }): unknown {
    return this.probe._toKube(container);
  }
}
