export * from './cluster';
export * from './irsa-role';
export * from './node-group';
export * from './types';
export * from './workload-roles';
