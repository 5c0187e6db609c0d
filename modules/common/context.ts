import type { IConstruct } from 'constructs';

const COMPONENT = 'platform:component';
const REGION = 'platform:region';

/**
 * Marks a construct subtree as one platform component (network, kms, ...). Must run in the
 * constructor before children are added; the tagging aspect reads it back with `componentOf`.
 */
export function setComponent(scope: IConstruct, component: string): void {
  scope.node.setContext(COMPONENT, component);
}

export function componentOf(construct: IConstruct): string | undefined {
  return construct.node.tryGetContext(COMPONENT) as string | undefined;
}

/** Marks the region key a subtree belongs to (a regional stack, or one region's side of a global construct). */
export function setRegion(scope: IConstruct, regionKey: string): void {
  scope.node.setContext(REGION, regionKey);
}

export function regionOf(construct: IConstruct): string | undefined {
  return construct.node.tryGetContext(REGION) as string | undefined;
}
