import { describe, expect, it } from "vitest";
import { escapeHtml, hasFormatting, parseRichText, richTextToHtml, safeHref, trimLinkCandidate } from "./rich-text";

describe("parseRichText", () => {
  it("keeps plain text as one text node", () => {
    expect(parseRichText("Guten Morgen, alle zusammen")).toEqual([{ type: "text", text: "Guten Morgen, alle zusammen" }]);
  });

  it("never interprets HTML: tags stay text", () => {
    const nodes = parseRichText('<img src=x onerror="alert(1)"> <script>alert(1)</script>');
    expect(nodes).toEqual([{ type: "text", text: '<img src=x onerror="alert(1)"> <script>alert(1)</script>' }]);
  });

  it("links http(s) and www addresses, without the sentence's punctuation", () => {
    expect(parseRichText("Siehe https://musterstadt.example/rathaus, danach www.example.org.")).toEqual([
      { type: "text", text: "Siehe " },
      { type: "link", href: "https://musterstadt.example/rathaus", text: "https://musterstadt.example/rathaus" },
      { type: "text", text: ", danach " },
      { type: "link", href: "https://www.example.org/", text: "www.example.org" },
      { type: "text", text: "." },
    ]);
  });

  it("keeps brackets that belong to the address and drops those of the sentence", () => {
    expect(parseRichText("(https://de.wikipedia.org/wiki/Rathaus_(Gebäude))")).toEqual([
      { type: "text", text: "(" },
      {
        type: "link",
        href: "https://de.wikipedia.org/wiki/Rathaus_(Geb%C3%A4ude)",
        text: "https://de.wikipedia.org/wiki/Rathaus_(Gebäude)",
      },
      { type: "text", text: ")" },
    ]);
  });

  it.each([
    "javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "vbscript:msgbox",
    "file:///etc/passwd",
    "mailto:anna@example.org",
  ])("never links %s", (text) => {
    expect(parseRichText(text).every((n) => n.type !== "link")).toBe(true);
  });

  it("formats code, bold and italic", () => {
    expect(parseRichText("**Wichtig:** bitte *heute* `npm test` _ausführen_")).toEqual([
      { type: "strong", children: [{ type: "text", text: "Wichtig:" }] },
      { type: "text", text: " bitte " },
      { type: "em", children: [{ type: "text", text: "heute" }] },
      { type: "text", text: " " },
      { type: "code", text: "npm test" },
      { type: "text", text: " " },
      { type: "em", children: [{ type: "text", text: "ausführen" }] },
    ]);
  });

  it("links inside bold text", () => {
    expect(parseRichText("**siehe https://example.org/a**")).toEqual([
      {
        type: "strong",
        children: [
          { type: "text", text: "siehe " },
          { type: "link", href: "https://example.org/a", text: "https://example.org/a" },
        ],
      },
    ]);
  });

  it.each([
    ["snake_case_names stay text", "file_name_v2"],
    ["a lone star", "5 * 3 = 15"],
    ["stars with spaces", "a * b * c"],
    ["underscores inside an address", "https://example.org/a_b_c"],
    ["unclosed code", "`offen"],
  ])("leaves %s alone", (_what, text) => {
    const nodes = parseRichText(text);
    expect(nodes.some((n) => n.type === "em" || n.type === "strong" || n.type === "code")).toBe(false);
    expect(nodes.map((n) => ("text" in n ? n.text : "")).join("")).toBe(text);
  });

  it("does not format inside code", () => {
    expect(parseRichText("`**x** https://e.org`")).toEqual([{ type: "code", text: "**x** https://e.org" }]);
  });
});

describe("links", () => {
  it.each([
    ["https://a.example/x).", "https://a.example/x"],
    ["https://a.example/x?y=1!", "https://a.example/x?y=1"],
    ["https://a.example/(x)", "https://a.example/(x)"],
  ])("trims %s to %s", (input, expected) => {
    expect(trimLinkCandidate(input)).toBe(expected);
  });

  it("only allows http and https", () => {
    expect(safeHref("https://example.org")).toBe("https://example.org/");
    expect(safeHref("www.example.org")).toBe("https://www.example.org/");
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("http://")).toBeNull();
  });
});

describe("richTextToHtml", () => {
  it("escapes text and attributes", () => {
    const html = richTextToHtml(parseRichText('**<b>"x"</b>** https://e.org/?a=1&b=2<d>'));
    expect(html).toBe(
      '<strong>&lt;b&gt;&quot;x&quot;&lt;/b&gt;</strong> <a href="https://e.org/?a=1&amp;b=2">https://e.org/?a=1&amp;b=2</a>&lt;d&gt;',
    );
  });

  it("cannot break out of the href attribute", () => {
    expect(richTextToHtml(parseRichText('https://e.org/"onmouseover="alert(1)'))).toBe(
      '<a href="https://e.org/">https://e.org/</a>&quot;onmouseover=&quot;alert(1)',
    );
  });

  it("turns newlines into line breaks", () => {
    expect(richTextToHtml(parseRichText("a\n*b*"))).toBe("a<br><em>b</em>");
  });

  it("knows when formatting is present", () => {
    expect(hasFormatting(parseRichText("nur Text"))).toBe(false);
    expect(hasFormatting(parseRichText("mit `code`"))).toBe(true);
  });

  it("escapes all five HTML characters", () => {
    expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
  });
});
