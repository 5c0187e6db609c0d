export * from './mirrormaker';
export * from './mirrormaker-metrics';
export * from './msk-cluster';
export * from './msk-replicator';
export * from './ports';
export * from './replication-release';
export * from './strimzi-models';
