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

  test('no rule target passes a JSON path as a FIFO message group (rule targets take it literally)', () => {
    const targets = keys.flatMap((k) => resources(stacks[k], 'aws_cloudwatch_event_target'));
    expect(targets.length).toBeGreaterThan(keys.length);
    const groups = targets.map((t) => (t.sqs_target as { message_group_id?: string } | undefined)?.message_group_id);
    expect(groups.filter((g) => g !== undefined && g.startsWith('$'))).toEqual([]);
  });

  test('consistency events reach the FIFO ordering queue through a pipe that groups per entity', () => {
    const stack = stacks['eu-west'];
    const ordering = resources(stack, 'aws_cloudwatch_event_rule').find((r) =>
      String(r.name).endsWith('-events-ordering'),
    )!;
    expect(JSON.parse(String(ordering.event_pattern))).not.toHaveProperty('region');
    const [target] = resources(stack, 'aws_cloudwatch_event_target').filter((t) => t.target_id === 'ordering-intake');
    expect(target).toMatchObject({
      arn: expect.stringContaining('aws_sqs_queue.events_intake-queue'),
      retry_policy: { maximum_retry_attempts: 185 },
      dead_letter_config: { arn: expect.stringContaining('events_target-dlq') },
    });
    expect(target.sqs_target).toBeUndefined();

    const pipes = resources(stack, 'aws_pipes_pipe');
    expect(pipes).toHaveLength(1);
    expect(pipes[0]).toMatchObject({
      name: 'mi-production-eu-west-events-ordering',
      source: expect.stringContaining('aws_sqs_queue.events_intake-queue'),
      target: expect.stringContaining('aws_sqs_queue.events_ordering-queue'),
      role_arn: expect.stringContaining('aws_iam_role.events_pipe-role'),
      target_parameters: {
        input_template: '<$.body>',
        // Dynamic path parameters: the whole value is a path into the SQS record the pipe reads.
        sqs_queue_parameters: { message_group_id: '$.body.detail.entityId', message_deduplication_id: '$.body.id' },
      },
    });

    const queues = Object.fromEntries(resources(stack, 'aws_sqs_queue').map((q) => [String(q.name), q]));
    const intake = queues['mi-production-eu-west-events-intake'];
    expect(intake.fifo_queue).toBeUndefined();
    expect(String(intake.redrive_policy)).toContain('events_target-dlq');
    const fifo = queues['mi-production-eu-west-events-ordering.fifo'];
    expect(fifo).toMatchObject({
      fifo_queue: true,
      content_based_deduplication: true,
      deduplication_scope: 'messageGroup',
      fifo_throughput_limit: 'perMessageGroupId',
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

  test('the pipe role reads the intake queue and sends to the ordering queue, nothing else', () => {
    const stack = stacks['eu-west'];
    const docs = stack.data?.aws_iam_policy_document ?? {};
    const doc = (part: string) =>
      Object.entries(docs).find(([name]) => name.includes(part))![1] as {
        statement: { actions: string[]; resources: string[]; principals?: { identifiers: string[] }[] }[];
      };
    expect(doc('pipe-trust').statement[0].principals![0].identifiers).toEqual(['pipes.amazonaws.com']);
    const access = doc('pipe-access').statement;
    expect(access.map((s) => [s.actions.sort(), s.resources])).toEqual([
      [
        ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
        [expect.stringMatching(/^\$\{aws_sqs_queue\.events_intake-queue_\w+\.arn\}$/)],
      ],
      [['sqs:SendMessage'], [expect.stringMatching(/^\$\{aws_sqs_queue\.events_ordering-queue_\w+\.arn\}$/)]],
      [['kms:Decrypt', 'kms:GenerateDataKey'], [expect.stringMatching(/^\$\{aws_kms_key\.\w+\.arn\}$/)]],
    ]);
    // Only the ordering rule may send to the intake queue.
    const intakePolicy = doc('intake-queue-access').statement[0] as unknown as {
      condition: { variable: string; values: string[] }[];
    };
    expect(JSON.stringify(intakePolicy.condition)).toContain('aws_cloudwatch_event_rule.events_ordering-rule');
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
