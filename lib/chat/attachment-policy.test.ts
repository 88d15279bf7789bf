import { describe, expect, it } from "vitest";
import { checkAttachmentSize, DEFAULT_MAX_ATTACHMENT_BYTES, formatBytes } from "./attachment-policy";

describe("attachment size", () => {
  it.each([
    [512, "512 Byte"],
    [1536, "1,5 KB"],
    [20 * 1024 * 1024, "20 MB"],
    [25.3 * 1024 * 1024, "25,3 MB"],
    [150 * 1024 * 1024, "150 MB"],
  ])("formats %d bytes as %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it("allows files up to the limit, 20 MB by default", () => {
    expect(checkAttachmentSize(DEFAULT_MAX_ATTACHMENT_BYTES)).toBeNull();
    expect(checkAttachmentSize(DEFAULT_MAX_ATTACHMENT_BYTES + 1)).toBe(
      "Die Datei ist zu groß (20 MB). Erlaubt sind höchstens 20 MB.",
    );
  });

  it("uses the limit it is given and refuses empty files", () => {
    expect(checkAttachmentSize(2048, 1024)).toBe("Die Datei ist zu groß (2 KB). Erlaubt sind höchstens 1 KB.");
    expect(checkAttachmentSize(0)).toBe("Die Datei ist leer.");
  });
});
