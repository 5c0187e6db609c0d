import { Fn } from 'cdktf';

/**
 * Typed builders of CloudWatch dashboard bodies (the JSON `aws_cloudwatch_dashboard` takes), so
 * dashboards are composed from functions rather than string literals. Layout: widgets flow left to
 * right in a 24-column grid.
 */

/** One metric line: [namespace, name, dim1, value1, ..., { options }]. */
export type MetricLine = (string | Readonly<Record<string, unknown>>)[];

export interface MetricSpec {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly stat?: string;
  readonly label?: string;
  /** Region of this line when it differs from the widget's. */
  readonly region?: string;
  readonly id?: string;
  readonly visible?: boolean;
}

export interface ExpressionSpec {
  readonly expression: string;
  readonly label: string;
  readonly id: string;
}

export interface Widget {
  readonly type: 'metric' | 'text' | 'log' | 'alarm';
  readonly width: number;
  readonly height: number;
  readonly properties: Readonly<Record<string, unknown>>;
}

export function metricLine(m: MetricSpec): MetricLine {
  const dims = Object.entries(m.dimensions ?? {}).flat();
  const options: Record<string, unknown> = {};
  if (m.stat) options.stat = m.stat;
  if (m.label) options.label = m.label;
  if (m.region) options.region = m.region;
  if (m.id) options.id = m.id;
  if (m.visible === false) options.visible = false;
  return [m.namespace, m.metricName, ...dims, ...(Object.keys(options).length ? [options] : [])];
}

export function expressionLine(e: ExpressionSpec): MetricLine {
  return [{ expression: e.expression, label: e.label, id: e.id }];
}

export interface GraphOptions {
  readonly title: string;
  readonly region: string;
  readonly lines: readonly MetricLine[];
  /** @default 300 */
  readonly period?: number;
  readonly stacked?: boolean;
  /** Horizontal lines, e.g. thresholds. */
  readonly thresholds?: readonly { readonly label: string; readonly value: number }[];
  readonly view?: 'timeSeries' | 'singleValue' | 'pie';
  /** @default 12 */
  readonly width?: number;
}

export function graph(o: GraphOptions): Widget {
  return {
    type: 'metric',
    width: o.width ?? 12,
    height: 6,
    properties: {
      title: o.title,
      region: o.region,
      view: o.view ?? 'timeSeries',
      stacked: o.stacked ?? false,
      period: o.period ?? 300,
      metrics: o.lines,
      ...(o.thresholds?.length
        ? { annotations: { horizontal: o.thresholds.map((t) => ({ label: t.label, value: t.value })) } }
        : {}),
    },
  };
}

export function alarmStatus(title: string, alarmArns: readonly string[], width = 24): Widget {
  return { type: 'alarm', width, height: 3, properties: { title, alarms: [...alarmArns] } };
}

export function logQuery(title: string, region: string, logGroup: string, query: string, width = 24): Widget {
  return {
    type: 'log',
    width,
    height: 6,
    properties: { title, region, view: 'table', query: `SOURCE '${logGroup}' | ${query}` },
  };
}

export function text(markdown: string, width = 24): Widget {
  return { type: 'text', width, height: 2, properties: { markdown } };
}

export interface DashboardLayout {
  readonly widgets: readonly (Widget & { readonly x: number; readonly y: number })[];
}

/**
 * The dashboard body for `aws_cloudwatch_dashboard`: `jsonencode(...)` of the layout, because a
 * JSON string holding references breaks cdktf's HCL output (quotes next to `${...}`).
 *
 * cdktf 0.21 writes the string literals inside that expression without escaping double quotes
 * (`"SEARCH('{AWS/Kafka,"Broker ID"} ...')"` ends the string early and Terraform refuses the
 * body), so a double quote anywhere in the layout is refused here. This is why dashboards list
 * metrics one by one (with metric math over them) instead of SEARCH expressions, whose dimension
 * names with spaces must be quoted.
 */
export function dashboardBody(layout: DashboardLayout): string {
  const quoted = stringsOf(layout).find((s) => s.includes('"'));
  if (quoted !== undefined) throw new Error(`dashboard body: double quote in ${JSON.stringify(quoted)}`);
  return Fn.jsonencode(layout);
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}

/** Places widgets in rows of 24 columns. */
export function dashboardLayout(widgets: readonly Widget[]): DashboardLayout {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const placed = widgets.map((w) => {
    if (w.width < 1 || w.width > 24) throw new Error(`widget width ${w.width} outside 1..24`);
    if (x + w.width > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const out = { ...w, x, y };
    x += w.width;
    rowHeight = Math.max(rowHeight, w.height);
    return out;
  });
  return { widgets: placed };
}
