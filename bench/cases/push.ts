import { readLayout } from '../../shared/oci/layout.ts';
import { startRegistry, type LocalRegistry } from '../../test/support/registry.ts';
import { runActionBundle } from '../action-process.ts';
import { measureOk, type Measured } from '../measure.ts';
import type { SyntheticModel } from '../models.ts';
import { alternate, notMeasured, pairedRatio, SubjectRuns, type CaseResult } from '../results.ts';

const MB = 1e6;
const REPOSITORY = 'bench/model';

interface LayoutInfo {
  dir: string;
  tag: string;
  /** Bytes of every blob in the layout (what a cold push sends). */
  bytes: number;
  /** The largest blob: the model layer. */
  modelBlob: { path: string; digest: string; size: number };
}

async function layoutInfo(dir: string): Promise<LayoutInfo> {
  const layout = await readLayout(dir);
  const largest = [...layout.blobs].sort((a, b) => b.size - a.size)[0]!;
  return {
    dir,
    tag: layout.tag ?? '1',
    bytes: layout.blobs.reduce((n, b) => n + b.size, 0),
    modelBlob: {
      path: layout.blobPath(largest.digest),
      digest: largest.digest,
      size: largest.size,
    },
  };
}

async function pushWithAction(layout: LayoutInfo, registries: LocalRegistry[]) {
  const run = await runActionBundle('push', {
    layout: layout.dir,
    destinations: registries.map((r) => `${r.host}/${REPOSITORY}`).join('\n'),
    tags: layout.tag,
  });
  if (run.exitCode !== 0) throw new Error(`the push action failed: ${run.failure}`);
  return run;
}

function skopeoCopy(layout: LayoutInfo, registry: LocalRegistry): Promise<Measured> {
  return measureOk('skopeo copy', 'skopeo', [
    'copy',
    '--quiet',
    '--dest-tls-verify=false',
    `oci:${layout.dir}:${layout.tag}`,
    `docker://${registry.host}/${REPOSITORY}:${layout.tag}`,
  ]);
}

/** The limit: one monolithic PUT of the model layer blob with curl (the upload session is opened beforehand, untimed). */
async function curlPut(layout: LayoutInfo, registry: LocalRegistry): Promise<Measured> {
  const started = await fetch(`${registry.url}/v2/${REPOSITORY}/blobs/uploads/`, {
    method: 'POST',
  });
  await started.arrayBuffer();
  const location = started.headers.get('location');
  if (started.status !== 202 || !location) {
    throw new Error(`registry refused an upload session: HTTP ${started.status}`);
  }
  const url = new URL(location, registry.url);
  url.searchParams.set('digest', layout.modelBlob.digest);
  return measureOk('curl -T', 'curl', [
    '--silent',
    '--show-error',
    '--fail',
    '--output',
    '/dev/null',
    '-H',
    'Content-Type: application/octet-stream',
    // No 100-continue round trip: the registry accepts the body at once.
    '-H',
    'Expect:',
    '-T',
    layout.modelBlob.path,
    url.toString(),
  ]);
}

/** A fresh registry for one measured push, so every cold push finds nothing there. */
async function withRegistries<T>(
  count: number,
  use: (registries: LocalRegistry[]) => Promise<T>,
): Promise<T> {
  const registries = await Promise.all(
    Array.from({ length: count }, () => startRegistry({ auth: 'none' })),
  );
  try {
    return await use(registries);
  } finally {
    await Promise.all(registries.map((r) => r.stop()));
  }
}

async function probe(layout: LayoutInfo): Promise<string | undefined> {
  try {
    await withRegistries(1, (r) => pushWithAction(layout, r));
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export async function pushColdCase(
  model: SyntheticModel,
  layoutDir: string,
  runs: number,
): Promise<CaseResult> {
  const id = `push-cold-${model.label}`;
  const title = `push, cold: ${model.kind}`;
  const layout = await layoutInfo(layoutDir);
  const failure = await probe(layout);
  if (failure) return notMeasured(id, title, failure, model.label);
  const ours = new SubjectRuns('node dist/push/index.js, 1 destination');
  const skopeo = new SubjectRuns('skopeo copy oci:… docker://…');
  const curl = new SubjectRuns('curl -T: one monolithic PUT of the model layer blob');
  const mbps = (bytes: number) => (m: Measured) => bytes / MB / (m.wallMs / 1000);
  await alternate(runs, [
    (i) =>
      withRegistries(1, async (r) => {
        const m = await pushWithAction(layout, r);
        if (i > 0) ours.add(m, mbps(layout.bytes)(m));
      }),
    (i) =>
      withRegistries(1, async (r) => {
        const m = await skopeoCopy(layout, r[0]!);
        if (i > 0) skopeo.add(m, mbps(layout.bytes)(m));
      }),
    (i) =>
      withRegistries(1, async (r) => {
        const m = await curlPut(layout, r[0]!);
        if (i > 0) curl.add(m, mbps(layout.modelBlob.size)(m));
      }),
  ]);
  const vsSkopeo = pairedRatio('model-deploy time ÷ skopeo time, per run', ours.wall, skopeo.wall);
  const vsCurl = pairedRatio('model-deploy time ÷ curl time, per run', ours.wall, curl.wall);
  const goals = [
    {
      text: 'cold push ≤ 0.6× skopeo’s time',
      value: `${vsSkopeo.summary.median.toFixed(2)}×`,
      met: vsSkopeo.summary.median <= 0.6,
    },
  ];
  if (model.bytes >= 1.5e9 && ours.peakRssKb !== undefined) {
    const rssMb = ours.peakRssKb / 1024;
    goals.push({
      text: 'peak RSS < 200 MB for the 2 GB case',
      value: `${rssMb.toFixed(0)} MB`,
      met: rssMb < 200,
    });
  }
  return {
    id,
    title,
    size: model.label,
    status: 'measured',
    runs,
    subjects: {
      'model-deploy': ours.figures('MB/s'),
      skopeo: skopeo.figures('MB/s'),
      limit: curl.figures('MB/s'),
    },
    ratios: { 'vs skopeo': vsSkopeo, 'vs limit': vsCurl },
    goals,
    notes: [
      'Each run pushes to a registry started fresh for it (distribution registry, filesystem storage, no auth, 127.0.0.1).',
      `The limit sends only the model layer (${(layout.modelBlob.size / MB).toFixed(0)} MB of ${(layout.bytes / MB).toFixed(0)} MB), with no HEAD, manifest or tag.`,
    ],
  };
}

export async function pushUnchangedCase(
  model: SyntheticModel,
  layoutDir: string,
  runs: number,
): Promise<CaseResult> {
  const id = `push-unchanged-${model.label}`;
  const title = `push, unchanged: ${model.kind}`;
  const layout = await layoutInfo(layoutDir);
  const failure = await probe(layout);
  if (failure) return notMeasured(id, title, failure, model.label);
  const ours = new SubjectRuns('node dist/push/index.js again (every blob present)');
  const skopeo = new SubjectRuns('skopeo copy again');
  const afterStartup = new SubjectRuns('model-deploy from its first log line to exit');
  await withRegistries(1, async (r) => {
    await pushWithAction(layout, r);
    await alternate(runs, [
      async (i) => {
        const m = await pushWithAction(layout, r);
        if (Number(m.outputs['bytes-uploaded'] ?? '-1') !== 0) {
          throw new Error(`re-push uploaded ${m.outputs['bytes-uploaded']} bytes, expected 0`);
        }
        if (i > 0) {
          ours.add(m);
          afterStartup.add({ ...m, wallMs: m.wallMs - (m.firstOutputMs ?? 0) });
        }
      },
      async (i) => {
        const m = await skopeoCopy(layout, r[0]!);
        if (i > 0) skopeo.add(m);
      },
    ]);
  });
  const vsSkopeo = pairedRatio('model-deploy time ÷ skopeo time, per run', ours.wall, skopeo.wall);
  const oursMedian = ours.figures().wallMs.median;
  return {
    id,
    title,
    size: model.label,
    status: 'measured',
    runs,
    subjects: {
      'model-deploy': ours.figures(),
      skopeo: skopeo.figures(),
      'model-deploy after start-up': afterStartup.figures(),
    },
    ratios: { 'vs skopeo': vsSkopeo },
    goals: [
      {
        text: 'unchanged re-push < 1 s',
        value: `${(oursMedian / 1000).toFixed(2)} s`,
        met: oursMedian < 1000,
      },
    ],
    notes: [
      'model-deploy’s re-push is checked to upload 0 bytes.',
      `From its first log line to exit (HEAD per blob, manifest put, read-back, tag) the re-push took ${(afterStartup.figures().wallMs.median / 1000).toFixed(2)} s (median); the rest is Node loading the bundle (see the start-up rows).`,
    ],
  };
}

export async function pushFanOutCase(
  model: SyntheticModel,
  layoutDir: string,
  runs: number,
): Promise<CaseResult> {
  const id = `push-fanout-${model.label}`;
  const title = `push to 3 registries: ${model.kind}`;
  const layout = await layoutInfo(layoutDir);
  const failure = await probe(layout);
  if (failure) return notMeasured(id, title, failure, model.label);
  const ours = new SubjectRuns('node dist/push/index.js, 3 destinations');
  const skopeo = new SubjectRuns('3 × skopeo copy, one after another');
  const single = new SubjectRuns('node dist/push/index.js, 1 destination');
  await alternate(runs, [
    (i) =>
      withRegistries(3, async (r) => {
        const m = await pushWithAction(layout, r);
        if (i > 0) ours.add(m);
      }),
    (i) =>
      withRegistries(3, async (r) => {
        let total: Measured | undefined;
        for (const registry of r) {
          const m = await skopeoCopy(layout, registry);
          total = total
            ? {
                ...m,
                wallMs: total.wallMs + m.wallMs,
                peakRssKb: Math.max(total.peakRssKb ?? 0, m.peakRssKb ?? 0),
              }
            : m;
        }
        if (i > 0) skopeo.add(total as Measured);
      }),
    (i) =>
      withRegistries(1, async (r) => {
        const m = await pushWithAction(layout, r);
        if (i > 0) single.add(m);
      }),
  ]);
  const vsSingle = pairedRatio('fan-out time ÷ single-push time, per run', ours.wall, single.wall);
  const vsSkopeo = pairedRatio('fan-out time ÷ 3 skopeo copies, per run', ours.wall, skopeo.wall);
  return {
    id,
    title,
    size: model.label,
    status: 'measured',
    runs,
    subjects: {
      'model-deploy': ours.figures(),
      skopeo: skopeo.figures(),
      limit: single.figures(),
    },
    ratios: { 'vs limit': vsSingle, 'vs skopeo': vsSkopeo },
    goals: [
      {
        text: '3-registry fan-out ≤ 1.3× a single push',
        value: `${vsSingle.summary.median.toFixed(2)}×`,
        met: vsSingle.summary.median <= 1.3,
      },
    ],
    notes: [
      'The limit is model-deploy’s own single push: three registries on one 2-core machine share its disk and CPU, so 1× is out of reach here.',
    ],
  };
}
