/** A problem+json body without its `requestId` (unique to each request), to compare two answers. */
export function withoutRequestId(body: Record<string, unknown>): Record<string, unknown> {
  const { requestId, ...rest } = body;
  expect(typeof requestId).toBe('string');
  return rest;
}
