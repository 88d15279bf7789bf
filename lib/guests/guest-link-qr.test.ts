import { describe, expect, it } from "vitest";
import { guestLinkQrSvg } from "./guest-link-qr";

describe("guestLinkQrSvg", () => {
  it("renders an SVG without scripts or external references", async () => {
    const svg = await guestLinkQrSvg("https://stadtfunk.stadt.example/gast#abc");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).not.toMatch(/<script|href=|https?:\/\/(?!www\.w3\.org)/);
  });
});
