"use client";

import { JitsiMeeting } from "@jitsi/react-sdk";
import type { MeetingOptions } from "./meeting-options";

/** The part of the IFrame API object the panel uses. */
export interface JitsiApi {
  on(event: string, listener: (payload: unknown) => void): unknown;
  executeCommand(command: string, ...args: unknown[]): void;
  dispose(): void;
  getIFrame?(): HTMLIFrameElement | undefined;
}

export interface JitsiFrameProps {
  domain: string;
  roomName: string;
  jwt?: string;
  options: MeetingOptions;
  onApi: (api: JitsiApi) => void;
}

/**
 * The conference itself, through @jitsi/react-sdk. Client-only: the SDK
 * touches window and document when it mounts, so the panel loads this
 * module with next/dynamic and `ssr: false`.
 */
export default function JitsiFrame({ domain, roomName, jwt, options, onApi }: JitsiFrameProps) {
  return (
    <JitsiMeeting
      domain={domain}
      roomName={roomName}
      jwt={jwt}
      configOverwrite={options.configOverwrite}
      interfaceConfigOverwrite={options.interfaceConfigOverwrite}
      userInfo={options.userInfo}
      lang={options.lang}
      onApiReady={(api) => onApi(api as unknown as JitsiApi)}
      getIFrameRef={(parent) => {
        // Set through the CSSOM, which the portal's CSP allows (style attributes in markup it does not).
        parent.style.height = "100%";
        parent.style.width = "100%";
      }}
    />
  );
}
