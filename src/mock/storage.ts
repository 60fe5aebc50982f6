import { createHash } from 'node:crypto';
import { amzDate } from './dates.js';

/**
 * A fake S3 presigned URL shaped like the reference's (X-Amz-* query), on a host that can never resolve
 * (`.invalid`, RFC 6761), so nothing ever fetches or leaks a "citizen photo".
 */
export function presignedUrl(objectPath: string, signedAt: Date): string {
  const date = amzDate(signedAt);
  const query = new URLSearchParams({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Date': date,
    'X-Amz-SignedHeaders': 'host',
    'X-Amz-Expires': '86400',
    'X-Amz-Credential': `SIMULATOR_ACCESS_KEY/${date.slice(0, 8)}/ap-southeast-1/s3/aws4_request`,
    'X-Amz-Signature': createHash('sha256').update(`${objectPath}@${date}`).digest('hex'),
  });
  return `https://storage.simulator.invalid/finos-simulator-bucket/${objectPath}?${query.toString()}`;
}
