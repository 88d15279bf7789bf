import { describe, expect, it } from "vitest";
import { sniffFileType, UNKNOWN_TYPE } from "./file-type-sniff";

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p, "latin1")] : p)));

describe("sniffFileType", () => {
  it.each([
    ["png", bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "IHDR"), "image/png"],
    ["jpeg", bytes([0xff, 0xd8, 0xff, 0xe0], "JFIF"), "image/jpeg"],
    ["gif", bytes("GIF89a", [1, 0]), "image/gif"],
    ["webp", bytes("RIFF", [0, 0, 0, 0], "WEBPVP8 "), "image/webp"],
    ["wav", bytes("RIFF", [0, 0, 0, 0], "WAVEfmt "), "audio/wav"],
    ["pdf", bytes("%PDF-1.7\n"), "application/pdf"],
    ["mp4", bytes([0, 0, 0, 0x18], "ftypisom", [0, 0, 2, 0]), "video/mp4"],
    ["webm", bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f]), "video/webm"],
    ["ogg", bytes("OggS", [0]), "audio/ogg"],
    ["mp3 with tag", bytes("ID3", [4, 0]), "audio/mpeg"],
    ["windows program", bytes("MZ", [0x90, 0, 3, 0], "This program cannot be run in DOS mode"), "application/x-msdownload"],
    ["linux program", bytes([0x7f], "ELF", [2, 1, 1]), "application/x-executable"],
    ["shell script", bytes("#!/bin/sh\nrm -rf /\n"), "application/x-sh"],
    ["html", bytes("  <!DOCTYPE html><html>"), "text/html"],
    ["svg", bytes('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'), "image/svg+xml"],
    ["plain text with umlauts", bytes(Buffer.from("Sitzung am Dienstag, Tagesordnung: Bürgerhaus\n", "utf8").toString("latin1")), "text/plain"],
    ["zip", bytes("PK", [3, 4], "notes/readme.txt"), "application/zip"],
    ["docx", bytes("PK", [3, 4], "[Content_Types].xml", "PK", [3, 4], "word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
    ["xlsx", bytes("PK", [3, 4], "[Content_Types].xml", "PK", [3, 4], "xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
    ["odt", bytes("PK", [3, 4], "mimetypeapplication/vnd.oasis.opendocument.text"), "application/vnd.oasis.opendocument.text"],
    ["binary noise", bytes([0, 1, 2, 3, 250, 251]), UNKNOWN_TYPE],
    ["empty", bytes(), UNKNOWN_TYPE],
  ])("%s", (_name, input, type) => {
    expect(sniffFileType(input)).toBe(type);
  });

  it("judges a program renamed to .png by its bytes", () => {
    expect(sniffFileType(bytes("MZ", [0x90, 0], "PE"))).not.toBe("image/png");
  });
});
