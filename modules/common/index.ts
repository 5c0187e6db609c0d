export * from './context';
export * from './iam';
