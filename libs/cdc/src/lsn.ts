/** PostgreSQL log sequence numbers (`16/B374D848`) as the unsigned 64-bit integers they are. */
export function parseLsn(text: string | null | undefined): bigint {
  if (!text) return 0n;
  const slash = text.indexOf('/');
  if (slash < 0) throw new Error(`not an LSN: ${text}`);
  return (BigInt(`0x${text.slice(0, slash)}`) << 32n) | BigInt(`0x${text.slice(slash + 1)}`);
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}
