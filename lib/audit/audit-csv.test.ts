import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "./audit-csv";

describe("audit CSV", () => {
  it.each([
    ["plain", "plain"],
    ["with,comma", '"with,comma"'],
    ["with;semicolon", '"with;semicolon"'],
    ['a "quoted" word', '"a ""quoted"" word"'],
    ["two\nlines", '"two\nlines"'],
    ["carriage\rreturn", '"carriage\rreturn"'],
    ["Ärger über Öl", "Ärger über Öl"],
  ])("writes %j as %j", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it.each([
    ["=HYPERLINK(\"http://evil.example\")", '"\'=HYPERLINK(""http://evil.example"")"'],
    ["+49 30 1234", "'+49 30 1234"],
    ["-1+2", "'-1+2"],
    ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["\tTAB", "'\tTAB"],
    ["\r=1", "\"'\r=1\""],
    ["=1,2", "\"'=1,2\""],
  ])("disarms the formula %j", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it("writes empty cells for null, ISO instants for dates, JSON for objects", () => {
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(new Date("2026-11-25T10:00:00Z"))).toBe("2026-11-25T10:00:00.000Z");
    expect(csvCell({ room: "!a:b", n: 2 })).toBe('"{""room"":""!a:b"",""n"":2}"');
    expect(csvCell(42)).toBe("42");
  });

  it("ends every row with CRLF", () => {
    expect(csvRow(["a", 1, null, "x,y"])).toBe('a,1,,"x,y"\r\n');
  });
});
