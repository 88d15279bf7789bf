"use client";

import { useEffect } from "react";
import { shouldReload } from "@/lib/guests/guest-waiting";

/**
 * Polls the guest's status and reloads the page when there is something new
 * to show: the room once the guest has joined, or the refusal. Used on the
 * waiting page and on a room page whose set-up is not complete yet.
 */
export function GuestWaiting({ intervalMs = 2_000 }: { intervalMs?: number }) {
  useEffect(() => {
    let notReady = 0;
    const timer = setInterval(async () => {
      const res = await fetch("/api/guest/status", { cache: "no-store" }).catch(() => null);
      if (!res) return;
      const body = (await res.json().catch(() => ({}))) as { status?: string; ready?: boolean };
      if (res.status === 200 && body.status === "admitted" && !body.ready) notReady++;
      if (shouldReload({ httpStatus: res.status, ...body }, notReady)) {
        clearInterval(timer);
        window.location.reload();
      }
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return null;
}
