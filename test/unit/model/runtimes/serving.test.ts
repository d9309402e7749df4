import { describe, expect, it } from 'vitest';
import { RUNTIMES } from '../../../../shared/model/runtimes/index.ts';
import { RUNTIME_NAMES, runtimeServing } from '../../../../shared/model/runtimes/serving.ts';

describe('runtimeServing', () => {
  it.each(RUNTIME_NAMES.map((n) => [n]))(
    '%s: the HTTP port, probes for the model and the pod facts of its runtime file',
    (name) => {
      const runtime = RUNTIMES[name];
      const serving = runtimeServing(name, 'resnet');
      expect(serving.port).toBe(runtime.ports.find((p) => p.name === 'http')!.port);
      expect(serving.readinessPath).toBe(runtime.health.ready.replace('{name}', 'resnet'));
      expect(serving.livenessPath).toBe(runtime.health.live.replace('{name}', 'resnet'));
      expect(serving).toMatchObject({
        runAsUser: runtime.pod.runAsUser,
        readOnlyRootFilesystem: runtime.pod.readOnlyRootFilesystem,
        startupSeconds: runtime.pod.startupSeconds,
        defaultRequests: runtime.pod.defaultRequests,
      });
    },
  );

  it('names the gRPC API where a runtime serves one on a grpc port', () => {
    expect(runtimeServing('triton', 'm').grpc).toEqual({ port: 8001, pathPrefix: '/inference.' });
    expect(runtimeServing('tfserving', 'm').grpc?.pathPrefix).toBe('/tensorflow.serving.');
    expect(runtimeServing('torchserve', 'm').grpc).toEqual({
      port: 7070,
      pathPrefix: '/org.pytorch.serve.grpc.inference.',
    });
    expect(runtimeServing('vllm', 'm').grpc).toBeUndefined();
    expect(runtimeServing('custom', 'm').grpc).toBeUndefined();
  });

  it('gives a fresh copy each time, so a caller cannot change the runtime', () => {
    const first = runtimeServing('vllm', 'm');
    first.defaultRequests!.cpu = '99';
    first.scratch![0]!.mountPath = '/changed';
    first.env!.HOME = '/changed';
    const second = runtimeServing('vllm', 'm');
    expect(second.defaultRequests!.cpu).toBe(RUNTIMES.vllm.pod.defaultRequests.cpu);
    expect(second.scratch![0]!.mountPath).not.toBe('/changed');
    expect(second.env!.HOME).not.toBe('/changed');
    expect(second.requiresGpu).toBe(true);
  });
});
