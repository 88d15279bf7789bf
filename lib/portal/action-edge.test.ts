import { beforeEach, describe, expect, it, vi } from "vitest";

/** The server actions' first steps; the request headers, session and Next's redirect are stubbed. */

const state = vi.hoisted(() => ({ headers: new Headers(), person: null as null | { id: string } }));
vi.mock("next/headers", () => ({ headers: async () => state.headers }));
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw new Error(`redirect ${to}`);
  },
}));
vi.mock("./runtime", () => ({ portalRuntime: () => ({ config: { portal: { url: "https://portal.example.de/" } } }) }));
vi.mock("../auth/current-session", () => ({ currentSession: async () => (state.person ? { person: state.person } : null) }));

const edge = await import("./action-edge");

beforeEach(() => {
  state.headers = new Headers({ origin: "https://portal.example.de" });
  state.person = { id: "p1" };
});

describe("form actions", () => {
  it("pass the signed-in person on a same-origin request", async () => {
    await expect(edge.formActionCaller()).resolves.toEqual({ signedIn: { person: { id: "p1" } } });
  });

  it("refuse a foreign or missing origin before looking at the session", async () => {
    state.headers = new Headers({ origin: "https://evil.example" });
    await expect(edge.formActionCaller()).resolves.toEqual({ message: edge.FOREIGN_ORIGIN_MESSAGE });
    state.headers = new Headers();
    await expect(edge.formActionCaller()).resolves.toEqual({ message: edge.FOREIGN_ORIGIN_MESSAGE });
    state.headers = new Headers({ "sec-fetch-site": "same-origin" });
    await expect(edge.formActionCaller()).resolves.toMatchObject({ signedIn: { person: { id: "p1" } } });
  });

  it("ask the signed-out to sign in again", async () => {
    state.person = null;
    await expect(edge.formActionCaller()).resolves.toEqual({ message: edge.SESSION_EXPIRED_MESSAGE });
  });
});

describe("redirecting actions", () => {
  it("send a foreign origin back to the page and the signed-out home", async () => {
    await expect(edge.redirectActionCaller("/x?fehler=herkunft")).resolves.toEqual({ person: { id: "p1" } });
    state.headers = new Headers({ origin: "https://evil.example" });
    await expect(edge.redirectActionCaller("/x?fehler=herkunft")).rejects.toThrow("redirect /x?fehler=herkunft");
    state.headers = new Headers({ origin: "https://portal.example.de" });
    state.person = null;
    await expect(edge.redirectActionCaller("/x?fehler=herkunft")).rejects.toThrow("redirect /");
  });
});

describe("unexpected errors", () => {
  it("log the error under an id the message quotes, and never show the error itself", () => {
    const log = { error: vi.fn() };
    const message = edge.unexpectedErrorMessage(log as never, new Error("secret stack detail"), "saving failed");
    const [{ errorId }, what] = log.error.mock.calls[0] as [{ errorId: string }, string];
    expect(what).toBe("saving failed");
    expect(message).toBe(`Unerwarteter Fehler (Fehler-ID ${errorId}). Bitte versuchen Sie es erneut.`);
    expect(message).not.toContain("secret");
  });
});
