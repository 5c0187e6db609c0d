import type { RegionalSettings } from '../types';
import { validateNetworkSettings } from './network';
import type { ConfigCheck, SectionValidator } from './section';

export type { ConfigCheck, SectionValidator } from './section';

/** One validator per section of RegionalSettings: adding a section without one fails to compile. */
export const REGIONAL_SECTIONS: { readonly [K in keyof RegionalSettings]: SectionValidator<RegionalSettings[K]> } = {
  network: validateNetworkSettings,
};

/** Whole-configuration checks that span sections or regions. */
export const CONFIG_CHECKS: readonly ConfigCheck[] = [];
