// The compiled filter run through a small classic-BPF interpreter: what the kernel would
// answer for a call, per architecture.
import { describe, expect, it } from 'vitest';
import { DENIED_SYSCALLS, seccompProgram } from './seccomp.ts';

const ALLOW = 0x7fff0000;
const EPERM = 0x00050001;
const KILL = 0x80000000;

/** Runs the program on seccomp_data { nr, arch } (only the instructions the filter uses). */
function run(program: Buffer, nr: number, arch: number): number {
  const data = Buffer.alloc(64);
  data.writeInt32LE(nr, 0);
  data.writeUInt32LE(arch, 4);
  let acc = 0;
  for (let pc = 0; pc * 8 < program.length; ) {
    const code = program.readUInt16LE(pc * 8);
    const jt = program.readUInt8(pc * 8 + 2);
    const jf = program.readUInt8(pc * 8 + 3);
    const k = program.readUInt32LE(pc * 8 + 4);
    if (code === 0x20) acc = data.readUInt32LE(k);
    else if (code === 0x06) return k;
    else if (code === 0x15) pc += acc === k ? jt : jf;
    else if (code === 0x35) pc += acc >= k ? jt : jf;
    else throw new Error(`unexpected instruction ${code.toString(16)}`);
    pc++;
  }
  throw new Error('fell off the end of the program');
}

describe('the sandbox’s seccomp filter', () => {
  const x64 = seccompProgram('x64')!;
  const arm64 = seccompProgram('arm64')!;

  it('lets ordinary calls through and refuses the denied ones with EPERM (x86_64)', () => {
    for (const nr of [0, 1, 2, 56, 57, 59, 61, 101, 435]) expect(run(x64, nr, 0xc000003e)).toBe(ALLOW); // read … clone3
    for (const nr of [250, 248, 321, 298, 323, 425, 426, 427, 246, 175, 313, 165, 166, 155, 308, 304]) {
      expect(run(x64, nr, 0xc000003e)).toBe(EPERM);
    }
  });

  it('refuses the x32 ABI and kills a process that switches to 32-bit x86', () => {
    expect(run(x64, 0x40000000 | 0, 0xc000003e)).toBe(EPERM);
    expect(run(x64, 3, 0x40000003)).toBe(KILL); // AUDIT_ARCH_I386
  });

  it('has its own numbers on arm64', () => {
    expect(run(arm64, 63, 0xc00000b7)).toBe(ALLOW); // read
    expect(run(arm64, 219, 0xc00000b7)).toBe(EPERM); // keyctl
    expect(run(arm64, 250, 0xc00000b7)).toBe(ALLOW); // x86_64's keyctl number is something else here
    expect(run(arm64, 219, 0xc000003e)).toBe(KILL);
  });

  it('names what it denies, and has no filter for an architecture without a table', () => {
    expect(DENIED_SYSCALLS).toEqual(expect.arrayContaining(['keyctl', 'bpf', 'io_uring_setup', 'mount', 'setns', 'open_by_handle_at']));
    expect(seccompProgram('ia32')).toBeNull();
  });
});
