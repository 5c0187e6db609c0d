import { production } from '../src/config/environments/production';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/stack-json';

const keys = production.regions.map((r) => r.key);
const codes = Object.fromEntries(production.regions.map((r) => [r.key, r.code]));

describe('EventBridge cross-region replication (production)', () => {
  let stacks: Record<string, StackJson>;
  beforeAll(() => {
    const synth = defaultSynth('production');
    stacks = Object.fromEntries(keys.map((k) => [k, synth.stack(`region-${k}`)]));
  });

  test.each(keys)('%s: a KMS-encrypted custom bus', (key) => {
    const [bus] = resources(stacks[key], 'aws_cloudwatch_event_bus');
    expect(bus).toMatchObject({
      name: `mi-production-${key}-events`,
      kms_key_identifier: expect.stringContaining('aws_kms_key'),
    });
  });

  test.each(keys)('%s: locally originated events go to every other region bus, with a role, DLQ and retries', (key) => {
    const rules = resources(stacks[key], 'aws_cloudwatch_event_rule');
    const forward = rules.find((r) => String(r.name).endsWith('-events-forward'))!;
    expect(JSON.parse(String(forward.event_pattern))).toEqual({
      source: ['genai-demo.customer', 'genai-demo.order', 'genai-demo.payment', 'genai-demo.inventory'],
      'detail-type': ['EntityCreated', 'EntityUpdated', 'EntityDeleted', 'StateChanged'],
      region: [codes[key]],
    });
    const targets = resources(stacks[key], 'aws_cloudwatch_event_target').filter((t) =>
      String(t.target_id).startsWith('bus-'),
    );
    const others = keys.filter((k) => k !== key);
    expect(targets.map((t) => t.target_id).sort()).toEqual(others.map((k) => `bus-${k}`).sort());
    for (const t of targets) {
      const other = String(t.target_id).slice(4);
      // Computed from account, region and name: no reference to another regional stack.
      expect(t.arn).toMatch(
        new RegExp(
          `:events:${codes[other]}:\\$\\{data\\.aws_caller_identity\\.caller\\.account_id\\}:event-bus/mi-production-${other}-events$`,
        ),
      );
      expect(t.role_arn).toContain('aws_iam_role.events_forward-role');
      expect(t.retry_policy).toEqual({ maximum_retry_attempts: 185, maximum_event_age_in_seconds: 86400 });
      expect(String((t.dead_letter_config as { arn: string }).arn)).toContain('events_target-dlq');
    }
  });

  test('all consistency events feed a FIFO ordering queue grouped per entity, with a FIFO redrive target', () => {
    const stack = stacks['eu-west'];
    const ordering = resources(stack, 'aws_cloudwatch_event_rule').find((r) =>
      String(r.name).endsWith('-events-ordering'),
    )!;
    expect(JSON.parse(String(ordering.event_pattern))).not.toHaveProperty('region');
    const [target] = resources(stack, 'aws_cloudwatch_event_target').filter((t) => t.target_id === 'ordering-queue');
    expect(target).toMatchObject({
      sqs_target: { message_group_id: '$.detail.entityId' },
      retry_policy: { maximum_retry_attempts: 185 },
    });
    const queues = Object.fromEntries(resources(stack, 'aws_sqs_queue').map((q) => [String(q.name), q]));
    const fifo = queues['mi-production-eu-west-events-ordering.fifo'];
    expect(fifo).toMatchObject({
      fifo_queue: true,
      content_based_deduplication: true,
      kms_master_key_id: expect.stringContaining('aws_kms_key'),
    });
    expect(String(fifo.redrive_policy)).toContain('events_ordering-dlq');
    expect(queues['mi-production-eu-west-events-ordering-dlq.fifo']).toMatchObject({ fifo_queue: true });
    // EventBridge target DLQs must be standard queues.
    const targetDlq = queues['mi-production-eu-west-events-target-dlq'];
    expect(targetDlq.fifo_queue).toBeUndefined();
    expect(targetDlq.kms_master_key_id).toContain('aws_kms_key');
    expect(Object.values(queues).every((q) => String(q.kms_master_key_id).includes('aws_kms_key'))).toBe(true);
  });

  test('the replication Lambda: bundled zip, X-Ray, reserved concurrency, KMS env, log group first, least privilege', () => {
    const stack = stacks.apac;
    const [fn] = resources(stack, 'aws_lambda_function');
    expect(fn).toMatchObject({
      function_name: 'mi-production-apac-event-replication',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      filename: expect.stringMatching(/^assets\/.+\.zip$/),
      source_code_hash: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      tracing_config: { mode: 'Active' },
      reserved_concurrent_executions: 20,
      kms_key_arn: expect.stringContaining('aws_kms_key'),
    });
    expect(fn.depends_on).toEqual(
      expect.arrayContaining([expect.stringContaining('aws_cloudwatch_log_group.events_log-group')]),
    );
    const [logGroup] = resources(stack, 'aws_cloudwatch_log_group').filter(
      (l) => l.name === '/aws/lambda/mi-production-apac-event-replication',
    );
    expect(logGroup).toMatchObject({ retention_in_days: 365, kms_key_id: expect.stringContaining('aws_kms_key') });
    const [mapping] = resources(stack, 'aws_lambda_event_source_mapping');
    expect(mapping).toMatchObject({
      function_response_types: ['ReportBatchItemFailures'],
      scaling_config: { maximum_concurrency: 20 },
    });

    const docs = stack.data?.aws_iam_policy_document ?? {};
    const access = Object.entries(docs).find(([name]) => name.includes('lambda-access'))![1] as {
      statement: { actions: string[]; resources: string[] }[];
    };
    for (const s of access.statement) {
      expect(s.actions.some((a) => a.endsWith(':*') || a === '*')).toBe(false);
      if (!s.actions[0].startsWith('xray:')) expect(s.resources).not.toContain('*');
    }
  });

  test('the ledger table is encrypted, recoverable and protected', () => {
    const [table] = resources(stacks['us-east'], 'aws_dynamodb_table');
    expect(table).toMatchObject({
      server_side_encryption: { enabled: true, kms_key_arn: expect.stringContaining('aws_kms_key') },
      point_in_time_recovery: { enabled: true },
      deletion_protection_enabled: true,
      ttl: { attribute_name: 'expiresAt', enabled: true },
      lifecycle: { prevent_destroy: true },
    });
  });

  test('the regional key lets EventBridge encrypt the bus and write to the queues', () => {
    const docs = Object.values(stacks['us-east'].data?.aws_iam_policy_document ?? {}) as {
      statement: { sid?: string; principals?: { identifiers: string[] }[] }[];
    }[];
    const keyPolicy = docs.find((d) => d.statement.some((s) => s.sid === 'EventBridgeUse'))!;
    const grant = keyPolicy.statement.find((s) => s.sid === 'EventBridgeUse')!;
    expect(grant.principals![0].identifiers).toEqual(['events.amazonaws.com']);
  });
});
