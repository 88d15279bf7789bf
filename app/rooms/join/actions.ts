"use server";

import { redirect } from "next/navigation";
import { matrixCredentials } from "@/lib/auth/matrix-session";
import { isAppError } from "@/lib/errors";
import { isRoomId } from "@/lib/matrix/room-id";
import { createDirectorySpaceHomeserver } from "@/lib/matrix/directory-space-client";
import { redirectActionCaller } from "@/lib/portal/action-edge";
import { portalRuntime } from "@/lib/portal/runtime";
import { joinOpenRoom } from "@/lib/rooms/open-rooms";

/** Thin edge: the person joins with their own Matrix session; the homeserver's answer decides. */
export async function joinOpenRoomAction(form: FormData): Promise<void> {
  const { db, config, log } = portalRuntime();
  const signedIn = await redirectActionCaller("/?beitritt=herkunft");
  const roomId = form.get("roomId");
  const matrix = matrixCredentials(signedIn);
  if (typeof roomId !== "string" || !isRoomId(roomId)) redirect("/?beitritt=unbekannt");
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
