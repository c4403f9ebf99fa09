// A seccomp filter for everything in the sandbox: the system calls an agent has no use for
// and that have been the way out of containers or into kernel bugs fail with EPERM — the
// kernel keyring, bpf, perf events, userfaultfd, io_uring, module and kexec loading, mounts,
// setns, file handles — and a process that switches to another syscall ABI (32-bit x86, x32)
// is killed, since the table below would not mean what it says there. Handed to bwrap as a
// compiled classic-BPF program (`--seccomp <fd>`); no libseccomp needed.

const AUDIT_ARCH = { x64: 0xc000003e, arm64: 0xc00000b7 } as const;

/** Denied calls by name, with their numbers per architecture (arch/x86/entry/syscalls/syscall_64.tbl, asm-generic/unistd.h). */
const DENIED: Record<string, { x64: number; arm64: number }> = {
  keyctl: { x64: 250, arm64: 219 },
  add_key: { x64: 248, arm64: 217 },
  request_key: { x64: 249, arm64: 218 },
  bpf: { x64: 321, arm64: 280 },
  perf_event_open: { x64: 298, arm64: 241 },
  userfaultfd: { x64: 323, arm64: 282 },
  io_uring_setup: { x64: 425, arm64: 425 },
  io_uring_enter: { x64: 426, arm64: 426 },
  io_uring_register: { x64: 427, arm64: 427 },
  kexec_load: { x64: 246, arm64: 104 },
  kexec_file_load: { x64: 320, arm64: 294 },
  init_module: { x64: 175, arm64: 105 },
  finit_module: { x64: 313, arm64: 273 },
  delete_module: { x64: 176, arm64: 106 },
  mount: { x64: 165, arm64: 40 },
  umount2: { x64: 166, arm64: 39 },
  pivot_root: { x64: 155, arm64: 41 },
  open_tree: { x64: 428, arm64: 428 },
  move_mount: { x64: 429, arm64: 429 },
  fsopen: { x64: 430, arm64: 430 },
  fsconfig: { x64: 431, arm64: 431 },
  fsmount: { x64: 432, arm64: 432 },
  fspick: { x64: 433, arm64: 433 },
  mount_setattr: { x64: 442, arm64: 442 },
  swapon: { x64: 167, arm64: 224 },
  swapoff: { x64: 168, arm64: 225 },
  reboot: { x64: 169, arm64: 142 },
  setns: { x64: 308, arm64: 268 },
  name_to_handle_at: { x64: 303, arm64: 264 },
  open_by_handle_at: { x64: 304, arm64: 265 },
  acct: { x64: 163, arm64: 89 },
  settimeofday: { x64: 164, arm64: 170 },
  clock_settime: { x64: 227, arm64: 112 },
  adjtimex: { x64: 159, arm64: 171 },
  quotactl: { x64: 179, arm64: 60 },
  vhangup: { x64: 153, arm64: 58 },
  lookup_dcookie: { x64: 212, arm64: 18 },
};

export const DENIED_SYSCALLS = Object.keys(DENIED);

const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;
const RET_KILL_PROCESS = 0x80000000;
const RET_ALLOW = 0x7fff0000;
const RET_EPERM = 0x00050000 | 1;
/** x32 system calls on x86_64 carry this bit. */
const X32_BIT = 0x40000000;

/** The compiled filter for this machine's architecture, or null where there is no table for it. */
export function seccompProgram(arch: string = process.arch): Buffer | null {
  if (arch !== 'x64' && arch !== 'arm64') return null;
  const numbers = Object.values(DENIED).map((n) => n[arch]);
  const program: [number, number, number, number][] = [];
  program.push([LD_W_ABS, 0, 0, 4]); // seccomp_data.arch
  program.push([JEQ_K, 1, 0, AUDIT_ARCH[arch]]);
  program.push([RET_K, 0, 0, RET_KILL_PROCESS]);
  program.push([LD_W_ABS, 0, 0, 0]); // seccomp_data.nr
  const checks: number[] = arch === 'x64' ? [-1, ...numbers] : numbers;
  const denyAt = program.length + checks.length + 1;
  for (const nr of checks) {
    const jump = denyAt - (program.length + 1);
    program.push(nr === -1 ? [JGE_K, jump, 0, X32_BIT] : [JEQ_K, jump, 0, nr]);
  }
  program.push([RET_K, 0, 0, RET_ALLOW]);
  program.push([RET_K, 0, 0, RET_EPERM]);
  const buffer = Buffer.alloc(program.length * 8);
  program.forEach(([code, jt, jf, k], i) => {
    if (jt > 255 || jf > 255) throw new Error('seccomp program too long for its jumps');
    buffer.writeUInt16LE(code, i * 8);
    buffer.writeUInt8(jt, i * 8 + 2);
    buffer.writeUInt8(jf, i * 8 + 3);
    buffer.writeUInt32LE(k >>> 0, i * 8 + 4);
  });
  return buffer;
}
