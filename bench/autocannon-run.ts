/**
 * autocannon as the smoke-test case's peer, in a process of its own:
 * `amount` requests, then one JSON line with the 2xx count and the wall time
 * of the load phase (first request sent to last response, as the action
 * measures its own), not autocannon's duration, which ends at its next
 * 1-second sampling tick.
 *
 *   node bench/autocannon-run.ts <url> <connections> <amount> <json body>
 */
import { runAutocannon } from './smoke-load.ts';

const [url, connections, amount, body] = process.argv.slice(2);
if (!url || !connections || !amount || body === undefined) {
  throw new Error('usage: node bench/autocannon-run.ts <url> <connections> <amount> <body>');
}
const { result, seconds } = await runAutocannon({
  url,
  connections: Number(connections),
  amount: Number(amount),
  pipelining: 1,
  method: 'POST',
  body,
  headers: { 'content-type': 'application/json' },
});
process.stdout.write(
  JSON.stringify({
    ok: result.requests.total - result.non2xx - result.errors,
    errors: result.errors,
    non2xx: result.non2xx,
    seconds,
  }) + '\n',
);
