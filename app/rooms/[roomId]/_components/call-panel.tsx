"use client";

import dynamic from "next/dynamic";
import { Component, useCallback, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { CallAccessError, fetchCallCredential, type CallCredential } from "./call/conference-client";
import type { JitsiApi } from "./call/jitsi-frame";
import { loadJitsiExternalApi } from "./call/jitsi-script";
import { meetingOptions, type MeetingOptions } from "./call/meeting-options";
import { callMessages, type CallLocale } from "./call/messages";

/** @jitsi/react-sdk needs window and document: client-only, never rendered on the server. */
const JitsiFrame = dynamic(() => import("./call/jitsi-frame"), { ssr: false });

export interface CallPanelProps {
  roomId: string;
  jitsiDomain: string;
  authMode: "matrix" | "jwt" | "none";
  displayName: string;
  isModerator: boolean;
  /** Shown as the conference's subject. */
  roomName?: string;
  locale?: CallLocale;
}

/** How long Jitsi gets to deliver its IFrame API, and then to answer from its frame. */
export const JITSI_ANSWER_TIMEOUT_MS = 8_000;

/** Never renew a credential more often than this, whatever it says about its lifetime. */
const MIN_REFRESH_DELAY_MS = 60_000;

/** Any of these means the Jitsi app in the frame is running (the prejoin page comes before joining). */
const ANSWER_EVENTS = ["ready", "browserSupport", "prejoinScreenLoaded", "videoConferenceJoined"] as const;

type Phase =
  | "idle"
  | "preparing"
  | "loading"
  | "ready"
  | "joined"
  | "left"
  | "unreachable"
  | "forbidden"
  | "failed";

interface CallSession {
  credential: CallCredential;
  options: MeetingOptions;
  /** A new key mounts a new frame (a fresh credential, a retry). */
  key: number;
}

/** Keeps a failing conference frame from taking the room page (and its chat) down with it. */
class FrameBoundary extends Component<{ onError: () => void; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  componentDidCatch() {
    this.props.onError();
  }
  render() {
    return this.state.failed ? null : this.props.children;
  }
}

const buttonClass =
  "rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-900 disabled:opacity-60";
const secondaryButtonClass =
  "rounded-md border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-100";

/**
 * The room's Jitsi call. Opening it fetches the credential the configured
 * access mode needs (lib/jitsi/conference-access) and shows Jitsi's prejoin
 * page with camera and microphone off. If Jitsi cannot be reached - its
 * IFrame API does not load, or its frame does not answer within seconds -
 * the panel says so and the rest of the page keeps working.
 */
export function CallPanel({
  roomId,
  jitsiDomain,
  authMode,
  displayName,
  isModerator,
  roomName,
  locale = "de",
}: CallPanelProps) {
  const t = callMessages[locale];
  const headingId = useId();
  const audioOnlyId = useId();
  const sectionRef = useRef<HTMLElement>(null);
  const apiRef = useRef<JitsiApi | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const audioOnlyRef = useRef(false);

  const [phase, setPhase] = useState<Phase>("idle");
  const [scriptFailed, setScriptFailed] = useState(false);
  const [session, setSession] = useState<CallSession | null>(null);
  const [message, setMessage] = useState<string | undefined>();
  const [audioOnly, setAudioOnly] = useState(false);
  const [enlarged, setEnlarged] = useState(false);
  const [isFullscreen, setIsFullscreen] = useState(false);
  const [canFullscreen, setCanFullscreen] = useState(false);

  const disposeApi = useCallback(() => {
    const api = apiRef.current;
    apiRef.current = null;
    try {
      api?.dispose();
    } catch {
      // The frame is gone either way.
    }
  }, []);

  // Ask for the IFrame API as soon as the page shows, so an unreachable Jitsi is reported before anyone clicks.
  useEffect(() => {
    let live = true;
    loadJitsiExternalApi(jitsiDomain, JITSI_ANSWER_TIMEOUT_MS).then(
      () => live && setScriptFailed(false),
      () => live && setScriptFailed(true),
    );
    return () => {
      live = false;
    };
  }, [jitsiDomain]);

  useEffect(() => {
    setCanFullscreen(typeof document !== "undefined" && document.fullscreenEnabled === true);
    const onChange = () => setIsFullscreen(document.fullscreenElement != null && document.fullscreenElement === sectionRef.current);
    document.addEventListener("fullscreenchange", onChange);
    return () => document.removeEventListener("fullscreenchange", onChange);
  }, []);

  // Leaving the page ends the call and any request still running.
  useEffect(
    () => () => {
      abortRef.current?.abort();
      disposeApi();
    },
    [disposeApi],
  );

  const open = useCallback(async () => {
    abortRef.current?.abort();
    const ac = new AbortController();
    abortRef.current = ac;
    setMessage(undefined);
    setPhase("preparing");
    try {
      await loadJitsiExternalApi(jitsiDomain, JITSI_ANSWER_TIMEOUT_MS);
    } catch {
      if (ac.signal.aborted) return;
      disposeApi();
      setSession(null);
      setScriptFailed(true);
      setPhase("unreachable");
      return;
    }
    setScriptFailed(false);
    try {
      const credential = await fetchCallCredential({ roomId, displayName, signal: ac.signal });
      if (ac.signal.aborted) return;
      disposeApi();
      const options = meetingOptions({ displayName, isModerator, audioOnly: audioOnlyRef.current, locale, roomName });
      setSession((prev) => ({ credential, options, key: (prev?.key ?? 0) + 1 }));
      setPhase("loading");
    } catch (err) {
      if (ac.signal.aborted) return;
      disposeApi();
      setSession(null);
      if (err instanceof CallAccessError) {
        if (err.problem === "forbidden") {
          setMessage(err.userMessage ?? t.forbidden);
          setPhase("forbidden");
          return;
        }
        const known =
          err.problem === "signed-out" ? t.signedOut : err.problem === "no-matrix-session" ? t.noMatrixSession : undefined;
        setMessage(known ?? err.userMessage);
      }
      setPhase("failed");
    }
  }, [disposeApi, displayName, isModerator, jitsiDomain, locale, roomId, roomName, t]);

  // No answer from the frame in time: Jitsi is unreachable (or hangs).
  useEffect(() => {
    if (phase !== "loading") return;
    const timer = window.setTimeout(() => {
      disposeApi();
      setSession(null);
      setPhase("unreachable");
    }, JITSI_ANSWER_TIMEOUT_MS);
    return () => window.clearTimeout(timer);
  }, [phase, disposeApi]);

  // A credential that runs out while the person still waits on the prejoin page is replaced.
  useEffect(() => {
    const refreshAt = session?.credential.refreshAt;
    if ((phase !== "loading" && phase !== "ready") || refreshAt === undefined) return;
    const timer = window.setTimeout(() => void open(), Math.max(MIN_REFRESH_DELAY_MS, refreshAt - Date.now()));
    return () => window.clearTimeout(timer);
  }, [phase, session, open]);

  const onApi = useCallback(
    (api: JitsiApi) => {
      apiRef.current = api;
      const frame = api.getIFrame?.();
      if (frame) frame.title = t.frameTitle;
      const answered = () => setPhase((p) => (p === "loading" ? "ready" : p));
      for (const event of ANSWER_EVENTS) api.on(event, answered);
      api.on("videoConferenceJoined", () => {
        setPhase("joined");
        // userInfo can arrive HTML-encoded in Jitsi; the command sets the name as it is.
        api.executeCommand("displayName", displayName);
        // The checkbox may have changed on the prejoin page.
        api.executeCommand("setAudioOnly", audioOnlyRef.current);
      });
      api.on("readyToClose", () => {
        disposeApi();
        setSession(null);
        setPhase("left");
      });
    },
    [disposeApi, displayName, t.frameTitle],
  );

  const onAudioOnly = (value: boolean) => {
    audioOnlyRef.current = value;
    setAudioOnly(value);
    if (phase === "joined" || phase === "ready") apiRef.current?.executeCommand("setAudioOnly", value);
  };

  const toggleFullscreen = () => {
    if (isFullscreen) void document.exitFullscreen().catch(() => {});
    else void sectionRef.current?.requestFullscreen().catch(() => {});
  };

  const frameShown = session !== null && (phase === "loading" || phase === "ready" || phase === "joined");
  const unreachable = phase === "unreachable" || (scriptFailed && (phase === "idle" || phase === "left"));
  const state = unreachable ? "unreachable" : phase;
  // Beside the chat the frame fills the row; enlarged it takes most of the screen.
  const frameHeight = isFullscreen ? "min-h-0 flex-1" : enlarged ? "h-[75vh]" : "h-[28rem] lg:h-auto lg:min-h-[28rem] lg:flex-1";

  const audioOnlyToggle = (
    <label htmlFor={audioOnlyId} className="flex items-center gap-2 text-sm text-slate-800">
      <input id={audioOnlyId} type="checkbox" checked={audioOnly} onChange={(e) => onAudioOnly(e.target.checked)} />
      {t.audioOnly}
    </label>
  );

  return (
    <section
      ref={sectionRef}
      aria-labelledby={headingId}
      data-call-state={state}
      data-auth-mode={authMode}
      className={`flex min-w-0 flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 ${
        enlarged ? "lg:col-span-2" : ""
      } ${isFullscreen ? "h-screen" : ""}`}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={headingId} className="text-lg font-semibold text-brand-900">
          {t.heading}
        </h2>
        {frameShown && (
          <div className="flex flex-wrap items-center gap-2">
            {audioOnlyToggle}
            {!isFullscreen && (
              <button type="button" className={secondaryButtonClass} aria-pressed={enlarged} onClick={() => setEnlarged((v) => !v)}>
                {enlarged ? t.shrink : t.enlarge}
              </button>
            )}
            {canFullscreen && (
              <button type="button" className={secondaryButtonClass} aria-pressed={isFullscreen} onClick={toggleFullscreen}>
                {isFullscreen ? t.exitFullscreen : t.fullscreen}
              </button>
            )}
          </div>
        )}
      </div>

      {unreachable && (
        <div role="alert" className="flex flex-col items-start gap-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
          <p>{t.unreachable}</p>
          <button type="button" className={secondaryButtonClass} onClick={() => void open()}>
            {t.retry}
          </button>
        </div>
      )}

      {(phase === "forbidden" || phase === "failed") && (
        <div role="alert" className="flex flex-col items-start gap-3 rounded-md border border-red-300 bg-red-50 p-3 text-red-900">
          <p>{message ?? (phase === "forbidden" ? t.forbidden : t.failed)}</p>
          {phase === "failed" && (
            <button type="button" className={secondaryButtonClass} onClick={() => void open()}>
              {t.retry}
            </button>
          )}
        </div>
      )}

      {!unreachable && (phase === "idle" || phase === "left") && (
        <div className="flex flex-col items-start gap-3">
          {phase === "left" && (
            <p role="status" className="text-slate-800">
              {t.left}
            </p>
          )}
          <p className="text-slate-700">{t.intro}</p>
          {isModerator && <p className="text-sm text-slate-700">{t.moderator}</p>}
          {audioOnlyToggle}
          <button type="button" className={buttonClass} onClick={() => void open()}>
            {phase === "left" ? t.rejoin : t.join}
          </button>
        </div>
      )}

      {phase === "preparing" && (
        <p role="status" className="text-slate-700">
          {t.preparing}
        </p>
      )}

      {frameShown && session && (
        <div className={`relative w-full overflow-hidden rounded-md bg-slate-900 ${frameHeight}`}>
          {phase === "loading" && (
            <p role="status" className="absolute inset-x-0 top-4 text-center text-white">
              {t.loading}
            </p>
          )}
          <FrameBoundary
            key={session.key}
            onError={() => {
              disposeApi();
              setSession(null);
              setPhase("failed");
            }}
          >
            <JitsiFrame
              domain={session.credential.domain}
              roomName={session.credential.conferenceId}
              jwt={session.credential.jwt}
              options={session.options}
              onApi={onApi}
            />
          </FrameBoundary>
        </div>
      )}
    </section>
  );
}
