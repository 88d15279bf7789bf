"use client";

import { useEffect } from "react";

/** Polls the guest's status while waiting for admission and reloads once the room is ready. */
export function GuestWaiting({ intervalMs = 3_000 }: { intervalMs?: number }) {
  useEffect(() => {
    const timer = setInterval(async () => {
      const res = await fetch("/api/guest/status", { cache: "no-store" }).catch(() => null);
      if (!res) return;
      const body = (await res.json().catch(() => ({}))) as { status?: string; ready?: boolean };
      if (res.status === 401 || body.status !== "waiting") window.location.reload();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return null;
}
