// Edge that cannot be bypassed (issue 14, "What to build" 6): CloudFront adds a secret origin header,
// every ALB's HTTPS listener forwards only requests carrying it (plus the Route 53 health-check path
// and the direct-access networks) and answers everything else with a fixed 403.
import { Testing } from 'cdktf';
import { ApplicationIngress, ORIGIN_RULE_PRIORITIES } from '../modules/ingress/application-ingress';
import { OriginVerifySecret } from '../modules/traffic/origin-verify';
import { DEFAULT_ORIGIN_VERIFY, ORIGIN_VERIFY_HEADER } from '../modules/traffic/origin-verify-settings';
import { production } from '../src/config/environments/production';
import { resolvePlan } from '../src/plan/resolve';
import { ORIGIN_VERIFY_VARIABLE } from '../src/stacks/regional-stack';
import { issuesOf, variant } from './support/config';
import { regionalFixture } from './support/fixtures';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/stack-json';

type Body = Record<string, unknown>;
const plan = resolvePlan(production);
const REGIONS = plan.regions.map((r) => r.key);
const SECRET_NAME = 'mi-production-origin-verify';
const HEALTH_PATH = production.traffic.healthCheck.resourcePath;

/** A request as the ALB sees it. */
interface Request {
  readonly path: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly sourceIp: string;
}

const ipv4 = (ip: string) => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
const inCidr = (ip: string, cidr: string) => {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(base) / size);
};
/** ALB path patterns: `*` any characters, `?` one, case-sensitive, whole path. */
const pathMatches = (pattern: string, path: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(path);

/**
 * What the stack's HTTPS listener does with `request`: rules in priority order (every condition of
 * a rule must match; any value of a condition), then the default action. Header values compare
 * case-insensitively, as on an ALB; a value is whatever string the rule holds (a Terraform reference
 * in the synth stands for the value it resolves to).
 */
function listenerAction(stack: StackJson, request: Request): Body {
  const https = Object.entries(stack.resource?.aws_lb_listener ?? {}).find(([, l]) => (l as Body).port === 443);
  expect(https).toBeDefined();
  const [listenerId, listener] = https as [string, Body];
  const rules = resources(stack, 'aws_lb_listener_rule')
    .filter((r) => r.listener_arn === `\${aws_lb_listener.${listenerId}.arn}`)
    .sort((a, b) => Number(a.priority) - Number(b.priority));
  const matches = (condition: Body): boolean => {
    const [kind, spec] = Object.entries(condition)[0] as [string, Body];
    const values = spec.values as string[];
    switch (kind) {
      case 'path_pattern':
        return values.some((v) => pathMatches(v, request.path));
      case 'http_request_method':
        return values.includes(request.method);
      case 'http_header': {
        const sent = request.headers[(spec.http_header_name as string).toLowerCase()];
        return sent !== undefined && values.some((v) => v.toLowerCase() === sent.toLowerCase());
      }
      case 'source_ip':
        return values.some((cidr) => inCidr(request.sourceIp, cidr));
      default:
        throw new Error(`condition ${kind} is not modelled here`);
    }
  };
  const rule = rules.find((r) => (r.condition as Body[]).every(matches));
  return ((rule ? rule.action : listener.default_action) as Body[])[0];
}

const FORWARD = expect.objectContaining({
  type: 'forward',
  target_group_arn: expect.stringContaining('aws_lb_target_group.ingress_app_'),
});
const FORBIDDEN = expect.objectContaining({
  type: 'fixed-response',
  fixed_response: expect.objectContaining({ status_code: '403' }),
});

describe('origin secret on the default platform (production)', () => {
  const synth = defaultSynth('production');
  const region = (key: string) => synth.stack(`region-${key}`);
  const global = synth.stack('global');

  /** The one value every region's ALB accepts, as the region's listener rule holds it. */
  const acceptedValues = (stack: StackJson) => {
    const rule = resources(stack, 'aws_lb_listener_rule').find(
      (r) => r.priority === ORIGIN_RULE_PRIORITIES.originHeader,
    );
    return ((rule?.condition as Body[])[0].http_header as Body).values as string[];
  };

  test('CloudFront sends the header on every origin, read from the primary region copy of the secret', () => {
    const [distribution] = resources(global, 'aws_cloudfront_distribution');
    const origins = distribution.origin as Body[];
    expect(origins.map((o) => o.origin_id)).toEqual(['primary', 'failover', 'routed']);
    const reads = Object.entries(global.data?.aws_secretsmanager_secret_version ?? {});
    expect(reads).toHaveLength(1);
    const [readId, read] = reads[0] as [string, Body];
    expect(read).toEqual(
      expect.objectContaining({
        secret_id: SECRET_NAME,
        version_stage: 'AWSCURRENT',
        provider: `aws.${plan.primary.key}`,
      }),
    );
    for (const origin of origins) {
      expect(origin.custom_header).toEqual([
        { name: ORIGIN_VERIFY_HEADER, value: `\${data.aws_secretsmanager_secret_version.${readId}.secret_string}` },
      ]);
    }
  });

  test.each(REGIONS)(
    '%s: the secret arrives write-only from an ephemeral variable, under the name the global stack reads',
    (key) => {
      const stack = region(key);
      const variables = (stack as StackJson & { variable?: Record<string, Body> }).variable;
      const variable = variables?.[ORIGIN_VERIFY_VARIABLE];
      expect(variable).toEqual(expect.objectContaining({ type: 'string', sensitive: true, ephemeral: true }));
      const [[secretId, secret]] = Object.entries(stack.resource?.aws_secretsmanager_secret ?? {}).filter(
        ([, s]) => (s as Body).name === SECRET_NAME,
      );
      expect((secret as Body).kms_key_id).toMatch(/^\$\{aws_kms_key\.kms_/);
      const versions = resources(stack, 'aws_secretsmanager_secret_version').filter(
        (v) => v.secret_id === `\${aws_secretsmanager_secret.${secretId}.id}`,
      );
      expect(versions).toEqual([
        expect.objectContaining({
          secret_string_wo: `\${var.${ORIGIN_VERIFY_VARIABLE}}`,
          secret_string_wo_version: 1,
        }),
      ]);
      expect(versions[0].secret_string).toBeUndefined();
      // Version 1: AWSCURRENT only, read back after the value is written.
      const reads = Object.values(stack.data?.aws_secretsmanager_secret_version ?? {}) as Body[];
      expect(reads).toEqual([
        expect.objectContaining({
          secret_id: `\${aws_secretsmanager_secret.${secretId}.id}`,
          version_stage: 'AWSCURRENT',
          depends_on: [expect.stringContaining('aws_secretsmanager_secret_version.')],
        }),
      ]);
      expect(acceptedValues(stack)).toEqual([expect.stringMatching(/^\$\{data\.aws_secretsmanager_secret_version\./)]);
    },
  );

  test.each(REGIONS)('%s: the first requests end to end through the HTTPS listener', (key) => {
    const stack = region(key);
    // What CloudFront sends: its origin header; the value stands for the same secret (name and
    // stage), which every region holds with the one value of ORIGIN_VERIFY_SECRET.
    const [token] = acceptedValues(stack);
    const cloudFront: Request = {
      path: '/api/orders',
      method: 'POST',
      headers: { [ORIGIN_VERIFY_HEADER]: token },
      sourceIp: '130.176.0.10',
    };
    expect(listenerAction(stack, cloudFront)).toEqual(FORWARD);
    expect(listenerAction(stack, { ...cloudFront, method: 'GET', path: '/' })).toEqual(FORWARD);
    // Anyone else's distribution, or a client that resolved the ALB: no header, a wrong one, or the
    // header name with a guessed value.
    expect(listenerAction(stack, { ...cloudFront, headers: {} })).toEqual(FORBIDDEN);
    expect(listenerAction(stack, { ...cloudFront, headers: { [ORIGIN_VERIFY_HEADER]: 'guess' } })).toEqual(FORBIDDEN);
    expect(listenerAction(stack, { ...cloudFront, headers: { 'x-forwarded-for': token } })).toEqual(FORBIDDEN);
    // Route 53's checker: GET of the readiness path, no custom header.
    const checker: Request = { path: HEALTH_PATH, method: 'GET', headers: {}, sourceIp: '54.243.31.192' };
    expect(listenerAction(stack, checker)).toEqual(FORWARD);
    // The open rule is that path, for reads only: nothing under it, no other method.
    expect(listenerAction(stack, { ...checker, path: `${HEALTH_PATH}/x` })).toEqual(FORBIDDEN);
    expect(listenerAction(stack, { ...checker, method: 'POST' })).toEqual(FORBIDDEN);
    expect(listenerAction(stack, { ...checker, path: '/actuator/env' })).toEqual(FORBIDDEN);
  });

  test.each(REGIONS)('%s: the health checks probe exactly the open path, over HTTPS on the region name', (key) => {
    const checks = resources(global, 'aws_route53_health_check').filter(
      (c) => (c.tags as Body | undefined)?.Name === regionPlan(key).names.healthCheck,
    );
    expect(checks).toEqual([
      expect.objectContaining({
        type: 'HTTPS',
        port: 443,
        resource_path: HEALTH_PATH,
        fqdn: regionPlan(key).names.directHostname,
      }),
    ]);
    const open = resources(region(key), 'aws_lb_listener_rule').find(
      (r) => r.priority === ORIGIN_RULE_PRIORITIES.openPaths,
    );
    expect(open?.condition).toEqual([
      { path_pattern: { values: [HEALTH_PATH] } },
      { http_request_method: { values: ['GET', 'HEAD'] } },
    ]);
  });

  test.each(REGIONS)('%s: no listener forwards by default; port 80 only redirects', (key) => {
    const listeners = resources(region(key), 'aws_lb_listener');
    expect(listeners).toHaveLength(2);
    for (const listener of listeners) {
      expect((listener.default_action as Body[]).map((a) => a.type)).toEqual([
        listener.port === 443 ? 'fixed-response' : 'redirect',
      ]);
    }
    // production lists no direct-access network: exactly the path rule and the header rule.
    expect(
      resources(region(key), 'aws_lb_listener_rule')
        .map((r) => r.priority)
        .sort(),
    ).toEqual([ORIGIN_RULE_PRIORITIES.openPaths, ORIGIN_RULE_PRIORITIES.originHeader]);
  });

  test('no stack holds a literal origin secret: only references to the variable and Secrets Manager', () => {
    const holders = synth.stackIds.flatMap((id) => {
      const text = JSON.stringify(synth.stack(id));
      return [...text.matchAll(/"(?:secret_string_wo|value)":"([^"]*)"/g)]
        .map((m) => m[1])
        .filter((v) => /origin/i.test(v) || /^[A-Za-z0-9_-]{32,128}$/.test(v))
        .map((v) => `${id}: ${v}`);
    });
    for (const holder of holders) expect(holder).toMatch(/: \$\{(var\.origin_verify_secret|data\.aws_secretsmanager)/);
    expect(holders.length).toBeGreaterThanOrEqual(REGIONS.length + 3);
  });
});

const regionPlan = (key: string) => plan.regions.find((r) => r.key === key)!;

describe('ApplicationIngress origin rules (module)', () => {
  const build = (originVerify?: ConstructorParameters<typeof ApplicationIngress>[2]['originVerify']) => {
    const { stack, network } = regionalFixture('eu-west-1');
    new ApplicationIngress(stack, 'ingress', {
      name: 't',
      region: 'eu-west-1',
      accountId: '111122223333',
      partition: 'aws',
      network,
      certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/x',
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      targetPort: 8080,
      healthCheckPath: '/ready',
      targetSecurityGroupId: 'sg-0123456789abcdef0',
      accessLogBucketName: 't-alb-logs',
      accessLogRetentionDays: 30,
      originVerify,
    });
    return JSON.parse(Testing.synth(stack)) as StackJson;
  };
  const request = (over: Partial<Request>): Request => ({
    path: '/x',
    method: 'GET',
    headers: {},
    sourceIp: '100.64.0.7',
    ...over,
  });

  test('during a rotation both values pass, a third does not', () => {
    const json = build({
      headerName: ORIGIN_VERIFY_HEADER,
      acceptedValues: ['new-value', 'old-value'],
      openPaths: ['/ready'],
      directAccessCidrs: [],
    });
    for (const value of ['new-value', 'OLD-VALUE'])
      expect(listenerAction(json, request({ headers: { [ORIGIN_VERIFY_HEADER]: value } }))).toEqual(FORWARD);
    expect(listenerAction(json, request({ headers: { [ORIGIN_VERIFY_HEADER]: 'older-value' } }))).toEqual(FORBIDDEN);
  });

  test('direct-access networks are admitted without the header, five networks per rule', () => {
    const cidrs = ['203.0.113.0/24', '198.51.100.0/24', '192.0.2.0/24', '10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16'];
    const json = build({
      headerName: ORIGIN_VERIFY_HEADER,
      acceptedValues: ['v'],
      openPaths: [],
      directAccessCidrs: cidrs,
    });
    const direct = resources(json, 'aws_lb_listener_rule').filter((r) => Number(r.priority) >= 100);
    expect(direct.map((r) => [r.priority, ((r.condition as Body[])[0].source_ip as Body).values])).toEqual([
      [100, cidrs.slice(0, 5)],
      [101, cidrs.slice(5)],
    ]);
    expect(listenerAction(json, request({ sourceIp: '10.3.4.5' }))).toEqual(FORWARD);
    expect(listenerAction(json, request({ sourceIp: '10.4.4.5' }))).toEqual(FORBIDDEN);
    // No open path configured: the health path is refused like any other.
    expect(listenerAction(json, request({ path: '/ready' }))).toEqual(FORBIDDEN);
  });

  test('without originVerify the listener forwards everything and has no rules', () => {
    const json = build();
    expect(resources(json, 'aws_lb_listener_rule')).toEqual([]);
    expect(listenerAction(json, request({}))).toEqual(FORWARD);
  });

  test.each([[[]], [['1', '2', '3', '4', '5', '6']]])('refuses %j accepted values (1 to 5)', (values) => {
    expect(() =>
      build({ headerName: ORIGIN_VERIFY_HEADER, acceptedValues: values, openPaths: [], directAccessCidrs: [] }),
    ).toThrow(/acceptedValues holds \d+ values, expected 1 to 5/);
  });
});

describe('OriginVerifySecret (module)', () => {
  test('acceptPrevious adds the AWSPREVIOUS value, so the old header keeps working until CloudFront sends the new one', () => {
    const { stack, key } = regionalFixture('eu-west-1');
    const secret = new OriginVerifySecret(stack, 'origin-verify', {
      name: 'n',
      kmsKeyArn: key.arn,
      value: '${var.v}',
      settings: { version: 2, acceptPrevious: true },
    });
    expect(secret.acceptedValues).toHaveLength(2);
    const json = JSON.parse(Testing.synth(stack)) as StackJson;
    const reads = Object.values(json.data?.aws_secretsmanager_secret_version ?? {}) as Body[];
    expect(reads.map((r) => r.version_stage)).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);
    expect(resources(json, 'aws_secretsmanager_secret_version')).toEqual([
      expect.objectContaining({ secret_string_wo: '${var.v}', secret_string_wo_version: 2 }),
    ]);
  });
});

describe('edge.originVerify configuration', () => {
  test('defaults to version 1 without a previous value; one secret name for every region', () => {
    expect(plan.traffic.originVerify).toEqual({
      ...DEFAULT_ORIGIN_VERIFY,
      secretName: SECRET_NAME,
      headerName: ORIGIN_VERIFY_HEADER,
    });
    const rotating = resolvePlan(
      variant((c) => {
        c.edge.originVerify = { version: 3, acceptPrevious: true };
      }),
    );
    expect(rotating.traffic.originVerify).toEqual(expect.objectContaining({ version: 3, acceptPrevious: true }));
  });

  test.each([
    [{ version: 0, acceptPrevious: false }, 'edge.originVerify.version'],
    [{ version: 1.5, acceptPrevious: false }, 'edge.originVerify.version'],
    [{ version: 1, acceptPrevious: true }, 'edge.originVerify.acceptPrevious'],
    [{ version: 2, acceptPrevious: 'yes' }, 'edge.originVerify.acceptPrevious'],
  ])('refuses %j at %s', (originVerify, path) => {
    const issues = issuesOf(
      variant((c) => {
        (c.edge as { originVerify?: unknown }).originVerify = originVerify;
      }),
    );
    expect(issues.map((i) => i.path)).toEqual([path]);
  });
});
