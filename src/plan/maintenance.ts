import { regionFacts } from '../config/catalog';
import { WEEKDAYS, type MaintenanceSettings } from '../config/data-types';

/** Minutes in a week: windows live on this circle, Sunday 00:00 UTC is minute 0. */
export const WEEK_MINUTES = 7 * 24 * 60;

/** A weekly window in UTC. */
export interface UtcWindow {
  /** Minute of the week, UTC, Sunday 00:00 = 0. */
  readonly start: number;
  readonly minutes: number;
}

const mod = (n: number, m: number) => ((n % m) + m) % m;

/** The UTC window of a local-time maintenance setting in a region `utcOffsetHours` from UTC. */
export function toUtcWindow(settings: MaintenanceSettings, utcOffsetHours: number): UtcWindow {
  const [h, m] = settings.localStart.split(':').map(Number);
  const localStart = WEEKDAYS.indexOf(settings.day) * 1440 + h * 60 + m;
  return { start: mod(localStart - utcOffsetHours * 60, WEEK_MINUTES), minutes: settings.durationHours * 60 };
}

/** UTC window of a region code's maintenance (throws for a code the catalog does not know). */
export function utcWindowOf(settings: MaintenanceSettings, regionCode: string): UtcWindow {
  const facts = regionFacts(regionCode);
  if (!facts) throw new Error(`unknown region ${regionCode}`);
  return toUtcWindow(settings, facts.utcOffsetHours);
}

/** True when two weekly windows share at least one minute (the week wraps). */
export function windowsOverlap(a: UtcWindow, b: UtcWindow): boolean {
  return mod(b.start - a.start, WEEK_MINUTES) < a.minutes || mod(a.start - b.start, WEEK_MINUTES) < b.minutes;
}

const pad = (n: number) => String(n).padStart(2, '0');

function dayTime(minuteOfWeek: number): string {
  const m = mod(minuteOfWeek, WEEK_MINUTES);
  return `${WEEKDAYS[Math.floor(m / 1440)]}:${clock(m)}`;
}

function clock(minute: number): string {
  const m = mod(minute, 1440);
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** `ddd:hh24:mi-ddd:hh24:mi`, the maintenance window format of both RDS and ElastiCache. */
export function formatMaintenanceWindow(w: UtcWindow): string {
  return `${dayTime(w.start)}-${dayTime(w.start + w.minutes)}`;
}

/**
 * Daily backup/snapshot window `hh24:mi-hh24:mi` (UTC): one hour ending 30 minutes before the
 * maintenance window starts, so the two never collide (RDS and ElastiCache both refuse overlaps).
 */
export function backupWindowBefore(w: UtcWindow): string {
  return `${clock(w.start - 90)}-${clock(w.start - 30)}`;
}

/**
 * The first local window (same day and length, start moved by whole hours, then other days) that
 * overlaps none of `taken`: how generated configurations (scale tests) place an added region.
 */
export function firstFreeWindow(
  preferred: MaintenanceSettings,
  utcOffsetHours: number,
  taken: readonly UtcWindow[],
): MaintenanceSettings | undefined {
  const [h, m] = preferred.localStart.split(':').map(Number);
  const days = [preferred.day, ...WEEKDAYS.filter((d) => d !== preferred.day)];
  for (const day of days) {
    for (let shift = 0; shift < 24; shift++) {
      const candidate: MaintenanceSettings = { ...preferred, day, localStart: `${pad((h + shift) % 24)}:${pad(m)}` };
      // A start past midnight belongs to the next local day: keep the window on `day` as asked.
      if (h + shift >= 24) continue;
      const w = toUtcWindow(candidate, utcOffsetHours);
      if (!taken.some((t) => windowsOverlap(t, w))) return candidate;
    }
  }
  return undefined;
}

/** The windows a region's data stores use, in the formats RDS and ElastiCache expect (UTC). */
export interface DataWindows {
  /** Weekly `ddd:hh24:mi-ddd:hh24:mi`. */
  readonly maintenance: string;
  /** Daily `hh24:mi-hh24:mi`, ending 30 minutes before maintenance starts. */
  readonly backup: string;
}

export function dataWindows(settings: MaintenanceSettings, regionCode: string): DataWindows {
  const w = utcWindowOf(settings, regionCode);
  return { maintenance: formatMaintenanceWindow(w), backup: backupWindowBefore(w) };
}
