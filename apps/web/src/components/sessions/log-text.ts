// Agent output as stored: raw terminal text in batches that may split a line.
// For display: no colour codes, carriage-return progress lines collapsed to their last state.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[ -/]*[@-~]`, 'g');

export function cleanLogText(text: string): string {
  return text
    .replace(ANSI, '')
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.slice(line.lastIndexOf('\r') + 1))
    .join('\n');
}

/** The last `count` non-empty lines of `text`. */
export function lastLines(text: string, count: number): string[] {
  return cleanLogText(text)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-count);
}
