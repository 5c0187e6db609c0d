import { Aspects, Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { TaggingAspect } from '../src/aspects/tagging';

function bucketStack(tags?: Record<string, string>) {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'tagged');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const bucket = new S3Bucket(stack, 'bucket', { bucket: 'logs', tags });
  return { app, stack, bucket };
}

const tagging = new TaggingAspect({ project: 'mi', environment: 'production', extra: { owner: 'platform-team' } });

describe('TaggingAspect', () => {
  test('tags a resource with the platform tags; its own tags win', () => {
    const { stack, bucket } = bucketStack({ component: 'audit', owner: 'security' });
    Aspects.of(stack).add(tagging);
    const json = JSON.parse(Testing.synth(stack)) as { resource: { aws_s3_bucket: { bucket: { tags: unknown } } } };
    expect(json.resource.aws_s3_bucket.bucket.tags).toEqual({
      owner: 'security',
      project: 'mi',
      environment: 'production',
      region: 'global',
      component: 'audit',
      'managed-by': 'cdktf',
    });
    expect(bucket.tagsInput).toEqual(json.resource.aws_s3_bucket.bucket.tags);
  });

  test('is idempotent: a second visit (platform stacks invoke aspects twice) changes nothing', () => {
    const { bucket } = bucketStack();
    tagging.visit(bucket);
    const first = { ...bucket.tagsInput };
    tagging.visit(bucket);
    expect(bucket.tagsInput).toEqual(first);
    expect(Object.keys(bucket.tagsInput!)).toEqual(Object.keys(first));
    expect(first).toMatchObject({ owner: 'platform-team', component: 'platform' });
  });
});
