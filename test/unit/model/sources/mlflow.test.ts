import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../shared/common/logger.ts';
import {
  MlflowClient,
  isMlflowUri,
  parseMlflowUri,
  withoutCredentials,
} from '../../../../shared/model/sources/mlflow.ts';

describe('MLflow model URIs', () => {
  it('reads registered versions, aliases, logged models and run artifacts', () => {
    expect(parseMlflowUri('models:/resnet/3')).toEqual({
      kind: 'version',
      name: 'resnet',
      version: '3',
    });
    expect(parseMlflowUri(' models:/resnet@champion/ ')).toEqual({
      kind: 'alias',
      name: 'resnet',
      alias: 'champion',
    });
    expect(parseMlflowUri('models:/m-0a1b2c')).toEqual({
      kind: 'logged-model',
      modelId: 'm-0a1b2c',
    });
    expect(parseMlflowUri('runs:/abc123/model/sub')).toEqual({
      kind: 'run',
      runId: 'abc123',
      path: 'model/sub',
    });
  });

  it('refuses versions that are not whole numbers and run paths that climb out', () => {
    for (const bad of [
      'models:/resnet/latest',
      'models:/resnet/0',
      'runs:/abc/../secrets',
      'runs:/abc/./model',
      'models:/',
    ]) {
      expect(parseMlflowUri(bad), bad).toBeUndefined();
    }
    expect(isMlflowUri('runs:/x/y')).toBe(true);
    expect(isMlflowUri('models/resnet')).toBe(false);
  });

  it('never records the user or password of a tracking URI', () => {
    expect(withoutCredentials('https://bob:s3cret@mlflow.example.com/x')).toBe(
      'https://mlflow.example.com/x',
    );
    expect(withoutCredentials('http://127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
  });

  it('names the input on a tracking URI that is not an http(s) server', () => {
    expect(() => new MlflowClient('not a url', {}, silentLogger)).toThrow(
      /input 'mlflow-tracking-uri' is not a URL/,
    );
    expect(() => new MlflowClient('file:///tmp/mlruns', {}, silentLogger)).toThrow(
      /must be an http\(s\) tracking server/,
    );
  });
});
