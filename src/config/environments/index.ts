import type { PlatformConfig } from '../types';
import { production } from './production';
import { staging } from './staging';

/** Every environment this repository deploys, by the name PLATFORM_ENV selects. */
export const ENVIRONMENTS: Readonly<Record<string, PlatformConfig>> = { production, staging };
