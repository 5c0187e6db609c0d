import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { ElasticacheGlobalReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-global-replication-group';
import { setComponent } from '../common/context';

export interface CacheGlobalDatastoreProps {
  /** Suffix of the datastore id (AWS prefixes it with a region-specific string). */
  readonly idSuffix: string;
  /** Replication group the datastore is built from (created in the primary region). */
  readonly primaryReplicationGroupId: string;
  /** Engine version of every member; upgrades are made here. */
  readonly engineVersion: string;
  /** Provider of the primary region. */
  readonly provider?: TerraformProvider;
}

/**
 * The ElastiCache global datastore. AWS builds it from an existing primary replication group and
 * then owns engine, version, node type and encryption for every member; secondaries join with its
 * `globalReplicationGroupId`. At most two secondary regions can join.
 */
export class CacheGlobalDatastore extends Construct {
  readonly datastore: ElasticacheGlobalReplicationGroup;

  constructor(scope: Construct, id: string, props: CacheGlobalDatastoreProps) {
    super(scope, id);
    setComponent(this, 'elasticache');
    this.datastore = new ElasticacheGlobalReplicationGroup(this, 'datastore', {
      provider: props.provider,
      globalReplicationGroupIdSuffix: props.idSuffix,
      globalReplicationGroupDescription: `Global datastore ${props.idSuffix}`,
      primaryReplicationGroupId: props.primaryReplicationGroupId,
      engineVersion: props.engineVersion,
      automaticFailoverEnabled: true,
      lifecycle: { preventDestroy: true },
    });
  }

  /** Id members join with (the suffix plus the AWS prefix). */
  get id(): string {
    return this.datastore.globalReplicationGroupId;
  }
}
