import { describe, expect, it } from 'vitest';
import { blobLocation } from '../../../../shared/clouds/azure/blob-location.ts';
import { UserError } from '../../../../shared/common/errors.ts';
import { silentLogger } from '../../../../shared/common/logger.ts';
import type { ObjectLocation } from '../../../../shared/clouds/types.ts';

function dvcRemote(url: string, settings: Record<string, string>): ObjectLocation {
  return {
    url,
    settings,
    source: "the DVC remote 'store'",
    settingsFile: '.dvc/config',
    setCommand: (setting, value) => `dvc remote modify store ${setting} ${value}`,
    logger: silentLogger,
  };
}

describe('where an Azure Blob location is', () => {
  it('takes the account of azure:// from account_name, the connection string or the environment', () => {
    expect(blobLocation(dvcRemote('azure://models/dvc', { account_name: 'acct1' }), {})).toEqual({
      account: 'acct1',
      container: 'models',
    });
    expect(
      blobLocation(
        dvcRemote('azure://models/dvc', { connection_string: 'AccountName=acct2;AccountKey=k' }),
        {},
      ),
    ).toEqual({ account: 'acct2', container: 'models' });
    expect(
      blobLocation(dvcRemote('azure://models', {}), { AZURE_STORAGE_ACCOUNT: 'acct3' }),
    ).toEqual({ account: 'acct3', container: 'models' });
  });

  it('refuses azure:// without an account, with the command that sets one', () => {
    let error: unknown;
    try {
      blobLocation(dvcRemote('azure://models/dvc', {}), {});
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      "the DVC remote 'store' (azure://models/dvc) names no storage account",
    );
    expect((error as UserError).hint).toBe(
      'run `dvc remote modify store account_name <account>` and commit .dvc/config',
    );
  });

  it('sends the token only to an https Azure storage host, or the endpoint the runner trusts', () => {
    const at = (endpoint: string) =>
      dvcRemote('azure://models', { connection_string: `AccountName=a;BlobEndpoint=${endpoint}` });
    expect(blobLocation(at('https://a.blob.core.windows.net/'), {}).endpoint).toBe(
      'https://a.blob.core.windows.net/',
    );
    expect(() => blobLocation(at('http://127.0.0.1:10000/a'), {})).toThrow(
      /sends its Azure token to BlobEndpoint=http:\/\/127\.0\.0\.1:10000\/a/,
    );
    expect(
      blobLocation(at('http://127.0.0.1:10000/a'), {
        MODEL_DEPLOY_AZURE_BLOB_ENDPOINT: 'http://127.0.0.1:10000/a/',
      }).endpoint,
    ).toBe('http://127.0.0.1:10000/a');
  });

  it('reads container and account from a wasbs:// or abfss:// location, and words a bad one as asked', () => {
    const mlflow = (url: string): ObjectLocation => ({
      url,
      source: `the artifact location ${url}`,
      refuse: (problem) => new Error(`on the tracking server: ${problem}`),
      logger: silentLogger,
    });
    expect(blobLocation(mlflow('wasbs://runs@acct.blob.core.windows.net/1/model'), {})).toEqual({
      account: 'acct',
      container: 'runs',
    });
    expect(blobLocation(mlflow('abfss://runs@acct.dfs.core.windows.net/1'), {})).toEqual({
      account: 'acct',
      container: 'runs',
    });
    expect(() => blobLocation(mlflow('wasbs://acct.blob.core.windows.net/1'), {})).toThrow(
      'on the tracking server: the artifact location wasbs://acct.blob.core.windows.net/1 names no container and account',
    );
  });
});
