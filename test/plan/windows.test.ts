import { WEEKDAYS, type MaintenanceSettings } from '../../src/config/data-types';
import {
  backupWindowBefore,
  dataWindows,
  firstFreeWindow,
  formatMaintenanceWindow,
  toUtcWindow,
  utcWindowOf,
  WEEK_MINUTES,
  windowsOverlap,
} from '../../src/plan/maintenance';

// Maintenance windows as pure functions: every weekday, starts at :30, the week's wrap, and
// windows that touch without overlapping.

const settings = (day: MaintenanceSettings['day'], localStart: string, durationHours = 1): MaintenanceSettings => ({
  day,
  localStart,
  durationHours,
});

describe('local settings to UTC', () => {
  test.each(WEEKDAYS.map((day, i) => [day, i] as const))(
    '%s 04:30 local at UTC+0 is minute %i x 1440 + 270',
    (day, i) => {
      expect(toUtcWindow(settings(day, '04:30', 2), 0)).toEqual({ start: i * 1440 + 270, minutes: 120 });
    },
  );

  test('weekdays run sun..sat', () => {
    expect(WEEKDAYS).toEqual(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']);
  });

  test('offsets move the start back (east of UTC) or forward (west), wrapping the week', () => {
    expect(toUtcWindow(settings('wed', '10:30'), 2)).toEqual({ start: 3 * 1440 + 8 * 60 + 30, minutes: 60 });
    expect(toUtcWindow(settings('wed', '10:30'), -3)).toEqual({ start: 3 * 1440 + 13 * 60 + 30, minutes: 60 });
    expect(toUtcWindow(settings('sun', '00:30'), 1)).toEqual({ start: WEEK_MINUTES - 30, minutes: 60 });
    expect(toUtcWindow(settings('sat', '23:30'), -1)).toEqual({ start: 30, minutes: 60 });
  });

  test('a region code reads its offset from the catalog; an unknown code is a bug, not a config issue', () => {
    expect(utcWindowOf(settings('tue', '03:30'), 'eu-west-1')).toEqual({ start: 1440 * 2 + 210, minutes: 60 });
    expect(() => utcWindowOf(settings('tue', '03:30'), 'mars-1')).toThrow('unknown region mars-1');
  });
});

describe('formats', () => {
  test.each([
    [{ start: 0, minutes: 60 }, 'sun:00:00-sun:01:00', '22:30-23:30'],
    [{ start: 1440 + 9 * 60 + 5, minutes: 90 }, 'mon:09:05-mon:10:35', '07:35-08:35'],
    [{ start: 6 * 1440 + 23 * 60 + 30, minutes: 60 }, 'sat:23:30-sun:00:30', '22:00-23:00'],
    [{ start: 4 * 1440 + 30, minutes: 180 }, 'thu:00:30-thu:03:30', '23:00-00:00'],
  ])('%j: maintenance %s, backup %s', (w, maintenance, backup) => {
    expect(formatMaintenanceWindow(w)).toBe(maintenance);
    expect(backupWindowBefore(w)).toBe(backup);
  });

  test('data windows of a region', () => {
    expect(dataWindows(settings('fri', '02:30', 3), 'eu-west-1')).toEqual({
      maintenance: 'fri:02:30-fri:05:30',
      backup: '01:00-02:00',
    });
  });
});

describe('overlap', () => {
  const w = (start: number, minutes: number) => ({ start, minutes });
  test.each([
    ['the same window', w(100, 60), w(100, 60), true],
    ['one minute shared', w(100, 60), w(159, 60), true],
    ['touching end to start', w(100, 60), w(160, 60), false],
    ['touching start to end', w(160, 60), w(100, 60), false],
    ['one inside the other', w(100, 240), w(150, 10), true],
    ['across the end of the week', w(WEEK_MINUTES - 30, 60), w(10, 60), true],
    ['just after the wrap', w(WEEK_MINUTES - 30, 60), w(30, 60), false],
    ['far apart', w(0, 60), w(3 * 1440, 60), false],
  ])('%s: %s', (_what, a, b, overlap) => {
    expect(windowsOverlap(a, b)).toBe(overlap);
    expect(windowsOverlap(b, a)).toBe(overlap);
  });
});

describe('first free window', () => {
  test('the preferred window when it is free', () => {
    expect(firstFreeWindow(settings('sun', '02:30', 2), 0, [])).toEqual(settings('sun', '02:30', 2));
  });

  test('moves by whole hours, keeping the minutes, until nothing overlaps', () => {
    const taken = [toUtcWindow(settings('sun', '02:30', 2), 0)];
    // 03:30 still overlaps 02:30-04:30; 04:30 touches its end.
    expect(firstFreeWindow(settings('sun', '02:30', 2), 0, taken)).toEqual(settings('sun', '04:30', 2));
  });

  test('tries the other days, in week order, when the day is full; never past local midnight', () => {
    const sunday = [toUtcWindow(settings('sun', '00:00', 24), 0)];
    expect(firstFreeWindow(settings('sun', '22:30', 1), 0, sunday)).toEqual(settings('mon', '22:30', 1));
    const late = [toUtcWindow(settings('sun', '00:00', 23), 0)];
    // 23:00 on Sunday is free; the day is kept, no start wraps into Monday.
    expect(firstFreeWindow(settings('sun', '20:00', 1), 0, late)).toEqual(settings('sun', '23:00', 1));
    expect(firstFreeWindow(settings('wed', '20:00', 1), 0, [toUtcWindow(settings('wed', '00:00', 24), 0)])).toEqual(
      settings('sun', '20:00', 1),
    );
  });

  test('undefined when the whole week is taken', () => {
    expect(firstFreeWindow(settings('sun', '02:00', 1), 0, [{ start: 0, minutes: WEEK_MINUTES }])).toBeUndefined();
  });
});
