"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { sendLines } from "@/app/lib/actions";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";

/** Paste a few lines to try a source out: they go through the gateway like any client's. */
export function SendLines({ sourceId }: { sourceId: string }) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  const example = () => {
    const now = new Date().toISOString().slice(0, 19) + "Z";
    return `${now} INFO checkout started order=1042\n${now} ERROR payment failed: gateway timeout after 3000 ms\n${now} INFO retry ok order=1042`;
  };
  return (
    <form
      className="grid gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const text = String(new FormData(e.currentTarget).get("lines") ?? "");
        start(async () => {
          const r = await sendLines(sourceId, text.endsWith("\n") ? text : `${text}\n`);
          setMessage(
            r.ok
              ? { ok: true, text: `Accepted ${r.data.accepted} lines. Their window appears within about 10 seconds.` }
              : { ok: false, text: `${r.error.title}. ${r.error.detail}` },
          );
          if (r.ok) setTimeout(() => router.refresh(), 12_000);
        });
      }}
    >
      <Label htmlFor="lines">Send test lines</Label>
      <textarea
        id="lines"
        name="lines"
        rows={4}
        defaultValue={example()}
        className="rounded-md border bg-transparent p-2 font-mono text-xs"
      />
      <div className="flex items-center gap-3">
        <Button type="submit" size="sm" disabled={pending}>
          {pending ? "Sending…" : "Send lines"}
        </Button>
        {message && (
          <p role="status" className={message.ok ? "text-sm text-emerald-700" : "text-sm text-destructive"}>
            {message.text}
          </p>
        )}
      </div>
    </form>
  );
}
