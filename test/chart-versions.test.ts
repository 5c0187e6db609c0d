import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKLOADS } from '../src/config/environments/compute';
import { CHART_KEYS } from '../src/config/sections/workloads';
import { STRIMZI_RELEASES } from '../modules/msk/strimzi-models';

interface Row {
  readonly key: string;
  readonly chart: string;
  readonly version: string;
  readonly where: string;
  readonly date: string;
}

/** The rows of docs/chart-versions.md between its markers. */
function chartTable(): Row[] {
  const doc = readFileSync(join(__dirname, '..', 'docs', 'chart-versions.md'), 'utf8');
  const table = /<!-- chart-versions:begin -->([\s\S]*?)<!-- chart-versions:end -->/.exec(doc)?.[1] ?? '';
  return table
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2) // header and separator
    .map((line) => {
      const [key, chart, version, where, date] = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      return { key, chart, version, where, date };
    });
}

describe('pinned chart versions (docs/chart-versions.md)', () => {
  const rows = chartTable();

  test('the table has one row per configured chart', () => {
    expect(rows.map((r) => r.key).sort()).toEqual([...CHART_KEYS].sort());
  });

  test.each(CHART_KEYS.map((key) => [key]))('%s: the configured pin is the one the table confirms', (key) => {
    const row = rows.find((r) => r.key === key);
    expect(row).toMatchObject({ chart: WORKLOADS.charts[key].chart, version: WORKLOADS.charts[key].version });
  });

  test('every row says where it was confirmed and when, or that it was not', () => {
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      if (row.where.startsWith('not confirmed')) continue;
      expect(row.where).toMatch(/^[\w.-]+\/[\w.-]+: /);
      expect(row.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    // Only our own chart is out of the vendor check.
    expect(rows.filter((r) => r.where.startsWith('not confirmed')).map((r) => r.key)).toEqual(['application']);
  });

  test('the pinned Strimzi release is in the served-versions table the objects are checked against', () => {
    expect(STRIMZI_RELEASES[WORKLOADS.charts.strimziKafkaOperator.version]).toBeDefined();
  });
});
