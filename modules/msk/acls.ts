/**
 * The Kafka ACLs of the MirrorMaker 2 principal on one MSK cluster (SCRAM + explicit ACLs;
 * docs/streaming.md, "Identity model"). Pure: config in, ACL entries out; the Job in
 * `acl-job.ts` applies them.
 *
 * One cluster plays both roles for the same principal: *source* for every other region's
 * MirrorMaker 2 (they read its topics and groups) and *target* of its own region's MirrorMaker 2
 * (it writes remote topics, checkpoints and keeps Connect state there). The entries are the union.
 */

export type AclResourceType = 'topic' | 'group';
export type AclPatternType = 'literal' | 'prefixed';
export type AclOperation = 'Read' | 'Write' | 'Create' | 'Describe' | 'DescribeConfigs' | 'AlterConfigs';

/** One `kafka-acls --add --allow-principal` call: some operations on one resource pattern. */
export interface AclEntry {
  readonly resourceType: AclResourceType;
  /** Resource name, `*` for every resource of the type. */
  readonly name: string;
  readonly patternType: AclPatternType;
  readonly operations: readonly AclOperation[];
  /** Which connector or worker needs it (shown in the Job log and the docs). */
  readonly why: string;
}

export interface MirrorMakerAclProps {
  /** Kafka principal, e.g. `User:mirrormaker`. */
  readonly principal: string;
  /** Alias (region key) of this cluster. */
  readonly localAlias: string;
  /** Aliases of every other region (sources of this cluster, targets of this one). */
  readonly peerAliases: readonly string[];
  /** Name of the local KafkaMirrorMaker2 (its Connect group and the heartbeat Connect derive from it). */
  readonly mirrorMakerName: string;
  readonly topicsPattern: string;
  readonly groupsPattern: string;
}

/** Topic and group names MirrorMaker 2 and its Connect workers use (kept with `mirrormaker.ts`). */
export function mirrorMakerNames(p: Pick<MirrorMakerAclProps, 'localAlias' | 'mirrorMakerName'>) {
  const heartbeatConnect = `${p.mirrorMakerName}-heartbeats`;
  return {
    connectGroups: [`${p.mirrorMakerName}-connect`, `${heartbeatConnect}-connect`],
    connectTopics: [
      ...['configs', 'offsets', 'status'].map((s) => `mirrormaker2-${p.localAlias}-${s}`),
      ...['configs', 'offsets', 'status'].map((s) => `${heartbeatConnect}-${s}`),
    ],
    heartbeats: 'heartbeats',
    /** MirrorSourceConnector keeps offset syncs on the source (`offset-syncs.topic.location` default). */
    offsetSyncs: (target: string) => `mm2-offset-syncs.${target}.internal`,
  };
}

/**
 * The literal prefix a topic or group regex starts with, for a PREFIXED ACL: `genai-demo\.prod\..*`
 * gives `genai-demo.prod.`; `.*` gives `` (every name). Kafka ACLs know literal and prefixed names
 * only, so the ACL covers every name with that prefix: a superset of the regex when the regex
 * continues with more than `.*`.
 */
export function literalPrefix(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) break; // \d, \w ...: a class, not a literal
      out += next;
      i++;
      continue;
    }
    if ('.[](){}*+?|^$'.includes(c)) {
      // A quantifier makes the previous literal optional or repeated: it is not part of the prefix.
      if ('*?{'.includes(c) && out.length > 0) out = out.slice(0, -1);
      break;
    }
    out += c;
  }
  return out;
}

function pattern(prefix: string): Pick<AclEntry, 'name' | 'patternType'> {
  return prefix === '' ? { name: '*', patternType: 'literal' } : { name: prefix, patternType: 'prefixed' };
}

/**
 * Exactly what MirrorMaker 2 (source, checkpoint connectors; `sync.topic.acls.enabled=false`), its
 * heartbeat connector and both Connect clusters need on this cluster. Nothing on the cluster
 * resource: no cluster-wide ALTER, no ACL management, no IDEMPOTENT_WRITE (implied by WRITE on a
 * topic since Kafka 2.8, KIP-679).
 */
export function mirrorMakerAcls(p: MirrorMakerAclProps): AclEntry[] {
  if (p.peerAliases.includes(p.localAlias))
    throw new Error(`mirrorMakerAcls: ${p.localAlias} is listed as its own peer`);
  const names = mirrorMakerNames(p);
  const topics = pattern(literalPrefix(p.topicsPattern));
  const groups = pattern(literalPrefix(p.groupsPattern));
  const topic = (t: Pick<AclEntry, 'name' | 'patternType'>, operations: AclOperation[], why: string): AclEntry => ({
    resourceType: 'topic',
    ...t,
    operations,
    why,
  });
  const group = (g: Pick<AclEntry, 'name' | 'patternType'>, operations: AclOperation[], why: string): AclEntry => ({
    resourceType: 'group',
    ...g,
    operations,
    why,
  });
  const peers = [...p.peerAliases].sort();
  return [
    // As a source: peers' MirrorSourceConnectors list, read and copy the configs of the business topics.
    topic(topics, ['Read', 'Describe', 'DescribeConfigs'], 'source: replicated topics (topicsPattern)'),
    // The local heartbeat connector writes `heartbeats`; peers replicate it.
    topic(
      { name: names.heartbeats, patternType: 'literal' },
      ['Create', 'Write', 'Read', 'Describe', 'DescribeConfigs'],
      'heartbeat connector (writes), peers (read)',
    ),
    // As a source: each peer's MirrorSourceConnector keeps its offset syncs here.
    ...peers.map((peer) =>
      topic(
        { name: names.offsetSyncs(peer), patternType: 'literal' },
        ['Create', 'Write', 'Read', 'Describe', 'DescribeConfigs'],
        `source: offset syncs of ${peer}'s MirrorMaker 2`,
      ),
    ),
    // As a target: remote topics, `<peer>.heartbeats` and `<peer>.checkpoints.internal`; peers also
    // read `<peer>.heartbeats` here (MirrorMaker 2 replicates every heartbeats topic).
    ...peers.map((peer) =>
      topic(
        { name: `${peer}.`, patternType: 'prefixed' },
        ['Create', 'Write', 'Read', 'Describe', 'DescribeConfigs', 'AlterConfigs'],
        `target: remote topics, heartbeats and checkpoints from ${peer}`,
      ),
    ),
    // Connect's internal topics of the MirrorMaker 2 and the heartbeat Connect clusters.
    ...names.connectTopics.map((t) =>
      topic(
        { name: t, patternType: 'literal' },
        ['Create', 'Write', 'Read', 'Describe', 'DescribeConfigs'],
        'Connect internal topic',
      ),
    ),
    ...names.connectGroups.map((g) =>
      group({ name: g, patternType: 'literal' }, ['Read', 'Describe'], 'Connect worker group'),
    ),
    // Source: the checkpoint connector lists groups and their offsets; target: it writes translated
    // offsets (sync.group.offsets.enabled), which needs Read on the group and the remote topic.
    group(groups, ['Read', 'Describe'], 'checkpoint connector: groups (groupsPattern)'),
  ];
}

/** `kafka-acls.sh` arguments (after the connection options) adding one entry for a principal. */
export function kafkaAclsAddArgs(principal: string, entry: AclEntry): string[] {
  return [
    '--add',
    '--allow-principal',
    principal,
    `--${entry.resourceType}`,
    entry.name,
    '--resource-pattern-type',
    entry.patternType,
    ...entry.operations.flatMap((op) => ['--operation', op]),
  ];
}
