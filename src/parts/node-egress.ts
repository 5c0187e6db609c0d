import type { StoreDestination } from '../../modules/eks/node-network';
import { MSK_PORTS } from '../../modules/msk/ports';
import type { PlatformPlan, RegionPlan } from '../plan/types';

/**
 * Where the pods of `region` open connections to data stores (docs/security.md, "Inside the
 * perimeter"): every platform VPC, on the ports of the plan's data paths from this region (the same
 * paths the deploy-readiness check proves open), so a write path still leaves after a switchover
 * moves its endpoint to any region. Prometheus also scrapes the MSK exporters of its own region.
 * Plain values from the plan: no stack gains a reference to another region's stacks.
 */
export function nodeEgressStores(plan: PlatformPlan, region: RegionPlan): StoreDestination[] {
  const ports = new Set(plan.dataPaths.filter((p) => p.from === region.key).map((p) => p.port));
  return plan.regions.map((r) => ({
    name: r.key,
    cidr: r.vpcCidr,
    ports: [...ports, ...(r.key === region.key ? [MSK_PORTS.jmxExporter, MSK_PORTS.nodeExporter] : [])].sort(
      (a, b) => a - b,
    ),
  }));
}
