export * from './backup-storage';
export * from './bucket-replication';
export * from './installation';
