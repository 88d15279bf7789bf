"use client";

import { createContext, useContext, useMemo, type ReactNode } from "react";
import { withOrganisation, type PartnerDirectory } from "@/lib/federation/partner-labels";

/**
 * Partner organisations by server, for the chat: sender names and the member
 * list show partner users as "Name (Organisation)". Without a provider names
 * stay as they are (guest pages, rooms of a city without partners).
 */
const Ctx = createContext<{ directory: PartnerDirectory; ownServerName: string } | null>(null);

export function PartnerDirectoryProvider({
  directory,
  ownServerName,
  children,
}: {
  directory: PartnerDirectory;
  ownServerName: string;
  children: ReactNode;
}) {
  const value = useMemo(() => ({ directory, ownServerName }), [directory, ownServerName]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

/** `(name, userId) => label` with the organisation of partner users. */
export function usePartnerLabel(): (name: string, userId: string) => string {
  const value = useContext(Ctx);
  // Stable between renders, so the timeline is not rebuilt for nothing.
  return useMemo(
    () => (value ? (name: string, userId: string) => withOrganisation(name, userId, value.directory, value.ownServerName) : (name: string) => name),
    [value],
  );
}
