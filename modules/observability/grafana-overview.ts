import { MM2_METRICS } from '../msk/mirrormaker-metrics';

/**
 * The Grafana "multi-region overview" dashboard (seed 001): region health, traffic distribution,
 * cross-region replication lag, failover timeline, current RPO (worst lag; RTO is measured by
 * `npm run dr -- drill`). Traffic needs the application's Spring Boot Prometheus metrics. Built as data from small typed
 * helpers; queries run against the global Prometheus (AMP), where every series carries the
 * `region` external label of the Prometheus that wrote it.
 */

export interface GrafanaPanel {
  readonly id: number;
  readonly type: 'stat' | 'timeseries' | 'state-timeline';
  readonly title: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource: { readonly type: 'prometheus'; readonly uid: string };
  readonly targets: readonly { readonly refId: string; readonly expr: string; readonly legendFormat: string }[];
  readonly fieldConfig: Readonly<Record<string, unknown>>;
}

export interface OverviewOptions {
  /** UID of the AMP data source provisioned in Grafana. */
  readonly datasourceUid: string;
  /** Kafka lag warning and critical thresholds, ms. */
  readonly kafkaLagWarningMs: number;
  readonly kafkaLagCriticalMs: number;
}

const thresholds = (steps: readonly [string, number | null][]) => ({
  defaults: { thresholds: { mode: 'absolute', steps: steps.map(([color, value]) => ({ color, value })) } },
});

export function multiRegionOverview(o: OverviewOptions): Record<string, unknown> {
  const ds = { type: 'prometheus' as const, uid: o.datasourceUid };
  let id = 0;
  const panel = (
    type: GrafanaPanel['type'],
    title: string,
    gridPos: GrafanaPanel['gridPos'],
    targets: [string, string][],
    fieldConfig: Record<string, unknown> = { defaults: {} },
  ): GrafanaPanel => ({
    id: ++id,
    type,
    title,
    gridPos,
    datasource: ds,
    targets: targets.map(([expr, legendFormat], i) => ({ refId: String.fromCharCode(65 + i), expr, legendFormat })),
    fieldConfig,
  });
  const panels: GrafanaPanel[] = [
    // Green/yellow/red per region: share of ready application pods.
    panel(
      'stat',
      'Region health',
      { x: 0, y: 0, w: 24, h: 4 },
      [
        [
          'sum by (region) (kube_deployment_status_replicas_available) / sum by (region) (kube_deployment_spec_replicas)',
          '{{region}}',
        ],
      ],
      thresholds([
        ['red', null],
        ['yellow', 0.5],
        ['green', 0.9],
      ]),
    ),
    panel('timeseries', 'Traffic distribution by region (requests/s)', { x: 0, y: 4, w: 12, h: 8 }, [
      ['sum by (region) (rate(http_server_requests_seconds_count[5m]))', '{{region}}'],
    ]),
    panel(
      'timeseries',
      'Cross-region Kafka replication lag (ms)',
      { x: 12, y: 4, w: 12, h: 8 },
      [[`max by (region, source) (${MM2_METRICS.replicationLatencyMax})`, '{{source}} -> {{region}}']],
      thresholds([
        ['green', null],
        ['yellow', o.kafkaLagWarningMs],
        ['red', o.kafkaLagCriticalMs],
      ]),
    ),
    panel('state-timeline', 'Failover event timeline (Prometheus up per region)', { x: 0, y: 12, w: 24, h: 6 }, [
      ['min by (region) (up{job="kube-state-metrics"})', '{{region}}'],
    ]),
    panel(
      'stat',
      'RPO now: worst cross-region Kafka lag (ms)',
      { x: 0, y: 18, w: 24, h: 4 },
      [[`max(${MM2_METRICS.replicationLatencyMax})`, 'worst lag']],
      thresholds([
        ['green', null],
        ['yellow', o.kafkaLagWarningMs],
        ['red', o.kafkaLagCriticalMs],
      ]),
    ),
  ];
  return {
    uid: 'multi-region-overview',
    title: 'Multi-region overview',
    tags: ['multi-region', 'platform'],
    timezone: 'utc',
    schemaVersion: 39,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    panels,
  };
}
