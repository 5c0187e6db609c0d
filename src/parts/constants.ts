/** SCRAM user of MirrorMaker 2 on every MSK cluster (created by region-<key>, used by workloads-<key>). */
export const MIRROR_MAKER_USER = 'mirrormaker';
