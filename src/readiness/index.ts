import { checkDelivery } from './delivery';
import { checkIdentifiers } from './identifiers';
import { checkIam } from './iam';
import { checkKubernetes } from './kubernetes';
import { checkDataPaths } from './paths';
import type { AsyncReadinessCheck, Finding, Proven, ReadinessCheck, ReadinessInput } from './types';

/** Every readiness check, in the order their rows are reported. */
export const READINESS_CHECKS: readonly (readonly [string, ReadinessCheck | AsyncReadinessCheck])[] = [
  ['data paths', checkDataPaths],
  ['workload IAM', checkIam],
  ['Kubernetes objects', checkKubernetes],
  ['tool identifiers', checkIdentifiers],
  ['delivery path', checkDelivery],
];

export interface ReadinessReport {
  readonly proven: readonly Proven[];
  readonly findings: readonly Finding[];
}

/** Runs every check over the synthesized stacks and the plan. */
export async function checkReadiness(input: ReadinessInput): Promise<ReadinessReport> {
  const results = await Promise.all(READINESS_CHECKS.map(([, check]) => check(input)));
  return {
    proven: results.flatMap((r) => r.proven),
    findings: results.flatMap((r) => r.findings),
  };
}

export { ReadinessError } from './errors';
