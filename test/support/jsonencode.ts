// The reader lives with the deploy-readiness check, which reads Helm values written this way too.
export { decodeJsonencode } from '../../src/readiness/jsonencode';
