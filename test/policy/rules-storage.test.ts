import { checkResources } from '../../src/policy/engine';
import { RULES } from '../../src/policy/rules';
import type { ResourceView } from '../../src/policy/types';
import { resourceView } from '../support/policy-views';

/**
 * Compliant and non-compliant cases of the storage, audit and key rules (docs/security.md):
 * S3 access logging, Object Lock, bucket protection, delete markers, key separation, key-policy
 * binding, kms:ViaService and the trail's topic and data events.
 */
const res = resourceView;
const ref = (address: string, attr = 'id') => `\${${address}.${attr}}`;
const doc = (name: string, statement: Record<string, unknown>[]) =>
  res('data.aws_iam_policy_document', { statement }, name);
const everyone = [{ type: '*', identifiers: ['*'] }];

// --- a bucket, its policy, and the pieces each rule looks for ---
const bucket = (tags: Record<string, string> = {}) => res('aws_s3_bucket', { bucket: 'b', tags }, 'b');
const policy = (document: string) =>
  res(
    'aws_s3_bucket_policy',
    { bucket: ref('aws_s3_bucket.b'), policy: ref(`data.aws_iam_policy_document.${document}`, 'json') },
    'p',
  );
const logging = res(
  'aws_s3_bucket_logging',
  { bucket: ref('aws_s3_bucket.b'), target_bucket: ref('aws_s3_bucket.sink'), target_prefix: 'b/' },
  'l',
);
const sinkDoc = doc('sinkdoc', [
  {
    effect: 'Allow',
    actions: ['s3:PutObject'],
    resources: ['arn:aws:s3:::sink/*'],
    principals: [{ type: 'Service', identifiers: ['logging.s3.amazonaws.com'] }],
  },
]);
const lock = res(
  'aws_s3_bucket_object_lock_configuration',
  { bucket: ref('aws_s3_bucket.b'), object_lock_enabled: 'Enabled' },
  'lock',
);
const exempt = [
  { test: 'ArnNotLike', variable: 'aws:PrincipalArn', values: ['arn:aws:iam::111122223333:role/break-glass'] },
];
const protectionDoc = (
  condition: unknown[] = exempt,
  objectActions = ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention'],
) =>
  doc('protect', [
    { effect: 'Deny', actions: objectActions, resources: ['arn:aws:s3:::b/*'], principals: everyone, condition },
    {
      effect: 'Deny',
      actions: [
        's3:PutLifecycleConfiguration',
        's3:PutReplicationConfiguration',
        's3:PutBucketObjectLockConfiguration',
        's3:PutBucketPolicy',
      ],
      resources: ['arn:aws:s3:::b'],
      principals: everyone,
      condition,
    },
  ]);
const replication = (status: string) =>
  res('aws_s3_bucket_replication_configuration', {
    bucket: 'b',
    rule: [{ id: 'to-eu', status: 'Enabled', delete_marker_replication: { status } }],
  });

// --- keys ---
const key = (purpose?: string, policyDocument = 'keydoc') =>
  res(
    'aws_kms_key',
    {
      policy: ref(`data.aws_iam_policy_document.${policyDocument}`, 'json'),
      tags: purpose ? { 'key-purpose': purpose } : {},
    },
    'k',
  );
const sse = res(
  'aws_s3_bucket_server_side_encryption_configuration',
  {
    bucket: ref('aws_s3_bucket.b'),
    rule: [
      {
        apply_server_side_encryption_by_default: {
          sse_algorithm: 'aws:kms',
          kms_master_key_id: ref('aws_kms_key.k', 'arn'),
        },
      },
    ],
  },
  'sse',
);
const service = (id: string) => [{ type: 'Service', identifiers: [id] }];
const keyDoc = (condition: unknown[], actions = ['kms:GenerateDataKey*']) =>
  doc('keydoc', [
    { effect: 'Allow', actions, resources: ['*'], principals: service('events.amazonaws.com'), condition },
  ]);
const grant = (condition: unknown[]) =>
  doc('role', [
    {
      effect: 'Allow',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['arn:aws:kms:us-east-1:111122223333:key/k'],
      condition,
    },
  ]);

// --- trails ---
const selector = (fields: Record<string, unknown>[], name = 's') => ({ name, field_selector: fields });
const management = selector([{ field: 'eventCategory', equals: ['Management'] }], 'm');
const s3Data = selector([
  { field: 'eventCategory', equals: ['Data'] },
  { field: 'resources.type', equals: ['AWS::S3::Object'] },
  { field: 'resources.ARN', starts_with: ['arn:aws:s3:::state/'] },
]);
const trail = (attributes: Record<string, unknown>) =>
  res('aws_cloudtrail', {
    name: 't',
    s3_bucket_name: 'archive',
    sns_topic_name: 'topic',
    advanced_event_selector: [management, s3Data],
    ...attributes,
  });

interface Case {
  readonly rule: string;
  readonly what: string;
  readonly ok: ResourceView[];
  readonly bad: ResourceView[];
}

const CASES: Case[] = [
  { rule: 'MRP-S3-9', what: 'a bucket logging to a sink', ok: [bucket(), logging], bad: [bucket()] },
  {
    rule: 'MRP-S3-9',
    what: 'the sink itself is exempt',
    ok: [bucket(), policy('sinkdoc'), sinkDoc],
    bad: [bucket(), policy('protect'), protectionDoc()],
  },
  {
    rule: 'MRP-S3-10',
    what: 'an audit bucket',
    ok: [bucket({ 'data-class': 'audit' }), lock],
    bad: [bucket({ 'data-class': 'audit' })],
  },
  {
    rule: 'MRP-S3-10',
    what: 'a backup bucket whose lock resource is not enabled',
    ok: [bucket({ 'data-class': 'backup' }), lock],
    bad: [
      bucket({ 'data-class': 'backup' }),
      res(
        'aws_s3_bucket_object_lock_configuration',
        { bucket: ref('aws_s3_bucket.b'), object_lock_enabled: 'Disabled' },
        'lock',
      ),
    ],
  },
  {
    rule: 'MRP-S3-11',
    what: 'deny with named exemptions',
    ok: [bucket({ 'data-class': 'audit' }), policy('protect'), protectionDoc()],
    bad: [bucket({ 'data-class': 'audit' }), policy('protect'), protectionDoc([])],
  },
  {
    rule: 'MRP-S3-11',
    what: 'a deny that leaves version deletes open',
    ok: [bucket({ 'data-class': 'backup' }), policy('protect'), protectionDoc()],
    bad: [bucket({ 'data-class': 'backup' }), policy('protect'), protectionDoc(exempt, ['s3:DeleteObject'])],
  },
  { rule: 'MRP-S3-12', what: 'delete markers', ok: [replication('Disabled')], bad: [replication('Enabled')] },
  {
    rule: 'MRP-KMS-3',
    what: 'an audit bucket on the audit key',
    ok: [
      bucket({ 'data-class': 'audit' }),
      sse,
      key('audit'),
      keyDoc([{ test: 'ArnLike', variable: 'aws:SourceArn', values: ['x'] }]),
    ],
    bad: [
      bucket({ 'data-class': 'audit' }),
      sse,
      key(undefined),
      keyDoc([{ test: 'ArnLike', variable: 'aws:SourceArn', values: ['x'] }]),
    ],
  },
  {
    rule: 'MRP-KMS-3',
    what: 'a backup bucket on the audit key',
    ok: [bucket({ 'data-class': 'backup' }), sse, key('backup')],
    bad: [bucket({ 'data-class': 'backup' }), sse, key('audit')],
  },
  {
    rule: 'MRP-KMS-4',
    what: 'a service grant with aws:SourceArn',
    ok: [key(), keyDoc([{ test: 'ArnLike', variable: 'aws:SourceArn', values: ['arn:aws:events:*:111122223333:*'] }])],
    bad: [key(), keyDoc([{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111122223333'] }])],
  },
  {
    rule: 'MRP-KMS-4',
    what: 'an encryption-context binding, or a grant for AWS resources only',
    ok: [
      key(),
      doc('keydoc', [
        {
          effect: 'Allow',
          actions: ['kms:Decrypt*'],
          resources: ['*'],
          principals: service('logs.us-east-1.amazonaws.com'),
          condition: [
            {
              test: 'ArnLike',
              variable: 'kms:EncryptionContext:aws:logs:arn',
              values: ['arn:aws:logs:us-east-1:111122223333:*'],
            },
          ],
        },
        {
          effect: 'Allow',
          actions: ['kms:CreateGrant'],
          resources: ['*'],
          principals: service('dnssec-route53.amazonaws.com'),
          condition: [{ test: 'Bool', variable: 'kms:GrantIsForAWSResource', values: ['true'] }],
        },
      ]),
    ],
    bad: [
      key(),
      keyDoc(
        [{ test: 'Bool', variable: 'kms:GrantIsForAWSResource', values: ['true'] }],
        ['kms:CreateGrant', 'kms:Decrypt'],
      ),
    ],
  },
  {
    rule: 'MRP-KMS-5',
    what: 'a role grant through S3',
    ok: [grant([{ test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.us-east-1.amazonaws.com'] }])],
    bad: [grant([])],
  },
  {
    rule: 'MRP-KMS-5',
    what: 'a wildcard action without kms:ViaService, and key policies left alone',
    ok: [
      doc('key', [
        {
          effect: 'Allow',
          actions: ['kms:*'],
          resources: ['*'],
          principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:root'] }],
        },
      ]),
    ],
    bad: [doc('role', [{ effect: 'Allow', actions: ['kms:Encrypt*'], resources: ['*'] }])],
  },
  { rule: 'MRP-TRAIL-1', what: 'the notification topic', ok: [trail({})], bad: [trail({ sns_topic_name: undefined })] },
  {
    rule: 'MRP-TRAIL-2',
    what: 'S3 data events',
    ok: [trail({})],
    bad: [trail({ advanced_event_selector: [management] })],
  },
  {
    rule: 'MRP-TRAIL-2',
    what: 'data events that drop management events or writes',
    ok: [trail({})],
    bad: [
      trail({ advanced_event_selector: [s3Data] }),
      trail({
        advanced_event_selector: [
          management,
          selector([...s3Data.field_selector, { field: 'readOnly', equals: ['true'] }]),
        ],
      }),
    ],
  },
];

const byId = new Map(RULES.map((r) => [r.id, r]));

describe('storage, audit and key rules', () => {
  test('every rule of this file is registered, and each has a case', () => {
    const ids = [
      'MRP-S3-9',
      'MRP-S3-10',
      'MRP-S3-11',
      'MRP-S3-12',
      'MRP-KMS-3',
      'MRP-KMS-4',
      'MRP-KMS-5',
      'MRP-TRAIL-1',
      'MRP-TRAIL-2',
    ];
    expect(ids.filter((id) => !byId.has(id))).toEqual([]);
    expect(ids.filter((id) => !CASES.some((c) => c.rule === id))).toEqual([]);
  });

  test.each(CASES.map((c) => [c.rule, c.what, c] as const))('%s passes %s', (id, _what, c) => {
    expect(checkResources(c.ok, [byId.get(id)!])).toEqual([]);
  });

  test.each(CASES.map((c) => [c.rule, c.what, c] as const))('%s flags the opposite of %s', (id, _what, c) => {
    const findings = checkResources(c.bad, [byId.get(id)!]);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f.ruleId).toBe(id);
  });

  test('MRP-TRAIL-2 flags each resource of a bad pair separately', () => {
    const bad = CASES.find((c) => c.what.startsWith('data events that drop'))!.bad;
    expect(bad.map((r) => checkResources([r], [byId.get('MRP-TRAIL-2')!]).length)).toEqual([1, 1]);
  });
});
