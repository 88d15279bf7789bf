import crypto from "node:crypto";
import type { AppConfig } from "../../lib/config/load";
import type { Logger } from "../../lib/log";

/**
 * Asks the homeserver to ping the bots (`POST /appservice/{id}/ping`). Besides
 * proving both directions work, a successful ping makes Synapse retry the
 * transactions it queued while the bots were down at once, instead of after
 * its backoff (which grows to minutes).
 */
export async function pingFromHomeserver(config: Pick<AppConfig, "appservice" | "matrix">, logger: Logger): Promise<boolean> {
  const url = `${config.matrix.homeserverUrl}/_matrix/client/v1/appservice/${encodeURIComponent(config.appservice.id)}/ping`;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { Authorization: `Bearer ${config.appservice.asToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ transaction_id: `stadtfunk-start-${crypto.randomUUID()}` }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) logger.warn({ status: res.status }, "homeserver could not reach the bots");
    return res.ok;
  } catch (err) {
    logger.warn({ err: (err as Error).message }, "homeserver ping failed");
    return false;
  }
}
