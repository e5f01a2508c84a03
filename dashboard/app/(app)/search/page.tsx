import Link from "next/link";
import { attempt } from "@/app/lib/api";
import { formatTime } from "@/app/lib/format";
import type { SearchHit, Source } from "@/app/lib/types";
import { hrefFor } from "@/app/lib/search";
import { EmptyState, ErrorState, PageHeader } from "@/app/ui/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";

export const metadata = { title: "Search" };

export default async function SearchPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const sp = await searchParams;
  const q = sp.q?.trim() ?? "";
  const sources = await attempt<{ items: Source[] }>("/v1/sources");
  const names = new Map((sources.ok ? sources.data.items : []).map((s) => [s.id, s.name]));
  const params = new URLSearchParams({ q });
  if (sp.source_id) params.set("source_id", sp.source_id);
  const hits = q.length >= 2 ? await attempt<{ items: SearchHit[] }>(`/v1/search?${params}&limit=100`) : null;
  return (
    <div className="grid gap-6">
      <PageHeader title="Search" description="Patterns, incidents, anomalies and alerts of your org, by the words they hold." />
      <form className="flex flex-wrap gap-2" action="/search" role="search">
        <Input name="q" defaultValue={q} placeholder="timeout payment" aria-label="Search words" className="w-80" minLength={2} />
        <NativeSelect name="source_id" defaultValue={sp.source_id ?? ""} aria-label="Source" className="w-48">
          <option value="">every source</option>
          {(sources.ok ? sources.data.items : []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </NativeSelect>
        <Button type="submit">Search</Button>
      </form>
      {hits == null ? (
        <p className="text-sm text-muted-foreground">Type at least two characters; every word must appear.</p>
      ) : !hits.ok ? (
        <ErrorState error={hits.error} what="the results" />
      ) : hits.data.items.length === 0 ? (
        <EmptyState title={`Nothing matches “${q}”`}>Try fewer or shorter words; patterns keep variable parts as &lt;*&gt;.</EmptyState>
      ) : (
        <ul className="grid gap-2" aria-label="Results">
          {hits.data.items.map((h) => (
            <li key={`${h.kind}-${h.id}`} className="rounded-lg border p-3">
              <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
                <Badge variant="outline">{h.kind}</Badge>
                {h.source_id && <span>{names.get(h.source_id) ?? h.source_id}</span>}
                <span>{formatTime(h.at)}</span>
              </div>
              <Link href={hrefFor(h)} className={`mt-1 block underline-offset-4 hover:underline ${h.kind === "pattern" ? "font-mono text-xs" : "text-sm"}`}>
                {h.title}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
