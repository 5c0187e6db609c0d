import {
  arnRegion,
  asNumber,
  block,
  blocks,
  isCustomerManagedKey,
  isExpression,
  isFalse,
  isSet,
  isTrue,
  nested,
  preventsDestroy,
  referencedAddresses,
  references,
  referrers,
  strings,
} from '../../src/policy/attributes';
import { createStackView, terraformViews } from '../../src/policy/engine';
import { coversAction, documentStatements, jsonStatements, onAllResources } from '../../src/policy/statements';
import type { ResourceView } from '../../src/policy/types';

// The attribute readers every rule builds on (src/policy/attributes.ts), on literal values: what
// counts as set, true, false, a number, a block, a list of strings, a reference, a customer key.

const view = (type: string, name: string, attributes: Record<string, unknown> = {}): ResourceView => ({
  kind: 'resource',
  type,
  address: `${type}.${name}`,
  path: `stack/${name}`,
  attributes,
});

test('expressions: ${...} and unresolved tokens', () => {
  for (const value of [
    '${aws_kms_key.k.arn}',
    'arn:${data.aws_partition.p.partition}:s3',
    '${TfToken[TOKEN.1]}',
    'TfToken[TOKEN.1]',
  ])
    expect([value, isExpression(value)]).toEqual([value, true]);
  for (const value of ['arn:aws:kms:us-east-1:1:key/k', '$aws', '{x}', '', 5, ['${a.b}'], undefined])
    expect([value, isExpression(value)]).toEqual([value, false]);
});

test('set: anything but nothing, blank strings and empty lists', () => {
  for (const value of ['x', ' x ', 0, false, {}, ['a'], [null]]) expect([value, isSet(value)]).toEqual([value, true]);
  for (const value of [undefined, null, '', '   ', []]) expect([value, isSet(value)]).toEqual([value, false]);
});

test('true and false: the booleans or their strings', () => {
  expect([true, 'true'].map(isTrue)).toEqual([true, true]);
  expect([false, 'false', 1, 'TRUE', 'yes', undefined].map(isTrue)).toEqual([false, false, false, false, false, false]);
  expect([false, 'false'].map(isFalse)).toEqual([true, true]);
  expect([true, 'true', 0, '', 'FALSE', undefined, null].map(isFalse)).toEqual(Array(7).fill(false));
});

test('numbers: numbers and numeric strings only', () => {
  expect([5, 0, -3, 1.5, '7', '-7', '0.25', '10.5'].map(asNumber)).toEqual([5, 0, -3, 1.5, 7, -7, 0.25, 10.5]);
  for (const value of ['7 days', ' 7', '7 ', 'x7', '1.', '.5', '1.x', '1.5.2', '${var.n}', '', true, [7], undefined])
    expect([value, asNumber(value)]).toEqual([value, undefined]);
});

test('blocks: an object or a list of objects; nothing else counts', () => {
  expect(blocks(undefined)).toEqual([]);
  expect(blocks(null)).toEqual([]);
  expect(blocks({ a: 1 })).toEqual([{ a: 1 }]);
  expect(blocks([{ a: 1 }, { b: 2 }])).toEqual([{ a: 1 }, { b: 2 }]);
  expect(blocks([{ a: 1 }, null, 'x', 3, [{ c: 3 }], true])).toEqual([{ a: 1 }]);
  expect(blocks('x')).toEqual([]);
  expect(block([{ a: 1 }, { b: 2 }])).toEqual({ a: 1 });
  expect(block([])).toBeUndefined();
});

test('nested: a path of single blocks, undefined where one is missing', () => {
  const attrs = { encryption_info: [{ encryption_in_transit: [{ client_broker: 'TLS' }] }] };
  expect(nested(attrs, 'encryption_info', 'encryption_in_transit')).toEqual({ client_broker: 'TLS' });
  expect(nested(attrs, 'encryption_info', 'missing', 'deeper')).toBeUndefined();
  expect(nested(undefined, 'a')).toBeUndefined();
  expect(nested(attrs)).toBe(attrs);
});

test('strings: a string is a list of one; other values are dropped', () => {
  expect(strings(undefined)).toEqual([]);
  expect(strings(null)).toEqual([]);
  expect(strings('a')).toEqual(['a']);
  expect(strings(['a', 1, null, '${b.c}', ['d'], {}])).toEqual(['a', '${b.c}']);
  expect(strings(5)).toEqual([]);
});

test('prevent_destroy: literally true in the lifecycle block', () => {
  expect(preventsDestroy(view('aws_s3_bucket', 'b', { lifecycle: { prevent_destroy: true } }))).toBe(true);
  expect(preventsDestroy(view('aws_s3_bucket', 'b', { lifecycle: [{ prevent_destroy: 'true' }] }))).toBe(true);
  expect(preventsDestroy(view('aws_s3_bucket', 'b', { lifecycle: { prevent_destroy: false } }))).toBe(false);
  expect(preventsDestroy(view('aws_s3_bucket', 'b'))).toBe(false);
});

test('references: every address a value names, data sources included', () => {
  expect(referencedAddresses('${aws_s3_bucket.logs.id}')).toEqual(['aws_s3_bucket.logs']);
  expect(referencedAddresses('arn:${data.aws_partition.p.partition}:s3:::${aws_s3_bucket.b-1.bucket}/*')).toEqual([
    'data.aws_partition.p',
    'aws_s3_bucket.b-1',
  ]);
  expect(referencedAddresses('aws_s3_bucket.logs.id')).toEqual([]);
  expect(referencedAddresses(['${aws_s3_bucket.logs.id}'])).toEqual([]);
  const bucket = view('aws_s3_bucket', 'logs');
  expect(references('${aws_s3_bucket.logs.arn}', bucket)).toBe(true);
  expect(references(['x', '${aws_s3_bucket.logs.arn}/*'], bucket)).toBe(true);
  expect(references('${aws_s3_bucket.logs2.arn}', bucket)).toBe(false);
  expect(references('${data.aws_s3_bucket.logs.arn}', bucket)).toBe(false);
  expect(references(undefined, bucket)).toBe(false);
});

test('referrers: resources of a type whose attribute references the target', () => {
  const bucket = view('aws_s3_bucket', 'logs');
  const mine = view('aws_s3_bucket_policy', 'mine', { bucket: '${aws_s3_bucket.logs.id}' });
  const other = view('aws_s3_bucket_policy', 'other', { bucket: '${aws_s3_bucket.data.id}' });
  const wrongType = view('aws_s3_bucket_versioning', 'v', { bucket: '${aws_s3_bucket.logs.id}' });
  const wrongAttribute = view('aws_s3_bucket_policy', 'w', { policy: '${aws_s3_bucket.logs.arn}' });
  const stack = createStackView([bucket, mine, other, wrongType, wrongAttribute]);
  expect(referrers(stack, 'aws_s3_bucket_policy', 'bucket', bucket)).toEqual([mine]);
});

test('customer-managed keys: set, and not an AWS-managed alias/aws/... key', () => {
  for (const value of [
    '${aws_kms_key.k.arn}',
    'arn:aws:kms:us-east-1:111122223333:key/abc',
    'alias/state',
    'alias/awsx/y',
  ])
    expect([value, isCustomerManagedKey(value)]).toEqual([value, true]);
  for (const value of ['alias/aws/s3', 'arn:aws:kms:us-east-1:111122223333:alias/aws/s3', '', undefined, null, []])
    expect([value, isCustomerManagedKey(value)]).toEqual([value, false]);
});

test('ARN regions: a literal region of the named service', () => {
  expect(arnRegion('arn:${data.aws_partition.p.partition}:backup:eu-west-1:${acct}:backup-vault:v', 'backup')).toBe(
    'eu-west-1',
  );
  expect(arnRegion('arn:aws:backup:us-gov-west-1:111122223333:backup-vault:v', 'backup')).toBe('us-gov-west-1');
  expect(arnRegion('arn:aws:kms:eu-west-1:111122223333:key/k', 'backup')).toBeUndefined();
  expect(arnRegion('arn:aws:backup:${var.region}:111122223333:backup-vault:v', 'backup')).toBeUndefined();
  expect(arnRegion('xarn:aws:backup:eu-west-1:1:v', 'backup')).toBeUndefined();
  expect(arnRegion(5, 'backup')).toBeUndefined();
});

describe('terraformViews: synthesized JSON as the rules read it', () => {
  const meta = (path: string) => ({ '//': { metadata: { path } } });

  test('only elements a construct wrote (with a metadata path), resources and data sources', () => {
    const views = terraformViews({
      resource: {
        aws_s3_bucket: { b: { ...meta('s/b'), bucket: 'b' }, foreign: { bucket: 'x' } },
        aws_sqs_queue: { q: { '//': {}, name: 'q' } },
      },
      data: { aws_iam_policy_document: { d: { ...meta('s/d') } } },
    });
    expect(views).toEqual([
      {
        kind: 'resource',
        type: 'aws_s3_bucket',
        address: 'aws_s3_bucket.b',
        path: 's/b',
        attributes: { bucket: 'b' },
        region: undefined,
      },
      {
        kind: 'data',
        type: 'aws_iam_policy_document',
        address: 'data.aws_iam_policy_document.d',
        path: 's/d',
        attributes: {},
        region: undefined,
      },
    ]);
  });

  test('regions: literal, non-empty provider regions only, by alias; none without providers', () => {
    const regionOf = (provider: Record<string, unknown> | undefined, alias?: string) =>
      terraformViews({
        ...(provider ? { provider } : {}),
        resource: { aws_s3_bucket: { b: { ...meta('s/b'), ...(alias ? { provider: alias } : {}) } } },
      })[0].region;
    expect(regionOf(undefined)).toBeUndefined();
    expect(regionOf({ aws: [{ region: 'eu-west-1' }] })).toBe('eu-west-1');
    expect(regionOf({ aws: { region: 'eu-west-1' } })).toBe('eu-west-1');
    for (const region of ['', '${var.region}', 5, undefined]) expect(regionOf({ aws: [{ region }] })).toBeUndefined();
    const aliased = { aws: [{ region: 'eu-west-1' }, { alias: 'use1', region: 'us-east-1' }] };
    expect(regionOf(aliased, 'aws.use1')).toBe('us-east-1');
    expect(regionOf(aliased)).toBe('eu-west-1');
    expect(regionOf(aliased, 'aws.other')).toBeUndefined();
    expect(regionOf({ google: [{ region: 'europe-west1' }] })).toBeUndefined();
  });
});

describe('statements: policies in one shape', () => {
  test('JSON policies: principals, NotPrincipal, conditions; expressions and non-JSON give none', () => {
    const [any, typed, none, not] = jsonStatements(
      JSON.stringify({
        Statement: [
          { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Principal: '*' },
          {
            Effect: 'Deny',
            NotAction: ['kms:*'],
            NotResource: 'arn:x',
            Principal: { AWS: ['arn:aws:iam::1:root', 'arn:aws:iam::2:root'], Service: 'logs.amazonaws.com' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' }, StringEquals: { 'aws:PrincipalOrgID': ['o-1'] } },
          },
          { Effect: 'Allow', Action: ['a:b'], Resource: ['r'], Principal: null },
          { Effect: 'Allow', Action: 'a:b', NotPrincipal: { AWS: 'arn:aws:iam::1:root' } },
        ],
      }),
    );
    expect(any).toMatchObject({
      effect: 'Allow',
      actions: ['s3:GetObject'],
      resources: ['*'],
      principals: ['*:*'],
      hasPrincipals: true,
    });
    expect(typed).toEqual({
      effect: 'Deny',
      actions: [],
      notActions: ['kms:*'],
      resources: [],
      notResources: ['arn:x'],
      principals: ['AWS:arn:aws:iam::1:root', 'AWS:arn:aws:iam::2:root', 'Service:logs.amazonaws.com'],
      hasPrincipals: true,
      conditions: [
        { test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] },
        { test: 'StringEquals', variable: 'aws:PrincipalOrgID', values: ['o-1'] },
      ],
    });
    expect([none.principals, none.hasPrincipals]).toEqual([[], false]);
    expect([not.principals, not.hasPrincipals]).toEqual([[], true]);
    // A single statement object counts as a list of one.
    expect(jsonStatements(JSON.stringify({ Statement: { Effect: 'Deny', Action: 'x:y' } }))).toHaveLength(1);
    for (const value of ['${data.aws_iam_policy_document.d.json}', 'not json', 5, undefined, JSON.stringify({})])
      expect([value, jsonStatements(value)]).toEqual([value, []]);
  });

  test('policy documents: not_principals count as naming principals', () => {
    const [s] = documentStatements({
      statement: [{ effect: 'Allow', actions: ['a:b'], not_principals: [{ type: 'AWS', identifiers: ['x'] }] }],
    });
    expect([s.principals, s.hasPrincipals]).toEqual([[], true]);
    const [t] = documentStatements({ statement: [{ actions: ['a:b'] }] });
    expect([t.effect, t.hasPrincipals]).toEqual(['Allow', false]);
  });

  test('actions: wildcards, literal dots, NotAction; resources: * or NotResource', () => {
    const s = (
      actions: string[],
      notActions: string[] = [],
      resources: string[] = [],
      notResources: string[] = [],
    ) => ({
      effect: 'Allow' as const,
      actions,
      notActions,
      resources,
      notResources,
      principals: [],
      hasPrincipals: false,
      conditions: [],
    });
    expect(coversAction(s(['s3:Get*']), 's3:GetObject')).toBe(true);
    expect(coversAction(s(['S3:get?bject']), 's3:GetObject')).toBe(true);
    expect(coversAction(s(['s3:Get.Object']), 's3:GetObject')).toBe(false);
    expect(coversAction(s(['s3:Get']), 's3:GetObject')).toBe(false);
    expect(coversAction(s([], ['kms:*']), 's3:GetObject')).toBe(true);
    expect(coversAction(s([], ['kms:*', 's3:Get*']), 's3:GetObject')).toBe(false);
    expect(onAllResources(s([], [], ['*']))).toBe(true);
    expect(onAllResources(s([], [], [], ['arn:x']))).toBe(true);
    expect(onAllResources(s([], [], ['arn:x']))).toBe(false);
  });
});
