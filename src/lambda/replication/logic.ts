/** Pure parts of the replication Lambda: which events count, their ordering key, EMF metrics. */

/** The EventBridge event as EventBridge delivers it to the SQS ordering queue. */
export interface PlatformEvent {
  readonly id: string;
  readonly source: string;
  readonly 'detail-type': string;
  /** Region the event was first put in (kept across cross-region bus delivery). */
  readonly region: string;
  /** ISO-8601 time the event was put. */
  readonly time: string;
  readonly detail: { readonly entityId?: unknown; readonly [key: string]: unknown };
}

export interface ReplicationFilter {
  readonly sources: readonly string[];
  readonly detailTypes: readonly string[];
}

/**
 * The event in an ordering-queue message body. The pipe's input template (`<$.body>`) forwards the
 * EventBridge event as the rule delivered it; a body that is still the intake queue's SQS record
 * (`{"messageId":...,"body":"<event>"}`, what a pipe without the template sends) is unwrapped.
 */
export function parseEvent(body: string): Partial<PlatformEvent> | undefined {
  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  const value = parse(body);
  if (typeof value !== 'object' || value === null) return undefined;
  const inner = (value as { body?: unknown }).body;
  if (!('detail' in value) && typeof inner === 'string') {
    const event = parse(inner);
    return typeof event === 'object' && event !== null ? (event as Partial<PlatformEvent>) : undefined;
  }
  return value as Partial<PlatformEvent>;
}

/** Same selection as the EventBridge rule: a critical source and a consistency event with an entity id. */
export function shouldReplicate(event: Partial<PlatformEvent>, filter: ReplicationFilter): boolean {
  return (
    typeof event.id === 'string' &&
    typeof event.source === 'string' &&
    filter.sources.includes(event.source) &&
    typeof event['detail-type'] === 'string' &&
    filter.detailTypes.includes(event['detail-type']) &&
    typeof event.detail?.entityId === 'string' &&
    event.detail.entityId.length > 0
  );
}

/** Ordering key: one per entity of one source (the FIFO message group is the entity id alone). */
export function orderingKey(event: PlatformEvent): string {
  return `${event.source}#${String(event.detail.entityId)}`;
}

/** Field of `detail` holding the entity's version (a per-entity counter the writer increments). */
export const SEQUENCE_FIELD = 'sequence';
/** Field of `detail` holding when the change happened, ISO-8601 with up to nanoseconds. */
export const OCCURRED_AT_FIELD = 'occurredAt';

const SEQUENCE_DIGITS = 16; // Number.MAX_SAFE_INTEGER has 16 digits
const ISO_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 time as a fixed-width UTC string with nanoseconds, so string order is time order. */
export function fullPrecisionTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_RE.exec(value);
  if (!match) return undefined;
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  const whole = new Date(seconds).toISOString().slice(0, 19);
  return `${whole}.${(match[2] ?? '').padEnd(9, '0')}Z`;
}

function sequenceOf(detail: PlatformEvent['detail']): string {
  const value = detail[SEQUENCE_FIELD];
  const digits =
    typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
      ? String(value)
      : typeof value === 'string' && /^\d{1,16}$/.test(value) && Number.isSafeInteger(Number(value))
        ? String(Number(value))
        : '0';
  return digits.padStart(SEQUENCE_DIGITS, '0');
}

/**
 * Where an event sits in its entity's history, as a string whose order is the event order:
 * the entity version (`detail.sequence`, 0 when absent), then the full-precision time of the
 * change (`detail.occurredAt`, else EventBridge's `time`, which has whole seconds only), then the
 * event id. The id breaks ties deterministically, so every region keeps the same winner for two
 * events of one entity in the same instant, whatever order they arrive in. A writer that sets
 * `sequence` must set it on every event of that entity: events without it count as version 0.
 */
export function orderingPosition(event: PlatformEvent): string {
  const time = fullPrecisionTime(event.detail[OCCURRED_AT_FIELD]) ?? fullPrecisionTime(event.time) ?? '';
  return `${sequenceOf(event.detail)}|${time.padEnd(30, '0')}|${event.id}`;
}

/** Milliseconds from the event's put time to `now` (replication lag), never negative. */
export function lagMs(event: PlatformEvent, now: number): number {
  const t = Date.parse(event.time);
  return Number.isNaN(t) ? 0 : Math.max(0, now - t);
}

export const METRIC_NAMESPACE = 'Platform/EventReplication';
export const METRICS = {
  /** Events applied to the regional ledger (Count). */
  replicated: 'EventsReplicated',
  /** Redeliveries recognized by event id and skipped (Count). */
  duplicates: 'DuplicateEvents',
  /** Events older than the entity's last applied event (Count). */
  stale: 'StaleEvents',
  /** Messages that are not replicable events (Count). */
  filtered: 'FilteredEvents',
  /** Messages that failed and will be retried, then dead-lettered (Count). */
  failures: 'ReplicationFailures',
  /** Event put time to ledger write, per source region (Milliseconds). */
  lag: 'ReplicationLagMs',
} as const;

export type MetricName = (typeof METRICS)[keyof typeof METRICS];

/** One CloudWatch embedded-metric-format record (CloudWatch Logs turns it into metrics). */
export function emfRecord(
  dimensions: Readonly<Record<string, string>>,
  values: Partial<Record<MetricName, number>>,
  now: number,
): string {
  const metrics = Object.keys(values).map((name) => ({
    Name: name,
    Unit: name === METRICS.lag ? 'Milliseconds' : 'Count',
  }));
  return JSON.stringify({
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [Object.keys(dimensions)], Metrics: metrics }],
    },
    ...dimensions,
    ...values,
  });
}
