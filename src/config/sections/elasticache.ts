import type { ElastiCacheSettings } from '../data-types';
import { checkLogRetention, isIntIn } from './util';
import type { SectionValidator } from './section';

export const validateElastiCacheSettings: SectionValidator<ElastiCacheSettings> = (e, at, issues, complete) => {
  const has = (k: keyof ElastiCacheSettings) => complete || e[k] !== undefined;
  if (has('nodes')) {
    issues.check(
      isIntIn(e.nodes, 2, 6),
      `${at}.nodes`,
      e.nodes,
      'expected 2 to 6 nodes: a primary and at least one replica in another AZ for multi-AZ failover',
    );
  }
  if (has('snapshotRetentionDays')) {
    issues.check(
      isIntIn(e.snapshotRetentionDays, 1, 35),
      `${at}.snapshotRetentionDays`,
      e.snapshotRetentionDays,
      'expected a whole number of days from 1 to 35 (snapshots stay on)',
    );
  }
  if (has('joinGlobalDatastore')) {
    issues.check(
      typeof e.joinGlobalDatastore === 'boolean',
      `${at}.joinGlobalDatastore`,
      e.joinGlobalDatastore,
      'expected true or false',
    );
  }
  if (has('logRetentionDays')) {
    checkLogRetention(issues, `${at}.logRetentionDays`, e.logRetentionDays);
  }
};
