export * from './catalog';
export * from '../../modules/common/cidr';
export * from './errors';
export * from './load';
export * from './types';
export * from './traffic-types';
export * from './validate';
export * from './sections';
