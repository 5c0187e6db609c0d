export * from './event-replication';
export * from './lambda-bundle';
