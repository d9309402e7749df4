import { describe, expect, it } from 'vitest';
import { oneLine } from '../../../shared/common/errors.ts';
import { MlflowHttpError } from '../../../shared/model/sources/mlflow.ts';
import { describeRegistryError, unexpectedStatus } from '../../../shared/registry/errors.ts';

/** A body a hostile or broken server might send: a line that the runner would read as a command. */
const HOSTILE = 'upstream failed\n::add-mask::x\r\n::error::fake failure\n';

describe('text from servers reaches messages on one line', () => {
  it('folds line breaks', () => {
    expect(oneLine('a\n  b\r\nc ')).toBe('a b c');
  });

  it('in registry errors, JSON or not', async () => {
    const plain = await describeRegistryError(new Response(HOSTILE, { status: 502 }) as never);
    expect(plain).toBe('upstream failed ::add-mask::x ::error::fake failure');
    const json = await describeRegistryError(
      new Response(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: HOSTILE }] }), {
        status: 500,
      }) as never,
    );
    expect(json).not.toMatch(/[\r\n]/);
    const status = await unexpectedStatus(
      'r.example.com',
      'pushing',
      new Response(HOSTILE, { status: 503 }) as never,
    );
    expect(status.message).not.toMatch(/[\r\n]/);
  });

  it('in MLflow errors', () => {
    const model = 'models:/fraud@champion';
    const server = '127.0.0.1:5000';
    expect(new MlflowHttpError(500, 'resolving', HOSTILE, model, server).message).not.toMatch(
      /[\r\n]/,
    );
    expect(
      new MlflowHttpError(400, 'resolving', JSON.stringify({ message: HOSTILE }), model, server)
        .message,
    ).not.toMatch(/[\r\n]/);
  });
});
