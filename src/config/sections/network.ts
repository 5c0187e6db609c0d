import { NAT_GATEWAY_MODES, type NetworkSettings } from '../types';
import type { SectionValidator } from './section';
import { checkLogRetention } from './util';

const ENDPOINT_RE = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/;
const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Checks the fields present; with `complete` every field must be present (the defaults). */
export const validateNetworkSettings: SectionValidator<NetworkSettings> = (n, at, issues, complete) => {
  if (complete || n.natGateways !== undefined) {
    issues.check(
      NAT_GATEWAY_MODES.includes(n.natGateways as never),
      `${at}.natGateways`,
      n.natGateways,
      `expected one of ${NAT_GATEWAY_MODES.join(', ')}`,
    );
  }
  if (complete || n.flowLogRetentionDays !== undefined) {
    checkLogRetention(issues, `${at}.flowLogRetentionDays`, n.flowLogRetentionDays);
  }
  if (complete || n.interfaceEndpoints !== undefined) {
    const list = n.interfaceEndpoints;
    if (!Array.isArray(list)) {
      issues.add(`${at}.interfaceEndpoints`, list, 'expected a list of service names such as "sts" or "ecr.api"');
    } else {
      list.forEach((svc, j) => {
        issues.check(
          typeof svc === 'string' && ENDPOINT_RE.test(svc),
          `${at}.interfaceEndpoints[${j}]`,
          svc,
          'expected a service suffix such as "sts" or "ecr.api"',
        );
        issues.check(list.indexOf(svc) === j, `${at}.interfaceEndpoints[${j}]`, svc, 'expected each service once');
      });
    }
  }
  if (n.endpointReadBuckets !== undefined) {
    const list = n.endpointReadBuckets;
    if (!Array.isArray(list)) {
      issues.add(`${at}.endpointReadBuckets`, list, 'expected a list of S3 bucket names');
    } else {
      list.forEach((bucket, j) =>
        issues.check(
          typeof bucket === 'string' && BUCKET_RE.test(bucket),
          `${at}.endpointReadBuckets[${j}]`,
          bucket,
          'expected an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens; no wildcard)',
        ),
      );
    }
  }
};
