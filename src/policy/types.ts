/**
 * Vocabulary of the synth-time security policy pack (see docs/policy.md).
 *
 * A rule reads synthesized Terraform: attribute names are snake_case, nested blocks may be an
 * object or a list of objects, and any value that Terraform computes at plan time (a reference or
 * a function call) is a `${...}` expression string.
 */

/** One synthesized resource or data source, as Terraform will see it. */
export interface ResourceView {
  readonly kind: 'resource' | 'data';
  /** Terraform type, e.g. `aws_s3_bucket`. */
  readonly type: string;
  /** Terraform address, e.g. `aws_s3_bucket.state_bucket_1A2B3C` or `data.aws_iam_policy_document.x`. */
  readonly address: string;
  /** Construct path, e.g. `region-us-east/network/vpc`. */
  readonly path: string;
  /** Resolved attributes, including meta-arguments such as `lifecycle`. */
  readonly attributes: Readonly<Record<string, unknown>>;
  /**
   * AWS region of the resource's aws provider (its `provider` alias, else the default one), when
   * that provider names a literal region; undefined for other providers and computed regions.
   */
  readonly region?: string;
}

interface RuleInfo {
  /** Stable id, `MRP-<SERVICE>-<n>`; never reused for another meaning. */
  readonly id: string;
  /** Short service label used to group rules in docs/policy.md. */
  readonly service: string;
  /** One line: what must hold and why. */
  readonly rationale: string;
}

/**
 * A pure function of one resource. Returns the problems found (empty: compliant).
 * `appliesTo` lists Terraform types; data sources are written `data.<type>`.
 */
export interface ResourceRule extends RuleInfo {
  readonly scope: 'resource';
  readonly appliesTo: readonly string[];
  readonly check: (resource: ResourceView) => readonly string[];
}

/** A finding of a stack rule, attached to the resource it is about. */
export interface StackFinding {
  readonly resource: ResourceView;
  readonly problem: string;
}

/** A rule over a whole stack, for properties that span resources (a bucket and its public access block). */
export interface StackRule extends RuleInfo {
  readonly scope: 'stack';
  readonly check: (stack: StackView) => readonly StackFinding[];
}

export type PolicyRule = ResourceRule | StackRule;

/** Every resource and data source of one stack, with lookups by type and by reference. */
export interface StackView {
  readonly resources: readonly ResourceView[];
  ofType(type: string): readonly ResourceView[];
  /** The resource a `${type.name.attr}` expression points at, if it lives in this stack. */
  referenced(value: unknown): ResourceView | undefined;
}

/** A rule violation, with the construct path of the offending resource. */
export interface Finding {
  readonly ruleId: string;
  readonly rationale: string;
  readonly path: string;
  readonly address: string;
  readonly problem: string;
}

/** A finding accepted by a suppression, with the reason written next to it. */
export interface SuppressedFinding extends Finding {
  readonly reason: string;
  /** Path of the construct the suppression was declared on. */
  readonly suppressedAt: string;
}
