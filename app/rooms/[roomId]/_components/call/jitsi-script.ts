/**
 * Loads `https://<domain>/external_api.js` (the Jitsi IFrame API) once per
 * page. `JitsiMeeting` from @jitsi/react-sdk finds the global this defines
 * and reuses it, so the script is requested only here - and here a failure
 * or a server that does not answer becomes a result within `timeoutMs`
 * (the SDK itself only logs it). A failed attempt is forgotten, so a retry
 * asks again.
 */

const MARKER = "data-jitsi-external-api";

let pending: { domain: string; promise: Promise<void> } | null = null;

function apiDefined(): boolean {
  return typeof (window as unknown as { JitsiMeetExternalAPI?: unknown }).JitsiMeetExternalAPI === "function";
}

export function jitsiScriptUrl(domain: string): string {
  return `https://${domain}/external_api.js`;
}

export function loadJitsiExternalApi(domain: string, timeoutMs: number): Promise<void> {
  if (apiDefined()) return Promise.resolve();
  if (pending?.domain === domain) return pending.promise;

  const promise = new Promise<void>((resolve, reject) => {
    for (const old of document.querySelectorAll(`script[${MARKER}]`)) old.remove();
    const script = document.createElement("script");
    script.src = jitsiScriptUrl(domain);
    script.async = true;
    script.setAttribute(MARKER, "");
    const timer = window.setTimeout(() => {
      // A late answer may still define the API; the next attempt then finds it.
      reject(new Error("the Jitsi IFrame API did not load in time"));
    }, timeoutMs);
    script.onload = () => {
      window.clearTimeout(timer);
      if (apiDefined()) resolve();
      else reject(new Error("external_api.js defined no JitsiMeetExternalAPI"));
    };
    script.onerror = () => {
      window.clearTimeout(timer);
      reject(new Error("the Jitsi IFrame API could not be loaded"));
    };
    document.head.appendChild(script);
  });
  pending = { domain, promise };
  promise.catch(() => {
    if (pending?.promise === promise) pending = null;
  });
  return promise;
}
