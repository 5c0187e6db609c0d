export const NAT_GATEWAY_MODES = ['per-az', 'single'] as const;
/** `per-az`: one NAT gateway per AZ (no cross-AZ dependency); `single`: one for the VPC (cheaper, non-production). */
export type NatGatewayMode = (typeof NAT_GATEWAY_MODES)[number];

/**
 * `public`: load balancers and NAT; `private`: EKS nodes and pods, MSK; `data`: Aurora and
 * ElastiCache (no internet route); `replication`: the MirrorMaker 2 nodes only (same routes as
 * `private`), created when Kafka replication runs MirrorMaker 2.
 */
export const SUBNET_TIERS = ['public', 'private', 'data', 'replication'] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];
