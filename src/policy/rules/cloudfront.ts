import { blocks, isSet, isTrue, nested, references, strings } from '../attributes';
import { problemUnless, resourceRule, stackRule } from './define';

const SERVICE = 'CloudFront';
const DISTRIBUTIONS = ['aws_cloudfront_distribution'];
/** Viewer security policies that allow TLS 1.2 and later with modern ciphers only. */
export const VIEWER_TLS_RE = /^TLSv1\.2_2021$|^TLSv1\.3/;

export const cloudfrontRules = [
  resourceRule({
    id: 'MRP-CF-1',
    service: SERVICE,
    rationale:
      'Viewers connect with TLS 1.2+ (minimum_protocol_version TLSv1.2_2021; the default certificate allows TLS 1.0).',
    appliesTo: DISTRIBUTIONS,
    check: (r) => {
      const cert = nested(r.attributes, 'viewer_certificate');
      if (isTrue(cert?.cloudfront_default_certificate))
        return ['viewer_certificate uses the default certificate (TLS 1.0)'];
      const version = cert?.minimum_protocol_version;
      return problemUnless(
        typeof version === 'string' && VIEWER_TLS_RE.test(version),
        `minimum_protocol_version is ${String(version ?? 'unset')}, expected TLSv1.2_2021 or later`,
      );
    },
  }),
  resourceRule({
    id: 'MRP-CF-2',
    service: SERVICE,
    rationale: 'Every cache behavior redirects viewers to HTTPS or accepts HTTPS only.',
    appliesTo: DISTRIBUTIONS,
    check: (r) => {
      const behaviors = [
        ...blocks(r.attributes.default_cache_behavior),
        ...blocks(r.attributes.ordered_cache_behavior),
      ];
      const plain = behaviors.filter(
        (b) => !['redirect-to-https', 'https-only'].includes(String(b.viewer_protocol_policy)),
      );
      return problemUnless(plain.length === 0, `${plain.length} cache behavior(s) allow plain HTTP`);
    },
  }),
  resourceRule({
    id: 'MRP-CF-3',
    service: SERVICE,
    rationale: 'Custom origins are reached over HTTPS with TLS 1.2 only.',
    appliesTo: DISTRIBUTIONS,
    check: (r) =>
      blocks(r.attributes.origin).flatMap((origin) => {
        const custom = nested(origin, 'custom_origin_config');
        if (!custom) return [];
        const protocols = strings(custom.origin_ssl_protocols);
        return problemUnless(
          custom.origin_protocol_policy === 'https-only' &&
            protocols.length > 0 &&
            protocols.every((p) => p === 'TLSv1.2'),
          `origin ${String(origin.origin_id)} is not https-only with TLSv1.2`,
        );
      }),
  }),
  stackRule({
    id: 'MRP-CF-4',
    service: SERVICE,
    rationale: 'Distributions log requests (logging_config, or a CloudWatch log delivery source for the distribution).',
    check: (stack) =>
      stack
        .ofType('aws_cloudfront_distribution')
        .filter(
          (d) =>
            !isSet(nested(d.attributes, 'logging_config')?.bucket) &&
            !stack.ofType('aws_cloudwatch_log_delivery_source').some((s) => references(s.attributes.resource_arn, d)),
        )
        .map((resource) => ({ resource, problem: 'distribution has no access logging' })),
  }),
  resourceRule({
    id: 'MRP-CF-5',
    service: SERVICE,
    rationale: 'Distributions are protected by a WAF web ACL (web_acl_id).',
    appliesTo: DISTRIBUTIONS,
    check: (r) => problemUnless(isSet(r.attributes.web_acl_id), 'web_acl_id is not set'),
  }),
  resourceRule({
    id: 'MRP-CF-6',
    service: SERVICE,
    rationale: 'Distributions restrict viewer countries (geo_restriction other than none), or say why not.',
    appliesTo: DISTRIBUTIONS,
    check: (r) => {
      const type = nested(r.attributes, 'restrictions', 'geo_restriction')?.restriction_type;
      return problemUnless(
        type === 'whitelist' || type === 'blacklist',
        `geo_restriction is ${String(type ?? 'unset')}`,
      );
    },
  }),
];
