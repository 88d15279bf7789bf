/**
 * Flood protection's counting: per person per room, the messages in a
 * sliding window. Pure and in memory (the clock comes in); the mute it leads
 * to is durable, the count need not be: after a restart a flood starts anew.
 */

export type FloodVerdict = "ok" | "warn" | "restrict";

export interface FloodLimits {
  messages: number;
  windowSeconds: number;
}

interface Track {
  times: number[];
  /** When the person was last warned; a further excess inside the window after it means restrict. */
  warnedAt: number | null;
}

/** Keeps the number of tracked people bounded if many write once and never again. */
const MAX_TRACKED = 50_000;

export class FloodLimiter {
  private readonly tracks = new Map<string, Track>();

  /**
   * Counts one message. The first message over the limit warns; another one
   * over the limit within a window after the warning restricts.
   */
  hit(roomId: string, userId: string, at: number, limits: FloodLimits): FloodVerdict {
    const windowMs = limits.windowSeconds * 1000;
    const key = `${roomId}\u0000${userId}`;
    const track = this.tracks.get(key) ?? { times: [], warnedAt: null };
    track.times = track.times.filter((t) => at - t < windowMs);
    track.times.push(at);
    if (track.warnedAt !== null && at - track.warnedAt >= windowMs) track.warnedAt = null;
    this.tracks.delete(key);
    this.tracks.set(key, track);
    this.prune();
    if (track.times.length <= limits.messages) return "ok";
    if (track.warnedAt === null) {
      track.warnedAt = at;
      return "warn";
    }
    // Restricted: start counting afresh, so the lifted mute is not followed by an instant second one.
    this.tracks.delete(key);
    return "restrict";
  }

  /** After a mute was imposed elsewhere (or lifted): forget the person's count in the room. */
  forget(roomId: string, userId: string): void {
    this.tracks.delete(`${roomId}\u0000${userId}`);
  }

  private prune(): void {
    while (this.tracks.size > MAX_TRACKED) {
      const oldest = this.tracks.keys().next().value;
      if (oldest === undefined) return;
      this.tracks.delete(oldest);
    }
  }
}
