import { readLayout } from '../../shared/oci/layout.ts';
import { ensureGoTool } from '../../test/support/go-tools.ts';
import { startRegistry, type LocalRegistry } from '../../test/support/registry.ts';
import { runActionBundle } from '../action-process.ts';
import { measureOk, type Measured } from '../measure.ts';
import type { SyntheticModel } from '../models.ts';
import { alternate, notMeasured, pairedRatio, SubjectRuns, type CaseResult } from '../results.ts';

const MB = 1e6;
const REPOSITORY = 'bench/model';

export interface LayoutInfo {
  dir: string;
  tag: string;
  /** The digest of the top manifest (or index): what every tool must land. */
  digest: string;
  /** Bytes of every blob in the layout (what a cold push sends). */
  bytes: number;
  /** The largest blob: the model layer. */
  modelBlob: { path: string; digest: string; size: number };
}

export async function layoutInfo(dir: string): Promise<LayoutInfo> {
  const layout = await readLayout(dir);
  const largest = [...layout.blobs].sort((a, b) => b.size - a.size)[0]!;
  return {
    dir,
    tag: layout.tag ?? '1',
    digest: layout.top.digest,
    bytes: layout.blobs.reduce((n, b) => n + b.size, 0),
    modelBlob: {
      path: layout.blobPath(largest.digest),
      digest: largest.digest,
      size: largest.size,
    },
  };
}

export async function pushWithAction(layout: LayoutInfo, registries: LocalRegistry[]) {
  const run = await runActionBundle('push', {
    layout: layout.dir,
    destinations: registries.map((r) => `${r.host}/${REPOSITORY}`).join('\n'),
    tags: layout.tag,
  });
  if (run.exitCode !== 0) throw new Error(`the push action failed: ${run.failure}`);
  return run;
}

/** crane, built once per machine from its pinned module (test/support/go-modules/crane). */
let cranePath: Promise<string> | undefined;
function crane(): Promise<string> {
  cranePath ??= ensureGoTool('crane', (line) => process.stderr.write(`${line}\n`));
  return cranePath;
}

/**
 * `crane push <layout> <ref>`: reads the OCI layout and sends its blobs as
 * they are (no recompression), HEAD before each upload, then the manifest.
 * The digest it prints must be the layout's, else it pushed something else.
 */
export async function cranePush(layout: LayoutInfo, registry: LocalRegistry): Promise<Measured> {
  const m = await measureOk('crane push', await crane(), [
    'push',
    '--insecure',
    layout.dir,
    `${registry.host}/${REPOSITORY}:${layout.tag}`,
  ]);
  const pushed = /@(sha256:[0-9a-f]{64})/.exec(m.stdout)?.[1];
  if (pushed !== layout.digest) {
    throw new Error(`crane pushed ${pushed ?? 'no digest'}, the layout holds ${layout.digest}`);
  }
  return m;
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

/** Adds up the runs of a peer that does one thing after another (3 pushes, 3 copies). */
function addUp(total: Measured | undefined, m: Measured): Measured {
  return total
    ? {
        ...m,
        wallMs: total.wallMs + m.wallMs,
        peakRssKb: Math.max(total.peakRssKb ?? 0, m.peakRssKb ?? 0),
      }
    : m;
}

const SKOPEO_NOTE =
  'skopeo is shown for reference only: it gzips each uncompressed layer on the way (the registry then holds a different, smaller image), so it does more CPU work and sends fewer bytes than model-deploy, which sends the layout’s blobs as they are, as crane does.';

/** An upload session for the model layer blob, opened untimed: the URL a monolithic PUT completes. */
async function uploadUrl(layout: LayoutInfo, registry: LocalRegistry): Promise<string> {
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
  return url.toString();
}

function curlUpload(layout: LayoutInfo, url: string): Promise<Measured> {
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
    url,
  ]);
}

/** The limit: one monolithic PUT of the model layer blob with curl (the upload session is opened beforehand, untimed). */
async function curlPut(layout: LayoutInfo, registry: LocalRegistry): Promise<Measured> {
  return curlUpload(layout, await uploadUrl(layout, registry));
}

/**
 * What the machine allows a fan-out: the model layer blob sent by curl to
 * every registry at once (sessions opened beforehand, untimed); the time is
 * the slowest upload's, each timed from its own spawn.
 */
async function curlPutAtOnce(layout: LayoutInfo, registries: LocalRegistry[]): Promise<Measured> {
  const urls = await Promise.all(registries.map((r) => uploadUrl(layout, r)));
  const uploads = await Promise.all(urls.map((url) => curlUpload(layout, url)));
  return uploads.reduce((slowest, m) => ({
    ...slowest,
    wallMs: Math.max(slowest.wallMs, m.wallMs),
    peakRssKb: Math.max(slowest.peakRssKb ?? 0, m.peakRssKb ?? 0),
  }));
}

/** A fresh registry for one measured push, so every cold push finds nothing there. */
export async function withRegistries<T>(
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
  const peer = new SubjectRuns('crane push <layout> <ref> (blobs as they are)');
  const skopeo = new SubjectRuns('skopeo copy oci:… docker://… (gzips the model layer)');
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
        const m = await cranePush(layout, r[0]!);
        if (i > 0) peer.add(m, mbps(layout.bytes)(m));
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
  const vsCrane = pairedRatio('model-deploy time ÷ crane time, per run', ours.wall, peer.wall);
  const vsCurl = pairedRatio('model-deploy time ÷ curl -T time, per run', ours.wall, curl.wall);
  const vsSkopeo = pairedRatio('model-deploy time ÷ skopeo time, per run', ours.wall, skopeo.wall);
  const goals = [
    {
      text: 'cold push ≤ 1.1× the curl -T limit',
      value: `${vsCurl.summary.median.toFixed(2)}×`,
      met: vsCurl.summary.median <= 1.1,
    },
    {
      text: 'cold push ≤ 1.0× crane’s time',
      value: `${vsCrane.summary.median.toFixed(2)}×`,
      met: vsCrane.summary.median <= 1.0,
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
      crane: peer.figures('MB/s'),
      skopeo: skopeo.figures('MB/s'),
      limit: curl.figures('MB/s'),
    },
    ratios: { 'vs crane': vsCrane, 'vs limit': vsCurl, 'vs skopeo': vsSkopeo },
    goals,
    notes: [
      'Each run pushes to a registry started fresh for it (distribution registry, filesystem storage, no auth, 127.0.0.1).',
      `The limit sends only the model layer (${(layout.modelBlob.size / MB).toFixed(0)} MB of ${(layout.bytes / MB).toFixed(0)} MB), with no HEAD, manifest or tag, and has no start-up to speak of; model-deploy and crane send every blob, the manifest and the tag, and crane is checked to land the layout’s digest.`,
      SKOPEO_NOTE,
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
  const peer = new SubjectRuns('crane push again');
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
        const m = await cranePush(layout, r[0]!);
        if (i > 0) peer.add(m);
      },
      async (i) => {
        const m = await skopeoCopy(layout, r[0]!);
        if (i > 0) skopeo.add(m);
      },
    ]);
  });
  const vsCrane = pairedRatio('model-deploy time ÷ crane time, per run', ours.wall, peer.wall);
  const vsSkopeo = pairedRatio('model-deploy time ÷ skopeo time, per run', ours.wall, skopeo.wall);
  return {
    id,
    title,
    size: model.label,
    status: 'measured',
    runs,
    subjects: {
      'model-deploy': ours.figures(),
      crane: peer.figures(),
      skopeo: skopeo.figures(),
      'model-deploy after start-up': afterStartup.figures(),
    },
    ratios: { 'vs crane': vsCrane, 'vs skopeo': vsSkopeo },
    goals: [
      {
        text: 'unchanged re-push ≤ 1.0× crane’s time',
        value: `${vsCrane.summary.median.toFixed(2)}×`,
        met: vsCrane.summary.median <= 1.0,
      },
    ],
    notes: [
      'model-deploy’s re-push is checked to upload 0 bytes. All three find every blob present with a HEAD; skopeo’s first push gzipped the layers, so it HEADs its own compressed digests.',
      `From its first log line to exit (HEAD per blob, manifest put, read-back, tag) model-deploy’s re-push took ${(afterStartup.figures().wallMs.median / 1000).toFixed(2)} s (median); the rest is Node loading the bundle (see the start-up rows).`,
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
  const peer = new SubjectRuns('3 × crane push, one after another');
  const skopeo = new SubjectRuns('3 × skopeo copy, one after another (gzips each time)');
  const single = new SubjectRuns('node dist/push/index.js, 1 destination');
  const curlOne = new SubjectRuns('curl -T of the model layer blob to 1 registry');
  const curlThree = new SubjectRuns('curl -T of the model layer blob to 3 registries at once');
  await alternate(runs, [
    (i) =>
      withRegistries(3, async (r) => {
        const m = await pushWithAction(layout, r);
        if (i > 0) ours.add(m);
      }),
    (i) =>
      withRegistries(3, async (r) => {
        let total: Measured | undefined;
        for (const registry of r) total = addUp(total, await cranePush(layout, registry));
        if (i > 0) peer.add(total as Measured);
      }),
    (i) =>
      withRegistries(3, async (r) => {
        let total: Measured | undefined;
        for (const registry of r) total = addUp(total, await skopeoCopy(layout, registry));
        if (i > 0) skopeo.add(total as Measured);
      }),
    (i) =>
      withRegistries(1, async (r) => {
        const m = await pushWithAction(layout, r);
        if (i > 0) single.add(m);
      }),
    (i) =>
      withRegistries(1, async (r) => {
        const m = await curlPut(layout, r[0]!);
        if (i > 0) curlOne.add(m);
      }),
    (i) =>
      withRegistries(3, async (r) => {
        const m = await curlPutAtOnce(layout, r);
        if (i > 0) curlThree.add(m);
      }),
  ]);
  const machine = pairedRatio(
    '3 curl -T at once ÷ 1 curl -T, per run: the bound the machine sets on a fan-out',
    curlThree.wall,
    curlOne.wall,
  );
  const vsSingle = pairedRatio('fan-out time ÷ single-push time, per run', ours.wall, single.wall);
  const vsCrane = pairedRatio('fan-out time ÷ 3 crane pushes, per run', ours.wall, peer.wall);
  const vsSkopeo = pairedRatio('fan-out time ÷ 3 skopeo copies, per run', ours.wall, skopeo.wall);
  return {
    id,
    title,
    size: model.label,
    status: 'measured',
    runs,
    subjects: {
      'model-deploy': ours.figures(),
      crane: peer.figures(),
      skopeo: skopeo.figures(),
      limit: single.figures(),
      'machine limit: curl -T ×1': curlOne.figures(),
      'machine limit: curl -T ×3 at once': curlThree.figures(),
    },
    ratios: {
      'vs limit': vsSingle,
      'vs crane': vsCrane,
      'vs skopeo': vsSkopeo,
      'machine: curl ×3 at once ÷ ×1': machine,
    },
    goals: [
      {
        text: '3-registry fan-out ≤ 1.3× a single push',
        value: `${vsSingle.summary.median.toFixed(2)}×`,
        met: vsSingle.summary.median <= 1.3,
      },
    ],
    notes: [
      `The limit is model-deploy’s own single push. Three registries on one 2-core machine each hash and store every byte on the same disk and CPU: curl sending the model layer blob to all three at once took ${machine.summary.median.toFixed(2)}× (median) its time to one, the bound this machine sets on any fan-out.`,
      'crane has no multi-destination push: a user runs it once per registry, so the peer is three crane pushes one after another (each reads the layout again).',
      SKOPEO_NOTE,
    ],
  };
}
