export const NAT_GATEWAY_MODES = ['per-az', 'single'] as const;
/** `per-az`: one NAT gateway per AZ (no cross-AZ dependency); `single`: one for the VPC (cheaper, non-production). */
export type NatGatewayMode = (typeof NAT_GATEWAY_MODES)[number];

export const SUBNET_TIERS = ['public', 'private', 'data'] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];
