"use client";

import { useState, useTransition } from "react";
import { setPlan } from "@/app/lib/actions";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/native-select";

export function PlanSwitcher({ current }: { current: string }) {
  const [plan, setP] = useState(current);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <div className="flex flex-wrap items-center gap-2">
      <NativeSelect aria-label="Plan" value={plan} onChange={(e) => setP(e.target.value)} className="w-40">
        {["free", "starter", "team"].map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </NativeSelect>
      <Button
        variant="outline"
        disabled={pending || plan === current}
        onClick={() =>
          start(async () => {
            const r = await setPlan(plan);
            setMessage(r.ok ? `The org is on ${plan} now.` : `${r.error.title}. ${r.error.detail}`);
          })
        }
      >
        Change plan
      </Button>
      {message && <span role="status" className="text-sm">{message}</span>}
    </div>
  );
}
