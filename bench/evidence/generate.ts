// The demo generator in a process of its own, so that its memory is its own and the benchmark's
// process is left with what the pages cost: node --import tsx bench/evidence/generate.ts
// '<GenerateHistoryInput as JSON, without progress>'. Progress goes to stderr; the result
// (HistoryResult) is the last line on stdout.
import { generateHistory } from '@parallax/demo';

const input = JSON.parse(process.argv[2] ?? '{}');
const result = await generateHistory({ ...input, progress: process.stderr });
process.stdout.write(`${JSON.stringify(result)}\n`);
