import {
  DynamoDBClient,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  PutItemCommand,
  ConditionalCheckFailedException,
} from '@aws-sdk/client-dynamodb';
import {
  emfRecord,
  lagMs,
  METRICS,
  orderingKey,
  orderingPosition,
  parseEvent,
  shouldReplicate,
  type MetricName,
  type PlatformEvent,
  type ReplicationFilter,
} from './logic';

/** The SQS event source mapping payload (FIFO queue, partial batch responses on). */
export interface SqsRecord {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: { readonly MessageGroupId?: string };
}
export interface SqsEvent {
  readonly Records: readonly SqsRecord[];
}
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface HandlerDeps {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly region: string;
  readonly filter: ReplicationFilter;
  readonly ttlSeconds: number;
  readonly now: () => number;
  readonly log: (line: string) => void;
}

type Outcome = 'replicated' | 'duplicate' | 'stale' | 'filtered';

/**
 * Applies one event to the region's ledger exactly once and in order: a transaction writes the
 * event marker (fails if the id was seen: duplicate delivery) and advances the entity record only
 * if the event comes after the last one applied (`orderingPosition`: version, full-precision time,
 * event id); stale events are remembered, not applied. Entity records written before positions
 * existed (no `lastPosition`) are advanced by any event.
 */
async function apply(deps: HandlerDeps, event: PlatformEvent): Promise<Outcome> {
  const now = deps.now();
  const expiresAt = { N: String(Math.floor(now / 1000) + deps.ttlSeconds) };
  const marker = {
    TableName: deps.table,
    Item: { pk: { S: `event#${event.id}` }, entity: { S: orderingKey(event) }, expiresAt },
    ConditionExpression: 'attribute_not_exists(pk)',
  };
  try {
    await deps.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: marker },
          {
            Update: {
              TableName: deps.table,
              Key: { pk: { S: `entity#${orderingKey(event)}` } },
              UpdateExpression:
                'SET lastEventId = :id, lastEventTime = :t, lastPosition = :p, lastDetailType = :dt, sourceRegion = :r, appliedAt = :now',
              ConditionExpression:
                'attribute_not_exists(pk) OR attribute_not_exists(lastPosition) OR lastPosition < :p',
              ExpressionAttributeValues: {
                ':id': { S: event.id },
                ':t': { S: event.time },
                ':p': { S: orderingPosition(event) },
                ':dt': { S: event['detail-type'] },
                ':r': { S: event.region },
                ':now': { N: String(now) },
              },
            },
          },
        ],
      }),
    );
    return 'replicated';
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const [markerReason, entityReason] = error.CancellationReasons ?? [];
    if (markerReason?.Code === 'ConditionalCheckFailed') return 'duplicate';
    if (entityReason?.Code !== 'ConditionalCheckFailed') throw error;
  }
  // Older than what the ledger holds: remember the id so a redelivery is a duplicate, skip the entity.
  try {
    await deps.client.send(new PutItemCommand(marker));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return 'duplicate';
  }
  return 'stale';
}

/**
 * Processes a FIFO batch in order. When a message fails, every later message of the same message
 * group is reported failed too (without being attempted), so SQS redelivers them in order.
 */
export async function processBatch(deps: HandlerDeps, input: SqsEvent): Promise<BatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  const blockedGroups = new Set<string>();
  const counts = new Map<string, Partial<Record<MetricName, number>>>();
  const bump = (sourceRegion: string, metric: MetricName, by = 1) => {
    const c = counts.get(sourceRegion) ?? {};
    c[metric] = (c[metric] ?? 0) + by;
    counts.set(sourceRegion, c);
  };

  for (const record of input.Records) {
    const group = record.attributes.MessageGroupId ?? record.messageId;
    if (blockedGroups.has(group)) {
      failures.push({ itemIdentifier: record.messageId });
      continue;
    }
    const parsed = parseEvent(record.body);
    if (!parsed || !shouldReplicate(parsed, deps.filter)) {
      bump(typeof parsed?.region === 'string' ? parsed.region : 'unknown', METRICS.filtered);
      continue;
    }
    const event = parsed as PlatformEvent;
    try {
      const outcome = await apply(deps, event);
      const metric = {
        replicated: METRICS.replicated,
        duplicate: METRICS.duplicates,
        stale: METRICS.stale,
        filtered: METRICS.filtered,
      }[outcome];
      bump(event.region, metric);
      if (outcome === 'replicated') {
        deps.log(
          emfRecord(
            { ReceivingRegion: deps.region, SourceRegion: event.region },
            { [METRICS.lag]: lagMs(event, deps.now()) },
            deps.now(),
          ),
        );
      }
    } catch (error) {
      bump(event.region, METRICS.failures);
      blockedGroups.add(group);
      failures.push({ itemIdentifier: record.messageId });
      deps.log(
        JSON.stringify({ level: 'error', messageId: record.messageId, eventId: event.id, error: String(error) }),
      );
    }
  }
  for (const [sourceRegion, values] of counts) {
    deps.log(emfRecord({ ReceivingRegion: deps.region, SourceRegion: sourceRegion }, values, deps.now()));
  }
  return { batchItemFailures: failures };
}

/** Configuration from the (KMS-encrypted) environment, read once per container. */
function depsFromEnvironment(): HandlerDeps {
  const env = process.env;
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`environment variable ${name} is not set`);
    return value;
  };
  return {
    client: new DynamoDBClient({}),
    table: required('LEDGER_TABLE'),
    region: required('AWS_REGION'),
    filter: {
      sources: required('REPLICATED_SOURCES').split(','),
      detailTypes: required('REPLICATED_DETAIL_TYPES').split(','),
    },
    ttlSeconds: Number(required('IDEMPOTENCY_TTL_SECONDS')),
    now: Date.now,
    log: (line) => console.log(line),
  };
}

let deps: HandlerDeps | undefined;

export async function handler(event: SqsEvent): Promise<BatchResponse> {
  deps ??= depsFromEnvironment();
  return processBatch(deps, event);
}
