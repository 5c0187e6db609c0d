import type { PlatformPlan } from '../plan/types';

/**
 * The deploy-readiness check (issue 13): proves, from the synthesized Terraform of every stack and the
 * plan, that what the application and the operators need after apply works: data paths are open,
 * workload roles allow their calls, Kubernetes objects fit the installed API versions, and every name
 * the tools look up exists. Pure: it reads plain JSON, never constructs or AWS.
 */

/** One stack's Terraform configuration as cdktf renders it (`stack.toTerraform()`, `cdk.tf.json`). */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value: unknown; sensitive?: boolean }>;
  readonly locals?: Record<string, unknown>;
  readonly variable?: Record<string, Record<string, unknown>>;
  readonly provider?: Record<string, Record<string, unknown>[]>;
  readonly terraform?: Record<string, unknown>;
}

export interface ReadinessInput {
  readonly plan: PlatformPlan;
  /** Every synthesized stack by stack id (`region-us-east`, `global`, …). */
  readonly stacks: Readonly<Record<string, TerraformJson>>;
}

export type ReadinessCheckKind = 'path' | 'iam' | 'kubernetes' | 'identifier' | 'delivery';

/** Something proven: one row of `npm run report`'s readiness table. */
export interface Proven {
  readonly check: ReadinessCheckKind;
  /** What was proven, e.g. `eu-west -> aurora (us-east) 5432 write`. */
  readonly subject: string;
  /** How, e.g. `sg rule aws_vpc_security_group_ingress_rule.x in data-us-east; routes both ways`. */
  readonly evidence: string;
}

/** Something that would fail after apply: synth stops with every finding listed. */
export interface Finding {
  readonly check: ReadinessCheckKind;
  /** The path, role, object or name at fault, e.g. `workloads-eu-west: KafkaMirrorMaker2 mirrormaker2`. */
  readonly subject: string;
  /** What is wrong and what would fix it. */
  readonly problem: string;
}

export interface CheckResult {
  readonly proven: readonly Proven[];
  readonly findings: readonly Finding[];
}

/** One check: pure over the input. */
export type ReadinessCheck = (input: ReadinessInput) => CheckResult;

/** A check whose library answers asynchronously (the IAM policy simulator). */
export type AsyncReadinessCheck = (input: ReadinessInput) => Promise<CheckResult>;
