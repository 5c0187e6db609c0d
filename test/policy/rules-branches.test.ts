import { INTERNET_FACING_LB_TAG } from '../../modules/common/policy';
import { checkResources } from '../../src/policy/engine';
import { RULES } from '../../src/policy/rules';
import type { ResourceView } from '../../src/policy/types';
import { resourceView as res } from '../support/policy-views';

// Each branch of the CloudFront, load balancer, ElastiCache, EC2 and backup rules, with the exact
// problem it reports: a rule that checks the wrong field, or reports the wrong thing, fails here.

const byId = new Map(RULES.map((r) => [r.id, r]));
/** The problems rule `id` reports for `resources`. */
const problems = (id: string, resources: ResourceView[]) => {
  const rule = byId.get(id);
  if (!rule) throw new Error(`no rule ${id}`);
  return checkResources(resources, [rule]).map((f) => f.problem);
};
const distribution = (attributes: Record<string, unknown>) => res('aws_cloudfront_distribution', attributes, 'cdn');

describe('CloudFront', () => {
  test('MRP-CF-1: the default certificate, or a policy older than TLSv1.2_2021', () => {
    const cert = (c: Record<string, unknown> | undefined) =>
      problems('MRP-CF-1', [distribution(c ? { viewer_certificate: [c] } : {})]);
    expect(cert({ cloudfront_default_certificate: true })).toEqual([
      'viewer_certificate uses the default certificate (TLS 1.0)',
    ]);
    expect(cert({ cloudfront_default_certificate: false, minimum_protocol_version: 'TLSv1.2_2021' })).toEqual([]);
    expect(cert({ minimum_protocol_version: 'TLSv1.3_2025' })).toEqual([]);
    for (const version of ['TLSv1.2_2019', 'TLSv1', 'xTLSv1.2_2021', 'TLSv1.2_2021x'])
      expect(cert({ minimum_protocol_version: version })).toEqual([
        `minimum_protocol_version is ${version}, expected TLSv1.2_2021 or later`,
      ]);
    expect(cert({ minimum_protocol_version: ['TLSv1.2_2021'] })).toEqual([
      'minimum_protocol_version is TLSv1.2_2021, expected TLSv1.2_2021 or later',
    ]);
    expect(cert({})).toEqual(['minimum_protocol_version is unset, expected TLSv1.2_2021 or later']);
    expect(cert(undefined)).toEqual(['minimum_protocol_version is unset, expected TLSv1.2_2021 or later']);
  });

  test('MRP-CF-2: every cache behavior redirects or accepts HTTPS only', () => {
    const behaviors = (d: string, ...ordered: string[]) =>
      problems('MRP-CF-2', [
        distribution({
          default_cache_behavior: [{ viewer_protocol_policy: d }],
          ordered_cache_behavior: ordered.map((p) => ({ viewer_protocol_policy: p })),
        }),
      ]);
    expect(behaviors('redirect-to-https', 'https-only')).toEqual([]);
    expect(behaviors('allow-all', 'https-only', 'allow-all')).toEqual(['2 cache behavior(s) allow plain HTTP']);
  });

  test('MRP-CF-3: custom origins https-only with TLSv1.2 only; S3 origins are not custom', () => {
    const origin = (custom?: Record<string, unknown>) =>
      problems('MRP-CF-3', [
        distribution({ origin: [{ origin_id: 'api', ...(custom ? { custom_origin_config: [custom] } : {}) }] }),
      ]);
    expect(origin()).toEqual([]);
    expect(origin({ origin_protocol_policy: 'https-only', origin_ssl_protocols: ['TLSv1.2'] })).toEqual([]);
    for (const custom of [
      { origin_protocol_policy: 'http-only', origin_ssl_protocols: ['TLSv1.2'] },
      { origin_protocol_policy: 'https-only', origin_ssl_protocols: [] },
      { origin_protocol_policy: 'https-only', origin_ssl_protocols: ['TLSv1.2', 'TLSv1.1'] },
      { origin_protocol_policy: 'https-only', origin_ssl_protocols: ['TLSv1'] },
    ])
      expect(origin(custom)).toEqual(['origin api is not https-only with TLSv1.2']);
  });

  test('MRP-CF-4: access logging through logging_config or a log delivery source', () => {
    const cdn = distribution({});
    expect(problems('MRP-CF-4', [cdn])).toEqual(['distribution has no access logging']);
    expect(problems('MRP-CF-4', [distribution({ logging_config: [{ bucket: 'logs.s3.amazonaws.com' }] })])).toEqual([]);
    expect(problems('MRP-CF-4', [distribution({ logging_config: [{ include_cookies: false }] })])).toEqual([
      'distribution has no access logging',
    ]);
    const source = (arn: string) => res('aws_cloudwatch_log_delivery_source', { resource_arn: arn }, 's');
    expect(problems('MRP-CF-4', [cdn, source('${aws_cloudfront_distribution.cdn.arn}')])).toEqual([]);
    expect(problems('MRP-CF-4', [cdn, source('${aws_cloudfront_distribution.other.arn}')])).toEqual([
      'distribution has no access logging',
    ]);
  });

  test('MRP-CF-5 and MRP-CF-6: a web ACL; a geo restriction other than none', () => {
    expect(problems('MRP-CF-5', [distribution({})])).toEqual(['web_acl_id is not set']);
    expect(problems('MRP-CF-5', [distribution({ web_acl_id: '${aws_wafv2_web_acl.w.arn}' })])).toEqual([]);
    const geo = (type?: string) =>
      problems('MRP-CF-6', [
        distribution(type ? { restrictions: [{ geo_restriction: [{ restriction_type: type }] }] } : {}),
      ]);
    expect(geo('whitelist')).toEqual([]);
    expect(geo('blacklist')).toEqual([]);
    expect(geo('none')).toEqual(['geo_restriction is none']);
    expect(geo()).toEqual(['geo_restriction is unset']);
  });
});

describe('load balancers', () => {
  test('MRP-LB-1: access logs enabled with a bucket; gateway load balancers have none', () => {
    const lb = (attributes: Record<string, unknown>) => problems('MRP-LB-1', [res('aws_lb', attributes)]);
    expect(lb({ access_logs: [{ enabled: true, bucket: 'logs' }] })).toEqual([]);
    expect(lb({ load_balancer_type: 'gateway' })).toEqual([]);
    for (const logs of [[{ enabled: false, bucket: 'logs' }], [{ enabled: true }], undefined])
      expect(lb({ access_logs: logs })).toEqual(['access_logs are not enabled with a bucket']);
  });

  test('MRP-LB-2: HTTPS and TLS listeners on a TLS 1.2+ policy; others are not checked', () => {
    const listener = (protocol: string, ssl_policy?: unknown) =>
      problems('MRP-LB-2', [res('aws_lb_listener', { protocol, ...(ssl_policy ? { ssl_policy } : {}) })]);
    expect(listener('HTTP')).toEqual([]);
    expect(listener('TCP')).toEqual([]);
    for (const protocol of ['HTTPS', 'TLS']) {
      expect(listener(protocol, 'ELBSecurityPolicy-TLS13-1-2-2021-06')).toEqual([]);
      expect(listener(protocol, 'ELBSecurityPolicy-2016-08')).toEqual([
        'ssl_policy is ELBSecurityPolicy-2016-08, expected a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06',
      ]);
      expect(listener(protocol)).toEqual([
        'ssl_policy is unset (ELBSecurityPolicy-2016-08), expected a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06',
      ]);
    }
  });

  test('MRP-LB-4: application load balancers (the default type) drop invalid headers', () => {
    const lb = (attributes: Record<string, unknown>) => problems('MRP-LB-4', [res('aws_lb', attributes)]);
    expect(lb({})).toEqual(['drop_invalid_header_fields is not true']);
    expect(lb({ load_balancer_type: 'application' })).toEqual(['drop_invalid_header_fields is not true']);
    expect(lb({ drop_invalid_header_fields: true })).toEqual([]);
    expect(lb({ load_balancer_type: 'network' })).toEqual([]);
  });
});

describe('ElastiCache and EC2 encryption', () => {
  test('MRP-EC-1: a serverless cache needs a customer-managed key only', () => {
    const serverless = (kms_key_id?: string) =>
      problems('MRP-EC-1', [res('aws_elasticache_serverless_cache', kms_key_id ? { kms_key_id } : {})]);
    expect(serverless('${aws_kms_key.k.arn}')).toEqual([]);
    expect(serverless()).toEqual(['kms_key_id is not a customer-managed key']);
    expect(serverless('alias/aws/elasticache')).toEqual(['kms_key_id is not a customer-managed key']);
  });

  test('MRP-EC2-4: an instance checks its root and every EBS device', () => {
    const cmk = { encrypted: true, kms_key_id: '${aws_kms_key.k.arn}' };
    const instance = (attributes: Record<string, unknown>) => problems('MRP-EC2-4', [res('aws_instance', attributes)]);
    expect(instance({ root_block_device: [cmk], ebs_block_device: [{ ...cmk, device_name: '/dev/sdf' }] })).toEqual([]);
    expect(instance({})).toEqual(['root_block_device is not encrypted with a customer-managed kms_key_id']);
    expect(
      instance({
        root_block_device: [cmk],
        ebs_block_device: [
          { ...cmk, device_name: '/dev/sdf' },
          { encrypted: true, device_name: '/dev/sdg' },
        ],
      }),
    ).toEqual(['ebs_block_device /dev/sdg is not encrypted with a customer-managed kms_key_id']);
  });

  test('MRP-EC2-3: IMDSv2 required, or the endpoint off', () => {
    const imds = (options?: Record<string, unknown>) =>
      problems('MRP-EC2-3', [res('aws_instance', options ? { metadata_options: [options] } : {})]);
    expect(imds({ http_tokens: 'required' })).toEqual([]);
    expect(imds({ http_endpoint: 'disabled' })).toEqual([]);
    expect(imds({ http_tokens: 'optional' })).toEqual(['metadata_options.http_tokens is optional, expected required']);
    expect(imds()).toEqual(['metadata_options.http_tokens is unset (optional), expected required']);
  });
});

describe('every rule', () => {
  /** Every resource type a rule reads, each with no attributes at all. */
  const bare = [
    ...new Set(
      RULES.flatMap((r) => (r.scope === 'stack' ? [] : r.appliesTo)).concat([
        'aws_s3_bucket',
        'aws_s3_bucket_policy',
        'aws_s3_bucket_versioning',
        'aws_s3_bucket_logging',
        'aws_s3_bucket_object_lock_configuration',
        'aws_s3_bucket_replication_configuration',
        'aws_s3_bucket_public_access_block',
        'aws_s3_bucket_server_side_encryption_configuration',
        'aws_backup_vault',
        'aws_backup_vault_lock_configuration',
        'aws_backup_plan',
        'aws_cloudfront_distribution',
        'aws_cloudwatch_log_delivery_source',
        'aws_kms_key',
        'aws_security_group',
        'aws_vpc',
        'aws_flow_log',
        'aws_route53_zone',
        'aws_route53_query_log',
        'aws_eks_node_group',
        'aws_launch_template',
        'aws_iam_role',
      ]),
    ),
  ].map((type, i) => res(type, {}, `bare${i}`));

  test('each names its service and the Terraform types it applies to', () => {
    for (const rule of RULES) {
      expect([rule.id, rule.service]).toEqual([rule.id, expect.stringMatching(/^[A-Z][\w /0-9]+$/)]);
      if (rule.scope !== 'stack')
        for (const type of rule.appliesTo)
          expect([rule.id, type]).toEqual([rule.id, expect.stringMatching(/^(data\.)?(aws|kubernetes)_[a-z0-9_]+$/)]);
    }
    expect(new Set(RULES.map((r) => r.service))).toEqual(
      new Set(RULES.map((r) => r.service).filter((s) => s.trim().length > 1)),
    );
  });

  test.each(RULES.map((r) => [r.id, r] as const))(
    '%s judges resources with no attributes (computed or sparse) without throwing, each problem in words',
    (_id, rule) => {
      const findings = checkResources(bare, [rule]);
      for (const f of findings) expect([f.address, f.problem]).toEqual([f.address, expect.stringMatching(/\w.{9,}/)]);
    },
  );
});

describe('CloudTrail', () => {
  const trail = (attributes: Record<string, unknown>) => problems('MRP-TRAIL-2', [res('aws_cloudtrail', attributes)]);
  const field = (name: string, values: Record<string, unknown>) => ({ field: name, ...values });
  const data = (...extra: Record<string, unknown>[]) => ({
    field_selector: [
      field('eventCategory', { equals: ['Data'] }),
      field('resources.type', { equals: ['AWS::S3::Object'] }),
      field('resources.ARN', { starts_with: ['arn:aws:s3:::b/'] }),
      ...extra,
    ],
  });
  const management = { field_selector: [field('eventCategory', { equals: ['Management'] })] };
  const noData = 'no advanced event selector records every S3 data event of named buckets';
  const noManagement = 'the event selectors drop management events';

  test('MRP-TRAIL-1: log files announced on a topic', () => {
    expect(problems('MRP-TRAIL-1', [res('aws_cloudtrail', {})])).toEqual(['sns_topic_name is not set']);
    expect(problems('MRP-TRAIL-1', [res('aws_cloudtrail', { sns_topic_name: 'trail' })])).toEqual([]);
  });

  test('MRP-TRAIL-2: S3 data events of named buckets, every event, with management events too', () => {
    expect(trail({ advanced_event_selector: [data(), management] })).toEqual([]);
    expect(trail({ advanced_event_selector: [data()] })).toEqual([noManagement]);
    expect(trail({ advanced_event_selector: [management] })).toEqual([noData]);
    for (const selector of [
      data(field('readOnly', { equals: ['true'] })),
      data(field('eventName', { equals: ['PutObject'] })),
      { field_selector: data().field_selector.filter((f) => f.field !== 'resources.ARN') },
      { field_selector: data().field_selector.filter((f) => f.field !== 'eventCategory') },
      { field_selector: data().field_selector.filter((f) => f.field !== 'resources.type') },
      {
        field_selector: [
          field('eventCategory', { equals: ['Data'] }),
          field('resources.type', { equals: ['AWS::DynamoDB::Table'] }),
          field('resources.ARN', { starts_with: ['arn:aws:dynamodb:'] }),
        ],
      },
      {
        field_selector: [
          field('eventCategory', { equals: ['Management'] }),
          field('resources.type', { equals: ['AWS::S3::Object'] }),
          field('resources.ARN', { starts_with: ['arn:aws:s3:::b/'] }),
        ],
      },
    ])
      expect(trail({ advanced_event_selector: [selector, management] })).toEqual([noData]);
  });

  test('MRP-TRAIL-2: without any selector management events are recorded; basic selectors count as choosing', () => {
    expect(trail({})).toEqual([noData]);
    expect(trail({ event_selector: [{ read_write_type: 'All' }] })).toEqual([noData, noManagement]);
  });
});

describe('MRP-EC2-1: world-open ingress', () => {
  const lbTag = { [INTERNET_FACING_LB_TAG.key]: INTERNET_FACING_LB_TAG.value };
  const sg = (ingress: Record<string, unknown>[], tags: Record<string, string> = {}) =>
    problems('MRP-EC2-1', [res('aws_security_group', { ingress, tags }, 'sg')]);
  const rule = (a: Record<string, unknown>, tags: Record<string, string> = {}) =>
    problems('MRP-EC2-1', [
      res('aws_security_group', { tags }, 'lb'),
      res('aws_vpc_security_group_ingress_rule', { security_group_id: '${aws_security_group.lb.id}', ...a }, 'in'),
    ]);
  const untagged = `but the security group is not tagged ${INTERNET_FACING_LB_TAG.key}=${INTERNET_FACING_LB_TAG.value}`;

  test('HTTPS or HTTP alone on a tagged load balancer group is accepted', () => {
    for (const port of [80, 443]) {
      expect(sg([{ cidr_blocks: ['0.0.0.0/0'], protocol: 'tcp', from_port: port, to_port: port }], lbTag)).toEqual([]);
      expect(rule({ cidr_ipv6: '::/0', ip_protocol: 'tcp', from_port: port, to_port: port }, lbTag)).toEqual([]);
    }
  });

  test('the same ports on an untagged group name the missing tag', () => {
    expect(
      sg([{ cidr_blocks: ['0.0.0.0/0'], ipv6_cidr_blocks: ['::/0'], protocol: 'tcp', from_port: 443, to_port: 443 }]),
    ).toEqual([`ingress from 0.0.0.0/0, ::/0 on ports 443-443, ${untagged}`]);
  });

  test('other ports, port ranges and all protocols are refused even on a tagged group', () => {
    expect(sg([{ cidr_blocks: ['0.0.0.0/0'], protocol: 'tcp', from_port: 22, to_port: 22 }], lbTag)).toEqual([
      'ingress from 0.0.0.0/0 on ports 22-22',
    ]);
    expect(sg([{ cidr_blocks: ['0.0.0.0/0'], protocol: 'tcp', from_port: 80, to_port: 443 }], lbTag)).toEqual([
      'ingress from 0.0.0.0/0 on ports 80-443',
    ]);
    expect(sg([{ cidr_blocks: ['0.0.0.0/0'], protocol: '-1', from_port: 443, to_port: 443 }], lbTag)).toEqual([
      'ingress from 0.0.0.0/0 on all ports',
    ]);
    expect(rule({ cidr_ipv4: '0.0.0.0/0', ip_protocol: -1 }, lbTag)).toEqual(['ingress from 0.0.0.0/0 on all ports']);
    expect(rule({ cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp' }, lbTag)).toEqual([
      'ingress from 0.0.0.0/0 on ports undefined-undefined',
    ]);
  });

  test('ranges narrower than the world, and egress rules, are not its concern', () => {
    expect(sg([{ cidr_blocks: ['10.0.0.0/8'], protocol: '-1' }])).toEqual([]);
    expect(
      problems('MRP-EC2-1', [
        res('aws_security_group_rule', { type: 'egress', cidr_blocks: ['0.0.0.0/0'], protocol: '-1' }, 'out'),
      ]),
    ).toEqual([]);
    expect(
      problems('MRP-EC2-1', [
        res(
          'aws_security_group_rule',
          { type: 'ingress', cidr_blocks: ['0.0.0.0/0'], protocol: 'tcp', from_port: 22, to_port: 22 },
          'in',
        ),
      ]),
    ).toEqual(['ingress from 0.0.0.0/0 on ports 22-22']);
  });
});

describe('AWS Backup', () => {
  const vault = (name = 'v', attributes: Record<string, unknown> = {}, region = 'us-east-1') =>
    res('aws_backup_vault', { name, ...attributes }, name, region);
  const lock = (days: unknown, vaultName: unknown = '${aws_backup_vault.v.name}') =>
    res(
      'aws_backup_vault_lock_configuration',
      { backup_vault_name: vaultName, min_retention_days: days },
      `lock${String(days)}`,
    );

  test('MRP-BACKUP-2: a lock with min_retention_days of at least one day, by reference or by name', () => {
    expect(problems('MRP-BACKUP-2', [vault(), lock(7)])).toEqual([]);
    expect(problems('MRP-BACKUP-2', [vault(), lock(1)])).toEqual([]);
    expect(problems('MRP-BACKUP-2', [vault(), lock('${var.days}')])).toEqual([]);
    expect(problems('MRP-BACKUP-2', [vault(), lock(7, 'v')])).toEqual([]);
    expect(problems('MRP-BACKUP-2', [vault(), lock(7, ['v'])])).toEqual([
      'no aws_backup_vault_lock_configuration locks the vault',
    ]);
    expect(problems('MRP-BACKUP-2', [vault()])).toEqual(['no aws_backup_vault_lock_configuration locks the vault']);
    for (const days of [0, undefined, 'x'])
      expect(problems('MRP-BACKUP-2', [vault(), lock(days)])).toEqual([
        `the vault lock sets min_retention_days ${String(days ?? 'unset')} (recovery points can be deleted at any time)`,
      ]);
    // One valid lock among several is enough.
    expect(problems('MRP-BACKUP-2', [vault(), lock(0), lock(7)])).toEqual([]);
  });

  describe('MRP-BACKUP-4: copies to a vault in another region, with their own expiry', () => {
    const arn = (region: string, name: string) =>
      `arn:\${data.aws_partition.p.partition}:backup:${region}:\${acct}:backup-vault:${name}`;
    const plan = (
      copy: Record<string, unknown>[],
      target: unknown = '${aws_backup_vault.v.name}',
      region: string | null = 'us-east-1',
    ) =>
      res(
        'aws_backup_plan',
        { rule: [{ rule_name: 'daily', target_vault_name: target, copy_action: copy }] },
        'plan',
        region ?? undefined,
      );
    const copy = (destination: unknown, deleteAfter: unknown = 35) => ({
      destination_vault_arn: destination,
      lifecycle: [{ delete_after: deleteAfter }],
    });
    const check = (...resources: ResourceView[]) => problems('MRP-BACKUP-4', resources);

    test('a referenced vault in another region, or a literal ARN of another region', () => {
      const remote = vault('remote', {}, 'us-west-2');
      expect(check(vault(), remote, plan([copy('${aws_backup_vault.remote.arn}')]))).toEqual([]);
      expect(check(vault(), plan([copy(arn('us-west-2', 'remote'))]))).toEqual([]);
    });

    test('no copy, no destination, no expiry', () => {
      expect(check(vault(), plan([]))).toEqual(['rule daily has no copy_action to another region']);
      for (const destination of [undefined, ''])
        expect(check(vault(), plan([copy(destination)]))).toEqual([
          'rule daily, copy_action 1 has no destination_vault_arn',
        ]);
      expect(check(vault(), plan([copy(arn('us-west-2', 'remote'), null)]))).toEqual([
        'rule daily, copy_action 1 has no lifecycle.delete_after (copies kept forever, past any vault lock maximum)',
      ]);
    });

    test("the rule's own vault: the same resource, or its name in an ARN of the same or an unknown region", () => {
      const own = "rule daily, copy_action 1 copies into the rule's own vault";
      expect(check(vault(), plan([copy('${aws_backup_vault.v.arn}')]))).toEqual([own]);
      expect(check(vault(), plan([copy(arn('us-east-1', 'v'))]))).toEqual([own]);
      expect(check(vault(), plan([copy(arn('${var.region}', 'v'))]))).toEqual([own]);
      expect(check(vault(), plan([copy(arn('us-east-1', 'v'))], 'v'))).toEqual([own]);
      expect(check(vault(), plan([copy(arn('us-west-2', 'v'))], '${aws_backup_vault.v.name}', null))).toEqual([own]);
      // The same name in another region is another vault.
      expect(check(vault(), plan([copy(arn('us-west-2', 'v'))]))).toEqual([]);
      // A longer name that only starts like the vault's is another vault.
      expect(check(vault(), plan([copy(`${arn('us-east-1', 'v')}:x`)]))).toEqual([
        'rule daily, copy_action 1 copies within us-east-1 (a regional outage takes both copies)',
      ]);
    });

    test('another vault in the same region is refused for its region', () => {
      const local = vault('local', {}, 'us-east-1');
      expect(check(vault(), local, plan([copy('${aws_backup_vault.local.arn}')]))).toEqual([
        'rule daily, copy_action 1 copies within us-east-1 (a regional outage takes both copies)',
      ]);
      expect(check(vault(), plan([copy(arn('us-east-1', 'other'))]))).toEqual([
        'rule daily, copy_action 1 copies within us-east-1 (a regional outage takes both copies)',
      ]);
      // A referenced resource that is not a vault gives no region.
      expect(check(vault(), res('aws_kms_key', {}, 'k', 'us-east-1'), plan([copy('${aws_kms_key.k.arn}')]))).toEqual(
        [],
      );
    });

    test('one good copy among several is enough; otherwise each is reported', () => {
      expect(check(vault(), plan([copy(arn('us-east-1', 'other')), copy(arn('us-west-2', 'r'))]))).toEqual([]);
      expect(check(vault(), plan([copy(arn('us-east-1', 'other')), copy(undefined)]))).toEqual([
        'rule daily, copy_action 1 copies within us-east-1 (a regional outage takes both copies)',
        'rule daily, copy_action 2 has no destination_vault_arn',
      ]);
    });
  });
});

describe('EKS', () => {
  const cluster = (attributes: Record<string, unknown>) => res('aws_eks_cluster', attributes, 'eks');

  test('MRP-EKS-1: a private endpoint, or public to listed CIDRs other than the world', () => {
    const open = 'the public endpoint is open to 0.0.0.0/0 (set endpoint_public_access = false or public_access_cidrs)';
    const endpoint = (vpc?: Record<string, unknown>) =>
      problems('MRP-EKS-1', [cluster(vpc ? { vpc_config: [vpc] } : {})]);
    expect(endpoint({ endpoint_public_access: false })).toEqual([]);
    expect(endpoint({ endpoint_public_access: true, public_access_cidrs: ['198.51.100.0/24'] })).toEqual([]);
    expect(endpoint({ public_access_cidrs: ['198.51.100.0/24'] })).toEqual([]);
    expect(endpoint({ endpoint_public_access: true, public_access_cidrs: ['198.51.100.0/24', '0.0.0.0/0'] })).toEqual([
      open,
    ]);
    expect(endpoint({ endpoint_public_access: true })).toEqual([open]);
    expect(endpoint()).toEqual([open]);
  });

  test('MRP-EKS-2: every required control-plane log type, the missing ones named', () => {
    expect(problems('MRP-EKS-2', [cluster({ enabled_cluster_log_types: ['api'] })])).toEqual([
      'enabled_cluster_log_types lacks audit, authenticator',
    ]);
  });

  test('MRP-EKS-3: secrets encrypted with a key', () => {
    const encryption = (...configs: Record<string, unknown>[]) =>
      problems('MRP-EKS-3', [cluster({ encryption_config: configs })]);
    const missing = 'no encryption_config for secrets with provider.key_arn';
    expect(encryption({ resources: ['secrets'], provider: [{ key_arn: '${aws_kms_key.k.arn}' }] })).toEqual([]);
    expect(encryption({ resources: ['secrets'] })).toEqual([missing]);
    expect(encryption({ resources: ['configmaps'], provider: [{ key_arn: '${aws_kms_key.k.arn}' }] })).toEqual([
      missing,
    ]);
    expect(encryption({ resources: ['configmaps'], provider: [{ key_arn: 'k' }] }, { resources: ['secrets'] })).toEqual(
      [missing],
    );
  });
});

describe('ElastiCache replication groups', () => {
  const group = (attributes: Record<string, unknown>) => res('aws_elasticache_replication_group', attributes, 'g');
  const cmk = { kms_key_id: '${aws_kms_key.k.arn}' };

  test('MRP-EC-1 and MRP-EC-2: encryption at rest and in transit; a global member inherits both', () => {
    expect(problems('MRP-EC-1', [group({ at_rest_encryption_enabled: true, ...cmk })])).toEqual([]);
    expect(problems('MRP-EC-1', [group({ ...cmk })])).toEqual(['at_rest_encryption_enabled is not true']);
    expect(problems('MRP-EC-1', [group({ global_replication_group_id: '${x.y.id}', ...cmk })])).toEqual([]);
    expect(problems('MRP-EC-1', [group({ at_rest_encryption_enabled: true })])).toEqual([
      'kms_key_id is not a customer-managed key',
    ]);
    expect(problems('MRP-EC-2', [group({ transit_encryption_enabled: true })])).toEqual([]);
    expect(problems('MRP-EC-2', [group({ global_replication_group_id: 'g' })])).toEqual([]);
    expect(problems('MRP-EC-2', [group({})])).toEqual(['transit_encryption_enabled is not true']);
  });

  test('MRP-EC-3: snapshots kept at least a day', () => {
    expect(problems('MRP-EC-3', [group({ snapshot_retention_limit: 1 })])).toEqual([]);
    for (const days of [0, undefined, '${var.days}'])
      expect(problems('MRP-EC-3', [group({ snapshot_retention_limit: days })])).toEqual([
        'snapshot_retention_limit is unset or 0',
      ]);
  });
});

test('MRP-IAM-7: a "*" action entry is MRP-IAM-1\'s concern; each resource-level action on "*" is named once', () => {
  const document = (actions: string[]) =>
    res('data.aws_iam_policy_document', { statement: [{ effect: 'Allow', actions, resources: ['*'] }] }, 'd');
  expect(problems('MRP-IAM-7', [document(['*'])])).toEqual([]);
  expect(problems('MRP-IAM-7', [document(['s3:GetObject', 's3:GetObject', 's3:PutObject'])])).toEqual([
    's3:GetObject, s3:PutObject on "*": these actions take resource ARNs (or a resource-tag condition)',
  ]);
});

describe('listeners, functions, log groups and Kafka', () => {
  test('MRP-LB-3: plain HTTP listeners only redirect to HTTPS', () => {
    const http = (actions: Record<string, unknown>[], protocol = 'HTTP') =>
      problems('MRP-LB-3', [res('aws_lb_listener', { protocol, default_action: actions })]);
    const serves = 'an HTTP listener serves traffic instead of redirecting to HTTPS';
    const redirect = { type: 'redirect', redirect: [{ protocol: 'HTTPS', port: '443' }] };
    expect(http([redirect])).toEqual([]);
    expect(http([{ type: 'forward' }], 'HTTPS')).toEqual([]);
    expect(http([])).toEqual([serves]);
    expect(http([{ type: 'forward' }])).toEqual([serves]);
    expect(http([redirect, { type: 'forward' }])).toEqual([serves]);
    expect(http([{ type: 'redirect', redirect: [{ protocol: 'HTTP' }] }])).toEqual([serves]);
    expect(http([{ type: 'redirect' }])).toEqual([serves]);
    expect(http([{ type: 'fixed-response', redirect: [{ protocol: 'HTTPS' }] }])).toEqual([serves]);
  });

  test('MRP-LAMBDA-1: environment variables need a customer-managed key; none, none needed', () => {
    const fn = (environment: unknown, key?: string) =>
      problems('MRP-LAMBDA-1', [
        res('aws_lambda_function', {
          ...(environment === undefined ? {} : { environment }),
          ...(key ? { kms_key_arn: key } : {}),
        }),
      ]);
    const missing = 'environment variables without kms_key_arn';
    expect(fn(undefined)).toEqual([]);
    expect(fn([{}])).toEqual([]);
    expect(fn([{ variables: {} }])).toEqual([]);
    expect(fn([{ variables: { A: '1' } }])).toEqual([missing]);
    expect(fn([{ variables: '${var.env}' }])).toEqual([missing]);
    expect(fn([{ variables: { A: '1' } }], '${aws_kms_key.k.arn}')).toEqual([]);
  });

  test('MRP-LAMBDA-2: function URLs authenticate with IAM', () => {
    expect(problems('MRP-LAMBDA-2', [res('aws_lambda_function_url', { authorization_type: 'AWS_IAM' })])).toEqual([]);
    expect(problems('MRP-LAMBDA-2', [res('aws_lambda_function_url', { authorization_type: 'NONE' })])).toEqual([
      'authorization_type is not AWS_IAM',
    ]);
  });

  test('MRP-LOG-2: an explicit retention of at least a day, or one Terraform computes', () => {
    const group = (retention_in_days?: unknown) =>
      problems('MRP-LOG-2', [
        res('aws_cloudwatch_log_group', retention_in_days === undefined ? {} : { retention_in_days }),
      ]);
    expect(group(1)).toEqual([]);
    expect(group('${var.days}')).toEqual([]);
    expect(group(0)).toEqual(['retention_in_days is 0']);
    expect(group('forever')).toEqual(['retention_in_days is forever']);
    expect(group()).toEqual(['retention_in_days is unset']);
  });

  test('MRP-MSK-2/3/4: TLS in transit, a broker log destination, no public access', () => {
    const cluster = (attributes: Record<string, unknown>) => res('aws_msk_cluster', attributes, 'kafka');
    const transit = (t: Record<string, unknown>) =>
      problems('MRP-MSK-2', [cluster({ encryption_info: [{ encryption_in_transit: [t] }] })]);
    expect(transit({})).toEqual([]);
    expect(transit({ client_broker: 'TLS_PLAINTEXT', in_cluster: false })).toEqual([
      'client_broker is TLS_PLAINTEXT, expected TLS',
      'in_cluster encryption is off',
    ]);
    const logs = (destinations: Record<string, unknown>) =>
      problems('MRP-MSK-3', [cluster({ logging_info: [{ broker_logs: [destinations] }] })]);
    for (const d of ['cloudwatch_logs', 's3', 'firehose']) expect(logs({ [d]: [{ enabled: true }] })).toEqual([]);
    expect(logs({ s3: [{ enabled: false }] })).toEqual(['logging_info.broker_logs has no enabled destination']);
    const access = (type?: string) =>
      problems('MRP-MSK-4', [
        cluster(type ? { broker_node_group_info: [{ connectivity_info: [{ public_access: [{ type }] }] }] } : {}),
      ]);
    expect(access()).toEqual([]);
    expect(access('DISABLED')).toEqual([]);
    expect(access('SERVICE_PROVIDED_EIPS')).toEqual(['public_access.type is SERVICE_PROVIDED_EIPS']);
  });
});
