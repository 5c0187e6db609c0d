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
import { PipesPipe } from '@cdktf/provider-aws/lib/pipes-pipe';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { setComponent } from '../common/context';
import { suppress } from '../common/policy';
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
  /** JSON path of the entity id in the EventBridge event (`$.detail...`): the FIFO message group. */
  readonly entityIdPath: string;
  readonly kmsKey: RegionalKey;
}

/**
 * The path of the same field once the event is the body of an SQS message that an EventBridge
 * pipe reads (`$.detail.entityId` -> `$.body.detail.entityId`): Pipes parse a JSON body implicitly.
 */
export function pipeBodyPath(eventPath: string): string {
  if (!/^\$\.[A-Za-z_]/.test(eventPath))
    throw new Error(`expected a JSON path such as $.detail.entityId, got ${eventPath}`);
  return `$.body${eventPath.slice(1)}`;
}

/**
 * One region's EventBridge replication (seed 004): a KMS-encrypted custom bus; a rule forwarding
 * locally originated consistency events to every other region's bus (native cross-region targets,
 * with a role); a rule feeding every consistency event (local or replicated) into an intake queue,
 * and an EventBridge pipe moving them into a FIFO ordering queue grouped per entity; and the
 * replication Lambda applying them to the region's ledger exactly once and in order. Every
 * delivery path ends in a dead-letter queue.
 *
 * Why a pipe: a rule target's `SqsParameters.MessageGroupId` is a fixed string (the EventBridge
 * API and CloudFormation document no substitution; aws-cdk#32965), so `$.detail.entityId` there
 * would put every event in one group named after the path: one serialized stream for the region.
 * Pipe target parameters take dynamic JSON paths (EventBridge user guide, "Amazon EventBridge
 * Pipes targets", dynamic path parameters), so the pipe sets the group per entity and the
 * deduplication id to the event id.
 */
export class EventReplication extends Construct {
  readonly bus: CloudwatchEventBus;
  readonly orderingQueue: SqsQueue;
  /** Standard queue the ordering rule delivers to; the pipe drains it into the FIFO queue. */
  readonly intakeQueue: SqsQueue;
  readonly orderingPipe: PipesPipe;
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
      // This account's buses and rules in any region: other regions' forwarding rules deliver here.
      Condition: {
        StringEquals: { 'aws:SourceAccount': props.accountId },
        ArnLike: { 'aws:SourceArn': `arn:${props.partition}:events:*:${props.accountId}:*` },
      },
    });

    this.bus = new CloudwatchEventBus(this, 'bus', {
      name: props.busName,
      kmsKeyIdentifier: kmsKey.arn,
    });

    const retention = props.deadLetterRetentionDays * 86400;
    this.targetDlq = new SqsQueue(this, 'target-dlq', {
      // EventBridge target DLQs must be standard queues. It is also the intake queue's redrive
      // target: both hold events that never reached the ordering queue.
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
      // The pipe sends the EventBridge event id as deduplication id (a redelivery of one event is
      // dropped within SQS's five-minute window); content-based deduplication is the fallback.
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

    // Every consistency event, local or replicated, into the intake queue; the pipe below moves
    // it into the per-entity ordering queue.
    this.intakeQueue = new SqsQueue(this, 'intake-queue', {
      name: `${name}-events-intake`,
      kmsMasterKeyId: kmsKey.arn,
      messageRetentionSeconds: retention,
      visibilityTimeoutSeconds: 60,
      redrivePolicy: Fn.jsonencode({
        deadLetterTargetArn: this.targetDlq.arn,
        maxReceiveCount: props.maxReceiveCount,
      }),
    });
    this.orderingRule = new CloudwatchEventRule(this, 'ordering-rule', {
      name: `${name}-events-ordering`,
      description: 'Feeds consistency events into the intake queue of the per-entity ordering pipe',
      eventBusName: this.bus.name,
      eventPattern: pattern(false),
    });
    new CloudwatchEventTarget(this, 'ordering-target', {
      rule: this.orderingRule.name,
      eventBusName: this.bus.name,
      targetId: 'ordering-intake',
      arn: this.intakeQueue.arn,
      retryPolicy,
      deadLetterConfig: { arn: this.targetDlq.arn },
    });

    const pipeTrust = new PolicyDocument(this, 'pipe-trust', serviceTrust('pipes.amazonaws.com', props.accountId));
    const pipeRole = new IamRole(this, 'pipe-role', {
      name: `${name}-events-pipe`,
      assumeRolePolicy: pipeTrust.json,
    });
    const pipeAccess = new PolicyDocument(this, 'pipe-access', [
      {
        Sid: 'ReadIntake',
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        Resource: this.intakeQueue.arn,
      },
      {
        Sid: 'SendOrdering',
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: this.orderingQueue.arn,
      },
      {
        // Both queues are SSE-KMS with the regional key: used through SQS only.
        Sid: 'Key',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: kmsKey.arn,
        Condition: { StringEquals: { 'kms:ViaService': `sqs.${props.region}.amazonaws.com` } },
      },
    ]);
    const pipePolicy = new IamRolePolicy(this, 'pipe-policy', {
      role: pipeRole.name,
      name: 'ordering-pipe',
      policy: pipeAccess.json,
    });
    this.orderingPipe = new PipesPipe(this, 'ordering-pipe', {
      name: `${name}-events-ordering`,
      description: 'Moves consistency events into the FIFO ordering queue, one message group per entity',
      roleArn: pipeRole.arn,
      source: this.intakeQueue.arn,
      sourceParameters: { sqsQueueParameters: { batchSize: 10 } },
      target: this.orderingQueue.arn,
      targetParameters: {
        // The EventBridge event itself, as the rule delivered it: the Lambda reads the same body.
        inputTemplate: '<$.body>',
        sqsQueueParameters: {
          messageGroupId: pipeBodyPath(props.entityIdPath),
          messageDeduplicationId: pipeBodyPath('$.id'),
        },
      },
      // The pipe starts polling only once it may read and send.
      dependsOn: [pipePolicy],
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
    // The ordering queue needs no queue policy: only the pipe's role (same account) sends to it.
    new SqsQueuePolicy(this, 'intake-queue-policy', {
      queueUrl: this.intakeQueue.url,
      policy: new PolicyDocument(this, 'intake-queue-access', sendFrom(this.intakeQueue.arn, [this.orderingRule.arn]))
        .json,
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
        // The queues, the ledger and the function's environment: through those services only.
        Sid: 'Key',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: kmsKey.arn,
        Condition: {
          StringEquals: {
            'kms:ViaService': [
              `sqs.${props.region}.amazonaws.com`,
              `dynamodb.${props.region}.amazonaws.com`,
              `lambda.${props.region}.amazonaws.com`,
            ],
          },
        },
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
    suppress(
      this,
      'MRP-LAMBDA-3',
      'The function reaches only AWS APIs (SQS, DynamoDB, EventBridge, KMS) with IAM: a VPC would add NAT or endpoints and no boundary',
    );
    suppress(
      this,
      'MRP-LAMBDA-4',
      'Bundled from this repository at synth (src/lambda) and deployed by Terraform with its hash: no third-party artifact to verify',
    );
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
