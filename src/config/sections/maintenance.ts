import { WEEKDAYS, type MaintenanceSettings } from '../data-types';
import { isIntIn } from './util';
import type { SectionValidator } from './section';

const LOCAL_START_RE = /^([01]\d|2[0-3]):(00|30)$/;

export function isLocalStart(value: unknown): value is string {
  return typeof value === 'string' && LOCAL_START_RE.test(value);
}

export const validateMaintenanceSettings: SectionValidator<MaintenanceSettings> = (m, at, issues, complete) => {
  if (complete || m.day !== undefined) {
    issues.check(WEEKDAYS.includes(m.day as never), `${at}.day`, m.day, `expected one of ${WEEKDAYS.join(', ')}`);
  }
  if (complete || m.localStart !== undefined) {
    issues.check(
      isLocalStart(m.localStart),
      `${at}.localStart`,
      m.localStart,
      'expected a local time "HH:MM" on the hour or half hour, e.g. "02:00"',
    );
  }
  if (complete || m.durationHours !== undefined) {
    issues.check(
      isIntIn(m.durationHours, 1, 8),
      `${at}.durationHours`,
      m.durationHours,
      'expected 1 to 8 whole hours (ElastiCache needs at least one)',
    );
  }
};
