import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkResources } from '../../src/policy/engine';
import { RULES } from '../../src/policy/rules';
import type { ResourceView } from '../../src/policy/types';
import { INTERNET_FACING_LB_TAG } from '../../modules/common/policy';
import { resourceView } from '../support/policy-views';

/** A synthesized resource as the pack sees it; `name` makes the Terraform address. */
const res = resourceView;

const KEY = '${aws_kms_key.key.arn}';
const KEEP = { lifecycle: { prevent_destroy: true } };
const ref = (address: string) => `\${${address}.id}`;

const bucket = res('aws_s3_bucket', { bucket: 'b', ...KEEP }, 'b');
const bucketRef = ref('aws_s3_bucket.b');
const sse = res(
  'aws_s3_bucket_server_side_encryption_configuration',
  {
    bucket: bucketRef,
    rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KEY } }],
  },
  'sse',
);
const pab = (on: boolean) =>
  res(
    'aws_s3_bucket_public_access_block',
    {
      bucket: bucketRef,
      block_public_acls: true,
      block_public_policy: on,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    },
    'pab',
  );
const tlsDoc = res(
  'data.aws_iam_policy_document',
  {
    statement: [
      {
        effect: 'Deny',
        actions: ['s3:*'],
        resources: ['*'],
        principals: [{ type: '*', identifiers: ['*'] }],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      },
    ],
  },
  'tls',
);
const kmsRule = (algorithm: string, key: string | undefined) => ({
  apply_server_side_encryption_by_default: { sse_algorithm: algorithm, kms_master_key_id: key },
});
const sseWith = (algorithm: string, key: string | undefined) =>
  res(
    'aws_s3_bucket_server_side_encryption_configuration',
    { bucket: bucketRef, rule: [kmsRule(algorithm, key)] },
    'sse',
  );
/** A literal JSON bucket policy with one statement on aws:SecureTransport-like conditions. */
const jsonTls = (effect: string, test: string, variable: string, value: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: {
      Effect: effect,
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
      Condition: { [test]: { [variable]: value } },
    },
  });
/** A policy resource carrying a literal JSON policy document. */
const jsonPolicy = (type: string, statements: Record<string, unknown>[], name = 'p') =>
  res(type, { policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }, name);
const tlsPolicy = (policy: string) => [res('aws_s3_bucket_policy', { bucket: bucketRef, policy }, 'p')];
const doc = (statement: Record<string, unknown>) =>
  res('data.aws_iam_policy_document', { statement: [statement] }, 'doc');
const allow = (actions: string[], resources: string[], extra: Record<string, unknown> = {}) =>
  doc({ effect: 'Allow', actions, resources, ...extra });

const rdsCluster = {
  storage_encrypted: true,
  kms_key_id: KEY,
  deletion_protection: true,
  backup_retention_period: 14,
  enabled_cloudwatch_logs_exports: ['postgresql'],
  manage_master_user_password: true,
  master_user_secret_kms_key_id: KEY,
  iam_database_authentication_enabled: true,
  ...KEEP,
};
const replicationGroup = {
  at_rest_encryption_enabled: true,
  kms_key_id: KEY,
  transit_encryption_enabled: true,
  snapshot_retention_limit: 7,
  log_delivery_configuration: [{ destination_type: 'cloudwatch-logs', log_format: 'json', log_type: 'slow-log' }],
};
const msk = {
  encryption_info: {
    encryption_at_rest_kms_key_arn: KEY,
    encryption_in_transit: { client_broker: 'TLS', in_cluster: true },
  },
  logging_info: { broker_logs: { cloudwatch_logs: { enabled: true, log_group: 'g' } } },
  broker_node_group_info: { connectivity_info: { public_access: { type: 'DISABLED' } } },
  client_authentication: { sasl: { iam: true } },
  ...KEEP,
};
const table = {
  point_in_time_recovery: { enabled: true },
  deletion_protection_enabled: true,
  server_side_encryption: { enabled: true, kms_key_arn: KEY },
  ...KEEP,
};
const vpc = res('aws_vpc', { cidr_block: '10.0.0.0/16' }, 'vpc');
const flowLog = res('aws_flow_log', { vpc_id: ref('aws_vpc.vpc') }, 'flow');
const lbTags = { [INTERNET_FACING_LB_TAG.key]: INTERNET_FACING_LB_TAG.value };
const sgRule = (sgTags: Record<string, string>, port: number, cidr = '0.0.0.0/0') => [
  res('aws_security_group', { name: 'sg', tags: sgTags }, 'sg'),
  res(
    'aws_vpc_security_group_ingress_rule',
    {
      security_group_id: ref('aws_security_group.sg'),
      ip_protocol: 'tcp',
      from_port: port,
      to_port: port,
      cidr_ipv4: cidr,
    },
    'in',
  ),
];
const ebs = { device_name: '/dev/xvda', ebs: { encrypted: true, kms_key_id: KEY, volume_size: 50 } };
const launchTemplate = { metadata_options: { http_tokens: 'required' }, block_device_mappings: [ebs] };
const eks = {
  vpc_config: { endpoint_public_access: false, endpoint_private_access: true },
  enabled_cluster_log_types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
  encryption_config: { resources: ['secrets'], provider: { key_arn: KEY } },
};
const distribution = {
  viewer_certificate: {
    acm_certificate_arn: 'arn',
    minimum_protocol_version: 'TLSv1.2_2021',
    ssl_support_method: 'sni-only',
  },
  default_cache_behavior: { viewer_protocol_policy: 'redirect-to-https' },
  ordered_cache_behavior: [{ viewer_protocol_policy: 'https-only' }],
  origin: [
    {
      origin_id: 'alb',
      custom_origin_config: { origin_protocol_policy: 'https-only', origin_ssl_protocols: ['TLSv1.2'] },
    },
  ],
  logging_config: { bucket: 'logs.s3.amazonaws.com' },
  web_acl_id: '${aws_wafv2_web_acl.acl.arn}',
};
const alb = {
  load_balancer_type: 'application',
  access_logs: { enabled: true, bucket: 'logs' },
  drop_invalid_header_fields: true,
};

interface Case {
  readonly rule: string;
  readonly ok: ResourceView[];
  readonly bad: ResourceView[];
}

/** For every rule: a compliant set of resources and a non-compliant one. */
const CASES: Case[] = [
  {
    rule: 'MRP-S3-1',
    ok: [sse],
    bad: [res(sse.type, { rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }] })],
  },
  { rule: 'MRP-S3-2', ok: [bucket, sse], bad: [bucket] },
  { rule: 'MRP-S3-3', ok: [pab(true)], bad: [pab(false)] },
  { rule: 'MRP-S3-4', ok: [bucket, pab(true)], bad: [bucket] },
  {
    rule: 'MRP-S3-5',
    ok: [
      bucket,
      tlsDoc,
      res('aws_s3_bucket_policy', { bucket: bucketRef, policy: '${data.aws_iam_policy_document.tls.json}' }, 'p'),
    ],
    bad: [
      bucket,
      allow(['s3:GetObject'], ['arn']),
      res('aws_s3_bucket_policy', { bucket: bucketRef, policy: '${data.aws_iam_policy_document.doc.json}' }, 'p'),
    ],
  },
  { rule: 'MRP-S3-6', ok: [bucket], bad: [res('aws_s3_bucket', { bucket: 'b' })] },
  {
    rule: 'MRP-S3-7',
    ok: [
      bucket,
      res('aws_s3_bucket_versioning', { bucket: 'b', versioning_configuration: { status: 'Enabled' } }, 'v'),
    ],
    bad: [
      bucket,
      res('aws_s3_bucket_versioning', { bucket: bucketRef, versioning_configuration: { status: 'Suspended' } }, 'v'),
    ],
  },
  {
    rule: 'MRP-S3-8',
    ok: [res('aws_s3_bucket_acl', { acl: 'private' })],
    bad: [res('aws_s3_bucket_acl', { acl: 'public-read' })],
  },
  // SSE-KMS under an AWS-managed key (alias/aws/s3, by name or ARN) is not a customer-managed key.
  ...['alias/aws/s3', 'arn:aws:kms:us-east-1:111122223333:alias/aws/s3', undefined, '', '  '].map((key) => ({
    rule: 'MRP-S3-1',
    ok: [sseWith('aws:kms:dsse', KEY)],
    bad: [sseWith('aws:kms', key)],
  })),
  // Every rule must be SSE-KMS with a customer key, and there must be one.
  { rule: 'MRP-S3-1', ok: [sseWith('aws:kms', 'alias/platform-s3')], bad: [res(sse.type, { rule: [] })] },
  {
    rule: 'MRP-S3-1',
    ok: [sse],
    bad: [res(sse.type, { rule: [kmsRule('aws:kms', KEY), kmsRule('AES256', undefined)] })],
  },
  // Only a Deny on aws:SecureTransport = false enforces TLS: an Allow with the same condition does
  // not, nor a Deny on another condition or value.
  ...[
    { effect: 'Allow', test: 'Bool', variable: 'aws:SecureTransport', value: 'false' },
    { effect: 'Deny', test: 'Bool', variable: 'aws:SecureTransport', value: 'true' },
    { effect: 'Deny', test: 'StringEquals', variable: 'aws:SecureTransport', value: 'false' },
    { effect: 'Deny', test: 'Bool', variable: 'aws:MultiFactorAuthPresent', value: 'false' },
  ].map((s) => ({
    rule: 'MRP-S3-5',
    ok: [bucket, ...tlsPolicy(jsonTls('Deny', 'Bool', 'aws:SecureTransport', 'false'))],
    bad: [bucket, ...tlsPolicy(jsonTls(s.effect, s.test, s.variable, s.value))],
  })),
  // A bucket with two policies: one denying insecure transport is enough; a policy on another bucket is not.
  {
    rule: 'MRP-S3-5',
    ok: [
      bucket,
      ...tlsPolicy(jsonTls('Allow', 'Bool', 'aws:SecureTransport', 'false')),
      res(
        'aws_s3_bucket_policy',
        { bucket: 'b', policy: jsonTls('Deny', 'Bool', 'aws:SecureTransport', 'false') },
        'p2',
      ),
    ],
    bad: [
      bucket,
      res(
        'aws_s3_bucket_policy',
        { bucket: 'other', policy: jsonTls('Deny', 'Bool', 'aws:SecureTransport', 'false') },
        'p',
      ),
    ],
  },
  {
    rule: 'MRP-S3-5',
    ok: [bucket, ...tlsPolicy(jsonTls('Deny', 'Bool', 'aws:SecureTransport', 'false'))],
    bad: [bucket],
  },
  ...['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].map((key) => ({
    rule: 'MRP-S3-3',
    ok: [res('aws_s3_account_public_access_block', { ...pab(true).attributes, bucket: undefined })],
    bad: [res('aws_s3_bucket_public_access_block', { ...pab(true).attributes, [key]: 'false' })],
  })),
  ...['public-read-write', 'authenticated-read'].map((acl) => ({
    rule: 'MRP-S3-8',
    ok: [res('aws_s3_bucket_acl', { acl: 'bucket-owner-full-control' })],
    bad: [res('aws_s3_bucket_acl', { acl })],
  })),
  // Configurations match their bucket by reference or by literal name, not another bucket's.
  {
    rule: 'MRP-S3-7',
    ok: [
      bucket,
      res('aws_s3_bucket_versioning', { bucket: bucketRef, versioning_configuration: { status: 'Enabled' } }, 'v'),
    ],
    bad: [
      bucket,
      res('aws_s3_bucket_versioning', { bucket: 'other', versioning_configuration: { status: 'Enabled' } }, 'v'),
      res(
        'aws_s3_bucket_versioning',
        { bucket: ref('aws_s3_bucket.other'), versioning_configuration: { status: 'Enabled' } },
        'v2',
      ),
    ],
  },
  {
    rule: 'MRP-S3-4',
    ok: [bucket, res('aws_s3_bucket_public_access_block', { bucket: 'b' }, 'pab')],
    bad: [bucket, res('aws_s3_bucket_public_access_block', { bucket: 'c' }, 'pab')],
  },

  {
    rule: 'MRP-RDS-1',
    ok: [res('aws_rds_cluster', rdsCluster)],
    bad: [res('aws_rds_cluster', { ...rdsCluster, storage_encrypted: false })],
  },
  {
    rule: 'MRP-RDS-2',
    ok: [res('aws_rds_global_cluster', { storage_encrypted: true })],
    bad: [res('aws_rds_global_cluster', {})],
  },
  {
    rule: 'MRP-RDS-3',
    ok: [res('aws_rds_cluster', rdsCluster)],
    bad: [res('aws_rds_cluster', { ...rdsCluster, lifecycle: {} })],
  },
  {
    rule: 'MRP-RDS-4',
    ok: [res('aws_rds_cluster', rdsCluster)],
    bad: [res('aws_rds_cluster', { ...rdsCluster, backup_retention_period: 1 })],
  },
  {
    rule: 'MRP-RDS-5',
    ok: [res('aws_rds_cluster_instance', { publicly_accessible: false })],
    bad: [res('aws_rds_cluster_instance', { publicly_accessible: true })],
  },
  {
    rule: 'MRP-RDS-6',
    ok: [res('aws_rds_cluster', rdsCluster)],
    bad: [res('aws_rds_cluster', { ...rdsCluster, enabled_cloudwatch_logs_exports: [] })],
  },
  {
    rule: 'MRP-RDS-7',
    ok: [res('aws_rds_cluster', rdsCluster)],
    bad: [res('aws_rds_cluster', { ...rdsCluster, master_password: 'hunter2' })],
  },
  {
    rule: 'MRP-RDS-8',
    ok: [res('aws_rds_cluster', rdsCluster)],
    bad: [res('aws_rds_cluster', { ...rdsCluster, iam_database_authentication_enabled: false })],
  },

  {
    rule: 'MRP-EC-1',
    ok: [res('aws_elasticache_replication_group', replicationGroup)],
    bad: [res('aws_elasticache_replication_group', { ...replicationGroup, kms_key_id: undefined })],
  },
  {
    rule: 'MRP-EC-2',
    ok: [
      res('aws_elasticache_replication_group', {
        global_replication_group_id: '${aws_elasticache_global_replication_group.g.id}',
      }),
    ],
    bad: [res('aws_elasticache_replication_group', { ...replicationGroup, transit_encryption_enabled: false })],
  },
  {
    rule: 'MRP-EC-3',
    ok: [res('aws_elasticache_replication_group', replicationGroup)],
    bad: [res('aws_elasticache_replication_group', { ...replicationGroup, snapshot_retention_limit: 0 })],
  },
  {
    rule: 'MRP-EC-4',
    ok: [res('aws_elasticache_replication_group', replicationGroup)],
    bad: [res('aws_elasticache_replication_group', { ...replicationGroup, log_delivery_configuration: undefined })],
  },
  {
    rule: 'MRP-EC-5',
    ok: [res('aws_elasticache_replication_group', replicationGroup)],
    bad: [res('aws_elasticache_replication_group', { ...replicationGroup, auth_token: '${var.token}' })],
  },

  {
    rule: 'MRP-MSK-1',
    ok: [res('aws_msk_cluster', msk)],
    bad: [res('aws_msk_cluster', { ...msk, encryption_info: { encryption_in_transit: { client_broker: 'TLS' } } })],
  },
  {
    rule: 'MRP-MSK-2',
    ok: [res('aws_msk_cluster', { ...msk, encryption_info: { encryption_at_rest_kms_key_arn: KEY } })],
    bad: [
      res('aws_msk_cluster', {
        ...msk,
        encryption_info: { encryption_in_transit: { client_broker: 'TLS_PLAINTEXT' } },
      }),
    ],
  },
  {
    rule: 'MRP-MSK-3',
    ok: [res('aws_msk_cluster', msk)],
    bad: [res('aws_msk_cluster', { ...msk, logging_info: undefined })],
  },
  {
    rule: 'MRP-MSK-4',
    ok: [res('aws_msk_cluster', msk)],
    bad: [
      res('aws_msk_cluster', {
        ...msk,
        broker_node_group_info: { connectivity_info: { public_access: { type: 'SERVICE_PROVIDED_EIPS' } } },
      }),
    ],
  },
  {
    rule: 'MRP-MSK-5',
    ok: [res('aws_msk_cluster', msk)],
    bad: [res('aws_msk_cluster', { ...msk, client_authentication: { unauthenticated: true } })],
  },
  {
    rule: 'MRP-MSK-6',
    ok: [res('aws_msk_cluster', msk)],
    bad: [res('aws_msk_cluster', { ...msk, lifecycle: undefined })],
  },

  {
    rule: 'MRP-DDB-1',
    ok: [res('aws_dynamodb_table', table)],
    bad: [res('aws_dynamodb_table', { ...table, point_in_time_recovery: { enabled: false } })],
  },
  {
    rule: 'MRP-DDB-2',
    ok: [res('aws_dynamodb_table', table)],
    bad: [res('aws_dynamodb_table', { ...table, deletion_protection_enabled: false })],
  },
  {
    rule: 'MRP-DDB-3',
    ok: [res('aws_dynamodb_table', table)],
    bad: [res('aws_dynamodb_table', { ...table, server_side_encryption: { enabled: true } })],
  },

  { rule: 'MRP-EC2-1', ok: sgRule(lbTags, 443), bad: sgRule({}, 443) },
  { rule: 'MRP-EC2-1', ok: sgRule({}, 5432, '10.0.0.0/16'), bad: sgRule(lbTags, 22, '::/0') },
  {
    rule: 'MRP-EC2-1',
    ok: [
      res('aws_security_group', {
        tags: lbTags,
        ingress: [{ protocol: 'tcp', from_port: 80, to_port: 80, cidr_blocks: ['0.0.0.0/0'] }],
      }),
    ],
    bad: [
      res('aws_security_group', {
        tags: lbTags,
        ingress: [{ protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['0.0.0.0/0'] }],
      }),
    ],
  },
  {
    rule: 'MRP-EC2-1',
    ok: [
      res('aws_security_group_rule', {
        type: 'egress',
        protocol: '-1',
        from_port: 0,
        to_port: 0,
        cidr_blocks: ['0.0.0.0/0'],
      }),
    ],
    bad: [
      res('aws_security_group_rule', {
        type: 'ingress',
        protocol: 'tcp',
        from_port: 443,
        to_port: 443,
        cidr_blocks: ['0.0.0.0/0'],
      }),
    ],
  },
  {
    rule: 'MRP-EC2-2',
    ok: [res('aws_subnet', { map_public_ip_on_launch: false })],
    bad: [res('aws_subnet', { map_public_ip_on_launch: true })],
  },
  {
    rule: 'MRP-EC2-3',
    ok: [res('aws_launch_template', launchTemplate)],
    bad: [res('aws_launch_template', { ...launchTemplate, metadata_options: { http_tokens: 'optional' } })],
  },
  {
    rule: 'MRP-EC2-4',
    ok: [res('aws_launch_template', launchTemplate), res('aws_ebs_volume', { encrypted: true, kms_key_id: KEY }, 'v')],
    bad: [res('aws_launch_template', { ...launchTemplate, block_device_mappings: [{ ebs: { encrypted: true } }] })],
  },
  { rule: 'MRP-EC2-4', ok: [], bad: [res('aws_launch_template', { metadata_options: { http_tokens: 'required' } })] },
  { rule: 'MRP-EC2-5', ok: [vpc, flowLog], bad: [vpc] },
  {
    rule: 'MRP-EC2-6',
    ok: [res('aws_instance', { associate_public_ip_address: false })],
    bad: [res('aws_instance', { associate_public_ip_address: true })],
  },
  {
    rule: 'MRP-EC2-7',
    ok: [vpc, res('aws_default_security_group', { vpc_id: ref('aws_vpc.vpc'), ingress: [], egress: [] }, 'd')],
    bad: [
      vpc,
      res('aws_default_security_group', { vpc_id: ref('aws_vpc.vpc'), ingress: [{ protocol: '-1', self: true }] }, 'd'),
    ],
  },

  {
    rule: 'MRP-KMS-1',
    ok: [
      res('aws_kms_key', { enable_key_rotation: true, ...KEEP }),
      res('aws_kms_key', { customer_master_key_spec: 'RSA_2048', ...KEEP }, 'rsa'),
    ],
    bad: [res('aws_kms_key', { ...KEEP })],
  },
  {
    rule: 'MRP-KMS-2',
    ok: [res('aws_kms_key', { enable_key_rotation: true, ...KEEP })],
    bad: [res('aws_kms_key', { enable_key_rotation: true })],
  },

  {
    rule: 'MRP-LOG-1',
    ok: [res('aws_cloudwatch_log_group', { kms_key_id: KEY, retention_in_days: 30 })],
    bad: [res('aws_cloudwatch_log_group', { retention_in_days: 30 })],
  },
  {
    rule: 'MRP-LOG-2',
    ok: [res('aws_cloudwatch_log_group', { kms_key_id: KEY, retention_in_days: 30 })],
    bad: [res('aws_cloudwatch_log_group', { kms_key_id: KEY, retention_in_days: 0 })],
  },
  {
    rule: 'MRP-SNS-1',
    ok: [res('aws_sns_topic', { kms_master_key_id: KEY })],
    bad: [res('aws_sns_topic', { kms_master_key_id: 'alias/aws/sns' })],
  },
  {
    rule: 'MRP-SQS-1',
    ok: [res('aws_sqs_queue', { kms_master_key_id: KEY })],
    bad: [res('aws_sqs_queue', { sqs_managed_sse_enabled: true })],
  },
  {
    rule: 'MRP-LAMBDA-1',
    ok: [
      res('aws_lambda_function', { environment: { variables: { A: '1' } }, kms_key_arn: KEY }),
      res('aws_lambda_function', {}, 'noenv'),
    ],
    bad: [res('aws_lambda_function', { environment: { variables: { A: '1' } } })],
  },
  {
    rule: 'MRP-LAMBDA-2',
    ok: [res('aws_lambda_function_url', { authorization_type: 'AWS_IAM' })],
    bad: [res('aws_lambda_function_url', { authorization_type: 'NONE' })],
  },

  {
    rule: 'MRP-IAM-1',
    ok: [
      allow(['s3:GetObject'], ['*']),
      doc({
        effect: 'Allow',
        actions: ['kms:*'],
        resources: ['*'],
        principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::1:root'] }],
      }),
    ],
    bad: [allow(['*'], ['*'])],
  },
  {
    rule: 'MRP-IAM-1',
    ok: [
      res('aws_iam_role_policy', {
        policy: JSON.stringify({ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }),
      }),
    ],
    bad: [
      res('aws_iam_role_policy', {
        policy: JSON.stringify({ Statement: { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' } }),
      }),
    ],
  },
  {
    rule: 'MRP-IAM-2',
    ok: [allow(['iam:PassRole'], ['arn:aws:iam::1:role/node'])],
    bad: [allow(['iam:Pass*'], ['*'])],
  },
  { rule: 'MRP-IAM-3', ok: [allow(['iam:PutRolePolicy'], ['arn:aws:iam::1:role/x'])], bad: [allow(['iam:*'], ['*'])] },
  {
    rule: 'MRP-IAM-4',
    ok: [res('aws_iam_role_policy_attachment', { policy_arn: 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy' })],
    bad: [res('aws_iam_role_policy_attachment', { policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' })],
  },
  {
    rule: 'MRP-IAM-5',
    ok: [
      tlsDoc,
      doc({
        effect: 'Allow',
        actions: ['sns:Publish'],
        principals: [{ type: 'AWS', identifiers: ['*'] }],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['1'] }],
      }),
    ],
    bad: [doc({ effect: 'Allow', actions: ['s3:GetObject'], principals: [{ type: 'AWS', identifiers: ['*'] }] })],
  },
  { rule: 'MRP-IAM-6', ok: [res('aws_iam_role', {})], bad: [res('aws_iam_access_key', { user: 'u' })] },
  // Multi-statement policies: one offending Allow among harmless statements is enough, a Deny of
  // the same is not an allow, and a resource policy (with principals) is not an identity policy.
  {
    rule: 'MRP-IAM-1',
    ok: [
      jsonPolicy('aws_iam_policy', [
        { Effect: 'Deny', Action: '*', Resource: '*' },
        { Effect: 'Allow', Action: ['s3:GetObject', 'kms:Decrypt'], Resource: '*' },
      ]),
      jsonPolicy('aws_iam_user_policy', [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/*' }]),
    ],
    bad: [
      jsonPolicy('aws_iam_group_policy', [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
        { Effect: 'Allow', Action: '*', Resource: '*' },
      ]),
      jsonPolicy('aws_iam_policy', [{ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::b' }]),
    ],
  },
  {
    rule: 'MRP-IAM-2',
    ok: [
      jsonPolicy('aws_iam_policy', [{ Effect: 'Deny', Action: 'iam:PassRole', Resource: '*' }]),
      jsonPolicy('aws_iam_policy', [{ Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::b' }]),
    ],
    bad: [
      jsonPolicy('aws_iam_policy', [
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::1:role/node' },
        { Effect: 'Allow', Action: 'IAM:passrole', Resource: '*' },
      ]),
    ],
  },
  {
    rule: 'MRP-IAM-3',
    ok: [allow(['iam:Get*', 'iam:List*'], ['*']), allow(['iam:CreateAccessKey'], ['arn:aws:iam::1:user/ci'])],
    bad: [allow(['iam:Get*', 'iam:Attach?olePolicy'], ['*'])],
  },
  {
    rule: 'MRP-IAM-4',
    ok: [res('aws_iam_role', { managed_policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] })],
    bad: [
      res('aws_iam_role', {
        managed_policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/PowerUserAccess'],
      }),
      res('aws_iam_group_policy_attachment', { policy_arn: 'arn:aws:iam::aws:policy/IAMFullAccess' }, 'g'),
    ],
  },
  {
    rule: 'MRP-IAM-5',
    ok: [
      jsonPolicy('aws_iam_policy', [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }]),
      jsonPolicy('aws_iam_policy', [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 's3:*', Resource: '*' },
      ]),
    ],
    bad: [
      jsonPolicy('aws_iam_policy', [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }]),
      jsonPolicy(
        'aws_iam_policy',
        [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::1:root', '*'] }, Action: 's3:GetObject', Resource: '*' }],
        'p2',
      ),
    ],
  },

  {
    rule: 'MRP-EKS-1',
    ok: [
      res('aws_eks_cluster', eks),
      res('aws_eks_cluster', { ...eks, vpc_config: { public_access_cidrs: ['203.0.113.0/24'] } }, 'cidr'),
    ],
    bad: [res('aws_eks_cluster', { ...eks, vpc_config: { endpoint_public_access: true } })],
  },
  {
    rule: 'MRP-EKS-2',
    ok: [res('aws_eks_cluster', eks)],
    bad: [res('aws_eks_cluster', { ...eks, enabled_cluster_log_types: ['api'] })],
  },
  {
    rule: 'MRP-EKS-3',
    ok: [res('aws_eks_cluster', eks)],
    bad: [res('aws_eks_cluster', { ...eks, encryption_config: undefined })],
  },
  {
    rule: 'MRP-EKS-4',
    ok: [res('aws_eks_node_group', {})],
    bad: [res('aws_eks_node_group', { remote_access: { ec2_ssh_key: 'k' } })],
  },

  {
    rule: 'MRP-LB-1',
    ok: [res('aws_lb', alb)],
    bad: [res('aws_lb', { ...alb, access_logs: { enabled: false, bucket: 'l' } })],
  },
  {
    rule: 'MRP-LB-2',
    ok: [res('aws_lb_listener', { protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' })],
    bad: [res('aws_lb_listener', { protocol: 'HTTPS' })],
  },
  {
    rule: 'MRP-LB-3',
    ok: [
      res('aws_lb_listener', {
        protocol: 'HTTP',
        default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }],
      }),
    ],
    bad: [res('aws_lb_listener', { protocol: 'HTTP', default_action: [{ type: 'forward', target_group_arn: 'tg' }] })],
  },
  {
    rule: 'MRP-LB-4',
    ok: [res('aws_lb', alb), res('aws_lb', { load_balancer_type: 'network' }, 'nlb')],
    bad: [res('aws_lb', { ...alb, drop_invalid_header_fields: false })],
  },

  {
    rule: 'MRP-CF-1',
    ok: [res('aws_cloudfront_distribution', distribution)],
    bad: [
      res('aws_cloudfront_distribution', {
        ...distribution,
        viewer_certificate: { cloudfront_default_certificate: true },
      }),
    ],
  },
  {
    rule: 'MRP-CF-2',
    ok: [res('aws_cloudfront_distribution', distribution)],
    bad: [
      res('aws_cloudfront_distribution', {
        ...distribution,
        ordered_cache_behavior: [{ viewer_protocol_policy: 'allow-all' }],
      }),
    ],
  },
  {
    rule: 'MRP-CF-3',
    ok: [res('aws_cloudfront_distribution', distribution)],
    bad: [
      res('aws_cloudfront_distribution', {
        ...distribution,
        origin: [
          {
            origin_id: 'o',
            custom_origin_config: { origin_protocol_policy: 'match-viewer', origin_ssl_protocols: ['TLSv1.2'] },
          },
        ],
      }),
    ],
  },
  {
    rule: 'MRP-CF-4',
    ok: [
      res('aws_cloudfront_distribution', { ...distribution, logging_config: undefined }, 'cdn'),
      res('aws_cloudwatch_log_delivery_source', { resource_arn: '${aws_cloudfront_distribution.cdn.arn}' }, 'src'),
    ],
    bad: [res('aws_cloudfront_distribution', { ...distribution, logging_config: undefined }, 'cdn')],
  },
  {
    rule: 'MRP-CF-5',
    ok: [res('aws_cloudfront_distribution', distribution)],
    bad: [res('aws_cloudfront_distribution', { ...distribution, web_acl_id: undefined })],
  },
];

const ruleById = new Map(RULES.map((r) => [r.id, r]));

describe('policy rules', () => {
  test('rule ids are unique and well-formed, each with a one-line rationale', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^MRP-[A-Z0-9]+-\d+$/);
      expect(rule.rationale).not.toMatch(/\n/);
      expect(rule.rationale.length).toBeGreaterThan(20);
    }
  });

  test('every rule has a compliant and a non-compliant case', () => {
    // Here, or in the rule file of its area (rules-<area>.test.ts: storage, network), whose cases
    // test each of its rules both ways.
    const elsewhere = readdirSync(__dirname)
      .filter((f) => /^rules-[a-z]+\.test\.ts$/.test(f))
      .flatMap((f) => readFileSync(join(__dirname, f), 'utf8').match(/MRP-[A-Z0-9]+-\d+/g) ?? []);
    const covered = new Set([...CASES.map((c) => c.rule), ...elsewhere]);
    expect(RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  test.each(CASES.map((c, i) => [c.rule, i, c] as const))('%s (case %i) passes compliant resources', (id, _i, c) => {
    expect(checkResources(c.ok, [ruleById.get(id)!])).toEqual([]);
  });

  test.each(CASES.map((c, i) => [c.rule, i, c] as const))('%s (case %i) flags non-compliant resources', (id, _i, c) => {
    const findings = checkResources(c.bad, [ruleById.get(id)!]);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f).toEqual(expect.objectContaining({ ruleId: id, rationale: ruleById.get(id)!.rationale }));
      expect(f.path).toMatch(/^stack\//);
    }
  });
});
