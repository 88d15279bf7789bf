/**
 * Message retention from the retention policy, in the two places Synapse
 * reads it: the server-wide `retention:` block of homeserver.yaml (read at
 * start) and `m.room.retention` in each managed room (set by the cleanup
 * bot at once). Expired messages are hidden at once and purged by Synapse's
 * purge job; the last event and the room state are never purged.
 */

const DAY_MS = 86_400_000;

/** The homeserver.yaml block, or nothing when the policy keeps messages as long as the room. */
export function synapseRetentionConfig(messageRetentionDays: number | null | undefined): Record<string, unknown> {
  if (!messageRetentionDays) return {};
  return {
    retention: {
      enabled: true,
      default_policy: { max_lifetime: `${messageRetentionDays}d` },
      // A room cannot keep messages longer than the policy; shorter is allowed.
      allowed_lifetime_min: "1d",
      allowed_lifetime_max: `${messageRetentionDays}d`,
      purge_jobs: [{ interval: "12h" }],
    },
  };
}

/** The content of `m.room.retention` for managed rooms (MSC1763, as Synapse implements it). */
export function roomRetentionContent(messageRetentionDays: number): { max_lifetime: number } {
  return { max_lifetime: messageRetentionDays * DAY_MS };
}
