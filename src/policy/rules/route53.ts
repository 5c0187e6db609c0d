/**
 * Route 53 rules: every public hosted zone the stack creates is DNSSEC-signed and query-logged
 * (docs/security.md, "Route 53"). An adopted zone is a data source, which these rules never see:
 * its owner signs and logs it.
 */
import { arnRegion, blocks } from '../attributes';
import type { ResourceView, StackFinding, StackView } from '../types';
import { stackRule } from './define';

const SERVICE = 'Route 53';
/** Route 53 reads DNSSEC signing keys and writes query logs in this region only. */
export const ROUTE53_KEY_REGION = 'us-east-1';

/** Public zones: a zone with a `vpc` block is private (no DNSSEC, no public query logging). */
function publicZones(stack: StackView): ResourceView[] {
  return stack.ofType('aws_route53_zone').filter((z) => blocks(z.attributes.vpc).length === 0);
}

/**
 * The zone a zone-id value points at: directly, or through another resource's `hosted_zone_id`
 * (the DNSSEC resource reads the zone id from its key-signing key, so it waits for the key).
 */
function zoneOf(stack: StackView, value: unknown, hops = 3): ResourceView | undefined {
  const target = stack.referenced(value);
  if (!target || target.kind !== 'resource') return undefined;
  if (target.type === 'aws_route53_zone') return target;
  return hops > 0 ? zoneOf(stack, target.attributes.hosted_zone_id ?? target.attributes.zone_id, hops - 1) : undefined;
}

/** Resources of `type` whose `attribute` leads to `zone`. */
function forZone(stack: StackView, type: string, attribute: string, zone: ResourceView): ResourceView[] {
  return stack.ofType(type).filter((r) => zoneOf(stack, r.attributes[attribute]) === zone);
}

/**
 * Where the `type` resource a value points at lives: the region of that resource when it is in the
 * stack, else the region of a literal ARN of `service` (which may still reference the partition or
 * account); undefined when neither is known.
 */
function regionOfTarget(stack: StackView, value: unknown, type: string, service: string): string | undefined {
  const target = stack.referenced(value);
  return target?.type === type ? target.region : arnRegion(value, service);
}

/** What keeps a key-signing key from signing: its KMS key's spec, usage or region. */
function signingKeyProblems(stack: StackView, ksk: ResourceView): string[] {
  const arn = ksk.attributes.key_management_service_arn;
  const key = stack.referenced(arn);
  const problems: string[] = [];
  if (key?.type === 'aws_kms_key') {
    const spec = key.attributes.customer_master_key_spec ?? key.attributes.key_spec;
    if (spec !== 'ECC_NIST_P256' || key.attributes.key_usage !== 'SIGN_VERIFY') {
      problems.push(
        `its KMS key is ${String(spec ?? 'SYMMETRIC_DEFAULT')} / ${String(key.attributes.key_usage ?? 'ENCRYPT_DECRYPT')}, expected ECC_NIST_P256 / SIGN_VERIFY`,
      );
    }
  }
  const region = regionOfTarget(stack, arn, 'aws_kms_key', 'kms');
  if (region !== undefined && region !== ROUTE53_KEY_REGION) {
    problems.push(`its KMS key is in ${region}, Route 53 reads signing keys in ${ROUTE53_KEY_REGION} only`);
  }
  return problems;
}

export const route53Rules = [
  stackRule({
    id: 'MRP-R53-1',
    service: SERVICE,
    rationale: `Public hosted zones are DNSSEC-signed: signing_status SIGNING, an ACTIVE key-signing key on an ECC_NIST_P256 SIGN_VERIFY KMS key in ${ROUTE53_KEY_REGION}.`,
    check: (stack) =>
      publicZones(stack).flatMap((zone): StackFinding[] => {
        const problems: string[] = [];
        const dnssec = forZone(stack, 'aws_route53_hosted_zone_dnssec', 'hosted_zone_id', zone);
        if (dnssec.length === 0) problems.push('no aws_route53_hosted_zone_dnssec signs the zone');
        // Unset means SIGNING (the provider's default).
        else if (!dnssec.some((d) => (d.attributes.signing_status ?? 'SIGNING') === 'SIGNING')) {
          problems.push(`signing_status is ${dnssec.map((d) => String(d.attributes.signing_status)).join(', ')}`);
        }
        // Unset means ACTIVE (the provider's default).
        const active = forZone(stack, 'aws_route53_key_signing_key', 'hosted_zone_id', zone).filter(
          (k) => (k.attributes.status ?? 'ACTIVE') === 'ACTIVE',
        );
        if (active.length === 0) problems.push('the zone has no ACTIVE aws_route53_key_signing_key');
        else if (active.every((k) => signingKeyProblems(stack, k).length > 0)) {
          problems.push(...active.flatMap((k) => signingKeyProblems(stack, k).map((p) => `${k.address}: ${p}`)));
        }
        return problems.map((problem) => ({ resource: zone, problem }));
      }),
  }),
  stackRule({
    id: 'MRP-R53-2',
    service: SERVICE,
    rationale: `Public hosted zones log DNS queries (aws_route53_query_log) to a CloudWatch log group in ${ROUTE53_KEY_REGION}.`,
    check: (stack) =>
      publicZones(stack).flatMap((zone): StackFinding[] => {
        const logs = forZone(stack, 'aws_route53_query_log', 'zone_id', zone);
        if (logs.length === 0) return [{ resource: zone, problem: 'no aws_route53_query_log logs the zone' }];
        const regions = logs.map((l) =>
          regionOfTarget(stack, l.attributes.cloudwatch_log_group_arn, 'aws_cloudwatch_log_group', 'logs'),
        );
        return regions.some((r) => r === undefined || r === ROUTE53_KEY_REGION)
          ? []
          : [
              {
                resource: zone,
                problem: `query logs go to a log group in ${regions.join(', ')}, Route 53 writes them in ${ROUTE53_KEY_REGION} only`,
              },
            ];
      }),
  }),
];
