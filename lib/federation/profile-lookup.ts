import { z } from "zod";
import type { AppConfig } from "../config/load";
import { botUserId } from "../matrix/appservice-registration";
import { MatrixApiError, enc, matrixRequest } from "../matrix/client-api";

/**
 * A user's profile through our homeserver, which asks the user's own server
 * over federation. Null when that server says the user does not exist.
 */
export function profileLookup(cfg: Pick<AppConfig, "appservice" | "matrix">, fetchFn?: typeof fetch) {
  return async (userId: string): Promise<{ displayname?: string } | null> => {
    try {
      return await matrixRequest(
        {
          homeserverUrl: cfg.matrix.homeserverUrl,
          method: "GET",
          path: `/_matrix/client/v3/profile/${enc(userId)}`,
          accessToken: cfg.appservice.asToken,
          asUserId: botUserId(cfg),
          fetchFn,
          timeoutMs: 15_000,
        },
        z.looseObject({ displayname: z.string().max(256).optional() }),
      );
    } catch (err) {
      if (err instanceof MatrixApiError && err.status === 404) return null;
      throw err;
    }
  };
}
