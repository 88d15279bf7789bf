"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { currentSession } from "@/lib/auth/current-session";
import { matrixCredentials } from "@/lib/auth/matrix-session";
import { isAppError } from "@/lib/errors";
import { createDirectorySpaceHomeserver } from "@/lib/matrix/directory-space-client";
import { portalRuntime } from "@/lib/portal/runtime";
import { joinOpenRoom } from "@/lib/rooms/open-rooms";
import { isSameOriginRequest } from "@/lib/security/same-origin";

/** Thin edge: the person joins with their own Matrix session; the homeserver's answer decides. */
export async function joinOpenRoomAction(form: FormData): Promise<void> {
  const { db, config, log } = portalRuntime();
  const signedIn = await currentSession();
  if (!signedIn) redirect("/");
  if (!isSameOriginRequest(await headers(), config.portal.url)) redirect("/?beitritt=herkunft");
  const roomId = form.get("roomId");
  const matrix = matrixCredentials(signedIn);
  if (typeof roomId !== "string" || !roomId.startsWith("!")) redirect("/?beitritt=unbekannt");
  if (!matrix) redirect("/matrix/connect");
  try {
    await joinOpenRoom({ db, homeserver: createDirectorySpaceHomeserver(config) }, matrix, roomId);
  } catch (err) {
    if (isAppError(err)) {
      log.info({ personId: signedIn.person.id, roomId, code: err.code }, "join refused");
      redirect(`/?beitritt=${encodeURIComponent(err.code)}`);
    }
    const errorId = crypto.randomUUID();
    log.error({ errorId, roomId, err }, "join failed");
    redirect(`/?beitritt=fehler`);
  }
  log.info({ personId: signedIn.person.id, roomId }, "joined open room");
  redirect(`/rooms/${encodeURIComponent(roomId)}`);
}
