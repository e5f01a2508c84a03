import { attempt, getMe, may } from "@/app/lib/api";
import type { Source } from "@/app/lib/types";
import { RuleEditor } from "@/app/ui/alerts/rule-editor";
import { ErrorState, PageHeader } from "@/app/ui/states";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

export const metadata = { title: "New alert rule" };

export default async function NewRulePage() {
  const me = await getMe();
  if (!may(me, "alerts")) {
    return (
      <Alert>
        <AlertTitle>Viewers cannot create alert rules</AlertTitle>
        <AlertDescription>Ask an admin of {me.org_name} for the member role.</AlertDescription>
      </Alert>
    );
  }
  const sources = await attempt<{ items: Source[] }>("/v1/sources");
  if (!sources.ok) return <ErrorState error={sources.error} what="the sources" />;
  return (
    <div className="max-w-4xl">
      <PageHeader title="New alert rule" description="Preview it on the last 7 days of stored data before you save it." />
      <RuleEditor sources={sources.data.items.map((s) => ({ id: s.id, name: s.name }))} />
    </div>
  );
}
