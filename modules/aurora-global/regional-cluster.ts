import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { setComponent } from '../common/context';
import { suppress } from '../common/policy';
import { PolicyDocument, serviceTrust } from '../common/iam';
import { allowClients, type DataClients, type MemberRole } from '../common/data-clients';
import { admitPeeredClients, type PeeredClients } from '../network/peered-clients';

import { POSTGRES_PORT } from '../common/ports';
import { DEFAULT_POSTGRES_LOGGING, postgresLoggingParameters, type PostgresLoggingSettings } from './logging';

/** Master credentials: only the primary cluster takes them (secondaries inherit from the global cluster). */
export interface AuroraMasterCredentials {
  readonly username: string;
  readonly databaseName: string;
  /** Write-only password (e.g. a sensitive, ephemeral variable): sent to AWS, never stored in state. */
  readonly password: string;
  /** Bump to send a new password: write-only arguments are not compared with anything. */
  readonly passwordVersion: number;
}

export interface AuroraRegionalClusterProps {
  /** Cluster identifier; also the prefix of every other name. */
  readonly name: string;
  readonly role: MemberRole;
  /** Global cluster to join. */
  readonly globalClusterId: string;
  /** Engine version of the global cluster at creation; later drift is ignored (upgrades go through the global cluster). */
  readonly engineVersion: string;
  /** Required for the primary, refused for secondaries. */
  readonly master?: AuroraMasterCredentials;
  readonly vpcId: string;
  /** Data subnets (no internet route). */
  readonly subnetIds: readonly string[];
  readonly clients: DataClients;
  /**
   * Applications of peered regions, admitted on 5432 by their subnet CIDRs: writes go to whichever
   * member is the writer, so every member admits every region to survive a switchover.
   * @default - none (only `clients`)
   */
  readonly peeredClients?: readonly PeeredClients[];
  /** Regional customer-managed key: storage, Performance Insights and the log group. */
  readonly kmsKeyArn: string;
  readonly instanceClass: string;
  /** Instances in the cluster (the first is the writer of a primary). */
  readonly instances: number;
  readonly backupRetentionDays: number;
  /** Daily `hh24:mi-hh24:mi` UTC, outside the maintenance window. */
  readonly backupWindow: string;
  /** Weekly `ddd:hh24:mi-ddd:hh24:mi` UTC. */
  readonly maintenanceWindow: string;
  readonly logRetentionDays: number;
  /**
   * Statement and slow-query logging in the cluster parameter group (exported to the log group).
   * @default - DEFAULT_POSTGRES_LOGGING: statements of 1 s or more, every DDL statement, no pgaudit
   */
  readonly logging?: PostgresLoggingSettings;
  readonly performanceInsightsRetentionDays: number;
  readonly monitoringIntervalSeconds: number;
  readonly accountId: string;
  readonly partition: string;
}

/**
 * Aspects every member keeps out of Terraform's diff, whatever its role today. Roles move with
 * switchover and failover, and several of these are ForceNew: a diff would replace a live cluster.
 * - `global_cluster_identifier`, `replication_source_identifier`: AWS sets and clears them as
 *   members change roles (provider docs: secondaries must ignore them).
 * - `engine_version`: upgrades are made on the global cluster, which moves every member.
 * - `master_username`, `database_name`: secondaries inherit them; a promoted secondary must not be
 *   replaced because config now gives it the primary's values.
 */
export const MEMBER_IGNORED_CHANGES = [
  'global_cluster_identifier',
  'replication_source_identifier',
  'engine_version',
  'master_username',
  'database_name',
];

/**
 * One region's member of the Aurora PostgreSQL global database: the cluster, its instances, and
 * everything a member needs on its own (subnet group in the data subnets, a security group open on
 * 5432 to the region's EKS only, a parameter group forcing TLS and turning on statement and slow-query
 * logging, a KMS-encrypted log group created before RDS would create an unencrypted one, and the
 * enhanced monitoring role).
 */
export class AuroraRegionalCluster extends Construct {
  readonly cluster: RdsCluster;
  readonly instances: RdsClusterInstance[] = [];
  readonly securityGroup: SecurityGroup;
  readonly subnetGroup: DbSubnetGroup;
  readonly parameterGroup: RdsClusterParameterGroup;
  readonly logGroup: CloudwatchLogGroup;
  readonly monitoringRole: IamRole;

  constructor(scope: Construct, id: string, props: AuroraRegionalClusterProps) {
    super(scope, id);
    setComponent(this, 'aurora');
    const { name, role } = props;
    if (role === 'primary' && !props.master) throw new Error(`${name}: the primary cluster needs master credentials`);
    if (role === 'secondary' && props.master) {
      throw new Error(`${name}: a secondary cluster takes no master credentials (they come from the primary)`);
    }
    if (props.instances < (role === 'primary' ? 2 : 1)) {
      throw new Error(`${name}: a ${role} cluster needs at least ${role === 'primary' ? 2 : 1} instances`);
    }
    const major = props.engineVersion.split('.')[0];

    // `name` already ends with the component (`<base>-aurora`): the groups take it as is. Their names
    // are ignored once created: deployments from before the rename keep `<name>-aurora`, because
    // a new subnet group would replace the cluster (a ForceNew argument) and a new security group
    // would detach clients while its rules are recreated (docs/data.md, "Resource names").
    this.securityGroup = new SecurityGroup(this, 'sg', {
      name,
      description: `Aurora ${name}: PostgreSQL from the region's EKS only`,
      vpcId: props.vpcId,
      tags: { Name: name },
      lifecycle: { ignoreChanges: ['name'] },
      // No egress rules: Aurora needs none, and Terraform removes the default allow-all rule.
    });
    allowClients(this, this.securityGroup, POSTGRES_PORT, props.clients);
    admitPeeredClients(this, this.securityGroup, POSTGRES_PORT, props.peeredClients ?? []);

    this.subnetGroup = new DbSubnetGroup(this, 'subnets', {
      name,
      description: `Data subnets of ${name}`,
      subnetIds: [...props.subnetIds],
      lifecycle: { ignoreChanges: ['name'] },
    });

    this.parameterGroup = new RdsClusterParameterGroup(this, 'parameters', {
      name: `${name}-pg${major}`,
      family: `aurora-postgresql${major}`,
      description: `TLS-only connections and statement logging for ${name}`,
      parameter: [
        { name: 'rds.force_ssl', value: '1', applyMethod: 'pending-reboot' },
        ...postgresLoggingParameters(props.logging ?? DEFAULT_POSTGRES_LOGGING),
      ],
      lifecycle: { createBeforeDestroy: true },
    });

    // RDS creates /aws/rds/cluster/<id>/postgresql on first export, unencrypted and kept forever.
    this.logGroup = new CloudwatchLogGroup(this, 'postgresql-logs', {
      name: `/aws/rds/cluster/${name}/postgresql`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });

    this.monitoringRole = new IamRole(this, 'monitoring-role', {
      name: `${name}-rds-monitoring`,
      assumeRolePolicy: new PolicyDocument(
        this,
        'monitoring-trust',
        serviceTrust('monitoring.rds.amazonaws.com', props.accountId),
      ).json,
    });
    new IamRolePolicyAttachment(this, 'monitoring-policy', {
      role: this.monitoringRole.name,
      policyArn: `arn:${props.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
    });

    const master = props.master;
    this.cluster = new RdsCluster(this, 'cluster', {
      clusterIdentifier: name,
      engine: 'aurora-postgresql',
      engineMode: 'provisioned',
      engineVersion: props.engineVersion,
      globalClusterIdentifier: props.globalClusterId,
      databaseName: master?.databaseName,
      masterUsername: master?.username,
      masterPasswordWo: master?.password,
      masterPasswordWoVersion: master?.passwordVersion,
      enableGlobalWriteForwarding: role === 'secondary' ? true : undefined,
      dbSubnetGroupName: this.subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      dbClusterParameterGroupName: this.parameterGroup.name,
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      iamDatabaseAuthenticationEnabled: true,
      backupRetentionPeriod: props.backupRetentionDays,
      preferredBackupWindow: props.backupWindow,
      preferredMaintenanceWindow: props.maintenanceWindow,
      copyTagsToSnapshot: true,
      enabledCloudwatchLogsExports: ['postgresql'],
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${name}-final`,
      dependsOn: [this.logGroup],
      lifecycle: { preventDestroy: true, ignoreChanges: MEMBER_IGNORED_CHANGES },
    });

    // Members of a global database must run the same engine version: a minor upgrade goes through
    // the global cluster (docs/data.md), never instance by instance in one region's window.
    suppress(
      this,
      'MRP-RDS-9',
      'Global-database members share one engine version: minor upgrades go through the global cluster, not automatically per instance',
    );
    const dependable: ITerraformDependable[] = [this.monitoringRole];
    for (let i = 0; i < props.instances; i++) {
      // Readers wait for the first instance so that it becomes the writer of a primary cluster.
      this.instances.push(
        new RdsClusterInstance(this, `instance-${i + 1}`, {
          identifier: `${name}-${i + 1}`,
          clusterIdentifier: this.cluster.id,
          engine: 'aurora-postgresql',
          engineVersion: props.engineVersion,
          instanceClass: props.instanceClass,
          dbSubnetGroupName: this.subnetGroup.name,
          publiclyAccessible: false,
          promotionTier: i === 0 ? 0 : 1,
          autoMinorVersionUpgrade: false,
          preferredMaintenanceWindow: props.maintenanceWindow,
          copyTagsToSnapshot: true,
          performanceInsightsEnabled: true,
          performanceInsightsKmsKeyId: props.kmsKeyArn,
          performanceInsightsRetentionPeriod: props.performanceInsightsRetentionDays,
          monitoringInterval: props.monitoringIntervalSeconds,
          monitoringRoleArn: this.monitoringRole.arn,
          dependsOn: i === 0 ? dependable : [...dependable, this.instances[0]],
          lifecycle: { preventDestroy: true, ignoreChanges: ['engine_version'] },
        }),
      );
    }
  }

  /** Cluster (writer) endpoint; on a secondary it accepts writes only through write forwarding. */
  get endpoint(): string {
    return this.cluster.endpoint;
  }

  get readerEndpoint(): string {
    return this.cluster.readerEndpoint;
  }
}
