import type { BucketProtection } from '../../modules/storage/protection';
import { roleArnPattern } from '../../modules/storage/protection';
import type { PlatformConfig } from '../config/types';

/**
 * The principals exempt from the archive and backup buckets' deny statements
 * (`security.breakGlassRoleName` and `security.deployRoleNames`), as role ARN patterns of this account.
 */
export function bucketAdministrators(config: PlatformConfig, partition: string, accountId: string): string[] {
  const s = config.security;
  return [s.breakGlassRoleName, ...s.deployRoleNames].map((name) => roleArnPattern(partition, accountId, name));
}

/** The protection of an archive or backup bucket (docs/security.md, "Immutable audit and backup storage"). */
export function bucketProtection(
  config: PlatformConfig,
  partition: string,
  accountId: string,
  allowDeleteMarkers = false,
): BucketProtection {
  return { adminPrincipalArns: bucketAdministrators(config, partition, accountId), allowDeleteMarkers };
}
