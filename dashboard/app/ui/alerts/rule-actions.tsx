"use client";

import { useTransition, useState } from "react";
import { deleteRule, setRuleActive } from "@/app/lib/actions";
import { Button } from "@/components/ui/button";

export function RuleActions({ id, active }: { id: string; active: boolean }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex items-center gap-1">
      <Button
        size="sm"
        variant="ghost"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const r = await setRuleActive(id, !active);
            setError(r.ok ? null : r.error.detail || r.error.title);
          })
        }
      >
        {active ? "Pause" : "Resume"}
      </Button>
      <Button
        size="sm"
        variant="ghost"
        className="text-destructive"
        disabled={pending}
        onClick={() => {
          if (!confirm("Delete this rule? Its raised alerts are deleted with it.")) return;
          start(async () => {
            const r = await deleteRule(id);
            setError(r.ok ? null : r.error.detail || r.error.title);
          });
        }}
      >
        Delete
      </Button>
      {error && (
        <span role="alert" className="text-xs text-destructive">
          {error}
        </span>
      )}
    </div>
  );
}
