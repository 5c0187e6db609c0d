import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { crc32, inflateRawSync } from 'node:zlib';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { unzipSync } from 'fflate';
import { bundleLambda, bundleSource, deterministicZip } from '../modules/events/lambda-bundle';
import { REPLICATION_HANDLER_ENTRY } from '../modules/events/event-replication';
import { processBatch, type HandlerDeps, type SqsRecord } from '../src/lambda/replication/handler';
import {
  emfRecord,
  lagMs,
  METRICS,
  fullPrecisionTime,
  orderingKey,
  orderingPosition,
  parseEvent,
  shouldReplicate,
  type PlatformEvent,
} from '../src/lambda/replication/logic';

const filter = {
  sources: ['genai-demo.customer', 'genai-demo.order', 'genai-demo.payment', 'genai-demo.inventory'],
  detailTypes: ['EntityCreated', 'EntityUpdated', 'EntityDeleted', 'StateChanged'],
};
const NOW = Date.parse('2025-01-01T00:00:10Z');
const run = promisify(execFile);

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
      ConditionExpression: 'attribute_not_exists(pk) OR attribute_not_exists(lastPosition) OR lastPosition < :p',
      ExpressionAttributeValues: expect.objectContaining({ ':p': { S: orderingPosition(event()) } }),
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

describe('ordering position', () => {
  const at = (time: string, over: Partial<PlatformEvent> = {}) => orderingPosition(event({ time, ...over }));

  test.each<[string, unknown, string | undefined]>([
    ['whole seconds', '2025-01-01T00:00:08Z', '2025-01-01T00:00:08.000000000Z'],
    ['milliseconds', '2025-01-01T00:00:08.123Z', '2025-01-01T00:00:08.123000000Z'],
    ['nanoseconds', '2025-01-01T00:00:08.123456789Z', '2025-01-01T00:00:08.123456789Z'],
    ['an offset, to UTC', '2025-01-01T01:00:08.5+01:00', '2025-01-01T00:00:08.500000000Z'],
    ['no zone', '2025-01-01T00:00:08', undefined],
    ['not a time', 'yesterday', undefined],
    ['not a string', 1735689608, undefined],
  ])('full-precision time of %s', (_name, input, expected) => {
    expect(fullPrecisionTime(input)).toBe(expected);
  });

  test('two changes in the same second are ordered by their full-precision time', () => {
    const second = '2025-01-01T00:00:08Z';
    const first = at(second, {
      id: 'z-first',
      detail: { entityId: 'order-42', occurredAt: '2025-01-01T00:00:08.100Z' },
    });
    const later = at(second, {
      id: 'a-later',
      detail: { entityId: 'order-42', occurredAt: '2025-01-01T00:00:08.900Z' },
    });
    expect(first < later).toBe(true);
  });

  test('the entity version outranks clocks (a writer in another region may run behind)', () => {
    const v2 = at('2025-01-01T00:00:05Z', { detail: { entityId: 'order-42', sequence: 2 } });
    const v1 = at('2025-01-01T00:00:09Z', { detail: { entityId: 'order-42', sequence: 1 } });
    expect(v1 < v2).toBe(true);
    // Numeric order, not text order: version 10 comes after version 9.
    expect(at('2025-01-01T00:00:08Z', { detail: { entityId: 'x', sequence: 9 } })).toMatch(/^0{15}9\|/);
    expect(
      at('2025-01-01T00:00:08Z', { detail: { entityId: 'x', sequence: 9 } }) <
        at('2025-01-01T00:00:08Z', { detail: { entityId: 'x', sequence: '10' } }),
    ).toBe(true);
  });

  test('the same instant is broken by the event id, so every region keeps the same winner', () => {
    const a = at('2025-01-01T00:00:08Z', { id: 'evt-a' });
    const b = at('2025-01-01T00:00:08Z', { id: 'evt-b' });
    expect(a).not.toBe(b);
    expect(a < b).toBe(true);
  });

  test('an event body forwarded as is, or still wrapped in the intake SQS record, parses to the event', () => {
    expect(parseEvent(JSON.stringify(event()))).toEqual(event());
    expect(parseEvent(JSON.stringify({ messageId: 'm', body: JSON.stringify(event()) }))).toEqual(event());
    expect(parseEvent('not json')).toBeUndefined();
    expect(parseEvent('"text"')).toBeUndefined();
  });
});

/**
 * A ledger that evaluates the handler's condition expressions the way DynamoDB does (the subset
 * they use: OR of attribute_not_exists, < and <= on strings), so an ordering rule is tested by
 * its effect rather than by its text.
 */
function fakeLedger() {
  const items = new Map<string, Record<string, string>>();
  const holds = (expression: string, item: Record<string, string> | undefined, values: Record<string, string>) =>
    expression.split(' OR ').some((clause) => {
      const missing = /^attribute_not_exists\((\w+)\)$/.exec(clause);
      if (missing) return item === undefined || item[missing[1]] === undefined;
      const compare = /^(\w+) (<=|<) (:\w+)$/.exec(clause);
      if (!compare) throw new Error(`unsupported condition ${clause}`);
      const current = item?.[compare[1]];
      if (current === undefined) return false;
      return compare[2] === '<' ? current < values[compare[3]] : current <= values[compare[3]];
    });
  const ddb = mockClient(DynamoDBClient);
  ddb.on(TransactWriteItemsCommand).callsFake((input: TransactWriteItemsCommand['input']) => {
    const [put, update] = input.TransactItems!;
    const markerKey = put.Put!.Item!.pk.S!;
    const entityKey = update.Update!.Key!.pk.S!;
    const values = Object.fromEntries(
      Object.entries(update.Update!.ExpressionAttributeValues!).map(([k, v]) => [k, v.S ?? v.N ?? '']),
    );
    const markerOk = !items.has(markerKey);
    const entityOk = holds(update.Update!.ConditionExpression!, items.get(entityKey), values);
    if (!markerOk || !entityOk) {
      throw cancelled([markerOk ? 'None' : 'ConditionalCheckFailed', entityOk ? 'None' : 'ConditionalCheckFailed']);
    }
    items.set(markerKey, { pk: markerKey });
    const next: Record<string, string> = { ...items.get(entityKey), pk: entityKey };
    for (const assignment of update.Update!.UpdateExpression!.replace(/^SET /, '').split(', ')) {
      const [name, value] = assignment.split(' = ');
      next[name] = values[value];
    }
    items.set(entityKey, next);
    return {};
  });
  ddb.on(PutItemCommand).callsFake((input: PutItemCommand['input']) => {
    const key = input.Item!.pk.S!;
    if (items.has(key)) throw new ConditionalCheckFailedException({ message: 'exists', $metadata: {} });
    items.set(key, { pk: key });
    return {};
  });
  return { ddb, items };
}

describe('processBatch against a ledger that evaluates its conditions', () => {
  const deps = (): HandlerDeps => ({
    client: new DynamoDBClient({ region: 'us-east-1' }),
    table: 'ledger',
    region: 'us-east-1',
    filter,
    ttlSeconds: 3600,
    now: () => NOW,
    log: () => undefined,
  });
  const second = '2025-01-01T00:00:08Z';
  const created = event({
    id: 'evt-created',
    'detail-type': 'EntityCreated',
    time: second,
    detail: { entityId: 'order-42', occurredAt: '2025-01-01T00:00:08.100Z' },
  });
  const deleted = event({
    id: 'evt-deleted',
    'detail-type': 'EntityDeleted',
    time: second,
    detail: { entityId: 'order-42', occurredAt: '2025-01-01T00:00:08.700Z' },
  });

  test.each([
    ['in order', [created, deleted]],
    ['out of order (the later change arrives first)', [deleted, created]],
  ])('two changes of one entity in the same second, %s: the later change wins', async (_name, events) => {
    const { ddb, items } = fakeLedger();
    for (const [i, e] of events.entries()) await processBatch(deps(), { Records: [record(e, `m${i}`)] });
    expect(items.get('entity#genai-demo.order#order-42')).toMatchObject({
      lastEventId: 'evt-deleted',
      lastDetailType: 'EntityDeleted',
    });
    ddb.restore();
  });

  test('every region converges on the same record whatever order it receives events in', async () => {
    const same = (id: string) => event({ id, time: second, detail: { entityId: 'order-42' } });
    const outcomes = [];
    for (const order of [
      ['e1', 'e2', 'e3'],
      ['e3', 'e1', 'e2'],
      ['e2', 'e3', 'e1'],
    ]) {
      const { ddb, items } = fakeLedger();
      for (const id of order) await processBatch(deps(), { Records: [record(same(id), id)] });
      outcomes.push(items.get('entity#genai-demo.order#order-42')!.lastEventId);
      ddb.restore();
    }
    expect(outcomes).toEqual(['e3', 'e3', 'e3']);
  });
});

/** The entries of a zip as its central directory lists them, read with node's zlib (not fflate). */
function centralDirectory(zip: Buffer) {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const entries = [];
  for (let at = zip.readUInt32LE(end + 16), i = 0; i < zip.readUInt16LE(end + 10); i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const compressed = zip.subarray(dataAt, dataAt + zip.readUInt32LE(at + 20));
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      madeBy: zip.readUInt8(at + 5),
      method: zip.readUInt16LE(at + 10),
      dosTime: zip.readUInt16LE(at + 12),
      dosDate: zip.readUInt16LE(at + 14),
      localTimeAndDate: zip.readUInt32LE(local + 10),
      crc: zip.readUInt32LE(at + 16),
      mode: zip.readUInt32LE(at + 38) >>> 16,
      content: inflateRawSync(compressed),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

describe('bundling', () => {
  const files = { 'index.js': Buffer.from('exports.handler = 1;'), 'lib/a.js': Buffer.from('module.exports = 2;') };

  test('the zip is byte-for-byte reproducible and carries the handler', () => {
    const a = deterministicZip(files);
    expect(deterministicZip({ ...files }).equals(a)).toBe(true);
    expect(a.subarray(0, 4).toString('hex')).toBe('504b0304');
    expect(deterministicZip({ ...files, 'index.js': Buffer.from('exports.handler = 2;') }).equals(a)).toBe(false);
    // Entries come out in name order whatever order they were given in.
    expect(deterministicZip({ 'lib/a.js': files['lib/a.js'], 'index.js': files['index.js'] }).equals(a)).toBe(true);
  });

  test('entries are deflated Unix files of mode 644 dated 1980-01-01 00:00, readable by zlib and fflate', () => {
    const zip = deterministicZip(files);
    const DOS_1980_01_01 = (1 << 5) | 1;
    expect(centralDirectory(zip)).toEqual(
      Object.entries(files).map(([name, content]) => ({
        name,
        madeBy: 3,
        method: 8,
        dosTime: 0,
        dosDate: DOS_1980_01_01,
        localTimeAndDate: DOS_1980_01_01 << 16,
        crc: crc32(content),
        mode: 0o100644,
        content,
      })),
    );
    expect(unzipSync(zip)).toEqual(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, new Uint8Array(v)])));
  });

  test('the zip has the same bytes in any time zone and working directory', async () => {
    const tsx = pathToFileURL(require.resolve('tsx')).href;
    const texts = Object.fromEntries(Object.entries(files).map(([name, content]) => [name, content.toString()]));
    const script = `
      const { deterministicZip } = require(${JSON.stringify(require.resolve('../modules/events/lambda-bundle'))});
      const texts = ${JSON.stringify(texts)};
      const zip = deterministicZip(Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, Buffer.from(v)])));
      process.stdout.write(zip.toString('base64'));`;
    const expected = deterministicZip(files).toString('base64');
    for (const TZ of ['UTC', 'Pacific/Kiritimati', 'America/St_Johns', 'Asia/Kathmandu']) {
      const { stdout } = await run(process.execPath, ['--import', tsx, '-e', script], {
        cwd: mkdtempSync(join(tmpdir(), 'zip-cwd-')),
        env: { ...process.env, TZ },
      });
      expect([TZ, stdout]).toEqual([TZ, expected]);
    }
  });

  test('the real handler bundles offline into a zip of its bundle that a rebuild reproduces', () => {
    const first = bundleLambda(REPLICATION_HANDLER_ENTRY, 'test-replication');
    const second = bundleLambda(REPLICATION_HANDLER_ENTRY, 'test-replication');
    expect(second.sha256).toBe(first.sha256);
    expect(first.bytes).toBeGreaterThan(1000);
    const zip = readFileSync(first.zipPath);
    expect(zip.length).toBe(first.bytes);
    expect(createHash('sha256').update(zip).digest('base64')).toBe(first.sha256);
    // A rebuild that bypasses the cache gives the same bytes as the (possibly cached) zip.
    const source = bundleSource(REPLICATION_HANDLER_ENTRY);
    expect(deterministicZip({ 'index.js': source }).equals(zip)).toBe(true);
    const entries = unzipSync(zip);
    expect(Object.keys(entries)).toEqual(['index.js']);
    expect(Buffer.from(entries['index.js']).equals(source)).toBe(true);
    expect(source.toString()).toMatch(/handler/);
  });
});
