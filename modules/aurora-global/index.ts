export * from './global-cluster';
export * from './regional-cluster';
