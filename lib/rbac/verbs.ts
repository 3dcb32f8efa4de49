/** Verbs that cannot be restricted to named objects: the object has no name yet, or the request names none. */
export const UNNAMEABLE_VERBS: readonly string[] = ['create', 'deletecollection'];

/** Verbs that let a subject gain permissions it does not hold. */
export const ESCALATION_VERBS: readonly string[] = ['escalate', 'bind', 'impersonate'];

/** The order verbs are written in: reads, then writes, then the rest alphabetically. */
const ORDER = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/** Sorts verbs into their canonical order (`get, list, watch, create, ...`, then others alphabetically). */
export function sortVerbs(verbs: Iterable<string>): string[] {
  const rank = (v: string) => {
    const i = ORDER.indexOf(v);
    return i < 0 ? ORDER.length : i;
  };
  return [...verbs].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A named set of verbs. Presets drop `create` and `deletecollection` when applied to named objects
 * (`Resource.CONFIG_MAPS.named('x')`), where those verbs could never match.
 */
export class Verbs {
  /** get, list, watch. */
  public static readonly READ = new Verbs(['get', 'list', 'watch'], true);
  /** create, update, patch, delete, deletecollection. */
  public static readonly WRITE = new Verbs(['create', 'update', 'patch', 'delete', 'deletecollection'], true);
  /** READ and WRITE: every standard verb, without `*` and without escalate/bind/impersonate. */
  public static readonly FULL = new Verbs([...Verbs.READ.list, ...Verbs.WRITE.list], true);
  /** `*`: every verb, including escalate/bind/impersonate. Refused unless `RbacRisk.WILDCARD` is accepted. */
  public static readonly ALL = new Verbs(['*'], false);

  /**
   * A set of your own, e.g. `Verbs.of('get', 'update')`. Each verb is checked against the verbs of the
   * resource it is granted on (a typo such as `lsit` is an error, with "did you mean").
   */
  public static of(...verbs: string[]): Verbs {
    return new Verbs(verbs, false);
  }

  /**
   * Verbs of an aggregated API server or a custom resource that Kubernetes' built-in resources do not
   * have (e.g. `Verbs.custom('use')`): not checked against the resource. Granted on a built-in
   * resource, they are still an error.
   */
  public static custom(...verbs: string[]): Verbs {
    return new Verbs(verbs, false, verbs);
  }

  /** The union of several sets; a preset if every part is one. */
  public static union(...sets: Verbs[]): Verbs {
    if (sets.length === 1) return sets[0];
    return new Verbs(
      sets.flatMap((s) => s.list),
      sets.length > 0 && sets.every((s) => s.preset),
      sets.flatMap((s) => s._custom),
    );
  }

  private constructor(
    /** The verbs. */
    public readonly list: string[],
    /** Whether this is a preset (it then adapts to named objects). */
    public readonly preset: boolean,
    /**
     * The verbs declared custom (`Verbs.custom`).
     * @internal
     */
    public readonly _custom: string[] = [],
  ) {}

  /** The verbs that apply to objects given by name. */
  public forNamedObjects(): string[] {
    return this.preset ? this.list.filter((v) => !UNNAMEABLE_VERBS.includes(v)) : this.list;
  }
}

/** Verbs as `to(...)` and `allow(...)` take them: single verbs or sets. */
export type VerbLike = string | Verbs;

/** Flattens verbs and verb sets into one `Verbs`. */
export function toVerbs(verbs: VerbLike[]): Verbs {
  return Verbs.union(...verbs.map((v) => (v instanceof Verbs ? v : Verbs.of(v))));
}
