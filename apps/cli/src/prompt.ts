import readline from 'node:readline';

/** Reads a secret: typed at a terminal without echo, or the first line piped on stdin. */
export async function readSecret(question: string): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text.split(/\r?\n/)[0]?.trim() ?? '';
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  process.stderr.write(question);
  // readline echoes keystrokes through this private hook; silencing it hides the secret.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  try {
    return (await new Promise<string>((resolve) => rl.question('', resolve))).trim();
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
