/**
 * What each stack offers the stacks after it: small typed interfaces of plain values (Terraform
 * references become cross-stack outputs and remote-state reads when another stack uses them).
 * A stack (and each part of it) receives these, never another stack object, so each stack can be
 * read on its own.
 */
import type { LogExportTarget } from '../../modules/audit/log-export';
import type { OidcIdentity } from '../../modules/eks/irsa-role';

export interface DnsExports {
  readonly zoneId: string;
}

export interface NetworkExports {
  readonly vpcId: string;
  readonly privateSubnetIds: readonly string[];
  readonly dataSubnetIds: readonly string[];
  /** Route tables of the private and data subnets (peering routes go here). */
  readonly internalRouteTableIds: readonly string[];
}

export interface EksExports {
  readonly clusterName: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  readonly oidc: OidcIdentity;
  readonly nodeSecurityGroupId: string;
  readonly clusterSecurityGroupId: string;
  readonly hasGpuNodes: boolean;
}

export interface RegionalExports {
  readonly kmsKeyArn: string;
  /** The region's key of audit logs (archive, CloudTrail) and of backups (ClickHouse, AWS Backup): docs/security.md. */
  readonly auditKeyArn: string;
  readonly backupKeyArn: string;
  readonly network: NetworkExports;
  readonly eks: EksExports;
  readonly ingress: {
    readonly dnsName: string;
    readonly zoneId: string;
    readonly loadBalancerArnSuffix: string;
    readonly targetGroupArn: string;
    /** Bucket of the load balancer's access logs (SSE-S3), replicated to the next region by the global stack. */
    readonly accessLogBucket: { readonly name: string; readonly arn: string };
  };
  readonly msk: {
    readonly arn: string;
    readonly clusterName: string;
    readonly bootstrapBrokersScram: string;
    /** IAM-authenticated brokers (port 9098): the ACL Job connects here. */
    readonly bootstrapBrokersIam: string;
    /** The IRSA role of the Job that applies MirrorMaker 2's ACLs; only in `mirrormaker2` mode. */
    readonly aclAdminRoleArn?: string;
    readonly securityGroupId: string;
    readonly clientSubnetIds: readonly string[];
  };
  readonly clickhouseBackups: { readonly name: string; readonly arn: string };
  /** IRSA roles of the in-cluster controllers and the application. */
  readonly workloadRoleArns: {
    readonly loadBalancerController: string;
    readonly clusterAutoscaler: string;
    readonly application: string;
  };
  readonly observability: {
    readonly criticalAlarmArn: string;
    readonly topicArns: { readonly warning: string; readonly critical: string };
    readonly archive: { readonly name: string; readonly arn: string };
    /** Where log groups of this region stream to (the region's log archive). */
    readonly logExport: LogExportTarget;
  };
}

/** A cache member's endpoints and the user applications connect as. */
export interface CacheExports {
  readonly primaryEndpoint: string;
  readonly readerEndpoint: string;
  readonly appUserName: string;
}

export interface GlobalExports {
  readonly auroraGlobalClusterId: string;
  readonly auroraWriterEndpoint: string;
  readonly cacheDatastoreId: string;
  /** The datastore's primary member (primary region). */
  readonly cachePrimary: CacheExports;
  /** The global Prometheus (AMP) workspace and the IRSA roles of each region's Prometheus and Grafana. */
  readonly prometheus: {
    readonly remoteWriteUrl: string;
    readonly queryUrl: string;
    readonly writerRoleArns: Readonly<Record<string, string>>;
    readonly readerRoleArns: Readonly<Record<string, string>>;
  };
}

export interface DataExports {
  readonly auroraEndpoint: string;
  readonly auroraReaderEndpoint: string;
  /** This region's cache member; undefined where the primary's group (global stack) or none serves. */
  readonly cache?: CacheExports;
  readonly clickhouseRoleArn: string;
  /**
   * The database bootstrap Job's master-password secret and IRSA role (docs/data.md, "Database
   * bootstrap"); only the primary region's data stack has them, so only its workloads run the Job.
   */
  readonly dbBootstrap?: DbBootstrapExports;
}

/** What the primary's workloads stack needs to run the database bootstrap Job. */
export interface DbBootstrapExports {
  readonly secretArn: string;
  readonly roleArn: string;
}

/** A region's exports; throws for a region the caller did not pass (a wiring bug). */
export function exportsOf<T>(all: ReadonlyMap<string, T>, key: string): T {
  const found = all.get(key);
  if (!found) throw new Error(`no exports for region ${key}`);
  return found;
}
