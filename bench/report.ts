import type { CaseResult, SubjectFigures } from './results.ts';

/** Terminal and Markdown tables of the case results. */

function ms(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return value >= 10_000
    ? `${(value / 1000).toFixed(1)} s`
    : value >= 1000
      ? `${(value / 1000).toFixed(2)} s`
      : `${value.toFixed(0)} ms`;
}

function subjectCell(s: SubjectFigures | undefined): string {
  if (!s) return '–';
  const w = s.wallMs;
  let text = `${ms(w.median)} (${ms(w.min)}–${ms(w.max)})`;
  if (s.throughput) text += ` ${s.throughput.median.toFixed(0)} ${s.throughput.unit}`;
  return text;
}

function rss(s: SubjectFigures | undefined): string {
  return s?.peakRssMb === undefined ? '–' : `${s.peakRssMb.toFixed(0)}`;
}

export interface Row {
  case: string;
  size: string;
  ours: string;
  peer: string;
  limit: string;
  ratio: string;
  rss: string;
  goal: string;
  notes: string[];
}

export function rows(results: CaseResult[]): Row[] {
  return results.map((r) => {
    if (r.status !== 'measured') {
      return {
        case: r.title,
        size: r.size ?? '',
        ours: `not measured: ${r.reason ?? ''}`.slice(0, 160),
        peer: '',
        limit: '',
        ratio: '',
        rss: '',
        goal: '',
        notes: [],
      };
    }
    const peerKeys = Object.keys(r.subjects).filter(
      (k) => !k.startsWith('model-deploy') && !k.includes('limit'),
    );
    const peerKey = peerKeys[0];
    const limits = Object.entries(r.subjects).filter(([k]) => k.includes('limit'));
    const peer = peerKey ? r.subjects[peerKey] : undefined;
    const ratios = Object.entries(r.ratios)
      .map(
        ([name, q]) =>
          `${name} ${q.summary.median.toFixed(2)}× (${q.summary.min.toFixed(2)}–${q.summary.max.toFixed(2)})`,
      )
      .join('; ');
    return {
      case: r.title,
      size: r.size ?? '',
      ours: subjectCell(r.subjects['model-deploy']),
      peer:
        peerKeys.length === 0
          ? '–'
          : peerKeys.map((k) => `${k}: ${subjectCell(r.subjects[k])}`).join('; '),
      limit:
        limits.length === 0
          ? '–'
          : limits.length === 1
            ? subjectCell(limits[0]![1])
            : limits.map(([k, v]) => `${k}: ${subjectCell(v)}`).join('; '),
      ratio: ratios,
      rss: `${rss(r.subjects['model-deploy'])} / ${rss(peer)}`,
      goal: r.goals.map((g) => `${g.met ? '✅' : '❌'} ${g.text}: ${g.value}`).join('; '),
      notes: r.notes,
    };
  });
}

const HEADERS: Record<Exclude<keyof Row, 'notes'>, string> = {
  case: 'case',
  size: 'size',
  ours: 'model-deploy median (min–max)',
  peer: 'peer',
  limit: 'limit',
  ratio: 'ratios (run by run, median (min–max))',
  rss: 'peak RSS MB (ours / peer)',
  goal: 'goal',
};

export function terminalTable(results: CaseResult[]): string {
  const lines: string[] = [];
  for (const row of rows(results)) {
    lines.push(`■ ${row.case}${row.size ? ` [${row.size}]` : ''}`);
    for (const key of ['ours', 'peer', 'limit', 'ratio', 'rss', 'goal'] as const) {
      if (row[key] && row[key] !== '–') lines.push(`    ${HEADERS[key].padEnd(30)} ${row[key]}`);
    }
    for (const note of row.notes) lines.push(`    · ${note}`);
  }
  return lines.join('\n');
}

export function markdownTable(results: CaseResult[]): string {
  const keys = Object.keys(HEADERS) as Array<keyof typeof HEADERS>;
  const escape = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    `| ${keys.map((k) => HEADERS[k]).join(' | ')} |`,
    `|${keys.map(() => '---').join('|')}|`,
    ...rows(results).map((row) => `| ${keys.map((k) => escape(row[k])).join(' | ')} |`),
  ].join('\n');
}

/** Every goal with its figure, met or missed, and the day it was measured, for the top of results.md. */
export function goalsTable(results: Array<CaseResult & { measuredAt?: string }>): string {
  const goals = results.flatMap((r) =>
    r.goals.map((g) => ({
      ...g,
      case: r.size ? `${r.title} [${r.size}]` : r.title,
      day: r.measuredAt?.slice(0, 10) ?? '',
    })),
  );
  const met = goals.filter((g) => g.met).length;
  const escape = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `Goals: ${met} of ${goals.length} met.`,
    '',
    '| goal | case | measured | | on |',
    '|---|---|---|---|---|',
    ...goals.map(
      (g) =>
        `| ${escape(g.text)} | ${escape(g.case)} | ${g.value} | ${g.met ? '✅ met' : '❌ missed'} | ${g.day} |`,
    ),
  ].join('\n');
}

function seconds(value: number): string {
  return Number.isFinite(value) ? `${(value / 1000).toFixed(1)} s` : '–';
}

/**
 * The paper's Table 1 beside ours: one row per model and cloud, one column
 * per stage (medians), the whole release with its min–max, the paper's
 * figure, and per model the spread of the medians across the clouds.
 */
export function releaseTable(results: CaseResult[]): string {
  const measured = results.filter((r) => r.status === 'measured' && r.release);
  if (measured.length === 0) return '';
  const lines = [
    '| model | cloud | runs | package | push | deploy (rollout) | smoke-test to the first correct answer (ready, inference) | whole release | paper (Table 1) | ours ÷ paper |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of measured) {
    const f = r.release!;
    const s = f.stagesMs;
    lines.push(
      `| ${f.model} | ${f.cloud} | ${r.runs} | ${seconds(s.package.median)} | ${seconds(s.push.median)} | ` +
        `${seconds(s.deploy.median)} (${seconds(f.reported.rollout.median)}) | ` +
        `${seconds(s['first correct answer'].median)} (${seconds(f.reported.ready.median)}, ${seconds(f.reported.firstInference.median)}) | ` +
        `**${seconds(f.totalMs.median)}** (${seconds(f.totalMs.min)}–${seconds(f.totalMs.max)}) | ` +
        `${f.paperSeconds.toFixed(1)} s | ${(f.totalMs.median / 1000 / f.paperSeconds).toFixed(2)}× |`,
    );
  }
  const models = [...new Set(measured.map((r) => r.release!.model))];
  lines.push('');
  for (const model of models) {
    const rows = measured.map((r) => r.release!).filter((f) => f.model === model);
    const ours = rows.map((f) => f.totalMs.median);
    const paper = rows.map((f) => f.paperSeconds * 1000);
    const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
    lines.push(
      `- ${model}: spread across ${rows.length} clouds ${seconds(spread(ours))} ` +
        `(${seconds(Math.min(...ours))}–${seconds(Math.max(...ours))}); the paper's ${seconds(spread(paper))} ` +
        `(${seconds(Math.min(...paper))}–${seconds(Math.max(...paper))}).`,
    );
  }
  return lines.join('\n');
}
