import { block, blocks, isSet, strings } from '../attributes';
import { problemUnless, resourceRule } from './define';

const SERVICE = 'CloudTrail';

/** The advanced event selectors of a trail, each as its field -> equals/startsWith values. */
function selectors(attributes: Readonly<Record<string, unknown>>) {
  return blocks(attributes.advanced_event_selector).map((selector) =>
    Object.fromEntries(
      blocks(selector.field_selector).map((f) => [
        String(f.field),
        { equals: strings(f.equals), startsWith: strings(f.starts_with) },
      ]),
    ),
  );
}

export const cloudtrailRules = [
  resourceRule({
    id: 'MRP-TRAIL-1',
    service: SERVICE,
    rationale:
      'Trails announce each delivered log file on an SNS topic (sns_topic_name), so gaps and deliveries are visible.',
    appliesTo: ['aws_cloudtrail'],
    check: (r) => problemUnless(isSet(r.attributes.sns_topic_name), 'sns_topic_name is not set'),
  }),
  resourceRule({
    id: 'MRP-TRAIL-2',
    service: SERVICE,
    rationale:
      'Trails record S3 data events of named buckets (reads, writes, deletes) and still select management events.',
    appliesTo: ['aws_cloudtrail'],
    check: (r) => {
      const all = selectors(r.attributes);
      const data = all.some(
        (s) =>
          s.eventCategory?.equals.includes('Data') &&
          s['resources.type']?.equals.includes('AWS::S3::Object') &&
          (s['resources.ARN']?.startsWith.length ?? 0) > 0 &&
          s.readOnly === undefined &&
          s.eventName === undefined,
      );
      const management =
        all.some((s) => s.eventCategory?.equals.includes('Management')) ||
        (all.length === 0 && block(r.attributes.event_selector) === undefined);
      return [
        ...problemUnless(data, 'no advanced event selector records every S3 data event of named buckets'),
        ...problemUnless(management, 'the event selectors drop management events'),
      ];
    },
  }),
];
