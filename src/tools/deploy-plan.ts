/**
 * Order in which the pipeline deploys the stacks of one environment, derived from the stack
 * dependencies cdktf records in manifest.json. Pure; deploy-plan-cli.ts feeds it and prints it.
 *
 * Phases: everything the global stack depends on (shared stacks such as dns first, then one region
 * at a time, primary first), the global stack alone (behind a manual approval), then everything
 * else (one region at a time, primary first, then shared stacks). The bootstrap stack is never
 * deployed by the pipeline: it holds the state backend and is applied by hand (README).
 */

/** A manifest entry reduced to what ordering needs. */
export interface StackNode {
  readonly id: string;
  readonly dependencies: readonly string[];
}

/** One deploy job: stacks applied one after the other. */
export interface DeployStep {
  /** Region key, or `shared` for stacks of no region. */
  readonly name: string;
  /** Stack ids in dependency order, space-separated (a shell loop reads them). */
  readonly stacks: string;
}

/** A deploy step with the self-hosted runner it needs (docs/delivery.md, "Reaching the private clusters"). */
export interface RunnerStep extends DeployStep {
  /**
   * CodeBuild project of the GitHub Actions runner inside the region's VPC when the step applies a
   * stack that must reach a private endpoint (a workloads stack) and runners are on; '' for a
   * GitHub-hosted runner. The workflow asks for `codebuild-<runner>-<run id>-<run attempt>`.
   */
  readonly runner: string;
}

export interface DeployPlan {
  readonly before: readonly DeployStep[];
  readonly global: string;
  readonly after: readonly DeployStep[];
}

export interface PlanOptions {
  /** Region keys in deploy order (primary first). */
  readonly regions: readonly string[];
  readonly globalStack: string;
  readonly bootstrapStack: string;
}

export const SHARED_STEP = 'shared';

/** Reads the stack graph from the text of a cdktf manifest.json. */
export function parseManifest(text: string): StackNode[] {
  const manifest = JSON.parse(text) as { stacks?: Record<string, { dependencies?: string[] }> };
  if (!manifest.stacks) throw new Error('manifest.json has no stacks: was the app synthesized?');
  return Object.entries(manifest.stacks).map(([id, entry]) => ({ id, dependencies: entry.dependencies ?? [] }));
}

/** The region a stack belongs to: the longest region key it ends with (`data-us-east` -> `us-east`). */
export function regionOf(stackId: string, regions: readonly string[]): string | undefined {
  return [...regions].sort((a, b) => b.length - a.length).find((key) => stackId.endsWith(`-${key}`));
}

/** Stable topological order of `ids` (ties broken by id); dependencies outside `ids` are ignored. */
function topoSort(ids: readonly string[], deps: ReadonlyMap<string, readonly string[]>): string[] {
  const pending = new Set(ids);
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter((id) => (deps.get(id) ?? []).every((d) => !pending.has(d))).sort();
    if (ready.length === 0) throw new Error(`stack dependencies form a cycle among ${[...pending].sort().join(', ')}`);
    for (const id of ready) {
      pending.delete(id);
      order.push(id);
    }
  }
  return order;
}

function ancestors(id: string, deps: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set<string>();
  const visit = (at: string) => {
    for (const d of deps.get(at) ?? []) {
      if (!seen.has(d)) {
        seen.add(d);
        visit(d);
      }
    }
  };
  visit(id);
  return seen;
}

function steps(
  ids: readonly string[],
  options: PlanOptions,
  deps: ReadonlyMap<string, readonly string[]>,
  sharedFirst: boolean,
) {
  const groups = new Map<string, string[]>();
  for (const id of ids) {
    const name = regionOf(id, options.regions) ?? SHARED_STEP;
    groups.set(name, [...(groups.get(name) ?? []), id]);
  }
  const names = sharedFirst ? [SHARED_STEP, ...options.regions] : [...options.regions, SHARED_STEP];
  return names
    .filter((name) => groups.has(name))
    .map((name) => ({ name, stacks: topoSort(groups.get(name)!, deps).join(' ') }));
}

export function planDeployment(stacks: readonly StackNode[], options: PlanOptions): DeployPlan {
  const known = new Set(stacks.map((s) => s.id));
  if (!known.has(options.globalStack)) throw new Error(`no stack ${options.globalStack} in the manifest`);
  for (const stack of stacks) {
    const unknown = stack.dependencies.filter((d) => !known.has(d));
    if (unknown.length > 0)
      throw new Error(`stack ${stack.id} depends on ${unknown.join(', ')}, which is not in the manifest`);
  }
  // The bootstrap stack is applied by hand before anything else: it never orders the others.
  const deps = new Map(
    stacks
      .filter((s) => s.id !== options.bootstrapStack)
      .map((s) => [s.id, s.dependencies.filter((d) => d !== options.bootstrapStack)] as const),
  );
  topoSort([...deps.keys()], deps); // refuses cycles anywhere, not only in one phase
  const upstream = ancestors(options.globalStack, deps);
  const beforeIds = [...deps.keys()].filter((id) => upstream.has(id));
  const afterIds = [...deps.keys()].filter((id) => id !== options.globalStack && !upstream.has(id));
  const plan: DeployPlan = {
    before: steps(beforeIds, options, deps, true),
    global: options.globalStack,
    after: steps(afterIds, options, deps, false),
  };
  assertOrder(plan, deps);
  return plan;
}

/** Every stack of the plan in the order the pipeline applies them. */
export function deployOrder(plan: DeployPlan): string[] {
  const ids = (list: readonly DeployStep[]) => list.flatMap((s) => s.stacks.split(' '));
  return [...ids(plan.before), plan.global, ...ids(plan.after)];
}

/** Refuses a plan that would apply a stack before one it reads from (e.g. a shared stack reading a region). */
function assertOrder(plan: DeployPlan, deps: ReadonlyMap<string, readonly string[]>): void {
  const done = new Set<string>();
  for (const id of deployOrder(plan)) {
    const missing = (deps.get(id) ?? []).filter((d) => !done.has(d));
    if (missing.length > 0) {
      throw new Error(
        `stack ${id} would deploy before ${missing.join(', ')}, which it depends on: the pipeline deploys shared stacks, then regions, then global, then regions, then shared stacks`,
      );
    }
    done.add(id);
  }
}

/**
 * Each step with its runner: the project `runnerOf` gives for one of its stacks, or '' when none
 * needs one. A step whose stacks need two different runners cannot run as one job and is refused.
 */
export function withRunners(
  steps: readonly DeployStep[],
  runnerOf: (stackId: string) => string | undefined,
): RunnerStep[] {
  return steps.map((step) => {
    const runners = [...new Set(step.stacks.split(' ').flatMap((id) => runnerOf(id) ?? []))];
    if (runners.length > 1)
      throw new Error(`step ${step.name} applies stacks that need different runners (${runners.join(', ')})`);
    return { ...step, runner: runners[0] ?? '' };
  });
}

/** Terraform Cloud set-up of one stack: workspace, working directory and run-trigger sources. */
export interface WorkspacePlan {
  readonly stack: string;
  readonly workspace: string;
  /** Relative to the root of the published synth branch. */
  readonly workingDirectory: string;
  /** Workspaces whose successful apply queues a run here. */
  readonly runTriggers: readonly string[];
  /** Agent pool of the workspace (execution mode "agent"), when it must run inside a VPC. */
  readonly agentPool?: string;
}

export function workspacePlan(
  stacks: readonly StackNode[],
  bootstrapStack: string,
  workspaceOf: (stackId: string) => string,
  agentPoolOf: (stackId: string) => string | undefined = () => undefined,
): WorkspacePlan[] {
  return stacks
    .filter((s) => s.id !== bootstrapStack)
    .map((s) => ({
      stack: s.id,
      workspace: workspaceOf(s.id),
      workingDirectory: `stacks/${s.id}`,
      runTriggers: s.dependencies
        .filter((d) => d !== bootstrapStack)
        .map(workspaceOf)
        .sort(),
      agentPool: agentPoolOf(s.id),
    }));
}

/** Markdown for the job summary. */
export function renderPlan(environment: string, plan: DeployPlan, workspaces?: readonly WorkspacePlan[]): string {
  const lines = [`### Deploy order: ${environment}`, '', '| phase | step | stacks |', '|---|---|---|'];
  for (const step of plan.before) lines.push(`| before global | ${step.name} | ${step.stacks} |`);
  lines.push(`| global (approval) | global | ${plan.global} |`);
  for (const step of plan.after) lines.push(`| after global | ${step.name} | ${step.stacks} |`);
  if (workspaces) {
    lines.push(
      '',
      '### Terraform Cloud workspaces',
      '',
      '| workspace | working directory | run triggers from |',
      '|---|---|---|',
    );
    for (const w of workspaces)
      lines.push(`| ${w.workspace} | ${w.workingDirectory} | ${w.runTriggers.join(', ') || '-'} |`);
    const pooled = workspaces.filter((w) => w.agentPool);
    if (pooled.length > 0) {
      lines.push('', 'Execution mode "agent" (docs/delivery.md, "Reaching the private clusters"):', '');
      for (const w of pooled) lines.push(`- ${w.workspace}: agent pool ${w.agentPool}`);
    }
  }
  return lines.join('\n');
}

/** What a configuration change does to the stacks, from the synth before and after it. */
export interface ChangeSet {
  /** Stacks that exist only after the change, in apply order. */
  readonly added: readonly string[];
  /** Stacks that exist on both sides with different Terraform, in apply order. */
  readonly changed: readonly string[];
  /** Every stack to apply (added and changed), in the order of `order`. */
  readonly apply: readonly string[];
  /** Stacks that exist only before the change: destroy them by hand, after the others no longer read them. */
  readonly removed: readonly string[];
}

/**
 * The stacks a configuration change touches, in apply order: the synth diff's added and changed
 * stacks filtered through the full deploy order. Adding a region adds its own stacks and changes
 * ones that exist already (the global stack's peering, records and memberships, the other regions'
 * event forwarders and data security groups, every workloads stack's MirrorMaker 2), none of which
 * the manifest's dependencies alone reveal: only the comparison does.
 */
export function changeSet(
  order: readonly string[],
  diff: { stacksAdded: readonly string[]; stacksRemoved: readonly string[]; stacks: readonly { stack: string }[] },
  bootstrapStack: string,
): ChangeSet {
  const added = new Set(diff.stacksAdded);
  const changed = new Set(diff.stacks.map((s) => s.stack));
  const inOrder = (set: ReadonlySet<string>) => order.filter((id) => set.has(id));
  const outside = [...added, ...changed].filter((id) => id !== bootstrapStack && !order.includes(id));
  if (outside.length > 0) throw new Error(`stacks ${outside.join(', ')} are not in the deploy order`);
  return {
    added: inOrder(added),
    changed: inOrder(changed),
    apply: order.filter((id) => added.has(id) || changed.has(id)),
    removed: [...diff.stacksRemoved].sort(),
  };
}

/** Something a person does between two stacks of the first deploy, which no stack can do. */
export interface ManualStep {
  /** Apply this stack first… */
  readonly after: string;
  /** …and finish the step before this one. */
  readonly before: string;
  readonly step: string;
}

/**
 * The steps of a first deploy that are done by hand: a zone the dns stack creates must be delegated
 * (and its DS record published) before the first stack that validates an ACM certificate against it,
 * or the certificate waits until it times out. An adopted zone is delegated already.
 */
export function manualSteps(order: readonly string[], dnsStack: string, zoneCreated: boolean): ManualStep[] {
  const at = order.indexOf(dnsStack);
  if (!zoneCreated || at < 0 || at === order.length - 1) return [];
  return [
    {
      after: dnsStack,
      before: order[at + 1],
      step:
        `delegate the domain to the ${dnsStack} stack's zone_name_servers output at the parent zone or registrar, ` +
        "and publish the zone's DS record (README, first deploy): ACM DNS validation in the next stacks waits for it",
    },
  ];
}
