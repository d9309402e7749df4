import { describe, expect, it } from 'vitest';
import { parseBlobList } from '../../../../shared/clouds/azure/blob-objects.ts';

describe('a List Blobs answer', () => {
  it('gives names (decoded when marked Encoded), sizes and the next marker', () => {
    const xml = [
      '<?xml version="1.0" encoding="utf-8"?><EnumerationResults><Blobs>',
      '<Blob><Name>models/a&amp;b.onnx</Name><Properties><Content-Length>42</Content-Length></Properties></Blob>',
      '<Blob><Name Encoded="true">models%2Fspace%20name</Name><Properties><Content-Length>7</Content-Length></Properties></Blob>',
      '<Blob><Properties><Content-Length>1</Content-Length></Properties></Blob>',
      '</Blobs><NextMarker>page-2</NextMarker></EnumerationResults>',
    ].join('');
    expect(parseBlobList(xml)).toEqual({
      blobs: [
        { key: 'models/a&b.onnx', size: 42 },
        { key: 'models/space name', size: 7 },
      ],
      nextMarker: 'page-2',
    });
  });

  it('ends the listing when there is no next marker', () => {
    expect(parseBlobList('<EnumerationResults><Blobs/><NextMarker/></EnumerationResults>')).toEqual(
      {
        blobs: [],
        nextMarker: '',
      },
    );
  });
});
