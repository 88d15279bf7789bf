import { LogLevel } from "matrix-bot-sdk";
import { describe, expect, it } from "vitest";
import { captureLogger } from "./capture-logger";
import { redactData, SdkLogAdapter, sdkLevelFor } from "./sdk-logger";

describe("SdkLogAdapter", () => {
  it("moves SDK chatter one level down and keeps warnings and errors", () => {
    const { logger, lines } = captureLogger();
    const adapter = new SdkLogAdapter(logger);
    adapter.debug("MatrixHttpClient", "(REQ-1)", "GET /x");
    adapter.info("Appservice", "Processing transaction 5");
    adapter.warn("Appservice", "outdated field");
    adapter.error("Appservice", new Error("boom"));
    expect(lines.map((l) => [l.level, l.msg, l.sdkModule])).toEqual([
      ["trace", "(REQ-1) GET /x", "MatrixHttpClient"],
      ["debug", "Processing transaction 5", "Appservice"],
      ["warn", "outdated field", "Appservice"],
      ["error", "Appservice", "Appservice"],
    ]);
    expect(lines[3]?.err).toMatchObject({ message: "boom" });
  });

  it("never writes the SDK's trace output (it contains message bodies)", () => {
    const { logger, lines } = captureLogger();
    new SdkLogAdapter(logger).trace("MatrixHttpClient", 'body = {"body":"secret text"}');
    expect(lines).toEqual([]);
  });

  it("redacts tokens in strings and in structured data", () => {
    const { logger, lines } = captureLogger();
    const adapter = new SdkLogAdapter(logger);
    adapter.warn("Appservice", "PUT /transactions/1?access_token=syt_abc", { access_token: "syt_def" });
    const text = JSON.stringify(lines);
    expect(text).not.toContain("syt_");
  });

  it("reduces class instances (e.g. HTTP responses with their request headers) to a name", () => {
    const { logger, lines } = captureLogger();
    class IncomingMessage {
      headers = { authorization: "Bearer syt_secret" };
    }
    new SdkLogAdapter(logger).warn("Appservice", new IncomingMessage());
    expect(lines[0]?.data).toBe("[IncomingMessage]");
  });

  it("logs failed homeserver requests as warnings, and 'already registered' as debug", () => {
    const { logger, lines } = captureLogger();
    const adapter = new SdkLogAdapter(logger);
    adapter.error("MatrixHttpClient", "(REQ-2)", { errcode: "M_FORBIDDEN", error: "no" });
    adapter.error("MatrixHttpClient", "(REQ-3)", { errcode: "M_USER_IN_USE", error: "taken" });
    expect(lines.map((l) => l.level)).toEqual(["warn", "debug"]);
  });
});

describe("sdkLevelFor", () => {
  it.each([
    ["trace", LogLevel.DEBUG],
    ["debug", LogLevel.INFO],
    ["info", LogLevel.WARN],
    ["warn", LogLevel.WARN],
    ["error", LogLevel.ERROR],
    ["fatal", LogLevel.ERROR],
    ["silent", LogLevel.ERROR],
  ])("pino %s → SDK %s", (pinoLevel, sdkLevel) => {
    expect(sdkLevelFor(pinoLevel)).toBe(sdkLevel);
  });
});

describe("redactData", () => {
  it("blanks secret-looking keys at any depth and tokens in URLs", () => {
    const input = {
      errcode: "M_UNKNOWN_TOKEN",
      nested: { deeper: [{ as_token: "a", hs_token: "b", Authorization: "Bearer c", password: "d" }] },
      url: "/x?access_token=e&user_id=@a:b",
    };
    expect(redactData(input)).toEqual({
      errcode: "M_UNKNOWN_TOKEN",
      nested: { deeper: [{ as_token: "[REDACTED]", hs_token: "[REDACTED]", Authorization: "[REDACTED]", password: "[REDACTED]" }] },
      url: "/x?access_token=[REDACTED]&user_id=@a:b",
    });
  });
});
