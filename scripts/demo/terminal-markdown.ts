/**
 * Renders the GitHub-flavoured markdown that actions write to the job summary
 * for a terminal: headings, tables (aligned, or one record per row when too
 * wide), lists, code blocks, Mermaid charts as their numbers, collapsed
 * <details> as their title. Colour only on a TTY without NO_COLOR.
 */

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  cyan(s: string): string;
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
}

export function terminalStyle(enabled: boolean): Style {
  const wrap = (open: number, close: number) => (s: string) =>
    enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    cyan: wrap(36, 39),
    green: wrap(32, 39),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
  };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
export function visibleLength(s: string): number {
  return [...s.replace(ANSI, '')].length;
}

function inline(text: string, style: Style): string {
  return text
    .replace(/<br\s*\/?>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/\*\*([^*]+)\*\*/g, (_, s: string) => style.bold(s))
    .replace(/`([^`]+)`/g, (_, s: string) => style.cyan(s))
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)');
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));
}

function table(lines: string[], style: Style, width: number, indent: string): string[] {
  const rows = lines.filter((l) => !/^\s*\|?\s*:?-{3,}/.test(l)).map(cells);
  const header = rows[0] ?? [];
  const body = rows.slice(1);
  const hasHeader = header.some((h) => h !== '');
  const all = (hasHeader ? rows : body).map((r) => r.map((c) => inline(c, style)));
  const columns = Math.max(...all.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) =>
    Math.max(...all.map((r) => visibleLength(r[i] ?? ''))),
  );
  const total = indent.length + widths.reduce((a, b) => a + b + 2, 0);
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - visibleLength(s)));
  if (total <= width || columns <= 2) {
    return all.map((r, n) => {
      const line =
        indent +
        r
          .map((c, i) => pad(c, widths[i] ?? 0))
          .join('  ')
          .trimEnd();
      return hasHeader && n === 0 ? style.bold(line) : line;
    });
  }
  // Too wide: one record per row, "column: value" pairs.
  const names = header.map((h) => inline(h, style));
  return body.flatMap((r) => {
    const values = r.map((c) => inline(c, style));
    return [
      `${indent}${style.bold(values[0] ?? '')}`,
      ...values
        .slice(1)
        .map((v, i) => (v === '' ? '' : `${indent}  ${style.dim(`${names[i + 1] ?? ''}:`)} ${v}`))
        .filter((l) => l !== ''),
    ];
  });
}

function mermaid(lines: string[], style: Style, indent: string): string[] {
  const title = /title\s+"([^"]+)"/.exec(lines.join('\n'))?.[1] ?? 'chart';
  const list = (key: string) =>
    /\[(.*)\]/
      .exec(lines.find((l) => l.trim().startsWith(key)) ?? '')?.[1]
      ?.split(',')
      .map((s) => s.trim().replace(/^"|"$/g, '')) ?? [];
  const labels = list('x-axis');
  const bars = list('bar');
  if (labels.length === 0 || bars.length !== labels.length) return [];
  return [
    `${indent}${style.dim(`${title}:`)} ${labels.map((l, i) => `${l} ${bars[i]}`).join(', ')}`,
  ];
}

export function renderMarkdown(markdown: string, style: Style, width = 120, indent = '  '): string {
  const out: string[] = [];
  const lines = markdown.replace(/\r/g, '').split('\n');
  let detailsDepth = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const details = /<details>\s*(?:<summary>(.*?)<\/summary>)?/.exec(line);
    if (details) {
      out.push(`${indent}${style.dim(`▸ ${details[1] ?? 'details'} (collapsed)`)}`);
      detailsDepth++;
      continue;
    }
    if (line.includes('</details>')) {
      detailsDepth = Math.max(0, detailsDepth - 1);
      continue;
    }
    if (detailsDepth > 0) continue;
    const fence = /^\s*```(\w*)/.exec(line);
    if (fence) {
      const block: string[] = [];
      for (i++; i < lines.length && !/^\s*```/.test(lines[i] as string); i++) {
        block.push(lines[i] as string);
      }
      if (fence[1] === 'mermaid') out.push(...mermaid(block, style, indent));
      else out.push(...block.map((b) => `${indent}  ${style.dim(b)}`));
      continue;
    }
    if (/^\s*\|/.test(line)) {
      const block: string[] = [];
      for (; i < lines.length && /^\s*\|/.test(lines[i] as string); i++)
        block.push(lines[i] as string);
      i--;
      out.push(...table(block, style, width, indent));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const text = inline(heading[2] as string, style);
      out.push(
        `${indent}${(heading[1] as string).length <= 2 ? style.bold(style.cyan(text)) : style.bold(text)}`,
      );
      continue;
    }
    const item = /^(\s*)[-*]\s+(.*)$/.exec(line);
    if (item) {
      out.push(`${indent}${item[1]}• ${inline(item[2] as string, style)}`);
      continue;
    }
    if (line.trim() === '') {
      if (out.length > 0 && out.at(-1) !== '') out.push('');
      continue;
    }
    out.push(`${indent}${inline(line, style)}`);
  }
  while (out.at(-1) === '') out.pop();
  return out.join('\n');
}
