"use client";

import { useState, useTransition } from "react";
import { setSourceSensitivity } from "@/app/lib/actions";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";

type Level = "low" | "medium" | "high";

/**
 * How sensitive anomaly detection is for one source: its own level, or the org's. The pipeline
 * judges the next windows with it (within seconds); each anomaly's explanation says the level.
 */
export function SensitivityPicker({
  sourceId,
  current,
  orgLevel,
  editable,
}: {
  sourceId: string;
  current: Level | null;
  orgLevel: Level | null;
  editable: boolean;
}) {
  const [value, setValue] = useState<string>(current ?? "");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, start] = useTransition();
  const inherited = `Same as the org (${orgLevel ?? "the default, medium"})`;
  return (
    <div className="grid gap-2">
      <Label htmlFor="sensitivity">Anomaly sensitivity</Label>
      <div className="flex flex-wrap items-center gap-3">
        <NativeSelect
          id="sensitivity"
          name="sensitivity"
          className="w-72"
          value={value}
          disabled={!editable || pending}
          onChange={(e) => {
            const next = e.currentTarget.value;
            const previous = value;
            setValue(next);
            start(async () => {
              const r = await setSourceSensitivity(sourceId, next === "" ? null : (next as Level));
              if (r.ok) {
                setMessage({ ok: true, text: "Saved. Windows judged from now on use it." });
              } else {
                setValue(previous);
                setMessage({ ok: false, text: `${r.error.title}. ${r.error.detail}` });
              }
            });
          }}
        >
          <option value="">{inherited}</option>
          <option value="low">Low: only large changes</option>
          <option value="medium">Medium</option>
          <option value="high">High: smaller changes too</option>
        </NativeSelect>
        {message && (
          <p role="status" className={message.ok ? "text-sm text-emerald-700" : "text-sm text-destructive"}>
            {message.text}
          </p>
        )}
      </div>
      {!editable && <p className="text-sm text-muted-foreground">Members and admins can change it.</p>}
    </div>
  );
}
