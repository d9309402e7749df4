import { pidDir, stopAllRecorded } from './processes.ts';

/**
 * Runs once around the whole suite: records where started processes are
 * listed, and ends any a test left behind, even when tests failed.
 */
export default function setup(): () => void {
  const dir = pidDir();
  return () => {
    const leftovers = stopAllRecorded(dir);
    if (leftovers.length > 0) {
      console.warn(`ended processes that tests left running: ${leftovers.join(', ')}`);
    }
  };
}
