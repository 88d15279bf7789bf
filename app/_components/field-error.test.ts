import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { FieldError } from "./field-error";

describe("FieldError", () => {
  it("renders the message under the id the field's aria-describedby names, and nothing without an error", () => {
    expect(renderToStaticMarkup(createElement(FieldError, { id: "name-error", error: "Bitte einen Namen angeben." }))).toBe(
      '<p id="name-error" class="mt-1 text-sm text-red-800">Bitte einen Namen angeben.</p>',
    );
    expect(renderToStaticMarkup(createElement(FieldError, { id: "name-error" }))).toBe("");
  });
});
