import {
  actionsLogger,
  azureFederationInputs,
  booleanInput,
  group,
  hostListInput,
  JobSummary,
  listInput,
  optionalString,
  requiredString,
  runAction,
  secretString,
  setOutput,
} from '../../shared/action/index.ts';
import { parseDestination } from '../../shared/clouds/registry-access.ts';
import { formatBytes } from '../../shared/common/bytes.ts';
import { formatDuration } from '../../shared/common/duration.ts';
import type { PushOutcome, PushRequest } from '../../shared/orchestrators/push-to-destinations.ts';
import { checkedTags, loginHostFor, loginPair } from '../../shared/orchestrators/push-request.ts';

export function getInputs(): PushRequest {
  const destinations = listInput('destinations', {
    required: true,
    example: '123456789012.dkr.ecr.us-east-1.amazonaws.com/models/resnet50',
  }).map((line) => parseDestination(line, 'destinations'));
  const tags = checkedTags(listInput('tags'));
  const { username, password } = loginPair(optionalString('username'), secretString('password'));
  const loginHost = loginHostFor(destinations, optionalString('credentials-for'), username);
  const azure = azureFederationInputs();
  return {
    layout: requiredString('layout', { example: '${{ steps.package.outputs.layout }}' }),
    destinations,
    tags,
    createRepository: booleanInput('create-repository', true),
    immutableTags: booleanInput('immutable-tags', false),
    username,
    password,
    ...(loginHost !== undefined ? { loginHost } : {}),
    azureClientId: azure.clientId,
    azureTenantId: azure.tenantId,
    insecureRegistries: hostListInput('insecure-registries'),
  };
}

function setOutputs(request: PushRequest, { digest, results }: PushOutcome): void {
  const images: Record<string, string> = {};
  for (const [i, result] of results.entries()) {
    if (result.ref) images[request.destinations[i]!.text] = result.ref;
  }
  setOutput('digest', digest);
  setOutput('images', images);
  // The first destination as listed: what deploy's `image` takes in the usual one-registry job.
  setOutput('image', results[0]?.ref ?? '');
  setOutput(
    'bytes-uploaded',
    results.reduce((n, r) => n + r.uploadedBytes, 0),
  );
  setOutput(
    'bytes-skipped',
    results.reduce((n, r) => n + r.skippedBytes + r.mountedBytes, 0),
  );
}

async function writeSummary({ digest, results, ms }: PushOutcome): Promise<void> {
  const summary = new JobSummary('model-deploy: push');
  summary.facts([
    ['Digest', `\`${digest}\``],
    ['Destinations', `${results.filter((r) => r.ok).length} of ${results.length} pushed`],
    ['Time', formatDuration(ms)],
  ]);
  summary.table(
    ['Destination', 'Result', 'Image', 'Uploaded', 'Skipped (present)', 'Mounted', 'Time'],
    results.map((r) => [
      r.name,
      r.ok ? '✅ pushed' : `❌ ${r.error ?? 'failed'}`,
      r.ref ? `\`${r.ref}\`` : '',
      formatBytes(r.uploadedBytes),
      formatBytes(r.skippedBytes),
      formatBytes(r.mountedBytes),
      formatDuration(r.ms),
    ]),
  );
  await summary.write();
}

export async function run(): Promise<boolean> {
  return runAction('push', async () => {
    const request = getInputs();
    // The registry client loads once the inputs hold: a wrong input fails at once.
    const { pushFailure, pushToDestinations } =
      await import('../../shared/orchestrators/push-to-destinations.ts');
    const outcome = await pushToDestinations(request, { logger: actionsLogger, group });
    await writeSummary(outcome);
    if (outcome.error !== undefined) throw outcome.error;
    setOutputs(request, outcome);
    const failure = pushFailure(outcome.results);
    if (failure !== undefined) throw failure;
  });
}
