export * from './types';
export * from './engine';
export * from './policy-aspect';
export { RULES } from './rules';
export { suppress } from '../../modules/common/policy';
