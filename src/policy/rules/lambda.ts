import { block, isCustomerManagedKey, isSet } from '../attributes';
import { problemUnless, resourceRule } from './define';

const SERVICE = 'Lambda';

export const lambdaRules = [
  resourceRule({
    id: 'MRP-LAMBDA-1',
    service: SERVICE,
    rationale: 'Functions with environment variables encrypt them with a customer-managed KMS key (kms_key_arn).',
    appliesTo: ['aws_lambda_function'],
    check: (r) => {
      const variables = block(r.attributes.environment)?.variables;
      const hasVariables =
        variables !== undefined && (typeof variables !== 'object' || Object.keys(variables as object).length > 0);
      return hasVariables
        ? problemUnless(isCustomerManagedKey(r.attributes.kms_key_arn), 'environment variables without kms_key_arn')
        : [];
    },
  }),
  resourceRule({
    id: 'MRP-LAMBDA-2',
    service: SERVICE,
    rationale: 'Function URLs require IAM authentication (no anonymous invoke from the internet).',
    appliesTo: ['aws_lambda_function_url'],
    check: (r) => problemUnless(r.attributes.authorization_type === 'AWS_IAM', 'authorization_type is not AWS_IAM'),
  }),
  resourceRule({
    id: 'MRP-LAMBDA-3',
    service: SERVICE,
    rationale: 'Functions run inside a VPC (vpc_config with subnets), or say why they need none.',
    appliesTo: ['aws_lambda_function'],
    check: (r) =>
      problemUnless(
        isSet(block(r.attributes.vpc_config)?.subnet_ids),
        'no vpc_config: the function runs outside any VPC',
      ),
  }),
  resourceRule({
    id: 'MRP-LAMBDA-4',
    service: SERVICE,
    rationale: 'Functions verify signed code (code_signing_config_arn), or say why not.',
    appliesTo: ['aws_lambda_function'],
    check: (r) => problemUnless(isSet(r.attributes.code_signing_config_arn), 'no code_signing_config_arn'),
  }),
];
