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
