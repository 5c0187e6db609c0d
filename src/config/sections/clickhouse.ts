import type { ClickHouseSettings } from '../data-types';
import { isIntIn } from './util';
import type { SectionValidator } from './section';

const CPU_RE = /^([1-9]\d*|[1-9]\d*m|\d+\.\d+)$/;
const MEMORY_RE = /^[1-9]\d*(Mi|Gi)$/;

export const validateClickHouseSettings: SectionValidator<ClickHouseSettings> = (c, at, issues, complete) => {
  const has = (k: keyof ClickHouseSettings) => complete || c[k] !== undefined;
  if (has('shards')) {
    issues.check(isIntIn(c.shards, 1, 32), `${at}.shards`, c.shards, 'expected 1 to 32 shards');
  }
  if (has('replicas')) {
    issues.check(isIntIn(c.replicas, 1, 5), `${at}.replicas`, c.replicas, 'expected 1 to 5 replicas per shard');
  }
  if (has('cpu')) {
    issues.check(
      typeof c.cpu === 'string' && CPU_RE.test(c.cpu),
      `${at}.cpu`,
      c.cpu,
      'expected a Kubernetes CPU quantity such as "2", "1.5" or "500m"',
    );
  }
  if (has('memory')) {
    issues.check(
      typeof c.memory === 'string' && MEMORY_RE.test(c.memory),
      `${at}.memory`,
      c.memory,
      'expected a Kubernetes memory quantity in Mi or Gi, e.g. "8Gi"',
    );
  }
  if (has('storageGiB')) {
    issues.check(
      isIntIn(c.storageGiB, 10, 16384),
      `${at}.storageGiB`,
      c.storageGiB,
      'expected a volume size from 10 to 16384 GiB',
    );
  }
  if (has('backupRetentionDays')) {
    issues.check(
      isIntIn(c.backupRetentionDays, 1, 3650),
      `${at}.backupRetentionDays`,
      c.backupRetentionDays,
      'expected a whole number of days from 1 to 3650',
    );
  }
};
