import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { RdsGlobalCluster } from '@cdktf/provider-aws/lib/rds-global-cluster';
import { setComponent } from '../common/context';

export interface AuroraGlobalClusterProps {
  /** Global cluster identifier. */
  readonly identifier: string;
  /** `aurora-postgresql` engine version; members follow it (engine upgrades happen here). */
  readonly engineVersion: string;
  /** Provider of the region the API calls go to. @default - the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * The Aurora PostgreSQL global cluster: created empty (no source cluster), encrypted, protected from
 * deletion. Regional clusters join it through `global_cluster_identifier` from the data stacks.
 * Changing `engineVersion` here upgrades every member (major upgrades included), which is why the
 * members ignore their own `engine_version`.
 */
export class AuroraGlobalCluster extends Construct {
  readonly cluster: RdsGlobalCluster;

  constructor(scope: Construct, id: string, props: AuroraGlobalClusterProps) {
    super(scope, id);
    setComponent(this, 'aurora');
    this.cluster = new RdsGlobalCluster(this, 'cluster', {
      provider: props.provider,
      globalClusterIdentifier: props.identifier,
      engine: 'aurora-postgresql',
      engineVersion: props.engineVersion,
      storageEncrypted: true,
      deletionProtection: true,
      lifecycle: { preventDestroy: true },
    });
  }

  get id(): string {
    return this.cluster.id;
  }

  /** Writer endpoint of the global database: follows the primary through switchover and failover. */
  get writerEndpoint(): string {
    return this.cluster.endpoint;
  }
}
