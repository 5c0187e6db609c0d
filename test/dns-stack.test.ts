import { production } from '../src/config/environments/production';
import type { PlatformConfig } from '../src/config/types';
import { resolvePlan } from '../src/plan/resolve';
import { defaultSynth } from './support/shared-synth';
import { resources } from './support/stack-json';
import { dnsStackOf } from './support/stacks';

const plan = resolvePlan(production);
const KEYS = plan.regions.map((r) => r.key);

describe('dns stack (zone created)', () => {
  const synth = defaultSynth('production');

  test('creates the public zone of the domain, protected from destroy, and outputs its name servers', () => {
    const dns = synth.stack('dns');
    const zones = resources(dns, 'aws_route53_zone');
    expect(zones).toEqual([
      expect.objectContaining({ name: '254carbon.com', force_destroy: false, lifecycle: { prevent_destroy: true } }),
    ]);
    expect(Object.keys(dns.output ?? {})).toEqual(expect.arrayContaining(['zone_id', 'zone_name_servers']));
    expect(dns.data?.aws_route53_zone).toBeUndefined();
  });

  test('regional stacks depend on it (never on each other); it depends on nothing', () => {
    const stacks = synth.manifest.stacks;
    expect(stacks.dns.dependencies).toEqual([]);
    for (const region of plan.regions) {
      const deps = stacks[region.stackIds.regional].dependencies;
      expect(deps).toContain('dns');
      expect(deps.filter((d) => d.startsWith('region-'))).toEqual([]);
    }
  });

  test.each(KEYS)('region-%s validates its API certificate with records in the dns zone', (key) => {
    const region = synth.stack(`region-${key}`);
    const [cert] = resources(region, 'aws_acm_certificate');
    expect(cert).toEqual(
      expect.objectContaining({ domain_name: `api-${key}.254carbon.com`, validation_method: 'DNS' }),
    );
    expect(cert.subject_alternative_names).toEqual(
      expect.arrayContaining([
        'api.254carbon.com',
        'api-latency.254carbon.com',
        'api-geo.254carbon.com',
        'api-weighted.254carbon.com',
      ]),
    );
    const [record] = resources(region, 'aws_route53_record');
    expect(record).toEqual(expect.objectContaining({ allow_overwrite: true, ttl: 60 }));
    expect(String(record.zone_id)).toMatch(/cross-stack-reference-input-dns/);
    expect(String(record.for_each)).toContain('domain_validation_options');
    const [validation] = resources(region, 'aws_acm_certificate_validation');
    expect(String(validation.validation_record_fqdns)).toContain(
      'aws_route53_record.api-certificate_validation-record',
    );
  });

  test('only the DR region certificate names api-dr', () => {
    const withDr = KEYS.filter((key) =>
      (
        resources(synth.stack(`region-${key}`), 'aws_acm_certificate')[0].subject_alternative_names as string[]
      ).includes('api-dr.254carbon.com'),
    );
    expect(withDr).toEqual(['eu-west']);
  });
});

describe('dns stack: DNSSEC and query logging of the created zone (us-east-1)', () => {
  const dns = dnsStackOf(production);
  const documents = (dns.data?.aws_iam_policy_document ?? {}) as Record<
    string,
    { statement: Record<string, unknown>[] }
  >;
  const doc = (prefix: string) => Object.entries(documents).find(([id]) => id.startsWith(prefix))![1].statement;
  const onlyOne = (type: string) => {
    const list = resources(dns, type);
    expect(list).toHaveLength(1);
    return list[0];
  };

  test('an asymmetric signing key in us-east-1 that Route 53 DNSSEC may use for this account only', () => {
    const provider = Object.values((dns.provider as { aws: Record<string, unknown>[] }).aws).find(
      (p) => p.alias === 'route53-control',
    );
    expect(provider).toMatchObject({ region: 'us-east-1' });
    const key = resources(dns, 'aws_kms_key').find((k) => k.key_usage === 'SIGN_VERIFY');
    expect(key).toMatchObject({
      customer_master_key_spec: 'ECC_NIST_P256',
      provider: 'aws.route53-control',
      lifecycle: { prevent_destroy: true },
    });
    const service = doc('zone-security_dnssec-key-policy').find((s) => s.sid === 'Route53DnssecService');
    expect(service).toMatchObject({
      actions: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
      principals: [{ type: 'Service', identifiers: ['dnssec-route53.amazonaws.com'] }],
    });
    expect(service?.condition).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ test: 'StringEquals', variable: 'aws:SourceAccount' }),
        expect.objectContaining({
          test: 'ArnLike',
          variable: 'aws:SourceArn',
          values: [expect.stringMatching(/:route53:::hostedzone\/\*$/)],
        }),
      ]),
    );
  });

  test('a key-signing key on the zone and signing turned on', () => {
    expect(onlyOne('aws_route53_key_signing_key')).toMatchObject({
      hosted_zone_id: expect.stringMatching(/aws_route53_zone\..*\.zone_id/),
      key_management_service_arn: expect.stringMatching(/aws_kms_key\.zone-security_dnssec-key.*\.arn/),
      status: 'ACTIVE',
    });
    expect(onlyOne('aws_route53_hosted_zone_dnssec')).toMatchObject({ signing_status: 'SIGNING' });
  });

  test('query logs go to an encrypted, retained us-east-1 log group Route 53 may write to', () => {
    const group = resources(dns, 'aws_cloudwatch_log_group').find((g) => g.name === '/aws/route53/254carbon.com');
    expect(group).toMatchObject({
      provider: 'aws.route53-control',
      retention_in_days: production.observability.logRetentionDays,
      kms_key_id: expect.stringMatching(/aws_kms_key/),
    });
    expect(onlyOne('aws_route53_query_log')).toMatchObject({
      zone_id: expect.stringMatching(/aws_route53_zone/),
      cloudwatch_log_group_arn: expect.stringMatching(/aws_cloudwatch_log_group\.zone-security_query-logs.*\.arn/),
      depends_on: [expect.stringMatching(/aws_cloudwatch_log_resource_policy/)],
    });
    expect(doc('zone-security_query-log-policy-document')).toEqual([
      expect.objectContaining({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        principals: [{ type: 'Service', identifiers: ['route53.amazonaws.com'] }],
        resources: [expect.stringMatching(/:logs:us-east-1:.*:log-group:\/aws\/route53\/\*$/)],
      }),
    ]);
  });
});

describe('dns stack (zone adopted)', () => {
  test('an adopted zone is neither signed nor query-logged here (its owner decides)', () => {
    const dns = dnsStackOf({
      ...production,
      traffic: { ...production.traffic, hostedZone: { mode: 'adopt', zoneId: 'Z0123456789ABCDEFGHIJ' } },
    });
    expect(resources(dns, 'aws_route53_hosted_zone_dnssec')).toEqual([]);
    expect(resources(dns, 'aws_route53_query_log')).toEqual([]);
  });

  test('reads the configured zone instead of creating one', () => {
    const config: PlatformConfig = {
      ...production,
      traffic: { ...production.traffic, hostedZone: { mode: 'adopt', zoneId: 'Z0123456789ABCDEFGHIJ' } },
    };
    const dns = dnsStackOf(config);
    expect(resources(dns, 'aws_route53_zone')).toEqual([]);
    expect(Object.values(dns.data?.aws_route53_zone ?? {})).toEqual([
      expect.objectContaining({ zone_id: 'Z0123456789ABCDEFGHIJ', private_zone: false }),
    ]);
  });
});
