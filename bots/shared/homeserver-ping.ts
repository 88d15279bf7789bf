import crypto from "node:crypto";
import type { AppConfig } from "../../lib/config/load";
import type { Logger } from "../../lib/log";
import { enc, matrixRequest } from "../../lib/matrix/client-api";
import { z } from "zod";

/**
 * Asks the homeserver to ping the bots (`POST /appservice/{id}/ping`). Besides
 * proving both directions work, a successful ping makes Synapse retry the
 * transactions it queued while the bots were down at once, instead of after
 * its backoff (which grows to minutes).
 */
export async function pingFromHomeserver(config: Pick<AppConfig, "appservice" | "matrix">, logger: Logger): Promise<boolean> {
  try {
    await matrixRequest(
      {
        homeserverUrl: config.matrix.homeserverUrl,
        method: "POST",
        path: `/_matrix/client/v1/appservice/${enc(config.appservice.id)}/ping`,
        accessToken: config.appservice.asToken,
        body: { transaction_id: `stadtfunk-start-${crypto.randomUUID()}` },
      },
      z.looseObject({}),
    );
    return true;
  } catch (err) {
    logger.warn({ err: (err as Error).message }, "homeserver could not reach the bots");
    return false;
  }
}
