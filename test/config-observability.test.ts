import { production } from '../src/config/environments/production';
import { staging } from '../src/config/environments/staging';
import type { PlatformConfig } from '../src/config/types';
import { type Mutable, messages, variant } from './support/config';

describe('observability config', () => {
  test('both environments carry the seed values and are valid', () => {
    for (const c of [production, staging]) {
      expect(messages(c)).toBe('');
      expect(c.observability.thresholds).toEqual(
        expect.objectContaining({
          auroraReplicationLagMs: 5000,
          kafkaLagWarningMs: 10_000,
          kafkaLagCriticalMs: 300_000,
          healthCheckLatencyMs: 5000,
          alb5xxPercent: 5,
          targetResponseTimeSeconds: 2,
          deadLetterMessages: 0,
        }),
      );
      expect([c.observability.archive.hotDays, c.observability.archive.warmDays]).toEqual([7, 30]);
      expect(c.observability.archive.expirationDays).toBeGreaterThanOrEqual(365);
    }
  });

  test('valid subscriptions of every protocol pass', () => {
    const c = variant((v) => {
      v.observability.alertSubscriptions.critical = [
        { protocol: 'email', endpoint: 'oncall@example.org' },
        { protocol: 'https', endpoint: 'https://events.pagerduty.com/integration/abc/enqueue' },
      ];
      v.observability.alertSubscriptions.warning = [
        { protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:111122223333:alerts' },
        { protocol: 'lambda', endpoint: 'arn:aws:lambda:us-east-1:111122223333:function:notify' },
      ];
    });
    expect(messages(c)).toBe('');
  });

  test.each<[string, (c: Mutable<PlatformConfig>) => void, RegExp]>([
    [
      'http subscription',
      (c) => (c.observability.alertSubscriptions.critical = [{ protocol: 'http' as never, endpoint: 'http://x.org' }]),
      /observability\.alertSubscriptions\.critical\[0\]\.protocol: got "http"; expected one of email, https, sqs, lambda/,
    ],
    [
      'email that is not an address',
      (c) => (c.observability.alertSubscriptions.warning = [{ protocol: 'email', endpoint: 'oncall' }]),
      /observability\.alertSubscriptions\.warning\[0\]\.endpoint: got "oncall"; expected an email address/,
    ],
    [
      'https endpoint over http',
      (c) =>
        (c.observability.alertSubscriptions.critical = [{ protocol: 'https', endpoint: 'http://hooks.example.org' }]),
      /alertSubscriptions\.critical\[0\]\.endpoint: got "http:\/\/hooks\.example\.org"; expected an https:\/\/ URL/,
    ],
    [
      'sqs endpoint that is not a queue ARN',
      (c) => (c.observability.alertSubscriptions.critical = [{ protocol: 'sqs', endpoint: 'alerts' }]),
      /alertSubscriptions\.critical\[0\]\.endpoint: got "alerts"; expected an SQS queue ARN/,
    ],
    [
      'duplicate subscription',
      (c) =>
        (c.observability.alertSubscriptions.critical = [
          { protocol: 'email', endpoint: 'a@example.org' },
          { protocol: 'email', endpoint: 'a@example.org' },
        ]),
      /alertSubscriptions\.critical\[1\]: .*expected each subscription once per severity/,
    ],
    [
      'unknown severity',
      (c) => ((c.observability.alertSubscriptions as Record<string, unknown>).info = []),
      /alertSubscriptions\.info: got "info"; expected only critical, warning/,
    ],
    [
      'missing severity list',
      (c) => delete (c.observability.alertSubscriptions as Partial<Record<string, unknown>>).warning,
      /alertSubscriptions\.warning: got nothing; expected a list/,
    ],
    [
      'kafka critical not above warning',
      (c) => (c.observability.thresholds.kafkaLagCriticalMs = 10_000),
      /thresholds\.kafkaLagCriticalMs: got 10000; expected more than kafkaLagWarningMs \(10000\)/,
    ],
    [
      '5xx rate above 100 %',
      (c) => (c.observability.thresholds.alb5xxPercent = 150),
      /thresholds\.alb5xxPercent: got 150; expected an integer 1 to 100 percent/,
    ],
    [
      'negative DLQ threshold',
      (c) => (c.observability.thresholds.deadLetterMessages = -1),
      /thresholds\.deadLetterMessages: got -1; expected an integer 0 to 1000000 messages/,
    ],
    [
      'log retention CloudWatch does not offer',
      (c) => (c.observability.logRetentionDays = 42),
      /observability\.logRetentionDays: got 42; expected a CloudWatch Logs retention period/,
    ],
    [
      'warm tier not after hot',
      (c) => (c.observability.archive.warmDays = 7),
      /archive\.warmDays: got 7; expected more than hotDays \(7\): tiers run hot < warm < cold/,
    ],
    [
      'expiry before the end of warm',
      (c) => {
        c.observability.archive.warmDays = 400;
        c.observability.archive.expirationDays = 380;
      },
      /archive\.expirationDays: got 380; expected more than warmDays \(400\)/,
    ],
    [
      'cold tier shorter than a year',
      (c) => (c.observability.archive.expirationDays = 200),
      /archive\.expirationDays: got 200; expected 365 to 36500 days/,
    ],
    [
      'STANDARD_IA before day 30',
      (c) => (c.observability.archive.warmStorageClass = 'STANDARD_IA'),
      /archive\.hotDays: got 7; expected at least 30 with warmStorageClass STANDARD_IA/,
    ],
    [
      'unknown cold class',
      (c) => (c.observability.archive.coldStorageClass = 'ONEZONE_IA' as never),
      /archive\.coldStorageClass: got "ONEZONE_IA"; expected one of GLACIER, DEEP_ARCHIVE/,
    ],
    [
      'DEEP_ARCHIVE kept less than its minimum',
      (c) => {
        c.observability.archive.coldStorageClass = 'DEEP_ARCHIVE';
        c.observability.archive.warmDays = 300;
        c.observability.archive.expirationDays = 400;
      },
      /archive\.expirationDays: got 400; expected at least warmDays \+ 180 \(480\) with DEEP_ARCHIVE/,
    ],
    [
      'AMP retention out of range',
      (c) => (c.observability.prometheus.retentionDays = 2000),
      /observability\.prometheus\.retentionDays: got 2000; expected 1 to 1095 days/,
    ],
    [
      'missing section',
      (c) => delete (c as Partial<Mutable<PlatformConfig>>).observability,
      /observability: got nothing; expected the observability settings/,
    ],
  ])('refuses %s', (_name, change, error) => {
    expect(messages(variant(change))).toMatch(error);
  });

  test('STANDARD_IA is accepted once the hot tier lasts 30 days', () => {
    const c = variant((v) => {
      v.observability.archive.warmStorageClass = 'STANDARD_IA';
      v.observability.archive.hotDays = 30;
      v.observability.archive.warmDays = 90;
    });
    expect(messages(c)).toBe('');
  });

  test('all problems are reported together', () => {
    const c = variant((v) => {
      v.observability.logRetentionDays = 42;
      v.observability.archive.warmDays = 3;
      v.observability.thresholds.alb5xxPercent = 0;
    });
    const text = messages(c);
    expect(text).toMatch(/logRetentionDays/);
    expect(text).toMatch(/archive\.warmDays/);
    expect(text).toMatch(/alb5xxPercent/);
  });
});
