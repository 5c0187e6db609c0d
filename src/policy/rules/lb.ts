import { blocks, isSet, isTrue, nested } from '../attributes';
import { problemUnless, resourceRule } from './define';

const SERVICE = 'ELB';
const LBS = ['aws_lb', 'aws_alb'];
const LISTENERS = ['aws_lb_listener', 'aws_alb_listener'];
/** ELB security policies that allow TLS 1.2 and later only. */
export const TLS12_POLICY_RE = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

const isApplication = (a: Readonly<Record<string, unknown>>) =>
  (a.load_balancer_type ?? 'application') === 'application';

export const lbRules = [
  resourceRule({
    id: 'MRP-LB-1',
    service: SERVICE,
    rationale: 'Load balancers write access logs to S3.',
    appliesTo: LBS,
    check: (r) => {
      if (r.attributes.load_balancer_type === 'gateway') return [];
      const logs = nested(r.attributes, 'access_logs');
      return problemUnless(isTrue(logs?.enabled) && isSet(logs?.bucket), 'access_logs are not enabled with a bucket');
    },
  }),
  resourceRule({
    id: 'MRP-LB-2',
    service: SERVICE,
    rationale: 'HTTPS/TLS listeners use a TLS 1.2+ security policy (the default policy still allows TLS 1.0).',
    appliesTo: LISTENERS,
    check: (r) => {
      const protocol = r.attributes.protocol;
      if (protocol !== 'HTTPS' && protocol !== 'TLS') return [];
      const policy = r.attributes.ssl_policy;
      return problemUnless(
        typeof policy === 'string' && TLS12_POLICY_RE.test(policy),
        `ssl_policy is ${String(policy ?? 'unset (ELBSecurityPolicy-2016-08)')}, expected a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06`,
      );
    },
  }),
  resourceRule({
    id: 'MRP-LB-3',
    service: SERVICE,
    rationale: 'Plain-HTTP listeners only redirect to HTTPS.',
    appliesTo: LISTENERS,
    check: (r) => {
      if (r.attributes.protocol !== 'HTTP') return [];
      const actions = blocks(r.attributes.default_action);
      const redirects =
        actions.length > 0 &&
        actions.every((a) => a.type === 'redirect' && nested(a, 'redirect')?.protocol === 'HTTPS');
      return problemUnless(redirects, 'an HTTP listener serves traffic instead of redirecting to HTTPS');
    },
  }),
  resourceRule({
    id: 'MRP-LB-4',
    service: SERVICE,
    rationale: 'Application load balancers drop invalid HTTP header fields (request smuggling defence).',
    appliesTo: LBS,
    check: (r) =>
      isApplication(r.attributes)
        ? problemUnless(isTrue(r.attributes.drop_invalid_header_fields), 'drop_invalid_header_fields is not true')
        : [],
  }),
];
