export * from './peering-mesh';
