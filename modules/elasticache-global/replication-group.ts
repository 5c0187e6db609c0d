import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import { ElasticacheUser } from '@cdktf/provider-aws/lib/elasticache-user';
import { ElasticacheUserGroup } from '@cdktf/provider-aws/lib/elasticache-user-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { setComponent } from '../common/context';
import { allowClients, type DataClients } from '../common/data-clients';
import { admitPeeredClients, type PeeredClients } from '../network/peered-clients';

import { REDIS_PORT } from '../common/ports';

export const CACHE_GROUP_ROLES = ['primary', 'secondary'] as const;
/**
 * `primary`: the writable group a global datastore is built from; `secondary`: a member created into
 * an existing datastore. (A region without a member reads another region's: nothing to build here.)
 */
export type CacheGroupRole = (typeof CACHE_GROUP_ROLES)[number];

/** Engine settings AWS owns at the datastore level: given to the primary group only. */
export interface CacheEngineSettings {
  readonly engine: string;
  readonly engineVersion: string;
  readonly nodeType: string;
}

export interface CacheReplicationGroupProps {
  /** Replication group id and name prefix (at most 40 characters). */
  readonly name: string;
  readonly role: CacheGroupRole;
  /** Required for `primary`, refused for `secondary`. */
  readonly engine?: CacheEngineSettings;
  /** Engine of the RBAC users (`redis` or `valkey`); a secondary's users follow the datastore's engine. */
  readonly userEngine: string;
  /** Datastore to join; required for `secondary` only. */
  readonly globalReplicationGroupId?: string;
  readonly vpcId: string;
  /** Data subnets (no internet route), at least two AZs. */
  readonly subnetIds: readonly string[];
  readonly clients: DataClients;
  /**
   * Applications of peered regions, admitted on 6379 by their subnet CIDRs: every region writes to
   * the datastore's primary and readers read their nearest member, so every member admits every
   * region to survive a failover of the datastore.
   * @default - none (only `clients`)
   */
  readonly peeredClients?: readonly PeeredClients[];
  /** Regional customer-managed key for encryption at rest. */
  readonly kmsKeyArn: string;
  /** Nodes of the single node group (primary + replicas), at least 2. */
  readonly nodes: number;
  readonly snapshotRetentionDays: number;
  /** Daily `hh24:mi-hh24:mi` UTC, outside the maintenance window. */
  readonly snapshotWindow: string;
  /** Weekly `ddd:hh24:mi-ddd:hh24:mi` UTC. */
  readonly maintenanceWindow: string;
  /** Retention of the slow-log and engine-log groups (KMS-encrypted with `kmsKeyArn`). */
  readonly logRetentionDays: number;
  /** @default - the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * One region's ElastiCache replication group (cluster mode disabled, one node group) with multi-AZ
 * automatic failover, TLS required, at-rest encryption with the regional key, and RBAC users that
 * authenticate with IAM: the `default` user is switched off, applications connect as `<name>-app`
 * with a short-lived IAM token (`elasticache:Connect`), so no password or auth token exists anywhere.
 *
 * A `secondary` omits what AWS owns at the datastore level (engine, version, node type, parameter
 * group, encryption flags, node groups) and ignores their drift.
 */
export class CacheReplicationGroup extends Construct {
  readonly group: ElasticacheReplicationGroup;
  readonly securityGroup: SecurityGroup;
  readonly subnetGroup: ElasticacheSubnetGroup;
  readonly userGroup: ElasticacheUserGroup;
  /** RBAC user applications connect as (IAM authentication; user name = user id). */
  readonly appUser: ElasticacheUser;

  constructor(scope: Construct, id: string, props: CacheReplicationGroupProps) {
    super(scope, id);
    setComponent(this, 'elasticache');
    const { name, role, provider } = props;
    if (role === 'secondary') {
      if (!props.globalReplicationGroupId) throw new Error(`${name}: a secondary needs globalReplicationGroupId`);
      if (props.engine) throw new Error(`${name}: a secondary takes its engine settings from the global datastore`);
    } else if (!props.engine) {
      throw new Error(`${name}: a ${role} group needs engine settings`);
    }
    if (props.nodes < 2) throw new Error(`${name}: multi-AZ failover needs at least 2 nodes, got ${props.nodes}`);

    // `name` already ends with the component (`<base>-cache`): the groups take it as is. Their names
    // are ignored once created: deployments from before the rename keep `<name>-cache`, because
    // a new subnet group would replace the replication group (a ForceNew argument) and a new security group
    // would detach clients while its rules are recreated (docs/data.md, "Resource names").
    this.securityGroup = new SecurityGroup(this, 'sg', {
      provider,
      name,
      description: `ElastiCache ${name}: port ${REDIS_PORT} from the region's EKS only`,
      vpcId: props.vpcId,
      tags: { Name: name },
      lifecycle: { ignoreChanges: ['name'] },
    });
    allowClients(this, this.securityGroup, REDIS_PORT, props.clients, provider);
    admitPeeredClients(this, this.securityGroup, REDIS_PORT, props.peeredClients ?? [], provider);

    this.subnetGroup = new ElasticacheSubnetGroup(this, 'subnets', {
      provider,
      name,
      description: `Data subnets of ${name}`,
      subnetIds: [...props.subnetIds],
      lifecycle: { ignoreChanges: ['name'] },
    });

    const defaultUser = new ElasticacheUser(this, 'default-user', {
      provider,
      userId: `${name}-default`,
      userName: 'default',
      engine: props.userEngine,
      // Every user group needs a user named "default"; this one cannot log in or run anything.
      accessString: 'off -@all',
      authenticationMode: { type: 'no-password-required' },
    });
    this.appUser = new ElasticacheUser(this, 'app-user', {
      provider,
      userId: `${name}-app`,
      userName: `${name}-app`,
      engine: props.userEngine,
      accessString: 'on ~* &* +@all -@dangerous',
      authenticationMode: { type: 'iam' },
    });
    this.userGroup = new ElasticacheUserGroup(this, 'user-group', {
      provider,
      userGroupId: `${name}-users`,
      engine: props.userEngine,
      userIds: [defaultUser.userId, this.appUser.userId],
    });

    const logs = (['slow-log', 'engine-log'] as const).map((logType) => {
      const group = new CloudwatchLogGroup(this, logType, {
        provider,
        name: `/aws/elasticache/${name}/${logType}`,
        retentionInDays: props.logRetentionDays,
        kmsKeyId: props.kmsKeyArn,
      });
      return { destination: group.name, destinationType: 'cloudwatch-logs', logFormat: 'json', logType };
    });

    const common = {
      provider,
      replicationGroupId: name,
      description: `${role} cache ${name}`,
      numCacheClusters: props.nodes,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      subnetGroupName: this.subnetGroup.name,
      securityGroupIds: [this.securityGroup.id],
      userGroupIds: [this.userGroup.userGroupId],
      kmsKeyId: props.kmsKeyArn,
      snapshotRetentionLimit: props.snapshotRetentionDays,
      snapshotWindow: props.snapshotWindow,
      maintenanceWindow: props.maintenanceWindow,
      finalSnapshotIdentifier: `${name}-final`,
      applyImmediately: false,
      logDeliveryConfiguration: logs,
    };
    this.group =
      role === 'secondary'
        ? new ElasticacheReplicationGroup(this, 'group', {
            ...common,
            globalReplicationGroupId: props.globalReplicationGroupId,
            // AWS owns these at the datastore level; with valkey the provider also plans engine
            // "redis" for members (hashicorp/terraform-provider-aws#41713): never diff them here.
            lifecycle: {
              preventDestroy: true,
              ignoreChanges: ['engine', 'engine_version', 'node_type', 'parameter_group_name'],
            },
          })
        : new ElasticacheReplicationGroup(this, 'group', {
            ...common,
            engine: props.engine!.engine,
            engineVersion: props.engine!.engineVersion,
            nodeType: props.engine!.nodeType,
            port: REDIS_PORT,
            atRestEncryptionEnabled: 'true',
            transitEncryptionEnabled: true,
            transitEncryptionMode: 'required',
            // A datastore primary is upgraded through the global replication group.
            lifecycle: { preventDestroy: true, ignoreChanges: role === 'primary' ? ['engine_version'] : [] },
          });
  }

  get id(): string {
    return this.group.id;
  }

  /** Writer endpoint (on a secondary it serves reads only until promoted). */
  get primaryEndpoint(): string {
    return this.group.primaryEndpointAddress;
  }

  get readerEndpoint(): string {
    return this.group.readerEndpointAddress;
  }
}
