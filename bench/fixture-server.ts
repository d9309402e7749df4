/**
 * The model-server fixture (Open Inference Protocol v2, the iris classifier)
 * in a process of its own, so the load generators measured against it do not
 * share its event loop. Prints one JSON line {url} when listening.
 *
 *   node bench/fixture-server.ts
 */
import { startModelServer } from '../test/support/model-server-fixture.ts';

const server = await startModelServer({ protocol: 'v2', model: 'iris', version: '1' });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
const stop = () => void server.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
