import type { IngressSettings } from '../types';
import type { SectionValidator } from './section';
import { isInt } from './util';

/** ELB security policies that accept TLS 1.2 and 1.3 only (no TLS 1.0/1.1). */
export const TLS12_PLUS_POLICIES = [
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04',
  'ELBSecurityPolicy-TLS-1-2-2017-01',
  'ELBSecurityPolicy-TLS-1-2-Ext-2018-06',
  'ELBSecurityPolicy-FS-1-2-Res-2020-10',
] as const;

/** Checks the fields present; with `complete` every field must be present (the defaults). */
export const validateIngressSettings: SectionValidator<IngressSettings> = (s, at, issues, complete) => {
  if (complete || s.sslPolicy !== undefined) {
    issues.check(
      (TLS12_PLUS_POLICIES as readonly string[]).includes(s.sslPolicy as string),
      `${at}.sslPolicy`,
      s.sslPolicy,
      `expected a TLS 1.2+ ELB security policy (${TLS12_PLUS_POLICIES.join(', ')})`,
    );
  }
  if (complete || s.accessLogRetentionDays !== undefined) {
    const days = s.accessLogRetentionDays;
    issues.check(
      isInt(days) && days >= 1,
      `${at}.accessLogRetentionDays`,
      days,
      'expected a whole number of days, at least 1',
    );
  }
};
