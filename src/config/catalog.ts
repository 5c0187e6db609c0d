/**
 * Facts about AWS commercial regions that synth needs without calling AWS.
 *
 * - `maxAzs`: how many availability zones a platform VPC may span there (zones that
 *   cannot host EKS control-plane ENIs are excluded through `excludeZoneIds`).
 * - `utcOffsetHours`: standard-time offset used to place maintenance windows at local night.
 *   Maintenance windows are defined in UTC by AWS, so daylight saving shifts them by an hour
 *   locally; see docs/architecture.md.
 * - `latLon`: where the region is, for the plan's nearest-region choices.
 */
export interface RegionFacts {
  readonly location: string;
  /**
   * Approximate latitude and longitude of the region's metro area, degrees: enough to tell which
   * region is nearest (a region without its own cache member reads the nearest one, src/plan).
   */
  readonly latLon: readonly [number, number];
  readonly maxAzs: number;
  readonly utcOffsetHours: number;
  readonly excludeZoneIds?: readonly string[];
}

export const REGION_CATALOG: Readonly<Record<string, RegionFacts>> = {
  'us-east-1': {
    location: 'N. Virginia',
    latLon: [38.9, -77.4],
    maxAzs: 5,
    utcOffsetHours: -5,
    excludeZoneIds: ['use1-az3'],
  },
  'us-east-2': { location: 'Ohio', latLon: [40.0, -83.0], maxAzs: 3, utcOffsetHours: -5 },
  'us-west-1': { location: 'N. California', latLon: [37.4, -122.0], maxAzs: 2, utcOffsetHours: -8 },
  'us-west-2': { location: 'Oregon', latLon: [45.8, -119.7], maxAzs: 4, utcOffsetHours: -8 },
  'ca-central-1': { location: 'Canada Central', latLon: [45.5, -73.6], maxAzs: 3, utcOffsetHours: -5 },
  'ca-west-1': { location: 'Calgary', latLon: [51.0, -114.1], maxAzs: 3, utcOffsetHours: -7 },
  'mx-central-1': { location: 'Mexico', latLon: [20.6, -100.4], maxAzs: 3, utcOffsetHours: -6 },
  'sa-east-1': { location: 'Sao Paulo', latLon: [-23.5, -46.6], maxAzs: 3, utcOffsetHours: -3 },
  'eu-west-1': { location: 'Ireland', latLon: [53.3, -6.3], maxAzs: 3, utcOffsetHours: 0 },
  'eu-west-2': { location: 'London', latLon: [51.5, -0.1], maxAzs: 3, utcOffsetHours: 0 },
  'eu-west-3': { location: 'Paris', latLon: [48.9, 2.4], maxAzs: 3, utcOffsetHours: 1 },
  'eu-central-1': { location: 'Frankfurt', latLon: [50.1, 8.7], maxAzs: 3, utcOffsetHours: 1 },
  'eu-central-2': { location: 'Zurich', latLon: [47.4, 8.5], maxAzs: 3, utcOffsetHours: 1 },
  'eu-south-1': { location: 'Milan', latLon: [45.5, 9.2], maxAzs: 3, utcOffsetHours: 1 },
  'eu-south-2': { location: 'Spain', latLon: [41.6, -0.9], maxAzs: 3, utcOffsetHours: 1 },
  'eu-north-1': { location: 'Stockholm', latLon: [59.3, 18.1], maxAzs: 3, utcOffsetHours: 1 },
  'il-central-1': { location: 'Tel Aviv', latLon: [32.1, 34.8], maxAzs: 3, utcOffsetHours: 2 },
  'me-south-1': { location: 'Bahrain', latLon: [26.1, 50.6], maxAzs: 3, utcOffsetHours: 3 },
  'me-central-1': { location: 'UAE', latLon: [24.5, 54.4], maxAzs: 3, utcOffsetHours: 4 },
  'af-south-1': { location: 'Cape Town', latLon: [-33.9, 18.4], maxAzs: 3, utcOffsetHours: 2 },
  'ap-south-1': { location: 'Mumbai', latLon: [19.1, 72.9], maxAzs: 3, utcOffsetHours: 5.5 },
  'ap-south-2': { location: 'Hyderabad', latLon: [17.4, 78.5], maxAzs: 3, utcOffsetHours: 5.5 },
  'ap-east-1': { location: 'Hong Kong', latLon: [22.3, 114.2], maxAzs: 3, utcOffsetHours: 8 },
  'ap-east-2': { location: 'Taipei', latLon: [25.0, 121.5], maxAzs: 3, utcOffsetHours: 8 },
  'ap-southeast-1': { location: 'Singapore', latLon: [1.4, 103.8], maxAzs: 3, utcOffsetHours: 8 },
  'ap-southeast-2': { location: 'Sydney', latLon: [-33.9, 151.2], maxAzs: 3, utcOffsetHours: 10 },
  'ap-southeast-3': { location: 'Jakarta', latLon: [-6.2, 106.8], maxAzs: 3, utcOffsetHours: 7 },
  'ap-southeast-4': { location: 'Melbourne', latLon: [-37.8, 145.0], maxAzs: 3, utcOffsetHours: 10 },
  'ap-southeast-5': { location: 'Malaysia', latLon: [3.1, 101.7], maxAzs: 3, utcOffsetHours: 8 },
  'ap-southeast-7': { location: 'Thailand', latLon: [13.8, 100.5], maxAzs: 3, utcOffsetHours: 7 },
  'ap-northeast-1': {
    location: 'Tokyo',
    latLon: [35.7, 139.7],
    maxAzs: 3,
    utcOffsetHours: 9,
    excludeZoneIds: ['apne1-az3'],
  },
  'ap-northeast-2': { location: 'Seoul', latLon: [37.6, 127.0], maxAzs: 4, utcOffsetHours: 9 },
  'ap-northeast-3': { location: 'Osaka', latLon: [34.7, 135.5], maxAzs: 3, utcOffsetHours: 9 },
};

export function regionFacts(code: string): RegionFacts | undefined {
  return Object.prototype.hasOwnProperty.call(REGION_CATALOG, code) ? REGION_CATALOG[code] : undefined;
}
