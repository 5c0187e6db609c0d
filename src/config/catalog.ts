/**
 * Facts about AWS commercial regions that synth needs without calling AWS.
 *
 * - `maxAzs`: how many availability zones a platform VPC may span there (zones that
 *   cannot host EKS control-plane ENIs are excluded through `excludeZoneIds`).
 * - `utcOffsetHours`: standard-time offset used to place maintenance windows at local night.
 *   Maintenance windows are defined in UTC by AWS, so daylight saving shifts them by an hour
 *   locally; see docs/architecture.md.
 */
export interface RegionFacts {
  readonly location: string;
  readonly maxAzs: number;
  readonly utcOffsetHours: number;
  readonly excludeZoneIds?: readonly string[];
}

export const REGION_CATALOG: Readonly<Record<string, RegionFacts>> = {
  'us-east-1': { location: 'N. Virginia', maxAzs: 5, utcOffsetHours: -5, excludeZoneIds: ['use1-az3'] },
  'us-east-2': { location: 'Ohio', maxAzs: 3, utcOffsetHours: -5 },
  'us-west-1': { location: 'N. California', maxAzs: 2, utcOffsetHours: -8 },
  'us-west-2': { location: 'Oregon', maxAzs: 4, utcOffsetHours: -8 },
  'ca-central-1': { location: 'Canada Central', maxAzs: 3, utcOffsetHours: -5 },
  'ca-west-1': { location: 'Calgary', maxAzs: 3, utcOffsetHours: -7 },
  'mx-central-1': { location: 'Mexico', maxAzs: 3, utcOffsetHours: -6 },
  'sa-east-1': { location: 'Sao Paulo', maxAzs: 3, utcOffsetHours: -3 },
  'eu-west-1': { location: 'Ireland', maxAzs: 3, utcOffsetHours: 0 },
  'eu-west-2': { location: 'London', maxAzs: 3, utcOffsetHours: 0 },
  'eu-west-3': { location: 'Paris', maxAzs: 3, utcOffsetHours: 1 },
  'eu-central-1': { location: 'Frankfurt', maxAzs: 3, utcOffsetHours: 1 },
  'eu-central-2': { location: 'Zurich', maxAzs: 3, utcOffsetHours: 1 },
  'eu-south-1': { location: 'Milan', maxAzs: 3, utcOffsetHours: 1 },
  'eu-south-2': { location: 'Spain', maxAzs: 3, utcOffsetHours: 1 },
  'eu-north-1': { location: 'Stockholm', maxAzs: 3, utcOffsetHours: 1 },
  'il-central-1': { location: 'Tel Aviv', maxAzs: 3, utcOffsetHours: 2 },
  'me-south-1': { location: 'Bahrain', maxAzs: 3, utcOffsetHours: 3 },
  'me-central-1': { location: 'UAE', maxAzs: 3, utcOffsetHours: 4 },
  'af-south-1': { location: 'Cape Town', maxAzs: 3, utcOffsetHours: 2 },
  'ap-south-1': { location: 'Mumbai', maxAzs: 3, utcOffsetHours: 5.5 },
  'ap-south-2': { location: 'Hyderabad', maxAzs: 3, utcOffsetHours: 5.5 },
  'ap-east-1': { location: 'Hong Kong', maxAzs: 3, utcOffsetHours: 8 },
  'ap-east-2': { location: 'Taipei', maxAzs: 3, utcOffsetHours: 8 },
  'ap-southeast-1': { location: 'Singapore', maxAzs: 3, utcOffsetHours: 8 },
  'ap-southeast-2': { location: 'Sydney', maxAzs: 3, utcOffsetHours: 10 },
  'ap-southeast-3': { location: 'Jakarta', maxAzs: 3, utcOffsetHours: 7 },
  'ap-southeast-4': { location: 'Melbourne', maxAzs: 3, utcOffsetHours: 10 },
  'ap-southeast-5': { location: 'Malaysia', maxAzs: 3, utcOffsetHours: 8 },
  'ap-southeast-7': { location: 'Thailand', maxAzs: 3, utcOffsetHours: 7 },
  'ap-northeast-1': { location: 'Tokyo', maxAzs: 3, utcOffsetHours: 9, excludeZoneIds: ['apne1-az3'] },
  'ap-northeast-2': { location: 'Seoul', maxAzs: 4, utcOffsetHours: 9 },
  'ap-northeast-3': { location: 'Osaka', maxAzs: 3, utcOffsetHours: 9 },
};

export function regionFacts(code: string): RegionFacts | undefined {
  return Object.prototype.hasOwnProperty.call(REGION_CATALOG, code) ? REGION_CATALOG[code] : undefined;
}
