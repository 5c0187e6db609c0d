import { Testing } from 'cdktf';
import { ApplicationIngress } from '../modules/ingress/application-ingress';
import { production } from '../src/config/environments/production';
import { resolvePlan } from '../src/plan/resolve';
import { regionalFixture } from './support/fixtures';
import { regionOfPlan } from './support/plan';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/stack-json';

type Body = Record<string, unknown>;
const pathOf = (body: Body) => (body['//'] as { metadata?: { path: string } } | undefined)?.metadata?.path ?? '';
const plan = resolvePlan(production);
const REGIONS = plan.regions.map((r) => r.key);

function bucketPolicyStatements(stack: StackJson): Body[] {
  // Testing.synth leaves out construct paths: fall back to the logical id.
  const doc = Object.entries(stack.data?.aws_iam_policy_document ?? {}).find(
    ([id, d]) =>
      pathOf(d).endsWith('/ingress/access-logs/policy-document/document') ||
      id.startsWith('ingress_access-logs_policy-document'),
  )?.[1];
  return (doc?.statement ?? []) as Body[];
}

describe('ingress load balancer per region (production)', () => {
  const synth = defaultSynth('production');
  const region = (key: string) => synth.stack(`region-${key}`);

  test.each(REGIONS)('%s: internet-facing ALB in the public subnets, hardened', (key) => {
    const albs = resources(region(key), 'aws_lb');
    expect(albs).toHaveLength(1);
    expect(albs[0]).toEqual(
      expect.objectContaining({
        name: `mi-production-${key}-alb`,
        internal: false,
        load_balancer_type: 'application',
        drop_invalid_header_fields: true,
        enable_deletion_protection: true,
        access_logs: { bucket: expect.stringContaining('ingress_access-logs_bucket'), prefix: 'alb', enabled: true },
      }),
    );
    const azs = Array.from({ length: regionOfPlan(plan, key).azCount }, (_, i) => i);
    expect(albs[0].subnets).toEqual(azs.map((i) => expect.stringContaining(`aws_subnet.network_public-${i}_`)));
  });

  test.each(REGIONS)('%s: HTTPS with a TLS 1.2+ policy and the ACM certificate; HTTP redirects', (key) => {
    const listeners = Object.fromEntries(resources(region(key), 'aws_lb_listener').map((l) => [l.port, l]));
    expect(listeners[443]).toEqual(
      expect.objectContaining({
        protocol: 'HTTPS',
        ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        // The validated certificate of the traffic module, never a literal ARN.
        certificate_arn: expect.stringMatching(/^\$\{aws_acm_certificate_validation\..*\.certificate_arn\}$/),
        // Only the listener rules forward (test/origin-verify.test.ts): the default refuses.
        default_action: [expect.objectContaining({ type: 'fixed-response' })],
      }),
    );
    expect(listeners[80].default_action).toEqual([
      expect.objectContaining({
        type: 'redirect',
        redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' },
      }),
    ]);
  });

  test.each(REGIONS)('%s: IP target group health-checked on the readiness endpoint', (key) => {
    const groups = resources(region(key), 'aws_lb_target_group');
    expect(groups).toHaveLength(1);
    expect(groups[0]).toEqual(
      expect.objectContaining({
        target_type: 'ip',
        protocol: 'HTTP',
        port: 8080,
        health_check: expect.objectContaining({
          path: '/actuator/health/readiness',
          matcher: '200',
          port: 'traffic-port',
        }),
      }),
    );
  });

  test.each(REGIONS)('%s: nothing world-open on the ALB group; the ALB reaches pods on 8080 only', (key) => {
    const stack = region(key);
    // The traffic module admits CloudFront and health checkers through its own groups.
    const albIngress = resources(stack, 'aws_vpc_security_group_ingress_rule').filter((r) =>
      pathOf(r).includes('/ingress/in-'),
    );
    expect(albIngress).toEqual([]);
    const egress = resources(stack, 'aws_vpc_security_group_egress_rule').filter((r) =>
      pathOf(r).includes('/ingress/'),
    );
    expect(egress).toEqual([
      expect.objectContaining({
        from_port: 8080,
        to_port: 8080,
        referenced_security_group_id: expect.stringContaining('eks_node-sg'),
      }),
    ]);
    const toPods = resources(stack, 'aws_vpc_security_group_ingress_rule').find((r) =>
      pathOf(r).endsWith('/ingress/targets-from-alb'),
    );
    expect(toPods).toEqual(
      expect.objectContaining({
        security_group_id: expect.stringContaining('eks_node-sg'),
        from_port: 8080,
        to_port: 8080,
        referenced_security_group_id: expect.stringContaining('ingress_sg_'),
      }),
    );
  });

  test.each(REGIONS)(
    '%s: access logs on SSE-S3 (the only encryption ELB delivers to), written by the ELB account',
    (key) => {
      const stack = region(key);
      const encryption = resources(stack, 'aws_s3_bucket_server_side_encryption_configuration').find((r) =>
        pathOf(r).includes('/ingress/access-logs/'),
      );
      expect(encryption?.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }]);
      const statements = bucketPolicyStatements(stack);
      expect(statements.map((s) => s.sid)).toEqual(['DenyInsecureTransport', 'DenyOutdatedTls', 'ElbLogDelivery']);
      expect(statements[2]).toEqual(
        expect.objectContaining({
          actions: ['s3:PutObject'],
          principals: [{ type: 'AWS', identifiers: [expect.stringContaining('data.aws_elb_service_account')] }],
          resources: [
            expect.stringMatching(/\/alb\/AWSLogs\/\$\{data\.aws_caller_identity\.caller\.account_id\}\/\*$/),
          ],
        }),
      );
      const bucket = resources(stack, 'aws_s3_bucket').find((r) => pathOf(r).includes('/ingress/access-logs/'));
      expect(bucket?.bucket).toBe(`mi-production-${key}-alb-logs-\${data.aws_caller_identity.caller.account_id}`);
      expect(bucket?.lifecycle).toEqual({ prevent_destroy: true });
    },
  );

  test.each(REGIONS)('%s: DNS name and zone id are outputs for Route 53 and CloudFront', (key) => {
    const outputs = region(key).output ?? {};
    expect(outputs.alb_dns_name.value).toMatch(/^\$\{aws_lb\.ingress_alb_.*\.dns_name\}$/);
    expect(outputs.alb_zone_id.value).toMatch(/^\$\{aws_lb\.ingress_alb_.*\.zone_id\}$/);
  });
});

describe('ApplicationIngress in a region opened after August 2022', () => {
  test('grants log delivery to the ELB log-delivery service principal and uses a configured certificate', () => {
    const { stack, network } = regionalFixture('eu-central-2');
    const certificateArn = 'arn:aws:acm:eu-central-2:111122223333:certificate/0e6b2c2a-1d2f-4a3b-9c4d-5e6f7a8b9c0d';
    new ApplicationIngress(stack, 'ingress', {
      name: 't',
      region: 'eu-central-2',
      accountId: '111122223333',
      partition: 'aws',
      network,
      certificateArn,
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      targetPort: 8080,
      healthCheckPath: '/ready',
      targetSecurityGroupId: 'sg-0123456789abcdef0',
      accessLogBucketName: 't-alb-logs',
      accessLogRetentionDays: 30,
    });
    const json = JSON.parse(Testing.synth(stack)) as StackJson;
    expect(json.data?.aws_elb_service_account).toBeUndefined();
    const statements = bucketPolicyStatements(json);
    expect(statements.find((s) => s.sid === 'ElbLogDelivery')?.principals).toEqual([
      { type: 'Service', identifiers: ['logdelivery.elasticloadbalancing.amazonaws.com'] },
    ]);
    const https = resources(json, 'aws_lb_listener').find((l) => l.port === 443);
    expect(https?.certificate_arn).toBe(certificateArn);
    // Without source groups the ALB's own group takes 443 and 80 from anywhere, and nothing else.
    const open = resources(json, 'aws_vpc_security_group_ingress_rule').filter((r) => r.cidr_ipv4 === '0.0.0.0/0');
    expect(open.map((r) => r.from_port).sort()).toEqual([443, 80]);
    expect(resources(json, 'aws_security_group').find((g) => g.name === 't-alb')?.tags).toEqual(
      expect.objectContaining({ exposure: 'internet-facing-load-balancer' }),
    );
  });
});
