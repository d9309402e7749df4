import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as packageRun } from '../../../actions/package/main.ts';
import { runWithInputs } from '../../support/bad-input-table.ts';

/**
 * A hostile MLflow tracking server (a real one cannot be made to lie): its
 * answers try to make package write outside its work folder, through the
 * model version's name and version and through the artifact listing.
 * Nothing may be written anywhere but the work folder, and each attempt is
 * refused naming the server.
 */
type Lie = 'name' | 'version' | 'listing-dotdot' | 'listing-absolute';

let server: http.Server;
let url: string;
let lie: Lie = 'name';
const root = mkdtempSync(join(tmpdir(), 'md-hostile-mlflow-'));
// Where an escaping write would land, relative to the work folders below.
const escapeTarget = join(root, 'escaped.txt');

const json = (res: http.ServerResponse, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/api/2.0/mlflow/model-versions/get') {
      return json(res, {
        model_version: {
          name: lie === 'name' ? '../../../escaped' : 'fraud',
          version: lie === 'version' ? '../1' : '1',
          status: 'READY',
          source: 'mlflow-artifacts:/1/abc/artifacts/model',
        },
      });
    }
    if (u.pathname === '/api/2.0/mlflow/model-versions/get-download-uri') {
      return json(res, { artifact_uri: 'mlflow-artifacts:/1/abc/artifacts/model' });
    }
    if (u.pathname === '/api/2.0/mlflow-artifacts/artifacts') {
      const escaping = lie === 'listing-dotdot' ? '../../../../../escaped.txt' : escapeTarget;
      return json(res, {
        files: [
          { path: 'MLmodel', is_dir: false, file_size: 12 },
          { path: escaping, is_dir: false, file_size: 5 },
        ],
      });
    }
    if (u.pathname.startsWith('/api/2.0/mlflow-artifacts/artifacts/')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return res.end(u.pathname.endsWith('MLmodel') ? 'flavors: {}\n' : 'owned');
    }
    res.writeHead(404);
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  rmSync(root, { recursive: true, force: true });
});

async function packageFrom(what: Lie) {
  lie = what;
  const runnerTemp = join(root, `runner-${what}`);
  mkdirSync(runnerTemp, { recursive: true });
  const outcome = await runWithInputs(
    packageRun,
    {
      model: 'models:/fraud/1',
      name: 'fraud',
      runtime: 'custom',
      'base-image': 'scratch',
      'mlflow-tracking-uri': url,
    },
    { RUNNER_TEMP: runnerTemp },
  );
  return { outcome, runnerTemp };
}

describe('a hostile MLflow server cannot make package write outside its work folder', () => {
  it.each([
    ['name', "asked for model 'fraud', the server answered '../../../escaped'"],
    ['version', "the server answered version '../1', not a positive whole number"],
    ['listing-dotdot', "listed a path outside the model folder: '../../../../../escaped.txt'"],
    ['listing-absolute', 'listed a path outside the model folder'],
  ] as const)('a lie in the %s is refused, naming the server', async (what, message) => {
    const { outcome, runnerTemp } = await packageFrom(what);
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toContain(message);
    expect(outcome.failure).toContain(new URL(url).host);
    expect(outcome.failure).not.toContain('bug in model-deploy');
    // Nothing escaped, and nothing half-done was left for a later step.
    expect(existsSync(escapeTarget)).toBe(false);
    expect(readdirSync(root).filter((f) => f.includes('escaped'))).toEqual([]);
    expect(outcome.outputs.layout ?? '').toBe('');
    expect(
      existsSync(join(runnerTemp, 'model-deploy', 'package', 'fraud', 'model', 'MLmodel')),
    ).toBe(false);
  });
});
