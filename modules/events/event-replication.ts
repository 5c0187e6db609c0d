import { join } from 'node:path';
import { AssetType, Fn, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { setComponent } from '../common/context';
import { PolicyDocument, serviceTrust, type PolicyStatement } from '../common/iam';
import type { RegionalKey } from '../kms/regional-key';
import { bundleLambda, type LambdaBundle } from './lambda-bundle';

/** Entry point of the replication Lambda (TypeScript, bundled at synth time). */
export const REPLICATION_HANDLER_ENTRY = join(__dirname, '..', '..', 'src', 'lambda', 'replication', 'handler.ts');

let bundleCache: LambdaBundle | undefined;

/** Another region's bus, addressed by ARN computed from account, region and name (no stack reference). */
export interface RemoteBus {
  readonly key: string;
  readonly region: string;
  readonly busName: string;
}

/** The tunable part of the replication path; the config's `EventBridgeSettings` is this type. */
export interface EventReplicationSettings {
  /** Reserved concurrency of the replication Lambda (FIFO groups are processed one at a time anyway). */
  readonly lambdaReservedConcurrency: number;
  readonly lambdaMemoryMiB: number;
  readonly lambdaTimeoutSeconds: number;
  /** Retention of the Lambda log group, days (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  /** EventBridge target retry policy: attempts (0-185) and maximum event age (60-86400 s). */
  readonly maxRetryAttempts: number;
  readonly maxEventAgeSeconds: number;
  /** Deliveries of one ordering-queue message before it moves to the FIFO dead-letter queue. */
  readonly maxReceiveCount: number;
  /** Days dead-lettered messages are kept (SQS maximum 14). */
  readonly deadLetterRetentionDays: number;
  /** Hours a processed event id is remembered for duplicate detection. */
  readonly idempotencyTtlHours: number;
}

export interface EventReplicationProps extends EventReplicationSettings {
  /** Name prefix, e.g. `mi-production-us-east`. */
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  /** This region's bus name (see `busName`), the same function names the remote buses. */
  readonly busName: string;
  readonly remotes: readonly RemoteBus[];
  readonly sources: readonly string[];
  readonly detailTypes: readonly string[];
  /** JSON path of the entity id: the FIFO message group. */
  readonly entityIdPath: string;
  readonly kmsKey: RegionalKey;
}

/**
 * One region's EventBridge replication (seed 004): a KMS-encrypted custom bus; a rule forwarding
 * locally originated consistency events to every other region's bus (native cross-region targets,
 * with a role); a rule feeding every consistency event (local or replicated) into a FIFO ordering
 * queue grouped per entity; and the replication Lambda applying them to the region's ledger
 * exactly once and in order. Every delivery path ends in a dead-letter queue.
 */
export class EventReplication extends Construct {
  readonly bus: CloudwatchEventBus;
  readonly orderingQueue: SqsQueue;
  readonly orderingDlq: SqsQueue;
  readonly targetDlq: SqsQueue;
  readonly ledger: DynamodbTable;
  readonly function: LambdaFunction;
  readonly logGroup: CloudwatchLogGroup;
  readonly forwardRule: CloudwatchEventRule;
  readonly orderingRule: CloudwatchEventRule;
  readonly forwardTargets: CloudwatchEventTarget[] = [];
  readonly bundle: LambdaBundle;

  constructor(scope: Construct, id: string, props: EventReplicationProps) {
    super(scope, id);
    setComponent(this, 'events');
    const { name, kmsKey } = props;
    const arnPrefix = (service: string, region = props.region) =>
      `arn:${props.partition}:${service}:${region}:${props.accountId}`;
    const busArn = (region: string, busName: string) => `${arnPrefix('events', region)}:event-bus/${busName}`;

    // EventBridge encrypts the bus and writes to the SSE-KMS queues with the regional key.
    kmsKey.addToPolicy({
      Sid: 'EventBridgeUse',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
    });

    this.bus = new CloudwatchEventBus(this, 'bus', {
      name: props.busName,
      kmsKeyIdentifier: kmsKey.arn,
    });

    const retention = props.deadLetterRetentionDays * 86400;
    this.targetDlq = new SqsQueue(this, 'target-dlq', {
      // EventBridge target DLQs must be standard queues.
      name: `${name}-events-target-dlq`,
      kmsMasterKeyId: kmsKey.arn,
      messageRetentionSeconds: retention,
    });
    this.orderingDlq = new SqsQueue(this, 'ordering-dlq', {
      // A FIFO queue's redrive target must be FIFO too.
      name: `${name}-events-ordering-dlq.fifo`,
      fifoQueue: true,
      kmsMasterKeyId: kmsKey.arn,
      messageRetentionSeconds: retention,
    });
    this.orderingQueue = new SqsQueue(this, 'ordering-queue', {
      name: `${name}-events-ordering.fifo`,
      fifoQueue: true,
      // EventBridge sends no deduplication id: dedupe on content (the event, with its unique id).
      contentBasedDeduplication: true,
      deduplicationScope: 'messageGroup',
      fifoThroughputLimit: 'perMessageGroupId',
      kmsMasterKeyId: kmsKey.arn,
      messageRetentionSeconds: retention,
      // Six times the function timeout, as Lambda recommends for SQS sources.
      visibilityTimeoutSeconds: props.lambdaTimeoutSeconds * 6,
      redrivePolicy: Fn.jsonencode({
        deadLetterTargetArn: this.orderingDlq.arn,
        maxReceiveCount: props.maxReceiveCount,
      }),
    });

    const pattern = (originOnly: boolean) =>
      JSON.stringify({
        source: props.sources,
        'detail-type': props.detailTypes,
        // Only events first put in this region are forwarded: replicated events keep their origin
        // region, so they never bounce between buses.
        ...(originOnly ? { region: [props.region] } : {}),
      });

    // Forward locally originated events to every other region's bus.
    const forwardTrust = new PolicyDocument(
      this,
      'forward-trust',
      serviceTrust('events.amazonaws.com', props.accountId),
    );
    const forwardRole = new IamRole(this, 'forward-role', {
      name: `${name}-events-forward`,
      assumeRolePolicy: forwardTrust.json,
    });
    const forwardPolicy = new PolicyDocument(this, 'forward-access', [
      {
        Sid: 'PutToRemoteBuses',
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: props.remotes.map((r) => busArn(r.region, r.busName)),
      },
    ]);
    new IamRolePolicy(this, 'forward-policy', {
      role: forwardRole.name,
      name: 'put-remote-buses',
      policy: forwardPolicy.json,
    });
    const retryPolicy = {
      maximumRetryAttempts: props.maxRetryAttempts,
      maximumEventAgeInSeconds: props.maxEventAgeSeconds,
    };
    this.forwardRule = new CloudwatchEventRule(this, 'forward-rule', {
      name: `${name}-events-forward`,
      description: 'Replicates locally originated consistency events to the other regions',
      eventBusName: this.bus.name,
      eventPattern: pattern(true),
    });
    for (const remote of props.remotes) {
      this.forwardTargets.push(
        new CloudwatchEventTarget(this, `forward-${remote.key}`, {
          rule: this.forwardRule.name,
          eventBusName: this.bus.name,
          targetId: `bus-${remote.key}`,
          arn: busArn(remote.region, remote.busName),
          roleArn: forwardRole.arn,
          retryPolicy,
          deadLetterConfig: { arn: this.targetDlq.arn },
        }),
      );
    }

    // Every consistency event, local or replicated, into the per-entity ordering queue.
    this.orderingRule = new CloudwatchEventRule(this, 'ordering-rule', {
      name: `${name}-events-ordering`,
      description: 'Feeds consistency events into the FIFO ordering queue of the replication Lambda',
      eventBusName: this.bus.name,
      eventPattern: pattern(false),
    });
    new CloudwatchEventTarget(this, 'ordering-target', {
      rule: this.orderingRule.name,
      eventBusName: this.bus.name,
      targetId: 'ordering-queue',
      arn: this.orderingQueue.arn,
      sqsTarget: { messageGroupId: props.entityIdPath },
      retryPolicy,
      deadLetterConfig: { arn: this.targetDlq.arn },
    });

    // Queue policies: only these rules may send.
    const sendFrom = (queueArn: string, sourceArns: string[]): PolicyStatement[] => [
      {
        Sid: 'EventBridgeSend',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': sourceArns } },
      },
    ];
    new SqsQueuePolicy(this, 'ordering-queue-policy', {
      queueUrl: this.orderingQueue.url,
      policy: new PolicyDocument(
        this,
        'ordering-queue-access',
        sendFrom(this.orderingQueue.arn, [this.orderingRule.arn]),
      ).json,
    });
    new SqsQueuePolicy(this, 'target-dlq-policy', {
      queueUrl: this.targetDlq.url,
      policy: new PolicyDocument(
        this,
        'target-dlq-access',
        sendFrom(this.targetDlq.arn, [this.forwardRule.arn, this.orderingRule.arn]),
      ).json,
    });

    // The regional ledger: idempotency markers (TTL) and the last event applied per entity.
    this.ledger = new DynamodbTable(this, 'ledger', {
      name: `${name}-event-ledger`,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'pk',
      attribute: [{ name: 'pk', type: 'S' }],
      ttl: { attributeName: 'expiresAt', enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: kmsKey.arn },
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });

    // The log group exists before the function, so Lambda never creates an unencrypted one.
    const functionName = `${name}-event-replication`;
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/lambda/${functionName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: kmsKey.arn,
    });
    const trust = new PolicyDocument(this, 'lambda-trust', serviceTrust('lambda.amazonaws.com', props.accountId));
    const role = new IamRole(this, 'lambda-role', { name: functionName, assumeRolePolicy: trust.json });
    const access = new PolicyDocument(this, 'lambda-access', [
      {
        Sid: 'ConsumeOrderingQueue',
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
        Resource: this.orderingQueue.arn,
      },
      {
        Sid: 'Ledger',
        Effect: 'Allow',
        Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
        Resource: this.ledger.arn,
      },
      {
        Sid: 'Key',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: kmsKey.arn,
      },
      {
        Sid: 'Logs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `${this.logGroup.arn}:*`,
      },
      {
        // X-Ray segments have no resource-level permissions.
        Sid: 'Tracing',
        Effect: 'Allow',
        Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        Resource: '*',
      },
    ]);
    const rolePolicy = new IamRolePolicy(this, 'lambda-policy', {
      role: role.name,
      name: 'event-replication',
      policy: access.json,
    });

    bundleCache ??= bundleLambda(REPLICATION_HANDLER_ENTRY, 'event-replication');
    this.bundle = bundleCache;
    const code = new TerraformAsset(this, 'code', { path: this.bundle.zipPath, type: AssetType.FILE });
    this.function = new LambdaFunction(this, 'function', {
      functionName,
      description: 'Applies replicated consistency events to the regional ledger in per-entity order',
      role: role.arn,
      runtime: 'nodejs20.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: code.path,
      sourceCodeHash: this.bundle.sha256,
      memorySize: props.lambdaMemoryMiB,
      timeout: props.lambdaTimeoutSeconds,
      reservedConcurrentExecutions: props.lambdaReservedConcurrency,
      kmsKeyArn: kmsKey.arn,
      tracingConfig: { mode: 'Active' },
      loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.name },
      environment: {
        variables: {
          LEDGER_TABLE: this.ledger.name,
          REPLICATED_SOURCES: props.sources.join(','),
          REPLICATED_DETAIL_TYPES: props.detailTypes.join(','),
          IDEMPOTENCY_TTL_SECONDS: String(props.idempotencyTtlHours * 3600),
        },
      },
      dependsOn: [this.logGroup, rolePolicy],
    });
    new LambdaEventSourceMapping(this, 'ordering-source', {
      eventSourceArn: this.orderingQueue.arn,
      functionName: this.function.arn,
      batchSize: 10,
      functionResponseTypes: ['ReportBatchItemFailures'],
      // SQS pollers never exceed the reserved concurrency (no throttled retries).
      scalingConfig: { maximumConcurrency: props.lambdaReservedConcurrency },
    });
  }
}
