// The floor of the benchmark: a one-resource cdktf app, run exactly like the platform.
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';

const app = new App();
const stack = new TerraformStack(app, 'floor');
new AwsProvider(stack, 'aws', { region: 'us-east-1' });
new S3Bucket(stack, 'bucket', { bucket: 'floor-benchmark' });
app.synth();
