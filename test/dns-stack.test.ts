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

describe('dns stack (zone adopted)', () => {
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
