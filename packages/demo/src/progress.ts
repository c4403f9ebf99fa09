// The progress bar on stderr: what is being written, rows so far, rate and ETA. Redrawn in
// place on a terminal; elsewhere (CI, npm start's log) silent except for the final lines.

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  /** `fraction` of the phase is done (0–1); `detail` is what it wrote so far. */
  update(phase: string, fraction: number, detail: string): void;
  /** A line that stays (a phase finished, the summary). */
  line(text: string): void;
}

const duration = (seconds: number) =>
  seconds >= 3600
    ? `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`
    : seconds >= 60
      ? `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`
      : `${Math.round(seconds)}s`;

export const formatCount = (n: number) => Math.round(n).toLocaleString('en-US');

export function createProgress(output: ProgressOutput | null): Progress {
  const tty = output?.isTTY === true;
  let phaseStarted = performance.now();
  let currentPhase = '';
  let lastDraw = 0;
  let drawn = false;
  return {
    update(phase, fraction, detail) {
      if (!output || !tty) return;
      const now = performance.now();
      if (phase !== currentPhase) {
        currentPhase = phase;
        phaseStarted = now;
      }
      if (now - lastDraw < 100 && fraction < 1) return;
      lastDraw = now;
      const elapsed = (now - phaseStarted) / 1000;
      const eta = fraction > 0.001 ? duration((elapsed / fraction) * (1 - fraction)) : '…';
      const width = 24;
      const filled = Math.round(Math.min(1, fraction) * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      output.write(`\r\x1b[2K${phase.padEnd(10)} ${bar} ${String(Math.floor(fraction * 100)).padStart(3)}%  ${detail}  ETA ${eta}`);
      drawn = true;
    },
    line(text) {
      if (!output) return;
      output.write(`${tty && drawn ? '\r\x1b[2K' : ''}${text}\n`);
      drawn = false;
    },
  };
}
