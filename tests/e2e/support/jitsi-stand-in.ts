import { execFileSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import type { Duplex } from "node:stream";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../../scripts/stack/ports";

/**
 * A stand-in for a Jitsi server, since none can run on these machines: it
 * serves over local HTTPS (a throwaway self-signed certificate) an
 * `/external_api.js` whose `JitsiMeetExternalAPI` records what the portal
 * passes it in `window.__jitsiCalls` and creates an iframe to the
 * conference page here, which answers with the events the real app sends
 * (`ready`, `prejoinScreenLoaded`) - unless told to stay silent.
 */

export interface RecordedJitsiCall {
  domain: string;
  roomName: string;
  jwt?: string;
  configOverwrite?: Record<string, unknown>;
  interfaceConfigOverwrite?: Record<string, unknown>;
  userInfo?: { displayName?: string; email?: string };
  lang?: string;
}

export interface JitsiStandIn {
  port: number;
  /** What JITSI_DOMAIN must be: `127.0.0.1:<port>`. */
  domain: string;
  origin: string;
  /** Chromium trusts exactly this certificate's key (base64 SHA-256 of its SPKI). */
  chromiumArgs: string[];
  /** Paths requested so far, e.g. `/external_api.js`. */
  requests: string[];
  /** `answer`: the conference page reports ready; `silent`: it accepts the request and never responds. */
  setConferencePage(mode: "answer" | "silent"): void;
  stop(): Promise<void>;
}

const EXTERNAL_API_JS = String.raw`(function () {
  "use strict";
  function JitsiMeetExternalAPI(domain, options) {
    options = options || {};
    var calls = (window.__jitsiCalls = window.__jitsiCalls || []);
    calls.push(JSON.parse(JSON.stringify({
      domain: domain,
      roomName: options.roomName,
      jwt: options.jwt,
      configOverwrite: options.configOverwrite,
      interfaceConfigOverwrite: options.interfaceConfigOverwrite,
      userInfo: options.userInfo,
      lang: options.lang
    })));
    this._listeners = {};
    this._origin = "https://" + domain;
    var frame = document.createElement("iframe");
    frame.src = this._origin + "/" + encodeURIComponent(options.roomName || "") + (options.jwt ? "?jwt=" + encodeURIComponent(options.jwt) : "");
    frame.allow = "camera; microphone; display-capture; autoplay; clipboard-write";
    frame.allowFullscreen = true;
    frame.style.border = "0";
    frame.style.width = "100%";
    frame.style.height = "100%";
    (options.parentNode || document.body).appendChild(frame);
    this._frame = frame;
    var self = this;
    this._onMessage = function (e) {
      if (e.source !== frame.contentWindow || e.origin !== self._origin) return;
      var data = e.data || {};
      if (typeof data.standInEvent === "string") self._emit(data.standInEvent, data.payload || {});
    };
    window.addEventListener("message", this._onMessage);
  }
  JitsiMeetExternalAPI.prototype.on = function (event, listener) {
    (this._listeners[event] = this._listeners[event] || []).push(listener);
    return this;
  };
  JitsiMeetExternalAPI.prototype.addListener = JitsiMeetExternalAPI.prototype.on;
  JitsiMeetExternalAPI.prototype.addEventListener = JitsiMeetExternalAPI.prototype.on;
  JitsiMeetExternalAPI.prototype.off = function (event, listener) {
    this._listeners[event] = (this._listeners[event] || []).filter(function (l) { return l !== listener; });
    return this;
  };
  JitsiMeetExternalAPI.prototype.removeListener = JitsiMeetExternalAPI.prototype.off;
  JitsiMeetExternalAPI.prototype._emit = function (event, payload) {
    (window.__jitsiEvents = window.__jitsiEvents || []).push(event);
    (this._listeners[event] || []).slice().forEach(function (l) { l(payload); });
  };
  JitsiMeetExternalAPI.prototype.executeCommand = function (name) {
    (window.__jitsiCommands = window.__jitsiCommands || []).push({ name: name, args: Array.prototype.slice.call(arguments, 1) });
  };
  JitsiMeetExternalAPI.prototype.getIFrame = function () { return this._frame; };
  JitsiMeetExternalAPI.prototype.dispose = function () {
    window.removeEventListener("message", this._onMessage);
    if (this._frame && this._frame.parentNode) this._frame.parentNode.removeChild(this._frame);
    this._listeners = {};
  };
  window.JitsiMeetExternalAPI = JitsiMeetExternalAPI;
})();
`;

const CONFERENCE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Jitsi stand-in</title></head>
<body><p>Jitsi stand-in</p>
<script>
  parent.postMessage({ standInEvent: "ready" }, "*");
  parent.postMessage({ standInEvent: "prejoinScreenLoaded", payload: {} }, "*");
</script></body></html>`;

function selfSignedCertificate(dir: string): { key: Buffer; cert: Buffer } {
  const keyFile = path.join(dir, "key.pem");
  const certFile = path.join(dir, "cert.pem");
  execFileSync(
    "openssl",
    [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", keyFile, "-out", certFile, "-days", "2", "-subj", "/CN=127.0.0.1",
      "-addext", "subjectAltName=IP:127.0.0.1",
    ],
    { stdio: "ignore" },
  );
  return { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) };
}

/** The value Chromium's --ignore-certificate-errors-spki-list expects for this certificate. */
function spkiHash(certPem: Buffer): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

export async function startJitsiStandIn(): Promise<JitsiStandIn> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stadtfunk-jitsi-"));
  const { key, cert } = selfSignedCertificate(dir);
  fs.rmSync(dir, { recursive: true, force: true });

  const requests: string[] = [];
  const sockets = new Set<Duplex>();
  let conferencePage: "answer" | "silent" = "answer";

  const server = https.createServer({ key, cert }, (req, res) => {
    const url = new URL(req.url ?? "/", "https://stand-in");
    requests.push(url.pathname);
    const headers = { "Cache-Control": "no-store" };
    if (url.pathname === "/external_api.js") {
      res.writeHead(200, { ...headers, "Content-Type": "application/javascript; charset=utf-8" });
      res.end(EXTERNAL_API_JS);
    } else if (url.pathname === "/favicon.ico") {
      res.writeHead(404, headers);
      res.end();
    } else if (conferencePage === "silent") {
      // Accepted and never answered, as a hung server would.
    } else {
      res.writeHead(200, { ...headers, "Content-Type": "text/html; charset=utf-8" });
      res.end(CONFERENCE_PAGE);
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });

  let stopped = false;
  return {
    port,
    domain: `127.0.0.1:${port}`,
    origin: `https://127.0.0.1:${port}`,
    chromiumArgs: [`--ignore-certificate-errors-spki-list=${spkiHash(cert)}`],
    requests,
    setConferencePage(mode) {
      conferencePage = mode;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
