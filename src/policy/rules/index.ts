import type { PolicyRule } from '../types';
import { backupRules } from './backup';
import { cloudfrontRules } from './cloudfront';
import { cloudtrailRules } from './cloudtrail';
import { dynamodbRules } from './dynamodb';
import { ec2Rules } from './ec2';
import { eksRules } from './eks';
import { elasticacheRules } from './elasticache';
import { iamRules } from './iam';
import { iamResourceRules } from './iam-resources';
import { kmsRules } from './kms';
import { kubernetesRules } from './kubernetes';
import { lambdaRules } from './lambda';
import { lbRules } from './lb';
import { logsRules } from './logs';
import { mskRules } from './msk';
import { networkRules } from './network';
import { rdsRules } from './rds';
import { route53Rules } from './route53';
import { s3Rules } from './s3';
import { s3ProtectionRules } from './s3-protection';
import { snsRules } from './sns';
import { sqsRules } from './sqs';

/** Every rule of the pack. docs/policy.md lists them (test/policy/docs.test.ts keeps it true). */
export const RULES: readonly PolicyRule[] = [
  ...s3Rules,
  ...s3ProtectionRules,
  ...rdsRules,
  ...backupRules,
  ...elasticacheRules,
  ...mskRules,
  ...dynamodbRules,
  ...ec2Rules,
  ...networkRules,
  ...kmsRules,
  ...logsRules,
  ...snsRules,
  ...sqsRules,
  ...lambdaRules,
  ...iamRules,
  ...iamResourceRules,
  ...eksRules,
  ...kubernetesRules,
  ...lbRules,
  ...cloudfrontRules,
  ...route53Rules,
  ...cloudtrailRules,
];
