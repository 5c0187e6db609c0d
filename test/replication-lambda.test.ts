import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { deterministicZip, bundleLambda } from '../modules/events/lambda-bundle';
import { REPLICATION_HANDLER_ENTRY } from '../modules/events/event-replication';
import { processBatch, type HandlerDeps, type SqsRecord } from '../src/lambda/replication/handler';
import {
  emfRecord,
  lagMs,
  METRICS,
  orderingKey,
  shouldReplicate,
  type PlatformEvent,
} from '../src/lambda/replication/logic';

const filter = {
  sources: ['genai-demo.customer', 'genai-demo.order', 'genai-demo.payment', 'genai-demo.inventory'],
  detailTypes: ['EntityCreated', 'EntityUpdated', 'EntityDeleted', 'StateChanged'],
};
const NOW = Date.parse('2025-01-01T00:00:10Z');

function event(over: Partial<PlatformEvent> = {}): PlatformEvent {
  return {
    id: 'evt-1',
    source: 'genai-demo.order',
    'detail-type': 'EntityUpdated',
    region: 'eu-west-1',
    time: '2025-01-01T00:00:08Z',
    detail: { entityId: 'order-42' },
    ...over,
  };
}
const record = (e: unknown, messageId: string, group = 'order-42'): SqsRecord => ({
  messageId,
  body: JSON.stringify(e),
  attributes: { MessageGroupId: group },
});
const cancelled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('filter and ordering key', () => {
  test.each<[string, Partial<PlatformEvent>, boolean]>([
    ['critical source + consistency event', {}, true],
    ['every critical source', { source: 'genai-demo.inventory', 'detail-type': 'StateChanged' }, true],
    ['other source', { source: 'genai-demo.marketing' }, false],
    ['other detail type', { 'detail-type': 'EmailSent' }, false],
    ['no entity id', { detail: {} }, false],
    ['empty entity id', { detail: { entityId: '' } }, false],
    ['numeric entity id', { detail: { entityId: 42 } }, false],
  ])('%s -> %s', (_name, over, expected) => {
    expect(shouldReplicate(event(over), filter)).toBe(expected);
  });

  test('ordering key is per source and entity', () => {
    expect(orderingKey(event())).toBe('genai-demo.order#order-42');
    expect(orderingKey(event({ source: 'genai-demo.payment' }))).not.toBe(orderingKey(event()));
  });

  test('lag is time since the event was put, never negative', () => {
    expect(lagMs(event(), NOW)).toBe(2000);
    expect(lagMs(event({ time: '2025-01-01T00:00:20Z' }), NOW)).toBe(0);
  });

  test('EMF records name the namespace, dimensions and units', () => {
    const parsed = JSON.parse(
      emfRecord({ ReceivingRegion: 'us-east-1', SourceRegion: 'eu-west-1' }, { ReplicationLagMs: 5 }, NOW),
    );
    expect(parsed._aws.CloudWatchMetrics[0]).toEqual({
      Namespace: 'Platform/EventReplication',
      Dimensions: [['ReceivingRegion', 'SourceRegion']],
      Metrics: [{ Name: 'ReplicationLagMs', Unit: 'Milliseconds' }],
    });
    expect(parsed).toMatchObject({ SourceRegion: 'eu-west-1', ReplicationLagMs: 5 });
  });
});

describe('processBatch', () => {
  const ddb = mockClient(DynamoDBClient);
  let lines: string[];
  let deps: HandlerDeps;
  beforeEach(() => {
    ddb.reset();
    lines = [];
    deps = {
      client: new DynamoDBClient({ region: 'us-east-1' }),
      table: 'ledger',
      region: 'us-east-1',
      filter,
      ttlSeconds: 3600,
      now: () => NOW,
      log: (l) => lines.push(l),
    };
  });
  const metric = (name: string) =>
    lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l._aws)
      .reduce((sum, l) => sum + ((l[name] as number) ?? 0), 0);

  test('applies an event with an idempotency marker and a conditional entity update', async () => {
    ddb.on(TransactWriteItemsCommand).resolves({});
    const result = await processBatch(deps, { Records: [record(event(), 'm1')] });
    expect(result.batchItemFailures).toEqual([]);
    const [call] = ddb.commandCalls(TransactWriteItemsCommand);
    const [put, update] = call.args[0].input.TransactItems!;
    expect(put.Put).toMatchObject({
      Item: { pk: { S: 'event#evt-1' } },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(update.Update).toMatchObject({
      Key: { pk: { S: 'entity#genai-demo.order#order-42' } },
      ConditionExpression: 'attribute_not_exists(pk) OR lastEventTime <= :t',
    });
    expect(metric(METRICS.replicated)).toBe(1);
    expect(metric(METRICS.lag)).toBe(2000);
  });

  test('a duplicate delivery (same event id) is skipped, not failed', async () => {
    ddb.on(TransactWriteItemsCommand).rejectsOnce(cancelled(['ConditionalCheckFailed', 'None']));
    const result = await processBatch(deps, { Records: [record(event(), 'm1')] });
    expect(result.batchItemFailures).toEqual([]);
    expect(metric(METRICS.duplicates)).toBe(1);
    expect(metric(METRICS.replicated)).toBe(0);
    expect(ddb.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  test('an event older than the ledger is remembered as seen and counted stale', async () => {
    ddb.on(TransactWriteItemsCommand).rejectsOnce(cancelled(['None', 'ConditionalCheckFailed']));
    ddb.on(PutItemCommand).resolves({});
    const result = await processBatch(deps, { Records: [record(event(), 'm1')] });
    expect(result.batchItemFailures).toEqual([]);
    expect(metric(METRICS.stale)).toBe(1);
    expect(ddb.commandCalls(PutItemCommand)[0].args[0].input).toMatchObject({
      Item: { pk: { S: 'event#evt-1' } },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  test('a stale event redelivered after its marker was written is a duplicate', async () => {
    ddb.on(TransactWriteItemsCommand).rejectsOnce(cancelled(['None', 'ConditionalCheckFailed']));
    ddb.on(PutItemCommand).rejectsOnce(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    await processBatch(deps, { Records: [record(event(), 'm1')] });
    expect(metric(METRICS.duplicates)).toBe(1);
  });

  test('a failure blocks the rest of its message group (order kept) but not other groups', async () => {
    ddb.on(TransactWriteItemsCommand).rejectsOnce(new Error('throttled')).resolves({});
    const result = await processBatch(deps, {
      Records: [
        record(event({ id: 'e1' }), 'm1', 'order-42'),
        record(event({ id: 'e2', detail: { entityId: 'order-7' } }), 'm2', 'order-7'),
        record(event({ id: 'e3' }), 'm3', 'order-42'),
      ],
    });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }, { itemIdentifier: 'm3' }]);
    // e3 was never attempted: only e1 (failed) and e2 reached DynamoDB.
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(2);
    expect(metric(METRICS.failures)).toBe(1);
    expect(metric(METRICS.replicated)).toBe(1);
  });

  test('messages that are not replicable events are dropped and counted', async () => {
    const result = await processBatch(deps, {
      Records: [
        record(event({ source: 'genai-demo.marketing' }), 'm1'),
        { messageId: 'm2', body: 'not json', attributes: {} },
      ],
    });
    expect(result.batchItemFailures).toEqual([]);
    expect(metric(METRICS.filtered)).toBe(2);
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });
});

describe('bundling', () => {
  test('the zip is byte-for-byte reproducible and carries the handler', () => {
    const a = deterministicZip({ 'index.js': Buffer.from('exports.handler = 1;') });
    const b = deterministicZip({ 'index.js': Buffer.from('exports.handler = 1;') });
    expect(a.equals(b)).toBe(true);
    expect(a.subarray(0, 4).toString('hex')).toBe('504b0304');
    expect(deterministicZip({ 'index.js': Buffer.from('exports.handler = 2;') }).equals(a)).toBe(false);
  });

  test('the real handler bundles offline to the same hash twice', () => {
    const first = bundleLambda(REPLICATION_HANDLER_ENTRY, 'test-replication');
    const second = bundleLambda(REPLICATION_HANDLER_ENTRY, 'test-replication');
    expect(second.sha256).toBe(first.sha256);
    expect(first.bytes).toBeGreaterThan(1000);
  });
});
