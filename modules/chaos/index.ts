export * from './fis-experiments';
