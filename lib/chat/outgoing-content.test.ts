import { describe, expect, it } from "vitest";
import { buildAttachmentContent, buildEditContent, buildTextContent, normaliseDraft } from "./outgoing-content";

describe("outgoing message contents", () => {
  it("sends plain text without HTML", () => {
    expect(buildTextContent("Guten Morgen")).toEqual({ msgtype: "m.text", body: "Guten Morgen" });
  });

  it("adds escaped HTML only when the text has formatting", () => {
    expect(buildTextContent("**Bitte** <kommen>")).toEqual({
      msgtype: "m.text",
      body: "**Bitte** <kommen>",
      format: "org.matrix.custom.html",
      formatted_body: "<strong>Bitte</strong> &lt;kommen&gt;",
    });
  });

  it("builds an edit with fallback, new content and relation", () => {
    expect(buildEditContent("$orig", "neu")).toEqual({
      msgtype: "m.text",
      body: "* neu",
      "m.new_content": { msgtype: "m.text", body: "neu" },
      "m.relates_to": { rel_type: "m.replace", event_id: "$orig" },
    });
    expect(buildEditContent("$orig", "*neu*")).toMatchObject({ formatted_body: "* <em>neu</em>", format: "org.matrix.custom.html" });
  });

  it.each([
    ["image/png", "m.image"],
    ["image/svg+xml", "m.file"],
    ["application/pdf", "m.file"],
    ["", "m.file"],
  ])("sends %s as %s", (mimetype, msgtype) => {
    const content = buildAttachmentContent({ mxcUrl: "mxc://s/x", name: "a", size: 3, mimetype });
    expect(content.msgtype).toBe(msgtype);
    expect(content).toMatchObject({ body: "a", filename: "a", url: "mxc://s/x", info: { size: 3 } });
  });

  it.each([
    ["", null],
    ["   \n  ", null],
    ["\n\nHallo\n", "Hallo"],
    ["  eingerückt  ", "  eingerückt"],
    ["zwei\nZeilen", "zwei\nZeilen"],
  ])("normalises the draft %j", (draft, expected) => {
    expect(normaliseDraft(draft)).toBe(expected);
  });
});
