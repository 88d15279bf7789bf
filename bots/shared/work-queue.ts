/**
 * Runs handler work one task at a time per room (in arrival order, like the
 * homeserver delivers it) and lets the transaction store wait until the
 * work of a transaction is done before it is acknowledged.
 */

export type Task = () => Promise<void>;

/** Hands a task to the queue; handlers call it instead of running work detached. */
export type Schedule = (roomId: string, task: Task) => void;

export class RoomWorkQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly tracked = new Set<Promise<void>>();

  /** `onError` sees what a task threw; a failed task never stops the room's queue. */
  constructor(private readonly onError: (err: unknown, roomId: string) => void) {}

  /**
   * Queues `task` behind the room's earlier tasks. Tracked tasks (event
   * handling) hold back the transaction's acknowledgement; untracked ones
   * (the start-up sweep) only keep the room's order.
   */
  run(roomId: string, task: Task, opts: { tracked?: boolean } = {}): Promise<void> {
    const previous = this.tails.get(roomId) ?? Promise.resolve();
    const current = previous.then(task).catch((err: unknown) => this.onError(err, roomId));
    this.tails.set(roomId, current);
    const tracked = opts.tracked ?? true;
    if (tracked) this.tracked.add(current);
    void current.finally(() => {
      this.tracked.delete(current);
      if (this.tails.get(roomId) === current) this.tails.delete(roomId);
    });
    return current;
  }

  /** Rooms with work queued or running right now (for the admins' `!status`). */
  get activeRooms(): number {
    return this.tails.size;
  }

  /** Resolves once every tracked task queued so far has finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.tracked]);
  }

  readonly schedule: Schedule = (roomId, task) => {
    void this.run(roomId, task);
  };
}
