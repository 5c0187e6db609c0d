/** An `aws_fis_experiment_template` as synthesized (Terraform JSON), the fields read here. */
export interface SynthesizedTemplate {
  readonly action: readonly {
    readonly name: string;
    readonly start_after?: readonly string[];
    readonly target?: { readonly key: string; readonly value: string };
  }[];
  readonly target: readonly { readonly name: string; readonly resource_arns?: readonly string[] }[];
}

/**
 * Pairs of actions of one experiment that FIS may run at the same time (neither follows the other
 * through `start_after`, directly or transitively) and that may touch a common resource, with the
 * resource: the same target, or targets sharing an ARN. A target selected otherwise (tags,
 * filters) may resolve to anything, so it counts as overlapping every other target.
 */
export function concurrentOverlaps(template: SynthesizedTemplate): [string, string, string][] {
  const after = new Map(template.action.map((a) => [a.name, a.start_after ?? []]));
  const follows = (a: string, b: string, seen = new Set<string>()): boolean =>
    (after.get(a) ?? []).some((p) => p === b || (!seen.has(p) && (seen.add(p), follows(p, b, seen))));
  const arns = (name: string | undefined) => template.target.find((t) => t.name === name)?.resource_arns;
  const shared = (x: string | undefined, y: string | undefined): string | undefined => {
    if (x === y) return `target ${x}`;
    const [ax, ay] = [arns(x), arns(y)];
    if (!ax || !ay) return `targets ${x} and ${y} (not selected by ARN)`;
    return ax.find((arn) => ay.includes(arn));
  };
  const out: [string, string, string][] = [];
  template.action.forEach((a, i) => {
    for (const b of template.action.slice(i + 1)) {
      if (follows(a.name, b.name) || follows(b.name, a.name)) continue;
      const resource = shared(a.target?.value, b.target?.value);
      if (resource !== undefined) out.push([a.name, b.name, resource]);
    }
  });
  return out;
}
