import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { awsCredentials, explainAwsError } from './credentials.ts';

/** Reads objects from one S3 bucket with the runner's standard AWS credentials. */
export interface S3ObjectReader {
  exists(key: string): Promise<boolean>;
  open(key: string): Promise<Readable>;
  /** Every object whose key starts with `prefix`, with its size in bytes. */
  list(prefix: string): Promise<Array<{ key: string; size: number }>>;
}

export interface S3ReaderOptions {
  bucket: string;
  /** An S3-compatible endpoint (MinIO, a test server); path-style addressing is used with it. */
  endpoint?: string;
  region?: string;
}

export function s3ObjectReader(options: S3ReaderOptions): S3ObjectReader {
  const client = new S3Client({
    credentials: awsCredentials(),
    region:
      options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
  });
  const what = (key: string) => `reading s3://${options.bucket}/${key}`;
  return {
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: key }));
        return true;
      } catch (err) {
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata
          ?.httpStatusCode;
        if (status === 404 || (err as Error).name === 'NotFound') return false;
        throw explainAwsError(err, what(key));
      }
    },
    async open(key) {
      try {
        const response = await client.send(
          new GetObjectCommand({ Bucket: options.bucket, Key: key }),
        );
        return response.Body as Readable;
      } catch (err) {
        throw explainAwsError(err, what(key));
      }
    },
    async list(prefix) {
      const objects: Array<{ key: string; size: number }> = [];
      let token: string | undefined;
      do {
        let page;
        try {
          page = await client.send(
            new ListObjectsV2Command({
              Bucket: options.bucket,
              Prefix: prefix,
              ...(token ? { ContinuationToken: token } : {}),
            }),
          );
        } catch (err) {
          throw explainAwsError(err, `listing s3://${options.bucket}/${prefix}`);
        }
        for (const object of page.Contents ?? []) {
          if (object.Key !== undefined) objects.push({ key: object.Key, size: object.Size ?? 0 });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return objects;
    },
  };
}
