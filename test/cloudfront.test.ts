import { production } from '../src/config/environments/production';
import type { PlatformConfig } from '../src/config/types';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/stack-json';
import { globalStackOf, regionalStackOf } from './support/stacks';

type Body = Record<string, unknown>;
const one = (stack: StackJson, type: string): Body => {
  const list = resources(stack, type);
  expect(list).toHaveLength(1);
  return list[0];
};

describe('CloudFront + WAF in the global stack (production)', () => {
  const synth = defaultSynth('production');
  const global = synth.stack('global');
  const region = synth.stack('region-us-east');

  test('origin group: primary region first, the DR region on 5xx; HTTPS to api-<key> names', () => {
    const d = one(global, 'aws_cloudfront_distribution');
    const origins = d.origin as Body[];
    expect(origins.map((o) => [o.origin_id, o.domain_name, o.connection_timeout, o.connection_attempts])).toEqual([
      ['primary', 'api-us-east.254carbon.com', 5, 2],
      ['failover', 'api-eu-west.254carbon.com', 5, 2],
      ['routed', 'api.254carbon.com', 5, 2],
    ]);
    for (const o of origins) {
      expect(o.custom_origin_config).toEqual(
        expect.objectContaining({
          origin_protocol_policy: 'https-only',
          origin_ssl_protocols: ['TLSv1.2'],
          origin_read_timeout: 30,
        }),
      );
    }
    expect(d.origin_group).toEqual([
      {
        origin_id: 'regions',
        failover_criteria: { status_codes: [500, 502, 503, 504] },
        member: [{ origin_id: 'primary' }, { origin_id: 'failover' }],
      },
    ]);
  });

  test('reads use the origin group; write paths go to the Route 53-routed name', () => {
    const d = one(global, 'aws_cloudfront_distribution');
    expect(d.default_cache_behavior).toEqual(
      expect.objectContaining({
        target_origin_id: 'regions',
        allowed_methods: ['GET', 'HEAD', 'OPTIONS'],
        viewer_protocol_policy: 'https-only',
      }),
    );
    expect(d.ordered_cache_behavior).toEqual([
      expect.objectContaining({
        path_pattern: '/api/*',
        target_origin_id: 'routed',
        viewer_protocol_policy: 'https-only',
      }),
    ]);
    expect((d.ordered_cache_behavior as Body[])[0].allowed_methods).toContain('POST');
  });

  test('viewers: TLSv1.2_2021 over SNI with the us-east-1 certificate, edge alias, WAF attached', () => {
    const d = one(global, 'aws_cloudfront_distribution');
    expect(d.viewer_certificate).toEqual(
      expect.objectContaining({ ssl_support_method: 'sni-only', minimum_protocol_version: 'TLSv1.2_2021' }),
    );
    expect(String((d.viewer_certificate as Body).acm_certificate_arn)).toContain(
      'aws_acm_certificate_validation.edge-certificate',
    );
    expect(d.aliases).toEqual(['edge.254carbon.com']);
    expect(d.web_acl_id).toMatch(/aws_wafv2_web_acl\.edge_web-acl.*\.arn/);
    expect(d.restrictions).toEqual({ geo_restriction: { restriction_type: 'none', locations: [] } });
    expect(d.provider).toBe('aws.edge_us_east_1');
    const cert = one(global, 'aws_acm_certificate');
    expect(cert).toEqual(
      expect.objectContaining({ domain_name: 'edge.254carbon.com', provider: 'aws.edge_us_east_1' }),
    );
    const providers = (global.provider?.aws ?? []) as Body[];
    expect(providers).toContainEqual(expect.objectContaining({ alias: 'edge_us_east_1', region: 'us-east-1' }));
  });

  test('HSTS response headers policy on every behavior', () => {
    const policy = one(global, 'aws_cloudfront_response_headers_policy');
    expect((policy.security_headers_config as Body).strict_transport_security).toEqual({
      access_control_max_age_sec: 63072000,
      include_subdomains: true,
      preload: true,
      override: true,
    });
    const d = one(global, 'aws_cloudfront_distribution');
    for (const b of [d.default_cache_behavior, ...(d.ordered_cache_behavior as Body[])] as Body[]) {
      expect(String(b.response_headers_policy_id)).toContain('aws_cloudfront_response_headers_policy');
    }
  });

  test('WAF: CLOUDFRONT scope, managed common, known-bad-inputs and IP reputation groups, rate rule', () => {
    const acl = one(global, 'aws_wafv2_web_acl');
    expect(acl).toEqual(expect.objectContaining({ scope: 'CLOUDFRONT', provider: 'aws.edge_us_east_1' }));
    const json = String(acl.rule_json);
    for (const group of [
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'AWSManagedRulesAmazonIpReputationList',
    ]) {
      expect(json).toContain(`"ManagedRuleGroupStatement" = {"Name" = "${group}", "VendorName" = "AWS"}`);
    }
    expect(json).toContain('"RateBasedStatement" = {"Limit" = 2000, "AggregateKeyType" = "IP"}');
    expect(json).toContain('"Action" = {"Block" = {}}');
    expect(json.match(/"OverrideAction" = \{"None" = \{\}\}/g)).toHaveLength(3);
  });

  test('logs: WAF to aws-waf-logs-*, access logs by CloudWatch delivery, both KMS-encrypted', () => {
    const groups = resources(global, 'aws_cloudwatch_log_group').filter((g) => String(g.name).includes('-edge'));
    expect(groups.map((g) => g.name).sort()).toEqual([
      '/aws/vendedlogs/cloudfront/mi-production-edge',
      'aws-waf-logs-mi-production-edge',
    ]);
    for (const g of groups) {
      expect(g).toEqual(expect.objectContaining({ retention_in_days: 365, provider: 'aws.edge_us_east_1' }));
      expect(String(g.kms_key_id)).toContain('aws_kms_key.edge-kms');
    }
    const logging = one(global, 'aws_wafv2_web_acl_logging_configuration');
    expect(String(logging.log_destination_configs)).toContain('aws_cloudwatch_log_group.edge_waf-logs');
    const source = one(global, 'aws_cloudwatch_log_delivery_source');
    expect(source).toEqual(expect.objectContaining({ log_type: 'ACCESS_LOGS' }));
    expect(String(source.resource_arn)).toContain('aws_cloudfront_distribution.edge_distribution');
    const destination = one(global, 'aws_cloudwatch_log_delivery_destination');
    expect(JSON.stringify(destination.delivery_destination_configuration)).toContain('edge_access-logs');
    one(global, 'aws_cloudwatch_log_delivery');
  });

  test('edge.<domain> aliases (A and AAAA) point at the distribution', () => {
    const aliases = Object.entries(global.resource?.aws_route53_record ?? {})
      .filter(([name]) => name.startsWith('edge_alias'))
      .map(([, r]) => r as Body);
    expect(aliases.map((a) => [a.name, a.type])).toEqual([
      ['edge.254carbon.com', 'A'],
      ['edge.254carbon.com', 'AAAA'],
    ]);
  });

  test('the ALB admits 443 only from CloudFront and the Route 53 health checkers', () => {
    const prefixList = Object.values(region.data?.aws_ec2_managed_prefix_list ?? {});
    expect(prefixList).toEqual([expect.objectContaining({ name: 'com.amazonaws.global.cloudfront.origin-facing' })]);
    const ranges = Object.values(region.data?.aws_ip_ranges ?? {});
    expect(ranges).toEqual([
      expect.objectContaining({
        services: ['route53_healthchecks'],
        regions: ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-northeast-1'],
      }),
    ]);
    const all = resources(region, 'aws_vpc_security_group_ingress_rule');
    const rules = all.filter((r) => String(r.security_group_id).includes('alb-origin-access'));
    expect(rules.map((r) => r.cidr_ipv4 ?? r.prefix_list_id)).toEqual([
      expect.stringContaining('data.aws_ec2_managed_prefix_list'),
      '${each.value}',
    ]);
    expect(all.some((r) => r.cidr_ipv4 === '0.0.0.0/0')).toBe(false);
    const alb = one(region, 'aws_lb');
    expect(alb.security_groups).toHaveLength(3);
    expect(JSON.stringify(alb.security_groups)).toContain('alb-origin-access_cloudfront');
    expect(JSON.stringify(alb.security_groups)).toContain('alb-origin-access_health-checkers');
  });

  test('the HTTPS listener uses the region certificate issued in the dns zone', () => {
    const listeners = resources(region, 'aws_lb_listener').filter((l) => l.port === 443);
    expect(listeners).toHaveLength(1);
    expect(String(listeners[0].certificate_arn)).toContain('aws_acm_certificate_validation.api-certificate');
  });
});

describe('options', () => {
  test('geo restriction and world-open direct access', () => {
    const config: PlatformConfig = {
      ...production,
      traffic: { ...production.traffic, directAccessCidrs: ['0.0.0.0/0'] },
      edge: { ...production.edge, geoRestriction: { type: 'blacklist', countries: ['KP'] } },
    };
    // Each option changes one stack: the edge in the global stack, the ALB groups in the regional ones.
    const d = one(globalStackOf(config), 'aws_cloudfront_distribution');
    expect(d.restrictions).toEqual({ geo_restriction: { restriction_type: 'blacklist', locations: ['KP'] } });
    const region = regionalStackOf(config, 'eu-west');
    const direct = resources(region, 'aws_security_group').find((g) => String(g.name).endsWith('alb-direct'));
    expect(direct?.tags).toEqual(expect.objectContaining({ exposure: 'internet-facing-load-balancer' }));
    expect(resources(region, 'aws_vpc_security_group_ingress_rule')).toContainEqual(
      expect.objectContaining({ cidr_ipv4: '0.0.0.0/0', from_port: 443 }),
    );
  });
});
