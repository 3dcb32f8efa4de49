import { Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Container, ContainerResources, Cpu, HorizontalPodAutoscaler } from 'cdk8s-plus-27';
import { parseMilli } from '../pod/effective-resources';

/**
 * cdk8s-plus containers that carry the name, image, requests and limits of a rendered pod spec's
 * containers: what a cdk8s-plus `HorizontalPodAutoscaler` reads from its target (`IScalable`) to check
 * that CPU or memory constraints exist. They are not rendered anywhere.
 */
export function plusContainersOf(podSpec: { containers: any[] }): Container[] {
  return podSpec.containers.map((c) => new Container({ name: c.name, image: c.image, resources: plusResourcesOf(c.resources ?? {}) }));
}

function plusResourcesOf(r: { requests?: Record<string, string>; limits?: Record<string, string> }): ContainerResources {
  const cpu = (q?: string) => (q === undefined ? undefined : Cpu.millis(Number(parseMilli(q))));
  const memory = (q?: string) => (q === undefined ? undefined : Size.kibibytes(Number(parseMilli(q)) / 1000 / 1024));
  const res: { cpu?: object; memory?: object } = {};
  if (r.requests?.cpu !== undefined || r.limits?.cpu !== undefined) {
    res.cpu = { request: cpu(r.requests?.cpu), limit: cpu(r.limits?.cpu) };
  }
  if (r.requests?.memory !== undefined || r.limits?.memory !== undefined) {
    res.memory = { request: memory(r.requests?.memory), limit: memory(r.limits?.memory) };
  }
  return res;
}

/** Per app root: which cdk8s-plus autoscaler scales which target (built on first use, rebuilt on a miss). */
const autoscalersByRoot = new WeakMap<IConstruct, Map<unknown, HorizontalPodAutoscaler>>();

/**
 * The cdk8s-plus `HorizontalPodAutoscaler` in `target`'s app that scales it, if there is one. One walk
 * of the app serves every target (a walk per target would make apps with many autoscalers quadratic).
 */
export function plusAutoscalerOf(target: IConstruct): HorizontalPodAutoscaler | undefined {
  const root = target.node.root;
  const known = autoscalersByRoot.get(root)?.get(target);
  if (known) return known;
  const index = new Map<unknown, HorizontalPodAutoscaler>();
  for (const c of root.node.findAll()) {
    if (c instanceof HorizontalPodAutoscaler) index.set(c.target, c);
  }
  autoscalersByRoot.set(root, index);
  return index.get(target);
}
