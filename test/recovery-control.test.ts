// ARC routing controls (`traffic.recoveryControl`, docs/traffic.md "Routing controls"): the config
// switch and its validation, the plan's names, what the global stack creates on and off, the policy
// pack and the readiness check on it. The DR CLI side: test/dr/routing-controls.test.ts.
import { Testing } from 'cdktf';
import type { RecoveryControlSettings } from '../src/config/traffic-types';
import type { PlatformConfig } from '../src/config/types';
import { evaluateStack, evaluationErrors } from '../src/policy/engine';
import { recoveryControlPlan } from '../src/plan/recovery-control';
import { resolvePlan } from '../src/plan/resolve';
import { checkIdentifiers } from '../src/readiness/identifiers';
import { GlobalStack } from '../src/stacks/global-stack';
import { issuesOf, threeRegions, variant } from './support/config';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/stack-json';
import { DNS_EXPORTS, regionalExportsOf, stackJson } from './support/stacks';

type Body = Record<string, unknown>;

const ENDPOINTS = [
  { region: 'us-west-2', endpoint: 'https://a1b2c3d4.route53-recovery-cluster.us-west-2.amazonaws.com/v1' },
  { region: 'eu-west-1', endpoint: 'https://e5f6a7b8.route53-recovery-cluster.eu-west-1.amazonaws.com/v1' },
];
const withArc = (settings: RecoveryControlSettings, base: PlatformConfig = threeRegions) =>
  variant((c) => {
    c.traffic.recoveryControl = settings as never;
  }, base);
const gated = withArc({ enabled: true, gateTraffic: true, clusterEndpoints: ENDPOINTS });
const ungated = withArc({ enabled: true });

function globalStack(config: PlatformConfig): { stack: GlobalStack; json: StackJson } {
  const plan = resolvePlan(config);
  const regional = new Map(plan.regions.map((r) => [r.key, regionalExportsOf(r.key, r.azCount + 1)]));
  const stack = new GlobalStack(Testing.app(), plan.stackIds.global, { plan, regional, dns: DNS_EXPORTS });
  return { stack, json: stackJson(stack) };
}

const named = (json: StackJson, type: string): [string, Body][] =>
  Object.entries((json.resource?.[type] ?? {}) as Record<string, Body>);
const checksOfType = (json: StackJson, type: string) =>
  named(json, 'aws_route53_health_check').filter(([, b]) => b.type === type);
const ref = (type: string, name: string, attr: string) => `\${${type}.${name}.${attr}}`;

describe('config: traffic.recoveryControl', () => {
  test('off unless enabled: absent, or enabled false, plans no routing controls', () => {
    expect(resolvePlan(threeRegions).traffic.recoveryControl).toBeUndefined();
    expect(resolvePlan(withArc({ enabled: false })).traffic.recoveryControl).toBeUndefined();
    expect(resolvePlan(ungated).traffic.recoveryControl).toEqual(expect.objectContaining({ gateTraffic: false }));
  });

  test('the default environments leave it off (it costs a cluster-hour)', () => {
    for (const environment of ['production', 'staging'] as const) {
      const plan = resolvePlan(
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require(`../src/config/environments/${environment}`) as Record<string, PlatformConfig>)[environment],
      );
      expect(plan.traffic.recoveryControl).toBeUndefined();
    }
  });

  test.each<[string, unknown, string, RegExp]>([
    ['enabled not a boolean', { enabled: 'yes' }, 'traffic.recoveryControl.enabled', /true or false/],
    ['not an object', 'on', 'traffic.recoveryControl', /enabled: true \| false/],
    ['gateTraffic not a boolean', { enabled: true, gateTraffic: 1 }, 'traffic.recoveryControl.gateTraffic', /true/],
    [
      'gated while disabled',
      { enabled: false, gateTraffic: true, clusterEndpoints: ENDPOINTS },
      'traffic.recoveryControl.gateTraffic',
      /while enabled is false/,
    ],
    [
      'gated without the cluster endpoints',
      { enabled: true, gateTraffic: true },
      'traffic.recoveryControl.clusterEndpoints',
      /recovery_control_cluster_endpoints/,
    ],
    [
      'gated with an empty endpoint list',
      { enabled: true, gateTraffic: true, clusterEndpoints: [] },
      'traffic.recoveryControl.clusterEndpoints',
      /before gateTraffic/,
    ],
    [
      'an endpoint over http',
      { enabled: true, clusterEndpoints: [{ region: 'us-west-2', endpoint: 'http://x.example.com' }] },
      'traffic.recoveryControl.clusterEndpoints[0].endpoint',
      /https URL/,
    ],
    [
      'an endpoint region that is no region code',
      { enabled: true, clusterEndpoints: [{ region: 'oregon', endpoint: ENDPOINTS[0].endpoint }] },
      'traffic.recoveryControl.clusterEndpoints[0].region',
      /AWS region code/,
    ],
    [
      'endpoints not a list',
      { enabled: true, clusterEndpoints: ENDPOINTS[0] },
      'traffic.recoveryControl.clusterEndpoints',
      /list of \{ region, endpoint \}/,
    ],
  ])('%s is refused with its field path and value', (_name, settings, path, message) => {
    const issues = issuesOf(withArc(settings as RecoveryControlSettings));
    expect(issues.map((i) => i.path)).toEqual([path]);
    expect(issues[0].expected).toMatch(message);
  });

  test('enabled without endpoints, and gated with them, are valid', () => {
    expect(issuesOf(ungated)).toEqual([]);
    expect(issuesOf(gated)).toEqual([]);
  });
});

describe('plan: routing-control names', () => {
  test('one routing control and two health-check names per region, from the naming prefix', () => {
    const plan = recoveryControlPlan(gated)!;
    expect(plan).toEqual({
      clusterName: 'mi-production-arc',
      controlPanelName: 'mi-production-traffic',
      safetyRuleName: 'mi-production-at-least-one-region-on',
      safetyRuleWaitMs: 5000,
      gateTraffic: true,
      clusterEndpoints: ENDPOINTS,
      regions: ['us-east', 'eu-west', 'apac'].map((key) => ({
        key,
        routingControl: `mi-production-${key}-traffic`,
        controlHealthCheck: `mi-production-api-${key}-control`,
        gatedHealthCheck: `mi-production-api-${key}-gated`,
      })),
    });
    // Never one of the HTTPS checks' names, which the DR CLI looks up by tag.
    const httpsNames = resolvePlan(gated).regions.map((r) => r.names.healthCheck);
    for (const r of plan.regions) expect(httpsNames).not.toContain(r.controlHealthCheck);
  });
});

describe('global stack with routing controls gating the records', () => {
  const { stack, json } = globalStack(gated);
  const plan = resolvePlan(gated);
  const controls = named(json, 'aws_route53recoverycontrolconfig_routing_control');

  test('a cluster, a control panel and one routing control per region, on the us-west-2 provider', () => {
    const [cluster] = resources(json, 'aws_route53recoverycontrolconfig_cluster');
    const [panel] = named(json, 'aws_route53recoverycontrolconfig_control_panel');
    expect(resources(json, 'aws_route53recoverycontrolconfig_cluster')).toHaveLength(1);
    expect(cluster).toEqual(expect.objectContaining({ name: 'mi-production-arc', provider: 'aws.arc_us_west_2' }));
    expect(panel[1]).toEqual(
      expect.objectContaining({
        name: 'mi-production-traffic',
        cluster_arn: expect.stringMatching(/aws_route53recoverycontrolconfig_cluster\..*\.arn/),
      }),
    );
    expect(controls.map(([, b]) => b.name).sort()).toEqual(
      plan.traffic.recoveryControl!.regions.map((r) => r.routingControl).sort(),
    );
    for (const [, body] of controls) {
      expect(body.control_panel_arn).toBe(ref('aws_route53recoverycontrolconfig_control_panel', panel[0], 'arn'));
      expect(body.provider).toBe('aws.arc_us_west_2');
    }
    const providers = (json.provider as { aws: Body[] }).aws;
    expect(providers).toContainEqual(expect.objectContaining({ alias: 'arc_us_west_2', region: 'us-west-2' }));
  });

  // ARC answers concurrent creates on one control panel with 409, which aws provider 5.x turns into a
  // crash (terraform-provider-aws #47034): each routing control waits for the one before it.
  test('the routing controls are created one after another, in region order', () => {
    const order = plan.traffic.recoveryControl!.regions.map((r) =>
      controls.find(([, b]) => b.name === r.routingControl)!,
    );
    expect(order[0][1].depends_on).toBeUndefined();
    for (let i = 1; i < order.length; i++) {
      expect(order[i][1].depends_on).toEqual([`aws_route53recoverycontrolconfig_routing_control.${order[i - 1][0]}`]);
    }
  });

  test('prevent_destroy on the cluster, panel and routing controls: a replaced control starts OFF', () => {
    for (const type of [
      'aws_route53recoverycontrolconfig_cluster',
      'aws_route53recoverycontrolconfig_control_panel',
      'aws_route53recoverycontrolconfig_routing_control',
    ]) {
      const bodies = resources(json, type);
      expect(bodies.length).toBeGreaterThan(0);
      for (const body of bodies)
        expect(body).toEqual(expect.objectContaining({ lifecycle: { prevent_destroy: true } }));
    }
  });

  test('the safety rule asserts at least one of all the routing controls is on', () => {
    const rules = resources(json, 'aws_route53recoverycontrolconfig_safety_rule');
    expect(rules).toHaveLength(1);
    expect(rules[0]).toEqual(
      expect.objectContaining({
        name: 'mi-production-at-least-one-region-on',
        rule_config: { type: 'ATLEAST', threshold: 1, inverted: false },
        wait_period_ms: 5000,
      }),
    );
    expect((rules[0].asserted_controls as string[]).sort()).toEqual(
      controls.map(([name]) => ref('aws_route53recoverycontrolconfig_routing_control', name, 'arn')).sort(),
    );
  });

  test("a RECOVERY_CONTROL check per routing control, ANDed with the region's HTTPS check", () => {
    const control = checksOfType(json, 'RECOVERY_CONTROL');
    const https = checksOfType(json, 'HTTPS');
    const calculated = checksOfType(json, 'CALCULATED');
    expect([control.length, https.length, calculated.length]).toEqual([3, 3, 3]);
    for (const region of plan.traffic.recoveryControl!.regions) {
      const [rcName, rcBody] = control.find(([, b]) => (b.tags as Body).Name === region.controlHealthCheck)!;
      const [controlName] = controls.find(([, b]) => b.name === region.routingControl)!;
      expect(rcBody.routing_control_arn).toBe(
        ref('aws_route53recoverycontrolconfig_routing_control', controlName, 'arn'),
      );
      const [httpsName] = https.find(
        ([, b]) => (b.tags as Body).Name === plan.regions.find((r) => r.key === region.key)!.names.healthCheck,
      )!;
      const [, combined] = calculated.find(([, b]) => (b.tags as Body).Name === region.gatedHealthCheck)!;
      expect(combined.child_health_threshold).toBe(2);
      expect(combined.child_healthchecks).toEqual([
        ref('aws_route53_health_check', httpsName, 'id'),
        ref('aws_route53_health_check', rcName, 'id'),
      ]);
    }
  });

  test("every routed record that answers with a region carries that region's CALCULATED check", () => {
    const calculated = new Map(
      checksOfType(json, 'CALCULATED').map(([name, b]) => [ref('aws_route53_health_check', name, 'id'), b]),
    );
    const guarded = plan.traffic.records.filter((r) => r.healthCheckRegion);
    const records = named(json, 'aws_route53_record').filter(([, b]) => b.health_check_id !== undefined);
    expect(records).toHaveLength(guarded.length);
    expect(guarded.length).toBeGreaterThan(5);
    for (const [, body] of records) expect(calculated.has(body.health_check_id as string)).toBe(true);
    // Region by region: api-latency's record for a region carries that region's gated check.
    for (const spec of plan.traffic.records.filter((r) => r.label === 'api-latency')) {
      const [, body] = records.find(([n]) => n.startsWith(`api-routing_${spec.id}_`))!;
      const tag = (calculated.get(body.health_check_id as string)!.tags as Body).Name;
      expect(tag).toBe(`mi-production-api-${spec.healthCheckRegion}-gated`);
    }
  });

  test('outputs what the DR CLI needs: cluster ARN and endpoints, control panel and routing control ARNs', () => {
    const output = json.output as Record<string, { value: unknown }>;
    expect(output.recovery_control_cluster_endpoints.value).toMatch(/\.cluster_endpoints\}$/);
    expect(output.recovery_control_cluster_arn.value).toMatch(/aws_route53recoverycontrolconfig_cluster\..*\.arn/);
    expect(output.recovery_control_control_panel_arn.value).toMatch(/control_panel\..*\.arn/);
    expect(Object.keys(output.recovery_control_routing_control_arns.value as Body).sort()).toEqual([
      'apac',
      'eu-west',
      'us-east',
    ]);
  });

  test('the policy pack finds nothing', () => {
    expect(evaluationErrors(evaluateStack(stack))).toEqual([]);
  });

  test('the readiness check proves every ARC name the DR CLI looks up exists in the synth', () => {
    const result = checkIdentifiers({ plan, stacks: { global: json as never } } as never);
    const arc = result.proven.filter((p) => p.subject.includes('ARC'));
    expect(arc.map((p) => p.subject).sort()).toEqual(
      [
        'dr: ARC cluster mi-production-arc',
        'dr: ARC control panel mi-production-traffic',
        ...['us-east', 'eu-west', 'apac'].map((k) => `dr: ARC routing control mi-production-${k}-traffic`),
      ].sort(),
    );
    expect(result.findings.filter((f) => f.subject.includes('ARC'))).toEqual([]);
  });

  test('the readiness check reports a routing control the stacks do not create', () => {
    const without = structuredClone(json) as { resource: Record<string, Record<string, Body>> };
    const [first] = Object.keys(without.resource.aws_route53recoverycontrolconfig_routing_control);
    without.resource.aws_route53recoverycontrolconfig_routing_control[first].name = 'renamed';
    const result = checkIdentifiers({ plan, stacks: { global: without as never } } as never);
    expect(result.findings.filter((f) => f.subject.includes('ARC routing control'))).toHaveLength(1);
  });
});

describe('global stack with routing controls, records not gated yet (first apply)', () => {
  const { json } = globalStack(ungated);

  test('creates the routing controls and their checks, without prevent_destroy', () => {
    expect(resources(json, 'aws_route53recoverycontrolconfig_routing_control')).toHaveLength(3);
    expect(checksOfType(json, 'RECOVERY_CONTROL')).toHaveLength(3);
    for (const body of resources(json, 'aws_route53recoverycontrolconfig_routing_control'))
      expect(body.lifecycle).toBeUndefined();
  });

  test('records keep the HTTPS checks: the routing controls are created OFF', () => {
    expect(checksOfType(json, 'CALCULATED')).toEqual([]);
    const https = new Set(checksOfType(json, 'HTTPS').map(([name]) => ref('aws_route53_health_check', name, 'id')));
    const guarded = named(json, 'aws_route53_record').filter(([, b]) => b.health_check_id !== undefined);
    expect(guarded.length).toBeGreaterThan(5);
    for (const [, body] of guarded) expect(https.has(body.health_check_id as string)).toBe(true);
  });
});

describe('the default synth (production): no routing controls', () => {
  test('no ARC resource, no RECOVERY_CONTROL or CALCULATED check, no us-west-2 ARC provider', () => {
    const synth = defaultSynth('production');
    const global = synth.stack('global');
    expect(Object.keys(global.resource ?? {}).filter((t) => t.startsWith('aws_route53recoverycontrolconfig'))).toEqual(
      [],
    );
    const checks = resources(global, 'aws_route53_health_check');
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.filter((c) => c.type !== 'HTTPS')).toEqual([]);
    expect(JSON.stringify(global.provider)).not.toContain('arc_us_west_2');
    expect(Object.keys(global.output ?? {}).filter((o) => o.startsWith('recovery_control'))).toEqual([]);
  });
});
