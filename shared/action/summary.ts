import { appendSummary } from './runner.ts';

export type Cell = string | number | boolean | undefined;

/**
 * The job summary of one action. Collects sections and writes them once, so a
 * failing action still gets a summary written in its finally block.
 */
export class JobSummary {
  private readonly parts: string[] = [];

  constructor(title: string) {
    this.parts.push(`## ${escapeMarkdown(title)}\n`);
  }

  heading(text: string): this {
    this.parts.push(`### ${escapeMarkdown(text)}\n`);
    return this;
  }

  paragraph(text: string): this {
    this.parts.push(`${text}\n`);
    return this;
  }

  /** A two-column table of facts (`name | value`). */
  facts(rows: Array<[string, Cell]>): this {
    return this.table(
      ['', ''],
      rows.filter(([, v]) => v !== undefined && v !== ''),
    );
  }

  table(header: string[], rows: Cell[][]): this {
    if (rows.length === 0) return this;
    const line = (cells: Cell[]) => `| ${cells.map((c) => escapeCell(c)).join(' | ')} |`;
    this.parts.push(
      [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n') +
        '\n',
    );
    return this;
  }

  code(text: string, language = ''): this {
    const fence = text.includes('```') ? '````' : '```';
    this.parts.push(`${fence}${language}\n${text}\n${fence}\n`);
    return this;
  }

  /** Mermaid renders in GitHub job summaries. */
  mermaid(diagram: string): this {
    return this.code(diagram, 'mermaid');
  }

  details(summary: string, body: string): this {
    this.parts.push(
      `<details><summary>${escapeMarkdown(summary)}</summary>\n\n${body}\n</details>\n`,
    );
    return this;
  }

  toMarkdown(): string {
    return this.parts.join('\n');
  }

  /** Appends to GITHUB_STEP_SUMMARY; quietly does nothing outside a runner. */
  async write(): Promise<void> {
    appendSummary(this.toMarkdown());
  }
}

function escapeCell(value: Cell): string {
  if (value === undefined) return '';
  return String(value).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function escapeMarkdown(text: string): string {
  return text.replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}
