import { TerraformResource, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { componentOf, regionOf } from '../../modules/common/context';

interface Taggable {
  tags: Record<string, string>;
  readonly tagsInput?: Record<string, string>;
}

function isTaggable(node: IConstruct): node is TerraformResource & Taggable {
  // Generated resource classes with a `tags` map expose `tagsInput` and `resetTags`.
  return (
    node instanceof TerraformResource &&
    'tagsInput' in node &&
    typeof (node as { resetTags?: unknown }).resetTags === 'function'
  );
}

export interface TaggingProps {
  readonly project: string;
  readonly environment: string;
  /** Extra tags from config. */
  readonly extra: Readonly<Record<string, string>>;
}

/**
 * Tags every taggable resource with environment, project, region, component and managed-by, plus
 * the config's extra tags. A resource's own tags win, so a module can refine a value.
 * Region and component come from the construct tree (see modules/common/context.ts).
 */
export class TaggingAspect implements IAspect {
  /**
   * Resources already tagged: platform stacks invoke their aspects before cdktf does
   * (`FrozenTerraformStack` in src/cdktf-workarounds.ts), and a second visit would only repeat the work.
   */
  private readonly tagged = new WeakSet<IConstruct>();

  constructor(private readonly props: TaggingProps) {}

  visit(node: IConstruct): void {
    if (!isTaggable(node) || this.tagged.has(node)) return;
    this.tagged.add(node);
    node.tags = {
      ...this.props.extra,
      project: this.props.project,
      environment: this.props.environment,
      region: regionOf(node) ?? 'global',
      component: componentOf(node) ?? 'platform',
      'managed-by': 'cdktf',
      ...(node.tagsInput ?? {}),
    };
  }
}
