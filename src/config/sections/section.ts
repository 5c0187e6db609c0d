import type { IssueCollector } from '../errors';
import type { PlatformConfig } from '../types';

/**
 * Validates one section of regional settings at `at` (e.g. `defaults.network` or
 * `regions[1].overrides.network`). With `complete` every field must be present (the defaults);
 * otherwise only the fields present are checked (an override).
 */
export type SectionValidator<T> = (section: Partial<T>, at: string, issues: IssueCollector, complete: boolean) => void;

/** A check across the whole configuration (e.g. maintenance windows that must not overlap). */
export type ConfigCheck = (config: PlatformConfig, issues: IssueCollector) => void;
