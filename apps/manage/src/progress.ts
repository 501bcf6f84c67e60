import cliProgress from 'cli-progress';
import type { Progress } from '#porch/core';

/** Below this many items a step is quick: no bar, just the summary. */
const LONG = 500;

/**
 * A `cli-progress` bar on a terminal; on a pipe or in CI, a plain line every 10 %. Always on
 * stderr, so stdout stays clean for what a command outputs.
 */
export function progress(label: string, total: number): Progress {
  const stream = process.stderr;
  if (total < LONG) return { increment: () => undefined, stop: () => undefined };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label.padEnd(12)} {bar} {percentage}% | {value}/{total} | eta {eta_formatted}`,
        stream,
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { increment: (by = 1) => bar.increment(by), stop: () => bar.stop() };
  }
  let done = 0;
  let shown = 0;
  return {
    increment: (by = 1) => {
      done += by;
      const tenth = Math.floor((done / total) * 10);
      if (tenth > shown) {
        shown = tenth;
        stream.write(`${label}: ${done}/${total}\n`);
      }
    },
    stop: () => undefined,
  };
}
