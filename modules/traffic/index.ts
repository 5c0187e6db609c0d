export * from './types';
export * from './hosted-zone';
export * from './validated-certificate';
export * from './api-routing';
export * from './alb-origin-access';
export * from './edge-distribution';
