/**
 * Deploy readiness, data paths (issue 13): for every `plan.dataPaths` entry, proves from the
 * synthesized Terraform that the connection will open after apply:
 *
 * (a) firewall: an ingress rule on the store's security group admits the source on the port: by
 *     security-group reference for a same-region path (one of the groups on every EKS node group of
 *     the source), by CIDR for a cross-region path (every subnet the source's EKS nodes and pods use
 *     lies in an admitted range: references do not cross regions); and the source lets the packet
 *     out: an egress rule on one of every node group's groups opens the port towards every subnet
 *     of the store (by a range holding them, or a reference to one of the store's groups). The EKS
 *     cluster security group, whose allow-all egress EKS manages, lets everything out;
 * (b) routing: for a cross-region path, every route table of the source's application subnets routes
 *     each of the store's subnets, and every route table of the store's subnets routes each of the
 *     source's application subnets back, through a peering connection between the two regions' VPCs;
 * (c) switchover: a write path to the Aurora writer or the cache primary holds (a) and (b) towards
 *     every member that could become the writer (every Aurora member, every cache member), not only
 *     today's.
 *
 * The source of a path is the node groups its client runs on: MirrorMaker 2 on the group labelled
 * `platform/node-kind: replication` (in its own subnets), the application on every other group.
 *
 * It also reports a store whose security group admits a range outside the platform's VPCs, and an
 * MSK cluster that admits any range of another region's VPC beyond that region's MirrorMaker 2
 * subnets (no other pod of another region reaches the brokers).
 *
 * How references are followed. cdktf writes attributes of other resources as `${type.name.attr}`
 * (same stack) and values of other stacks as
 * `${data.terraform_remote_state.<input>.outputs.<output>}`. The producer stack is read from the
 * remote state's `config.key` (`<environment>/<stack id>.tfstate`, as every stack's S3 backend names
 * it) or, in Terraform Cloud mode, from `config.workspaces.name` (the stack whose `cloud` block names
 * that workspace), and its output's `value` is resolved in turn, so every reference ends at a resource of some
 * stack: `<stack>:<type>.<name>` plus the attribute (`id`, `vpc_config[0].cluster_security_group_id`).
 * Two expressions denote the same object when they end at the same resource and attribute. A literal
 * (a CIDR, a port) is read as is; an attribute that is a literal in its resource's body (a subnet's
 * `cidr_block`) is read from there. What the platform does not use is not read: inline `ingress` and
 * `route` blocks, and prefix lists.
 */
import { cidrOverlaps, parseCidr, type Ipv4Cidr } from '../../modules/common/cidr';
import { NODE_KIND_LABEL } from '../../modules/eks/types';
import type { DataPath, PlatformPlan, RegionPlan } from '../plan/types';
import type { CheckResult, Finding, Proven, ReadinessCheck, ReadinessInput, TerraformJson } from './types';

type Body = Record<string, unknown>;

/** Where a reference ends: one attribute of one resource in one stack. */
interface Target {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  readonly attr: string;
}

const keyOf = (t: Target) => `${t.stack}:${t.type}.${t.name}.${t.attr}`;
const addressOf = (t: { stack: string; type: string; name: string }) => `${t.stack}:${t.type}.${t.name}`;

const SINGLE_REF = /^\$\{([^{}]+)\}$/;
const REMOTE_OUTPUT = /^data\.terraform_remote_state\.([^.]+)\.outputs\.([^.[\]]+)$/;
const RESOURCE_ATTR = /^([a-z0-9_]+)\.([^.]+)\.(.+)$/;

/** The synthesized stacks, with reference resolution over them. */
class Synth {
  constructor(private readonly stacks: Readonly<Record<string, TerraformJson>>) {}

  body(stack: string, type: string, name: string): Body | undefined {
    return this.stacks[stack]?.resource?.[type]?.[name];
  }

  /** Every resource of `type` in every stack. */
  all(type: string): { stack: string; type: string; name: string; body: Body }[] {
    return Object.entries(this.stacks).flatMap(([stack, json]) =>
      Object.entries(json.resource?.[type] ?? {}).map(([name, body]) => ({ stack, type, name, body })),
    );
  }

  /** Follows `${...}` through remote-state outputs to the resource attribute it ends at. */
  resolve(stack: string, expression: unknown, depth = 0): Target | undefined {
    if (typeof expression !== 'string' || depth > 8) return undefined;
    const inner = SINGLE_REF.exec(expression)?.[1];
    if (!inner) return undefined;
    const remote = REMOTE_OUTPUT.exec(inner);
    if (remote) {
      const config = this.stacks[stack]?.data?.terraform_remote_state?.[remote[1]]?.config as
        { key?: string; workspaces?: { name?: string } } | undefined;
      const producer = config?.workspaces?.name
        ? this.workspaceStack(config.workspaces.name)
        : /([^/]+)\.tfstate$/.exec(config?.key ?? '')?.[1];
      const value = producer ? this.stacks[producer]?.output?.[remote[2]]?.value : undefined;
      return producer ? this.resolve(producer, value, depth + 1) : undefined;
    }
    const attr = RESOURCE_ATTR.exec(inner);
    if (!attr || ['data', 'var', 'local', 'module'].includes(attr[1])) return undefined;
    return { stack, type: attr[1], name: attr[2], attr: attr[3] };
  }

  /**
   * Terraform Cloud mode: the stack whose own `cloud` block names this workspace (a reader's
   * `remote` backend names the producer's workspace, not its stack id).
   */
  private workspaceStack(workspace: string): string | undefined {
    return Object.entries(this.stacks).find(([, json]) => {
      const cloud = (json.terraform as { cloud?: { workspaces?: { name?: string } } } | undefined)?.cloud;
      return cloud?.workspaces?.name === workspace;
    })?.[0];
  }

  /** A literal string, or the literal the referenced attribute holds in its resource's body. */
  literal(stack: string, expression: unknown): string | undefined {
    if (typeof expression === 'string' && !expression.includes('${')) return expression;
    const target = this.resolve(stack, expression);
    const value = target && this.body(target.stack, target.type, target.name)?.[target.attr];
    return typeof value === 'string' && !value.includes('${') ? value : undefined;
  }

  /** The resource a reference points at (any attribute). */
  bodyOf(target: Target | undefined): Body | undefined {
    return target && this.body(target.stack, target.type, target.name);
  }
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
const maskOf = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
const contains = (outer: Ipv4Cidr, inner: Ipv4Cidr) =>
  outer.prefix <= inner.prefix && (inner.network & maskOf(outer.prefix)) >>> 0 === outer.network;
/** Whether the range `outer` (a CIDR, or nothing) holds every address of `inner`. */
const within = (outer: string | undefined, inner: string) => {
  const o = outer ? parseCidr(outer) : undefined;
  const i = parseCidr(inner);
  return !!o && !!i && contains(o, i);
};

/** A subnet as the check sees it: what refers to it and its range. */
interface SubnetFact {
  readonly key: string;
  readonly cidr: string;
  readonly address: string;
  /** Key of its VPC's id. */
  readonly vpc: string;
}

/** Where a region's application runs (its EKS node groups). */
interface AppFacts {
  /** Per node group: the security groups on its nodes (keys). */
  readonly nodeGroups: { readonly address: string; readonly securityGroups: readonly string[] }[];
  readonly subnets: readonly SubnetFact[];
  readonly vpc?: string;
}

/** A data store's network side. */
interface StoreFacts {
  readonly address: string;
  readonly securityGroups: readonly Target[];
  readonly subnets: readonly SubnetFact[];
  readonly vpc?: string;
}

interface Rule {
  readonly address: string;
  readonly group: string;
  readonly protocol: string;
  readonly from?: number;
  readonly to?: number;
  readonly cidr?: string;
  readonly source?: string;
}

/** A rule before its groups are keyed. */
interface RawRule extends Omit<Rule, 'group' | 'source'> {
  readonly group?: Target;
  readonly source?: Target;
}

interface RouteFact {
  readonly address: string;
  readonly table: string;
  readonly destination?: string;
  /** VPC keys the route's peering connection joins. */
  readonly peers: readonly string[];
}

/** How to find a store and its network side in the synth. */
const STORES: Record<
  DataPath['store'],
  { type: string; idField: string; id: (r: RegionPlan) => string; sgs: (b: Body) => unknown[]; subnets?: string }
> = {
  aurora: {
    type: 'aws_rds_cluster',
    idField: 'cluster_identifier',
    id: (r) => r.names.auroraCluster,
    sgs: (b) => list(b.vpc_security_group_ids),
    subnets: 'db_subnet_group_name',
  },
  cache: {
    type: 'aws_elasticache_replication_group',
    idField: 'replication_group_id',
    id: (r) => r.names.cacheReplicationGroup,
    sgs: (b) => list(b.security_group_ids),
    subnets: 'subnet_group_name',
  },
  msk: {
    type: 'aws_msk_cluster',
    idField: 'cluster_name',
    id: (r) => r.names.mskCluster,
    sgs: (b) => list((b.broker_node_group_info as Body | undefined)?.security_groups),
  },
};

/** The EKS-managed group: EKS gives it an allow-all egress rule outside Terraform. */
const CLUSTER_SG_ATTR = 'vpc_config[0].cluster_security_group_id';

class PathFacts {
  private readonly rules: Rule[];
  private readonly egress: Rule[];
  private readonly routes: RouteFact[];
  private readonly associations: { subnet: string; table: string }[];
  private readonly apps = new Map<string, AppFacts>();

  constructor(
    private readonly synth: Synth,
    private readonly plan: PlatformPlan,
  ) {
    const rules = synth.all('aws_vpc_security_group_ingress_rule').map((r): RawRule => ({
      address: addressOf(r),
      group: synth.resolve(r.stack, r.body.security_group_id),
      protocol: String(r.body.ip_protocol),
      from: r.body.from_port as number | undefined,
      to: r.body.to_port as number | undefined,
      cidr: synth.literal(r.stack, r.body.cidr_ipv4),
      source: synth.resolve(r.stack, r.body.referenced_security_group_id),
    }));
    const legacy = synth
      .all('aws_security_group_rule')
      .filter((r) => r.body.type === 'ingress')
      .flatMap((r): RawRule[] => {
        const base: RawRule = {
          address: addressOf(r),
          group: synth.resolve(r.stack, r.body.security_group_id),
          protocol: String(r.body.protocol),
          from: r.body.from_port as number | undefined,
          to: r.body.to_port as number | undefined,
        };
        const source = synth.resolve(r.stack, r.body.source_security_group_id);
        const cidrs = list(r.body.cidr_blocks).map((c) => synth.literal(r.stack, c));
        return [...(source ? [{ ...base, source }] : []), ...cidrs.map((cidr) => ({ ...base, cidr }))];
      });
    this.rules = [...rules, ...legacy]
      .filter((r): r is RawRule & { group: Target } => r.group !== undefined)
      .map((r) => ({ ...r, group: keyOf(r.group), source: r.source && keyOf(r.source) }));

    // Egress: `source` is the destination group of a rule.
    const egress = synth.all('aws_vpc_security_group_egress_rule').map((r): RawRule => ({
      address: addressOf(r),
      group: synth.resolve(r.stack, r.body.security_group_id),
      protocol: String(r.body.ip_protocol),
      from: r.body.from_port as number | undefined,
      to: r.body.to_port as number | undefined,
      cidr: synth.literal(r.stack, r.body.cidr_ipv4),
      source: synth.resolve(r.stack, r.body.referenced_security_group_id),
    }));
    const legacyEgress = synth
      .all('aws_security_group_rule')
      .filter((r) => r.body.type === 'egress')
      .flatMap((r): RawRule[] => {
        const base: RawRule = {
          address: addressOf(r),
          group: synth.resolve(r.stack, r.body.security_group_id),
          protocol: String(r.body.protocol),
          from: r.body.from_port as number | undefined,
          to: r.body.to_port as number | undefined,
        };
        const destination = synth.resolve(r.stack, r.body.source_security_group_id);
        const cidrs = list(r.body.cidr_blocks).map((c) => synth.literal(r.stack, c));
        return [
          ...(destination ? [{ ...base, source: destination }] : []),
          ...cidrs.map((cidr) => ({ ...base, cidr })),
        ];
      });
    const inline = synth.all('aws_security_group').flatMap((g) =>
      list(g.body.egress).flatMap((e): RawRule[] => {
        const block = e as Body;
        const base: RawRule = {
          address: `${addressOf(g)} egress`,
          group: { stack: g.stack, type: g.type, name: g.name, attr: 'id' },
          protocol: String(block.protocol),
          from: block.from_port as number | undefined,
          to: block.to_port as number | undefined,
        };
        return list(block.cidr_blocks).map((c) => ({ ...base, cidr: synth.literal(g.stack, c) }));
      }),
    );
    this.egress = [...egress, ...legacyEgress, ...inline]
      .filter((r): r is RawRule & { group: Target } => r.group !== undefined)
      .map((r) => ({ ...r, group: keyOf(r.group), source: r.source && keyOf(r.source) }));

    this.routes = synth.all('aws_route').map((r) => ({
      address: addressOf(r),
      table: this.key(r.stack, r.body.route_table_id),
      destination: synth.literal(r.stack, r.body.destination_cidr_block),
      peers: this.peeringVpcs(r.stack, r.body.vpc_peering_connection_id),
    }));
    this.associations = synth.all('aws_route_table_association').map((a) => ({
      subnet: this.key(a.stack, a.body.subnet_id),
      table: this.key(a.stack, a.body.route_table_id),
    }));
  }

  private key(stack: string, expression: unknown): string {
    const target = this.synth.resolve(stack, expression);
    return target ? keyOf(target) : `unresolved:${String(expression)}`;
  }

  /** The two VPCs a peering connection (or its accepter) joins. */
  private peeringVpcs(stack: string, expression: unknown): string[] {
    let target = this.synth.resolve(stack, expression);
    let body = this.synth.bodyOf(target);
    if (target?.type === 'aws_vpc_peering_connection_accepter' && body) {
      target = this.synth.resolve(target.stack, body.vpc_peering_connection_id);
      body = this.synth.bodyOf(target);
    }
    if (!target || target.type !== 'aws_vpc_peering_connection' || !body) return [];
    return [this.key(target.stack, body.vpc_id), this.key(target.stack, body.peer_vpc_id)];
  }

  private subnet(stack: string, expression: unknown): SubnetFact | undefined {
    const target = this.synth.resolve(stack, expression);
    const body = this.synth.bodyOf(target);
    if (!target || target.type !== 'aws_subnet' || !body) return undefined;
    const cidr = this.synth.literal(target.stack, body.cidr_block);
    const vpc = this.key(target.stack, body.vpc_id);
    return cidr ? { key: keyOf(target), cidr, address: addressOf(target), vpc } : undefined;
  }

  private subnets(stack: string, expressions: readonly unknown[]): SubnetFact[] {
    const seen = new Set<string>();
    return expressions
      .map((e) => this.subnet(stack, e))
      .filter((s): s is SubnetFact => s !== undefined && !seen.has(s.key) && !!seen.add(s.key));
  }

  /**
   * The client side of a region: the EKS node groups whose pods open the connection (MirrorMaker 2
   * runs on the `replication` group alone, the application on every other group), their security
   * groups and subnets.
   */
  app(region: RegionPlan, client: DataPath['client'] = 'application'): AppFacts {
    const cacheKey = `${region.key}/${client}`;
    const cached = this.apps.get(cacheKey);
    if (cached) return cached;
    const stack = region.stackIds.regional;
    const groups = this.synth
      .all('aws_eks_node_group')
      .filter((g) => g.stack === stack && isReplicationGroup(g.body) === (client === 'mirrormaker2'));
    const nodeGroups = groups.map((g) => {
      const template = this.synth.bodyOf(this.synth.resolve(stack, (g.body.launch_template as Body | undefined)?.id));
      const fromTemplate = list(template?.vpc_security_group_ids).map((e) => this.key(stack, e));
      const cluster = this.synth.resolve(stack, g.body.cluster_name);
      // Without security groups in a launch template, EKS puts the cluster security group on the nodes.
      const clusterSg = cluster && keyOf({ ...cluster, attr: 'vpc_config[0].cluster_security_group_id' });
      return {
        address: addressOf(g),
        securityGroups: fromTemplate.length > 0 ? fromTemplate : clusterSg ? [clusterSg] : [],
      };
    });
    const subnets = this.subnets(
      stack,
      groups.flatMap((g) => list(g.body.subnet_ids)),
    );
    const facts = { nodeGroups, subnets, vpc: subnets[0]?.vpc };
    this.apps.set(cacheKey, facts);
    return facts;
  }

  store(kind: DataPath['store'], region: RegionPlan): StoreFacts | undefined {
    const spec = STORES[kind];
    const id = spec.id(region);
    const found = id ? this.synth.all(spec.type).find((r) => r.body[spec.idField] === id) : undefined;
    if (!found) return undefined;
    const securityGroups = spec
      .sgs(found.body)
      .map((e) => this.synth.resolve(found.stack, e))
      .filter((t): t is Target => t !== undefined);
    let subnets: SubnetFact[];
    if (kind === 'msk') {
      subnets = this.subnets(
        found.stack,
        list((found.body.broker_node_group_info as Body | undefined)?.client_subnets),
      );
    } else {
      const group = this.synth.resolve(found.stack, found.body[spec.subnets ?? '']);
      const groupBody = this.synth.bodyOf(group);
      subnets = group && groupBody ? this.subnets(group.stack, list(groupBody.subnet_ids)) : [];
    }
    return { address: addressOf(found), securityGroups, subnets, vpc: subnets[0]?.vpc };
  }

  /** Rules on the store's groups that open `port` over TCP. */
  openRules(store: StoreFacts, port: number): Rule[] {
    const groups = new Set(store.securityGroups.map(keyOf));
    return this.rules.filter((r) => groups.has(r.group) && portMatches(r, port));
  }

  /**
   * What lets tcp `port` out of one of `groups` towards every subnet of `store`: the address of the
   * rule (or of the EKS cluster group), or undefined.
   */
  egressOpen(groups: readonly string[], port: number, store: StoreFacts): string | undefined {
    const managed = groups.find((g) => g.endsWith(`.${CLUSTER_SG_ATTR}`));
    if (managed) return `${managed.replace(/\.vpc_config.*$/, '')} (EKS cluster security group: allow-all egress)`;
    const storeGroups = new Set(store.securityGroups.map(keyOf));
    return this.egress.find(
      (r) =>
        groups.includes(r.group) &&
        portMatches(r, port) &&
        ((r.source !== undefined && storeGroups.has(r.source)) ||
          (store.subnets.length > 0 && store.subnets.every((subnet) => within(r.cidr, subnet.cidr)))),
    )?.address;
  }

  /** Every CIDR rule on the store's groups, whatever the port. */
  cidrRules(store: StoreFacts): Rule[] {
    const groups = new Set(store.securityGroups.map(keyOf));
    return this.rules.filter((r) => groups.has(r.group) && r.cidr !== undefined);
  }

  tableOf(subnet: SubnetFact): string | undefined {
    return this.associations.find((a) => a.subnet === subnet.key)?.table;
  }

  routesFrom(table: string): RouteFact[] {
    return this.routes.filter((r) => r.table === table);
  }

  regionOf(key: string): RegionPlan {
    return this.plan.regions.find((r) => r.key === key)!;
  }
}

/** A node group labelled `platform/node-kind: replication` (the MirrorMaker 2 nodes). */
function isReplicationGroup(body: Body): boolean {
  return (body.labels as Record<string, unknown> | undefined)?.[NODE_KIND_LABEL] === 'replication';
}

/** Marks egress evidence among a hop's addresses. */
const EGRESS = 'egress:';

/** The rule opens tcp `port` (every protocol, or a TCP range holding it). */
function portMatches(r: Rule, port: number): boolean {
  return (
    r.protocol === '-1' ||
    ((r.protocol === 'tcp' || r.protocol === '6') &&
      r.from !== undefined &&
      r.to !== undefined &&
      r.from <= port &&
      port <= r.to)
  );
}

const tableName = (key: string) => key.replace(/\.id$/, '');

/** What one hop (source region to one store member) proves, or what it lacks. */
interface Hop {
  readonly evidence: string[];
  readonly problems: string[];
}

function checkHop(facts: PathFacts, from: RegionPlan, to: RegionPlan, path: DataPath): Hop {
  const evidence: string[] = [];
  const problems: string[] = [];
  const what = `${path.store} (${to.key})`;
  const store = facts.store(path.store, to);
  if (!store) {
    const spec = STORES[path.store];
    return {
      evidence,
      problems: [`${what}: no ${spec.type} with ${spec.idField} "${spec.id(to)}" in any stack`],
    };
  }
  if (store.securityGroups.length === 0) problems.push(`${what}: ${store.address} has no security group`);
  const app = facts.app(from, path.client);
  if (app.subnets.length === 0)
    problems.push(
      `${from.key}: no EKS node group subnets in ${from.stackIds.regional}${path.client === 'mirrormaker2' ? ` of a node group labelled ${NODE_KIND_LABEL}=replication` : ''}`,
    );
  const rules = facts.openRules(store, path.port);
  const groups = store.securityGroups.map((g) => addressOf(g)).join(', ');

  // (a) the firewall.
  if (from.key === to.key) {
    for (const nodeGroup of app.nodeGroups) {
      const rule = rules.find((r) => r.source !== undefined && nodeGroup.securityGroups.includes(r.source));
      if (rule) evidence.push(rule.address);
      else
        problems.push(
          `${what}: no ingress rule on ${groups} admits tcp ${path.port} from a security group of ${nodeGroup.address}`,
        );
    }
  } else {
    for (const subnet of app.subnets) {
      const rule = rules.find((r) => within(r.cidr, subnet.cidr));
      if (rule) evidence.push(rule.address);
      else
        problems.push(
          `${what}: no ingress rule on ${groups} admits tcp ${path.port} from ${from.key}'s ${path.client} subnet ${subnet.cidr} (${subnet.address})`,
        );
    }
  }

  // (a') the source lets the packet out.
  for (const nodeGroup of app.nodeGroups) {
    const rule = facts.egressOpen(nodeGroup.securityGroups, path.port, store);
    if (rule) evidence.push(`${EGRESS}${rule}`);
    else
      problems.push(
        `${what}: no egress rule on the security groups of ${nodeGroup.address} lets tcp ${path.port} out to ${store.subnets.map((s) => s.cidr).join(', ') || 'its subnets'}`,
      );
  }

  // (b) peering routes both ways.
  if (from.key !== to.key) {
    const joins = (route: RouteFact) =>
      !!app.vpc && !!store.vpc && route.peers.includes(app.vpc) && route.peers.includes(store.vpc);
    const routed = (sources: readonly SubnetFact[], targets: readonly SubnetFact[], side: string) => {
      for (const subnet of sources) {
        const table = facts.tableOf(subnet);
        if (!table) {
          problems.push(`${side}: subnet ${subnet.address} has no route table association`);
          continue;
        }
        const routes = facts.routesFrom(table).filter(joins);
        for (const target of targets) {
          const route = routes.find((r) => within(r.destination, target.cidr));
          if (route) evidence.push(route.address);
          else
            problems.push(
              `${side}: route table ${tableName(table)} has no route to ${target.cidr} through the ${from.key}-${to.key} peering`,
            );
        }
      }
    };
    routed(app.subnets, store.subnets, `${from.key} -> ${to.key}`);
    routed(store.subnets, app.subnets, `${to.key} -> ${from.key} (return)`);
  }
  return { evidence: [...new Set(evidence)], problems: [...new Set(problems)] };
}

/** Regions that could hold the endpoint of a path after a switchover (itself for other paths). */
function candidates(plan: PlatformPlan, path: DataPath): RegionPlan[] {
  const to = plan.regions.find((r) => r.key === path.to)!;
  if (path.endpoint === 'aurora-writer') return [to, ...plan.regions.filter((r) => r !== to)];
  if (path.endpoint === 'cache-primary')
    return [to, ...plan.regions.filter((r) => r !== to && r.cache.role !== 'reader')];
  return [to];
}

export const pathSubject = (p: DataPath) =>
  `${p.from} -> ${p.endpoint} (${p.to}) ${p.port} ${p.access}${p.client === 'application' ? '' : ` [${p.client}]`}`;

/** Stores whose security groups admit a range outside every platform VPC. */
function publicExposure(facts: PathFacts, plan: PlatformPlan): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const path of plan.dataPaths) {
    const region = facts.regionOf(path.to);
    const store = facts.store(path.store, region);
    if (!store || seen.has(store.address)) continue;
    seen.add(store.address);
    for (const rule of facts.cidrRules(store)) {
      if (plan.regions.some((r) => within(r.vpcCidr, rule.cidr!))) continue;
      findings.push({
        check: 'path',
        subject: `${path.store} (${region.key})`,
        problem: `${rule.address} admits ${rule.cidr}, outside every platform VPC: data stores stay private`,
      });
    }
  }
  return findings;
}

/**
 * MSK clusters that admit more of another region than its MirrorMaker 2 subnets: cross-region
 * clients of MSK are MirrorMaker 2 alone, so any other range of a peer VPC is a wider door.
 */
function brokerExposure(facts: PathFacts, plan: PlatformPlan): Finding[] {
  const findings: Finding[] = [];
  for (const region of plan.regions) {
    const store = facts.store('msk', region);
    if (!store) continue;
    for (const rule of facts.cidrRules(store)) {
      const range = rule.cidr ? parseCidr(rule.cidr) : undefined;
      const peer = plan.regions.find(
        (r) => r.key !== region.key && range !== undefined && cidrOverlaps(range, parseCidr(r.vpcCidr)!),
      );
      if (!peer) continue;
      const allowed = facts.app(peer, 'mirrormaker2').subnets;
      if (allowed.some((subnet) => within(subnet.cidr, rule.cidr!))) continue;
      findings.push({
        check: 'path',
        subject: `msk (${region.key})`,
        problem: `${rule.address} admits ${rule.cidr} of ${peer.key}: only ${peer.key}'s MirrorMaker 2 subnets (${allowed.map((s) => s.cidr).join(', ') || 'none'}) may reach the brokers from another region`,
      });
    }
  }
  return findings;
}

export const checkDataPaths: ReadinessCheck = (input: ReadinessInput): CheckResult => {
  const { plan } = input;
  const facts = new PathFacts(new Synth(input.stacks), plan);
  const proven: Proven[] = [];
  const findings: Finding[] = [];
  if (plan.dataPaths.length === 0) {
    findings.push({ check: 'path', subject: 'plan', problem: 'the plan declares no data paths' });
  }
  for (const path of plan.dataPaths) {
    const from = facts.regionOf(path.from);
    const members = candidates(plan, path);
    const hops = members.map((to) => ({ to, hop: checkHop(facts, from, to, path) }));
    const problems = hops.flatMap(({ to, hop }) =>
      hop.problems.map((p) => (to.key === path.to ? p : `after a switchover to ${to.key}: ${p}`)),
    );
    const subject = pathSubject(path);
    if (problems.length > 0) {
      findings.push(...problems.map((problem) => ({ check: 'path' as const, subject, problem })));
      continue;
    }
    const [first, ...others] = hops;
    const routes = first.hop.evidence.filter((e) => e.includes(':aws_route.')).length;
    const rules = first.hop.evidence.filter((e) => !e.includes(':aws_route.') && !e.startsWith(EGRESS));
    const egress = first.hop.evidence.filter((e) => e.startsWith(EGRESS)).map((e) => e.slice(EGRESS.length));
    proven.push({
      check: 'path',
      subject,
      evidence: [
        `ingress ${rules.join(', ')}`,
        `egress ${egress.join(', ')}`,
        from.key === path.to ? 'same region: no peering' : `${routes} peering routes both ways`,
        ...(others.length > 0 ? [`also towards ${others.map((o) => o.to.key).join(', ')} (switchover)`] : []),
      ].join('; '),
    });
  }
  findings.push(...publicExposure(facts, plan), ...brokerExposure(facts, plan));
  return { proven, findings };
};
