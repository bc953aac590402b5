/** Whose check it is: a known agent's (their token or address was valid before) or a stranger's. */
export type Priority = 'agent' | 'unseen';

/**
 * The IAM calls in flight, agents first: at most `maxConcurrent` calls, of which unseen tokens may
 * hold all but `reservedForAgents`; agents' checks waiting are served before unseen ones, and at
 * most `maxWaitingUnseen` unseen checks wait (one more is refused after `shedDelayMs`, without a
 * call). A check that waits longer than `waitMs` is refused too.
 */
export class IamCheckGate {
  private checking = 0;
  private checkingUnseen = 0;
  private readonly waiting: Record<Priority, Set<() => void>> = { agent: new Set(), unseen: new Set() };
  private readonly maxUnseen: number;

  constructor(
    private readonly limits: {
      maxConcurrent: number;
      reservedForAgents: number;
      maxWaitingUnseen: number;
      shedDelayMs: number;
      waitMs: number;
    },
    /** The error a refused check rejects with, given why. */
    private readonly refuse: (reason: string) => Error,
  ) {
    const reserved = Math.min(limits.reservedForAgents, limits.maxConcurrent - 1);
    this.maxUnseen = limits.maxConcurrent - Math.max(0, reserved);
  }

  /** Waits for one of the IAM calls (agents' checks first); resolves with its release. */
  turn(priority: Priority): Promise<() => void> {
    const unseen = priority === 'unseen';
    const mayStart = () =>
      this.checking < this.limits.maxConcurrent && (!unseen || this.checkingUnseen < this.maxUnseen);
    const start = () => {
      this.checking += 1;
      if (unseen) this.checkingUnseen += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        this.checking -= 1;
        if (unseen) this.checkingUnseen -= 1;
        this.wakeNext();
      };
    };
    if (mayStart() && (unseen ? this.waiting.agent.size === 0 : true)) return Promise.resolve(start());
    const queue = this.waiting[priority];
    if (unseen && queue.size >= this.limits.maxWaitingUnseen) {
      // Refused without IAM, after a pause: a sender that waits for its answer sends less, and a
      // pending timer costs far less than serving its next request.
      return new Promise((_resolve, reject) => {
        setTimeout(
          () => reject(this.refuse('too many unknown tokens are waiting to be checked')),
          this.limits.shedDelayMs,
        );
      });
    }
    return new Promise((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(start());
      };
      const timer = setTimeout(() => {
        queue.delete(wake);
        reject(this.refuse('too many tokens are being checked at once'));
      }, this.limits.waitMs);
      queue.add(wake);
    });
  }

  /** Passes free IAM calls to the oldest waiting agents' checks, then to unseen tokens' within their share. */
  private wakeNext(): void {
    while (this.checking < this.limits.maxConcurrent) {
      const agent = this.waiting.agent.values().next().value;
      if (agent) {
        this.waiting.agent.delete(agent);
        agent();
        continue;
      }
      if (this.checkingUnseen >= this.maxUnseen) return;
      const unseen = this.waiting.unseen.values().next().value;
      if (!unseen) return;
      this.waiting.unseen.delete(unseen);
      unseen();
    }
  }
}
