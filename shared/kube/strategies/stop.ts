import { RolloutStopped, type StrategyRequest } from './types.ts';

export function checkStop(request: StrategyRequest): void {
  if (request.stopSignal?.aborted) throw new RolloutStopped();
}
