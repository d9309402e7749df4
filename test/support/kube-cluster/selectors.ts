import { badRequest } from './status.ts';

/**
 * Label and field selectors as the API server parses them from `labelSelector`
 * and `fieldSelector`: equality (`=`, `==`, `!=`), set-based (`in`, `notin`),
 * existence (`key`, `!key`).
 */
export type Requirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

/** Splits on commas that are not inside `( )`. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

export function parseLabelSelector(selector: string | null | undefined): Requirement[] {
  if (!selector) return [];
  return splitTerms(selector).map((term) => {
    const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (set) {
      return {
        key: set[1]!,
        op: set[2] as 'in' | 'notin',
        values: set[3]!
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v !== ''),
      };
    }
    const eq = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (eq) return { key: eq[1]!, op: eq[2] === '!=' ? 'neq' : 'eq', value: eq[3]! };
    const notExists = /^!\s*(\S+)$/.exec(term);
    if (notExists) return { key: notExists[1]!, op: 'notexists' };
    if (/^[A-Za-z0-9._/-]+$/.test(term)) return { key: term, op: 'exists' };
    throw badRequest(
      `unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`,
    );
  });
}

export function matchesRequirements(
  requirements: Requirement[],
  lookup: (key: string) => string | undefined,
): boolean {
  return requirements.every((r) => {
    const actual = lookup(r.key);
    switch (r.op) {
      case 'eq':
        return actual === r.value;
      case 'neq':
        return actual !== r.value;
      case 'in':
        return actual !== undefined && r.values.includes(actual);
      case 'notin':
        return actual === undefined || !r.values.includes(actual);
      case 'exists':
        return actual !== undefined;
      case 'notexists':
        return actual === undefined;
    }
  });
}

export function matchesLabels(
  requirements: Requirement[],
  labels: Record<string, string> | undefined,
): boolean {
  return matchesRequirements(requirements, (key) => labels?.[key]);
}

export function parseFieldSelector(selector: string | null | undefined): Requirement[] {
  if (!selector) return [];
  return splitTerms(selector).map((term) => {
    const eq = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!eq) throw badRequest(`invalid selector: '${term}'; can't understand '${term}'`);
    return { key: eq[1]!, op: eq[2] === '!=' ? 'neq' : 'eq', value: eq[3]! };
  });
}

/** Field selectors read a dotted path from the object; a missing field compares as "". */
export function matchesFields(requirements: Requirement[], object: unknown): boolean {
  return matchesRequirements(requirements, (key) => {
    let value: unknown = object;
    for (const part of key.split('.')) {
      value =
        value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    }
    return value === undefined || value === null ? '' : String(value);
  });
}

/** A metav1.LabelSelector (matchLabels + matchExpressions) as requirements. */
export function requirementsFromLabelSelector(selector: unknown): Requirement[] | undefined {
  if (!selector || typeof selector !== 'object') return undefined;
  const s = selector as {
    matchLabels?: Record<string, string>;
    matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
  };
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(s.matchLabels ?? {})) {
    requirements.push({ key, op: 'eq', value });
  }
  for (const e of s.matchExpressions ?? []) {
    if (e.operator === 'In') requirements.push({ key: e.key, op: 'in', values: e.values ?? [] });
    else if (e.operator === 'NotIn')
      requirements.push({ key: e.key, op: 'notin', values: e.values ?? [] });
    else if (e.operator === 'Exists') requirements.push({ key: e.key, op: 'exists' });
    else if (e.operator === 'DoesNotExist') requirements.push({ key: e.key, op: 'notexists' });
  }
  return requirements;
}
