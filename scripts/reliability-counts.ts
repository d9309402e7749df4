/**
 * docs/reliability.md's summary counts, taken from the test files: for each
 * row, the test cases in the files its "where" cell names (`it.each` rows
 * included; `file › words` counts only the tests whose name has those
 * words). "passed" is the outcome of a run, so it comes from a vitest JSON
 * report when one is given (`--report file.json`, from
 * `npx vitest run --reporter=json --outputFile=file.json <files>`);
 * without one it is kept, or left empty (not measured) where the count of
 * tests changed. `--check` fails when a count is stale.
 *
 *   node scripts/reliability-counts.ts [--check] [--report vitest.json]
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { testNames } from '../test/support/test-names.ts';

export const repo = fileURLToPath(new URL('../', import.meta.url));
const PAGE = 'docs/reliability.md';

export interface SummaryRow {
  line: number;
  area: string;
  /** Test files (relative to the repository) with an optional name filter. */
  references: Array<{ file: string; words: string | undefined }>;
  tried: string;
  passed: string;
}

function expand(pattern: string): string[] {
  if (!pattern.includes('*')) return existsSync(join(repo, pattern)) ? [pattern] : [];
  const dir = dirname(pattern);
  const re = new RegExp(
    `^${pattern
      .slice(dir.length + 1)
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')}$`,
  );
  if (!existsSync(join(repo, dir))) return [];
  return readdirSync(join(repo, dir))
    .filter((f) => re.test(f))
    .sort()
    .map((f) => `${dir}/${f}`);
}

let testFiles: string[] | undefined;
function allTestFiles(): string[] {
  testFiles ??= readdirSync(join(repo, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `test/${f}`)
    .sort();
  return testFiles;
}

/** The summary table: one row per area, with the test files each names. */
export function summaryRows(page: string): SummaryRow[] {
  const lines = page.split('\n');
  const start = lines.findIndex((l) => l.startsWith('## Summary'));
  const rows: SummaryRow[] = [];
  let folder = '';
  for (let i = start + 1; i < lines.length && !lines[i]!.startsWith('## '); i++) {
    const line = lines[i]!;
    if (!line.startsWith('| ') || /^\|\s*(area|-)/.test(line)) continue;
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    const [area = '', tried = '', passed = '', where = ''] = cells;
    const references: SummaryRow['references'] = [];
    for (const m of where.matchAll(/`([^`]+)`/g)) {
      const [path = '', ...rest] = (m[1] as string).split(' › ');
      const words = rest.length > 0 ? rest.join(' › ') : undefined;
      let full = path;
      if (path.startsWith('…/')) {
        // `…/x`: the test file whose path ends with x, the one nearest the last full path when several do.
        const matches = allTestFiles().filter((f) => f.endsWith(path.slice(1)));
        full = matches.find((f) => f.startsWith(`${folder}/`)) ?? matches[0] ?? path;
      } else folder = dirname(path);
      const files = expand(full);
      if (files.length === 0) throw new Error(`${PAGE}: ${area}: no test file ${full}`);
      for (const file of files) references.push({ file, words });
    }
    rows.push({ line: i, area, references, tried, passed });
  }
  return rows;
}

/** Test cases a row's references hold, or undefined when it names no test file. */
export function countTests(row: SummaryRow): number | undefined {
  if (row.references.length === 0) return undefined;
  let n = 0;
  for (const { file, words } of row.references) {
    if (!existsSync(join(repo, file))) throw new Error(`${PAGE}: ${row.area}: no file ${file}`);
    const names = testNames(join(repo, file));
    n += words === undefined ? names.length : names.filter((t) => t.includes(words)).length;
  }
  return n;
}

interface VitestReport {
  testResults: Array<{
    name: string;
    assertionResults: Array<{ fullName: string; status: string }>;
  }>;
}

/**
 * Passed test cases of a row in a run's report. A test that loops over a list
 * the file builds at run time reports one result per item: a case counts as
 * passed when all its results did, so a row never shows more than it tries.
 */
function passedIn(report: VitestReport, row: SummaryRow, tried: number): number | undefined {
  let failing = 0;
  for (const { file, words } of row.references) {
    const result = report.testResults.find((r) => relative(repo, r.name) === file);
    if (!result) return undefined;
    failing += result.assertionResults.filter(
      (a) =>
        a.status !== 'passed' &&
        (words === undefined || a.fullName.replace(/ > /g, ' › ').includes(words)),
    ).length;
  }
  return Math.max(0, tried - failing);
}

/** The page with every countable row's counts rewritten (alignment left to prettier). */
export function updatedPage(page: string, report?: VitestReport): string {
  const lines = page.split('\n');
  for (const row of summaryRows(page)) {
    const tried = countTests(row);
    if (tried === undefined || !/^\d+$/.test(row.tried)) continue;
    const passed = report ? passedIn(report, row, tried) : undefined;
    const cells = lines[row.line]!.slice(1, -1).split(/(?<!\\)\|/);
    cells[1] = ` ${tried} `;
    if (passed !== undefined) cells[2] = ` ${passed} `;
    // A changed count whose outcome no report gives: not measured, rather than a stale pass count.
    else if (Number(row.tried) !== tried) cells[2] = ' ';
    lines[row.line] = `|${cells.join('|')}|`;
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { check: { type: 'boolean' }, report: { type: 'string' } },
  });
  const path = join(repo, PAGE);
  const page = readFileSync(path, 'utf8');
  const report = values.report
    ? (JSON.parse(readFileSync(values.report, 'utf8')) as VitestReport)
    : undefined;
  const stale = summaryRows(page).filter((row) => {
    const n = countTests(row);
    return n !== undefined && /^\d+$/.test(row.tried) && Number(row.tried) !== n;
  });
  if (values.check) {
    for (const row of stale) {
      console.error(
        `${PAGE}: "${row.area.slice(0, 60)}" says ${row.tried}, the tests count ${countTests(row)}`,
      );
    }
    process.exitCode = stale.length > 0 ? 1 : 0;
  } else {
    writeFileSync(path, updatedPage(page, report));
  }
}
