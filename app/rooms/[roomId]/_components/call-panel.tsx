"use client";

export interface CallPanelProps {
  roomId: string;
  conferenceId: string;
  jitsiDomain: string;
  authMode: "matrix" | "jwt" | "none";
  displayName: string;
  isModerator: boolean;
}

/** The room's Jitsi call. */
export function CallPanel({ conferenceId }: CallPanelProps) {
  return <section aria-label="Videokonferenz" data-conference-id={conferenceId} />;
}
