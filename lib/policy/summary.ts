/**
 * Repeated warnings, summarized: an app of 1,000 web apps without probes would print 2,000 lines.
 * Per rule, the first few are shown and the rest counted, in their original order; errors are never
 * summarized (each one must be fixed where it is).
 */

/** How many warnings of one rule are shown before the rest are counted. */
export const SHOWN_PER_RULE = 3;

/**
 * The lines to print for `items`: each item's line, except that past `limit` items of one rule (by
 * `ruleOf`) only a count follows that rule's last shown line. `verbose` shows them all.
 */
export function summarizeByRule<T>(
  items: readonly T[], ruleOf: (item: T) => string, format: (item: T) => string,
  options: { verbose?: boolean; limit?: number; more?: string } = {},
): string[] {
  const limit = options.limit ?? SHOWN_PER_RULE;
  if (options.verbose) return items.map(format);
  const total = new Map<string, number>();
  for (const i of items) total.set(ruleOf(i), (total.get(ruleOf(i)) ?? 0) + 1);
  const seen = new Map<string, number>();
  const out: string[] = [];
  for (const i of items) {
    const rule = ruleOf(i);
    const n = (seen.get(rule) ?? 0) + 1;
    seen.set(rule, n);
    if (n <= limit) out.push(format(i));
    const all = total.get(rule)!;
    if (n === limit && all > limit) out.push(`  ... and ${all - limit} more ${rule} warning(s) like these (${options.more ?? '--verbose shows all'})`);
  }
  return out;
}
