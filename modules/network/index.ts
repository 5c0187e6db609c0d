export * from './network';
export * from './types';
