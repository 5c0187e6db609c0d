export * from './application-ingress';
