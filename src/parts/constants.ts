/** SCRAM user of MirrorMaker 2 on every MSK cluster (created by region-<key>, used by workloads-<key>). */
export const MIRROR_MAKER_USER = 'mirrormaker';
/** Kafka principal of that SCRAM user: every MSK cluster grants it only explicit ACLs (modules/msk/acls.ts). */
export const MIRROR_MAKER_PRINCIPAL = `User:${MIRROR_MAKER_USER}`;
