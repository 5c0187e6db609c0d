import { production } from '../src/config/environments/production';
import { resolvePlan } from '../src/plan/resolve';
import { defaultSynth } from './support/shared-synth';
import { resources } from './support/stack-json';

type Body = Record<string, unknown>;

describe('multi-region CloudTrail (production synth)', () => {
  const synth = defaultSynth('production');
  const global = synth.stack('global');
  const primary = synth.stack('region-us-east');
  const statements = (stack: typeof primary) =>
    Object.values(stack.data?.aws_iam_policy_document ?? {}).flatMap((d) => (d.statement as Body[]) ?? []);

  test('one multi-region trail with log file validation and KMS, into the primary archive under cloudtrail/', () => {
    const trails = resources(global, 'aws_cloudtrail');
    expect(trails).toHaveLength(1);
    expect(trails[0]).toEqual(
      expect.objectContaining({
        name: 'mi-production-audit',
        is_multi_region_trail: true,
        include_global_service_events: true,
        enable_log_file_validation: true,
        s3_key_prefix: 'cloudtrail',
        s3_bucket_name: expect.stringMatching(/region-us-east\.outputs\..*log-archive_bucket/),
        kms_key_id: expect.stringMatching(/region-us-east\.outputs\..*kms_key/),
        cloud_watch_logs_group_arn: expect.stringMatching(
          /aws_cloudwatch_log_group\.observability_cloudtrail_logs_\w+\.arn\}:\*$/,
        ),
      }),
    );
  });

  test('the primary archive admits this trail only (aws:SourceArn), writing under its prefix', () => {
    const write = statements(primary).find((s) => s.sid === 'CloudTrailWrite')!;
    expect(write.actions).toEqual(['s3:PutObject']);
    expect(write.resources).toEqual([
      expect.stringMatching(/\/cloudtrail\/AWSLogs\/\$\{data\.aws_caller_identity\.caller\.account_id\}\/\*$/),
    ]);
    expect(write.condition).toEqual(
      expect.arrayContaining([
        {
          test: 'StringEquals',
          variable: 'aws:SourceArn',
          values: [expect.stringMatching(/:cloudtrail:us-east-1:.*:trail\/mi-production-audit$/)],
        },
      ]),
    );
    expect(statements(primary).some((s) => s.sid === 'CloudTrailAclCheck')).toBe(true);
  });

  test('the primary key lets CloudTrail encrypt for this trail; secondaries grant nothing', () => {
    const encrypt = statements(primary).find((s) => s.sid === 'CloudTrailEncrypt')!;
    expect(encrypt.actions).toEqual(['kms:GenerateDataKey*']);
    const secondaries = resolvePlan(production).regions.filter((r) => !r.isPrimary);
    expect(secondaries.length).toBeGreaterThan(0);
    for (const region of secondaries) {
      const stack = synth.stack(region.stackIds.regional);
      expect(statements(stack).some((s) => String(s.sid).startsWith('CloudTrail'))).toBe(false);
    }
  });
});
