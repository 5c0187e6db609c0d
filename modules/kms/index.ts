export * from './regional-key';
