import type { IConstruct } from 'constructs';

/**
 * Markers read by the synth-time policy pack (src/policy). They live here so reusable modules can
 * declare them without depending on the platform's `src/` code.
 */

const SUPPRESSION = 'platform:policy-suppression';

export interface PolicySuppression {
  /** Rule id, e.g. `MRP-S3-1`. */
  readonly ruleId: string;
  /** Why the finding is acceptable here; reviewed like code. */
  readonly reason: string;
}

/**
 * Accepts findings of `ruleId` on `construct` and everything below it. The reason is mandatory:
 * the policy pack rejects an empty or token-length reason and an unknown rule id at synth.
 */
export function suppress(construct: IConstruct, ruleId: string, reason: string): void {
  construct.node.addMetadata(SUPPRESSION, { ruleId, reason } satisfies PolicySuppression);
}

/** Suppressions declared directly on `construct` (not its scopes). */
export function suppressionsOn(construct: IConstruct): PolicySuppression[] {
  return construct.node.metadata.filter((m) => m.type === SUPPRESSION).map((m) => m.data as PolicySuppression);
}

/**
 * Tag that marks a security group as the front door of an internet-facing load balancer: the only
 * kind of security group allowed to accept 0.0.0.0/0 or ::/0, and then only on ports 80 and 443.
 */
export const INTERNET_FACING_LB_TAG = { key: 'exposure', value: 'internet-facing-load-balancer' } as const;

/** Tags to put on the security group of an internet-facing load balancer (see INTERNET_FACING_LB_TAG). */
export function internetFacingLoadBalancerTags(): Record<string, string> {
  return { [INTERNET_FACING_LB_TAG.key]: INTERNET_FACING_LB_TAG.value };
}
