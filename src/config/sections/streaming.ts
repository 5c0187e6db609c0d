import type { IssueCollector } from '../errors';
import { replicationNodeGroup } from '../../../modules/eks/types';
import { REPLICATION_MODES, type ReplicationNodesSettings, type StreamingConfig } from '../streaming-types';
import type { PlatformConfig } from '../types';
import { validateNodeGroup } from './eks';
import { isInt, isIntIn } from './util';

/** MSK places brokers in 2 or 3 client subnets: a region with more AZs still spans 3. */
export const MSK_MAX_ZONES = 3;
export const mskZoneCount = (azCount: number): number => Math.min(azCount, MSK_MAX_ZONES);

const SOURCE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$/;
const ENTITY_PATH_RE = /^\$\.detail(\.[A-Za-z_][A-Za-z0-9_-]*)+$/;

/** A Java-compatible regular expression as far as JavaScript can tell; MM2 and MSK Replicator take regexes. */
function isRegex(text: unknown): boolean {
  if (typeof text !== 'string' || text.trim() === '') return false;
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}

/** Validates `streaming` (global) and the per-region MSK broker layout against each region's AZ count. */
export function validateStreaming(config: PlatformConfig, issues: IssueCollector): void {
  const s = (config as { streaming?: StreamingConfig }).streaming;
  if (!s || typeof s !== 'object') {
    issues.add('streaming', s, 'expected the streaming settings (replication, events)');
    return;
  }
  const r = s.replication ?? ({} as Partial<StreamingConfig['replication']>);
  issues.check(
    REPLICATION_MODES.includes(r.mode as never),
    'streaming.replication.mode',
    r.mode,
    `expected one of ${REPLICATION_MODES.join(', ')}`,
  );
  issues.check(
    isRegex(r.topicsPattern),
    'streaming.replication.topicsPattern',
    r.topicsPattern,
    'expected a non-empty regular expression of topic names, e.g. "genai-demo\\.production\\..*"',
  );
  issues.check(
    isRegex(r.groupsPattern),
    'streaming.replication.groupsPattern',
    r.groupsPattern,
    'expected a non-empty regular expression of consumer group ids, e.g. ".*"',
  );
  issues.check(
    isIntIn(r.replicationFactor, 2, 3),
    'streaming.replication.replicationFactor',
    r.replicationFactor,
    'expected 2 or 3 (3 with min.insync.replicas 2 tolerates one broker down)',
  );
  issues.check(
    isIntIn(r.tasksPerConnector, 1, 64),
    'streaming.replication.tasksPerConnector',
    r.tasksPerConnector,
    'expected 1 to 64 tasks per connector',
  );
  issues.check(
    isIntIn(r.mirrorMakerReplicas, 1, 20),
    'streaming.replication.mirrorMakerReplicas',
    r.mirrorMakerReplicas,
    'expected 1 to 20 MirrorMaker 2 pods per region',
  );
  issues.check(
    isInt(r.scramCredentialVersion) && r.scramCredentialVersion >= 1,
    'streaming.replication.scramCredentialVersion',
    r.scramCredentialVersion,
    'expected a whole number from 1 (bump it to rotate the SCRAM password)',
  );

  if (r.mode === 'mirrormaker2') {
    const nodes = r.nodes as ReplicationNodesSettings | undefined;
    if (nodes === null || typeof nodes !== 'object' || Array.isArray(nodes)) {
      issues.add(
        'streaming.replication.nodes',
        nodes,
        'expected the MirrorMaker 2 node group: { instanceTypes, minSize, desiredSize, maxSize, diskSizeGiB }',
      );
    } else {
      validateNodeGroup(replicationNodeGroup(nodes), 'streaming.replication.nodes', issues, ['replication']);
      issues.check(
        isInt(nodes.minSize) && nodes.minSize >= 1,
        'streaming.replication.nodes.minSize',
        nodes.minSize,
        'expected at least 1: MirrorMaker 2 runs all the time and no other node group takes its pods',
      );
    }
  }

  const e = s.events ?? ({} as Partial<StreamingConfig['events']>);
  for (const [field, list] of [
    ['sources', e.sources],
    ['detailTypes', e.detailTypes],
  ] as const) {
    if (!Array.isArray(list) || list.length === 0) {
      issues.add(`streaming.events.${field}`, list, 'expected a non-empty list of names');
      continue;
    }
    list.forEach((v, i) => {
      issues.check(
        typeof v === 'string' && SOURCE_RE.test(v) && list.indexOf(v) === i,
        `streaming.events.${field}[${i}]`,
        v,
        'expected a unique name of letters, digits, ".", "_" and "-"',
      );
    });
  }
  issues.check(
    typeof e.entityIdPath === 'string' && ENTITY_PATH_RE.test(e.entityIdPath),
    'streaming.events.entityIdPath',
    e.entityIdPath,
    'expected a JSON path into the event detail, e.g. "$.detail.entityId"',
  );

  // Broker layout per region: MSK needs the same number of brokers in every zone it spans.
  (config.regions ?? []).forEach((region, i) => {
    if (!isInt(region.azCount) || !config.defaults?.msk) return;
    const msk = { ...config.defaults.msk, ...(region.overrides?.msk ?? {}) };
    if (!isInt(msk.brokerCount)) return;
    const zones = mskZoneCount(region.azCount);
    const at = region.overrides?.msk?.brokerCount !== undefined ? `regions[${i}].overrides.msk` : 'defaults.msk';
    issues.check(
      msk.brokerCount % zones === 0,
      `${at}.brokerCount`,
      msk.brokerCount,
      `expected a multiple of ${zones}: region ${region.key} spans ${zones} availability zones (azCount ${region.azCount}, MSK uses at most ${MSK_MAX_ZONES}) and MSK needs the same number of brokers in each`,
    );
    if (isInt(r.replicationFactor)) {
      issues.check(
        msk.brokerCount >= r.replicationFactor,
        `${at}.brokerCount`,
        msk.brokerCount,
        `expected at least streaming.replication.replicationFactor (${r.replicationFactor}) brokers in region ${region.key}`,
      );
    }
  });
}
