// Human course corrections on their way to a running agent. The workflow records each
// intervention; the activity pushes its message here; the adapter takes it when (and
// if) its CLI can hear it. What is still queued when the run ends was not delivered.

export interface InterventionInbox {
  push(message: string): void;
  /** The next message, waiting for one if none is queued. An aborted wait takes nothing. */
  next(signal?: AbortSignal): Promise<string>;
  /** Takes every queued message at once. */
  drain(): string[];
  readonly size: number;
}

export function createInterventionInbox(): InterventionInbox {
  const queue: string[] = [];
  const waiters: Array<(message: string) => void> = [];

  return {
    push(message) {
      const waiter = waiters.shift();
      if (waiter) waiter(message);
      else queue.push(message);
    },

    next(signal) {
      const queued = queue.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          const index = waiters.indexOf(take);
          if (index >= 0) waiters.splice(index, 1);
          reject(signal?.reason);
        };
        const take = (message: string) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(message);
        };
        waiters.push(take);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },

    drain() {
      return queue.splice(0, queue.length);
    },

    get size() {
      return queue.length;
    },
  };
}
