import {
  dashboardBody,
  dashboardLayout,
  expressionLine,
  graph,
  metricLine,
  text,
} from '../modules/observability/dashboard-body';
import { multiRegionOverview } from '../modules/observability/grafana-overview';
import { production } from '../src/config/environments/production';
import { resolvePlan } from '../src/plan/resolve';
import { decodeJsonencode } from './support/jsonencode';
import { regionOfPlan } from './support/plan';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/stack-json';

interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: { title?: string; region?: string; metrics?: unknown[][]; query?: string; alarms?: string[] };
}
/** A layout as the modules build it, references as `${TfToken[...]}` placeholders. */
const parse = (layout: unknown) => JSON.parse(JSON.stringify(layout)) as { widgets: Widget[] };
/** The layout of a synthesized dashboard, as Terraform receives it: references as `${<reference>}`. */
const bodyOf = (stack: StackJson) => {
  const [dashboard] = resources(stack, 'aws_cloudwatch_dashboard');
  return decodeJsonencode(dashboard.dashboard_body) as { widgets: Widget[] };
};
const lineOptions = (line: unknown[]) => line[line.length - 1] as { region?: string; label?: string };

describe('dashboards (production synth)', () => {
  const synth = defaultSynth('production');
  const plan = resolvePlan(production);
  const keys = plan.regions.map((r) => r.key);
  /** Regions with a cache member (all of production's: none is past the datastore limit). */
  const cacheMembers = plan.regions.filter((r) => r.cache.role !== 'reader').map((r) => r.key);
  const global = resources(synth.stack('global'), 'aws_cloudwatch_dashboard');
  const body = bodyOf(synth.stack('global'));
  const widget = (title: RegExp) => body.widgets.find((w) => title.test(w.properties.title ?? ''))!;

  test('one global dashboard in the global stack', () => {
    expect(global).toHaveLength(1);
    expect(global[0].dashboard_name).toBe('mi-production-global');
    // jsonencode keeps the references valid in HCL output too.
    expect(global[0].dashboard_body).toMatch(/^\$\{jsonencode\(\{/);
  });

  test('health per region reads Route 53 metrics in us-east-1', () => {
    const w = widget(/Health-check status/);
    expect(w.properties.metrics!.map((l) => [l[1], lineOptions(l).label, lineOptions(l).region])).toEqual(
      keys.map((key) => ['HealthCheckStatus', key, 'us-east-1']),
    );
  });

  test('traffic distribution stacks each region ALB requests from its own region', () => {
    const w = widget(/Traffic distribution/);
    expect(w.properties.metrics!.map((l) => lineOptions(l).region)).toEqual(plan.regions.map((r) => r.code));
    // Each line's load balancer is its own region's, read from that regional stack.
    expect(w.properties.metrics!.map((l) => [l[1], /input-region-([a-z0-9-]+)\./.exec(String(l[3]))?.[1]])).toEqual(
      keys.map((key) => ['RequestCount', key]),
    );
  });

  test('replication lags of every member (whichever is secondary reports), with the 5000 ms alert line', () => {
    const w = widget(/Aurora global replication lag/);
    expect(w.properties.metrics!.map((l) => l[3])).toEqual(keys.map((key) => `mi-production-${key}-aurora`));
    expect(w.properties).toEqual(
      expect.objectContaining({ annotations: { horizontal: [{ label: 'alert', value: 5000 }] } }),
    );
    expect(widget(/ElastiCache global datastore/).properties.metrics!.length).toBe(
      cacheMembers.length * production.defaults.elasticache.nodes,
    );
  });

  test('event replication lag: one line per source and receiving region, with the Lambda dimensions', () => {
    const w = widget(/Event replication lag/);
    expect(w.properties.metrics).toHaveLength(keys.length * (keys.length - 1));
    expect(w.properties.metrics![0]).toEqual([
      'Platform/EventReplication',
      'ReplicationLagMs',
      'ReceivingRegion',
      'us-east-1',
      'SourceRegion',
      'eu-west-1',
      { stat: 'p95', label: 'eu-west -> us-east', region: 'us-east-1' },
    ]);
  });

  test('failover events come from the alert timeline in the primary region', () => {
    const w = widget(/timeline/);
    expect(w.type).toBe('log');
    expect(w.properties.region).toBe('us-east-1');
    expect(w.properties.query).toMatch(/^SOURCE '\/aws\/events\/mi-production-alert-timeline' \| fields @timestamp/);
  });

  test('widgets stay within the 24-column grid without overlapping', () => {
    const cells = new Set<string>();
    for (const w of body.widgets) {
      expect(w.x + w.width).toBeLessThanOrEqual(24);
      for (let x = w.x; x < w.x + w.width; x++)
        for (let y = w.y; y < w.y + w.height; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
    }
  });

  test.each(keys)('%s has its own dashboard with its alarms and ALB metrics', (key) => {
    const stack = synth.stack(`region-${key}`);
    const [d] = resources(stack, 'aws_cloudwatch_dashboard');
    expect(d.dashboard_name).toBe(`mi-production-${key}`);
    const widgets = bodyOf(stack).widgets;
    expect(widgets[0].type).toBe('alarm');
    /** ARN references of the region's alarms (the alarms module's: `.../observability/alarms/...`). */
    const alarmArns = (type: string) =>
      Object.entries(stack.resource?.[type] ?? {})
        .filter(([, body]) =>
          (body['//'] as { metadata: { path: string } }).metadata.path.includes('/observability/alarms/'),
        )
        .map(([name]) => `\${${type}.${name}.arn}`);
    const metricAlarms = alarmArns('aws_cloudwatch_metric_alarm');
    const composites = alarmArns('aws_cloudwatch_composite_alarm');
    expect(composites).toHaveLength(1);
    // The critical composite and every metric alarm of the region: ALB 5xx, response time, 2 DLQs,
    // lag, RPO lag and "stopped" for the Aurora member (every region, whatever its role), lag and
    // "stopped" for a cache member.
    expect([...widgets[0].properties.alarms!].sort()).toEqual([...composites, ...metricAlarms].sort());
    expect(metricAlarms).toHaveLength(cacheMembers.includes(key) ? 9 : 7);
    const rate = widgets.find((w) => w.properties.title === '5xx rate (%)')!;
    expect(rate.properties.metrics!.at(-1)).toEqual([
      { expression: '100 * (FILL(e, 0) + FILL(t, 0)) / r', label: '5xx %', id: 'rate' },
    ]);
  });

  test('MSK bytes: one hidden line per broker (Cluster Name, Broker ID), summed by metric math', () => {
    const brokers = regionOfPlan(plan, 'eu-west').settings.msk.brokerCount;
    const w = bodyOf(synth.stack('region-eu-west')).widgets.find((x) => /MSK bytes/.test(x.properties.title ?? ''))!;
    const lines = w.properties.metrics!;
    expect(lines).toHaveLength(2 * (brokers + 1));
    expect(lines[0]).toEqual([
      'AWS/Kafka',
      'BytesInPerSec',
      'Cluster Name',
      'mi-production-eu-west-msk',
      'Broker ID',
      '1',
      { stat: 'Average', id: 'in1', visible: false },
    ]);
    const ids = Array.from({ length: brokers }, (_, i) => `in${i + 1}`);
    expect(lines[brokers]).toEqual([{ expression: `SUM([${ids.join(', ')}])`, label: 'in', id: 'in' }]);
  });

  test('event replication lag of a region: one line per source region', () => {
    const w = bodyOf(synth.stack('region-apac')).widgets.find((x) =>
      /Event replication/.test(x.properties.title ?? ''),
    )!;
    // Every other region in config order: us-east-1 and eu-west-1 in production.
    expect(w.properties.metrics!.map((l) => l.slice(2, 6))).toEqual(
      regionOfPlan(plan, 'apac').peers.map((peer) => ['ReceivingRegion', 'ap-southeast-1', 'SourceRegion', peer.code]),
    );
    expect(w.properties.metrics!.map((l) => l[5])).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1']));
  });
});

describe('dashboard helpers', () => {
  test('metricLine flattens dimensions and appends options only when set', () => {
    expect(metricLine({ namespace: 'AWS/SQS', metricName: 'M', dimensions: { QueueName: 'q' } })).toEqual([
      'AWS/SQS',
      'M',
      'QueueName',
      'q',
    ]);
    expect(metricLine({ namespace: 'N', metricName: 'M', stat: 'p95', region: 'eu-west-1' })).toEqual([
      'N',
      'M',
      { stat: 'p95', region: 'eu-west-1' },
    ]);
  });

  test('dashboardBody wraps rows at 24 columns', () => {
    const g = graph({ title: 'g', region: 'us-east-1', lines: [] });
    const { widgets } = parse(dashboardLayout([text('t'), g, g, g]));
    expect(widgets.map((w) => [w.x, w.y])).toEqual([
      [0, 0],
      [0, 2],
      [12, 2],
      [0, 8],
    ]);
  });

  test.each([0, 25])('refuses a widget %i columns wide', (width) => {
    expect(() => dashboardLayout([text('t', width)])).toThrow(/outside 1\.\.24/);
  });

  test('refuses a double quote anywhere in the body (cdktf leaves it unescaped inside jsonencode)', () => {
    const search = `SUM(SEARCH('{AWS/Kafka,"Broker ID","Cluster Name"} MetricName="BytesInPerSec"', 'Average', 300))`;
    const layout = dashboardLayout([
      graph({ title: 'g', region: 'us-east-1', lines: [expressionLine({ id: 'e', label: 'l', expression: search })] }),
    ]);
    expect(() => dashboardBody(layout)).toThrow(/double quote in/);
    expect(() => dashboardBody(dashboardLayout([text('no quotes')]))).not.toThrow();
  });
});

describe('Grafana multi-region overview (seed 001)', () => {
  const d = multiRegionOverview({ datasourceUid: 'amp', kafkaLagWarningMs: 10_000, kafkaLagCriticalMs: 300_000 }) as {
    panels: { title: string; datasource: { uid: string }; targets: { expr: string }[]; fieldConfig: unknown }[];
  };

  test('panels: region health, traffic distribution, replication lag, failover timeline, RPO', () => {
    expect(d.panels.map((p) => p.title)).toEqual([
      'Region health',
      'Traffic distribution by region (requests/s)',
      'Cross-region Kafka replication lag (ms)',
      'Failover event timeline (Prometheus up per region)',
      'RPO now: worst cross-region Kafka lag (ms)',
    ]);
    expect(d.panels.every((p) => p.datasource.uid === 'amp')).toBe(true);
    expect(d.panels.filter((p) => p.targets.some((t) => /by \(region/.test(t.expr))).length).toBeGreaterThanOrEqual(4);
  });

  test('lag panel colours at the alert thresholds', () => {
    expect(JSON.stringify(d.panels[2].fieldConfig)).toContain(
      '{"color":"yellow","value":10000},{"color":"red","value":300000}',
    );
  });
});
