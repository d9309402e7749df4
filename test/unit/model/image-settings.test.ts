import { describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/common/errors.ts';
import {
  checkModelVersion,
  parseArgv,
  parsePorts,
  parseSourceDateEpoch,
} from '../../../shared/model/image-settings.ts';

describe('argv settings (entrypoint, cmd)', () => {
  it('reads a JSON array or one argument per line, and nothing when empty', () => {
    expect(parseArgv('cmd', '["python", "serve.py", "--port=8"]')).toEqual([
      'python',
      'serve.py',
      '--port=8',
    ]);
    expect(parseArgv('cmd', 'python\r\n  serve.py \n\n--port=8')).toEqual([
      'python',
      'serve.py',
      '--port=8',
    ]);
    expect(parseArgv('cmd', undefined)).toBeUndefined();
  });

  it('names the input on bad JSON or an array that is not of strings', () => {
    expect(() => parseArgv('entrypoint', '["python",')).toThrow(
      /input 'entrypoint' is not a valid JSON array/,
    );
    expect(() => parseArgv('cmd', '["python", 3]')).toThrow(
      "input 'cmd' must be a JSON array of strings",
    );
  });
});

describe('source-date-epoch', () => {
  it('takes whole seconds, spaces trimmed, and refuses anything else', () => {
    expect(parseSourceDateEpoch(' 1717200000 ')).toBe(1717200000);
    expect(parseSourceDateEpoch('0')).toBe(0);
    for (const bad of ['-1', '1.5', '2024-06-01', '']) {
      expect(() => parseSourceDateEpoch(bad)).toThrow(InputError);
    }
  });
});

describe('the model version', () => {
  it('refuses what cannot be a folder name, and keeps the rest', () => {
    expect(checkModelVersion('3')).toBe('3');
    expect(checkModelVersion('v1.2-rc')).toBe('v1.2-rc');
    expect(checkModelVersion(undefined)).toBeUndefined();
    for (const bad of ['a/b', 'a\\b', '..', '.', 'x\ny']) {
      expect(() => checkModelVersion(bad)).toThrow(/input 'version'/);
    }
  });
});

describe('parsePorts', () => {
  it('reads TCP ports, /tcp allowed, and names the input on anything else', () => {
    expect(parsePorts([])).toBeUndefined();
    expect(parsePorts(['8000', '8001/tcp'])).toEqual([8000, 8001]);
    expect(() => parsePorts(['0'])).toThrow("input 'ports' has '0', which is not a TCP port");
    expect(() => parsePorts(['80/udp'], 'extra-ports')).toThrow(/input 'extra-ports'/);
  });
});
