import { Fragment, useMemo } from "react";
import { parseRichText, type RichNode } from "@/lib/chat/rich-text";

/** Renders parsed text as React elements only: no HTML from a message ever reaches the DOM. */
function Nodes({ nodes }: { nodes: readonly RichNode[] }) {
  return nodes.map((n, i) => {
    switch (n.type) {
      case "text":
        return <Fragment key={i}>{n.text}</Fragment>;
      case "code":
        return (
          <code key={i} className="rounded bg-slate-100 px-1 font-mono text-[0.9em]">
            {n.text}
          </code>
        );
      case "link":
        return (
          <a key={i} href={n.href} target="_blank" rel="noopener noreferrer" className="break-all text-brand-700 underline">
            {n.text}
          </a>
        );
      case "strong":
        return (
          <strong key={i}>
            <Nodes nodes={n.children} />
          </strong>
        );
      case "em":
        return (
          <em key={i}>
            <Nodes nodes={n.children} />
          </em>
        );
    }
  });
}

export function RichTextView({ text }: { text: string }) {
  const nodes = useMemo(() => parseRichText(text), [text]);
  return <Nodes nodes={nodes} />;
}
