/** A one-line progress indicator on a TTY: bytes read and rate, redrawn at most 10 times/s. */
export function progressLine(out: NodeJS.WritableStream, label = 'reading') {
  const start = Date.now();
  let bytes = 0;
  let last = 0;
  const draw = () => {
    const seconds = Math.max((Date.now() - start) / 1000, 0.001);
    const mib = bytes / 1048576;
    out.write(`\r${label}: ${mib.toFixed(1)} MiB (${(mib / seconds).toFixed(1)} MiB/s)   `);
  };
  return {
    add(n: number) {
      bytes += n;
      if (Date.now() - last > 100) {
        last = Date.now();
        draw();
      }
    },
    done() {
      draw();
      out.write('\n');
    },
  };
}

/** The log level while a progress line runs: `info` (the default) becomes `warn`; others stay. */
export function quietLevel(level: string): string {
  return level === 'info' ? 'warn' : level;
}
