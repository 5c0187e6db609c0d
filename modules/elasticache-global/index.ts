export * from './global-datastore';
export * from './replication-group';
